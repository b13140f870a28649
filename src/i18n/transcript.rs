//! A session's transcript for the host page: `GwsImWidget.transcript(element, sessionId)` returns
//! these entries as data and "Copy transcript" puts the same lines on the clipboard as plain text
//! (GWS keeps no history the host could read instead). Pure; times come through the caller's
//! formatter (Intl in the browser).

use super::format::{delivery_text, notice_parts};
use super::Texts;
use crate::state::{Delivery, LineKind, Millis, SessionView};

/// Who a transcript entry is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// The agent using the widget.
    Agent,
    /// The other party.
    Party,
    /// Something that happened to the session ("Talking with 3002", "Session ended").
    Event,
    /// A period without a live channel: messages of that time may be missing.
    Gap,
}

impl Who {
    /// Its name in the data the host reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agent => "agent",
            Self::Party => "party",
            Self::Event => "event",
            Self::Gap => "gap",
        }
    }
}

/// One line of a transcript as the host reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub at: Millis,
    pub who: Who,
    /// The other party's number (for `Party` lines), when known.
    pub party: Option<String>,
    pub text: String,
    /// For the agent's lines the server never confirmed: where they stand, in words.
    pub status: Option<String>,
    /// For a gap: when the live channel was back.
    pub until: Option<Millis>,
}

/// The session's lines, oldest first, in the agent's language.
pub fn entries(view: &SessionView, t: &Texts) -> Vec<Entry> {
    let party = view.party_number().map(str::to_owned);
    view.transcript
        .iter()
        .map(|line| {
            let entry = |who, text: String| Entry {
                at: line.at,
                who,
                party: None,
                text,
                status: None,
                until: None,
            };
            match &line.kind {
                LineKind::Incoming => Entry {
                    party: party.clone(),
                    ..entry(Who::Party, line.text.clone())
                },
                LineKind::Outgoing { delivery, .. } => Entry {
                    status: (*delivery != Delivery::Sent).then(|| delivery_text(delivery, t)),
                    ..entry(Who::Agent, line.text.clone())
                },
                LineKind::System => entry(Who::Event, line.text.clone()),
                LineKind::Notice(notice) => {
                    let (before, number, after) = notice_parts(notice, t);
                    entry(
                        Who::Event,
                        format!("{before}{}{after}", number.unwrap_or_default()),
                    )
                }
                LineKind::Gap { until } => Entry {
                    until: Some(*until),
                    ..entry(Who::Gap, t.gap.to_owned())
                },
            }
        })
        .collect()
}

/// The entries as plain text, one line each: "08:15 You: text", "08:16 3002: text",
/// "08:17 Session ended", "08:20–08:25 Messages may be missing"; an unconfirmed line of the
/// agent's ends with its status in brackets. `time` formats a moment as the agent reads times.
pub fn plain_text(entries: &[Entry], t: &Texts, time: &dyn Fn(Millis) -> String) -> String {
    let mut out = String::new();
    for entry in entries {
        let at = time(entry.at);
        let line = match entry.who {
            Who::Agent => format!("{at} {}: {}", t.you, entry.text),
            Who::Party => {
                let who = entry.party.as_deref().unwrap_or(t.the_other_party);
                format!("{at} {who}: {}", entry.text)
            }
            Who::Event => format!("{at} {}", entry.text),
            Who::Gap => match entry.until {
                Some(until) => format!("{at}–{} {}", time(until), entry.text),
                None => format!("{at} {}", entry.text),
            },
        };
        out.push_str(&line);
        if let Some(status) = &entry.status {
            out.push_str(" [");
            out.push_str(status);
            out.push(']');
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;
    use crate::state::{Line, Notice, Problem};
    use gws_protocol::ImSession;

    fn line(at: Millis, text: &str, kind: LineKind) -> Line {
        Line {
            at,
            text: text.to_owned(),
            kind,
        }
    }

    fn session() -> SessionView {
        let session: ImSession = serde_json::from_value(serde_json::json!({
            "id": "s1",
            "state": "Talking",
            "participants": [{ "phoneNumber": "3002" }],
        }))
        .unwrap_or_else(|err| panic!("test session: {err}"));
        let outgoing = |local_id, delivery| LineKind::Outgoing {
            local_id,
            delivery,
            echoed: false,
        };
        let transcript = vec![
            line(
                1.0,
                "",
                LineKind::Notice(Notice::Talking {
                    party: Some("3002".into()),
                }),
            ),
            line(2.0, "Can you take case 42?", LineKind::Incoming),
            line(3.0, "On it", outgoing(1, Delivery::Sent)),
            line(4.0, "", LineKind::Gap { until: 5.0 }),
            line(
                6.0,
                "Done",
                outgoing(
                    2,
                    Delivery::Failed {
                        reason: Problem::NotDelivered,
                    },
                ),
            ),
            line(7.0, "", LineKind::Notice(Notice::Ended)),
        ];
        SessionView {
            session,
            id: "s1".into(),
            started_at: 0.0,
            incoming: 1,
            outbox: 2,
            transcript,
            unread: 0,
            draft: String::new(),
            action_error: None,
            busy: None,
        }
    }

    #[test]
    fn every_line_is_an_entry_with_who_wrote_it_and_the_agents_unconfirmed_status() {
        let t = Locale::En.texts();
        let got = entries(&session(), t);
        let who: Vec<_> = got.iter().map(|e| (e.at, e.who, e.text.as_str())).collect();
        assert_eq!(
            who,
            [
                (1.0, Who::Event, "Talking with 3002"),
                (2.0, Who::Party, "Can you take case 42?"),
                (3.0, Who::Agent, "On it"),
                (4.0, Who::Gap, "Messages may be missing"),
                (6.0, Who::Agent, "Done"),
                (7.0, Who::Event, "Session ended"),
            ]
        );
        assert_eq!(got[1].party.as_deref(), Some("3002"));
        assert_eq!(got[2].status, None, "a sent line needs no status");
        assert_eq!(got[3].until, Some(5.0));
        assert!(got[4].status.is_some(), "an undelivered line says so");
    }

    #[test]
    fn plain_text_has_one_line_per_entry_with_its_time_and_who() {
        let t = Locale::En.texts();
        let time = |at: Millis| format!("t{at}");
        let text = plain_text(&entries(&session(), t), t, &time);
        let status = delivery_text(
            &Delivery::Failed {
                reason: Problem::NotDelivered,
            },
            t,
        );
        assert_eq!(
            text,
            format!(
                "t1 Talking with 3002\nt2 3002: Can you take case 42?\nt3 You: On it\n\
                 t4–t5 Messages may be missing\nt6 You: Done [{status}]\nt7 Session ended\n"
            )
        );
        let german = Locale::De.texts();
        assert!(plain_text(&entries(&session(), german), german, &time).contains("t3 Sie: On it"));
    }
}
