//! The words and values the widget shows: pure helpers for `ui`, tested natively (`ui` is wasm-only).

use gws_protocol::ImSessionState;
use serde_json::Value;

use crate::i18n::{around, capitalised, fill, Texts};
use crate::state::{Action, Delivery, Millis, Notice, Problem};

/// Writes a whole number in the agent's locale (Intl.NumberFormat in the browser, plain digits in tests).
pub type Digits<'a> = &'a dyn Fn(u64) -> String;

/// Plain ASCII digits, for native tests and as a fallback.
pub fn ascii_digits(n: u64) -> String {
    n.to_string()
}

/// How long ago `since` was, as a short phrase: "just now", "3 min", "1 h 5 min", "2 h".
pub fn time_since(since: Millis, now: Millis, t: &Texts, digits: Digits) -> String {
    let elapsed = now - since;
    // A clock that went backwards (or a NaN from bad data) still reads as "just now".
    if !elapsed.is_finite() || elapsed < 60_000.0 {
        return t.just_now.to_owned();
    }
    let minutes = (elapsed / 60_000.0).floor() as u64;
    let unit = |template: &str, n: u64| fill(template, &[("n", &digits(n))]);
    match (minutes / 60, minutes % 60) {
        (0, m) => unit(t.minutes, m),
        (h, 0) => unit(t.hours, h),
        (h, m) => format!("{} {}", unit(t.hours, h), unit(t.minutes, m)),
    }
}

/// A session state's label and its BEM modifier; a state this version does not know gets a neutral one.
pub fn state_label(state: &ImSessionState, t: &Texts) -> (&'static str, &'static str) {
    match state {
        ImSessionState::Initiating => (t.state_initiating, "initiating"),
        ImSessionState::Alerting => (t.state_alerting, "alerting"),
        ImSessionState::Talking => (t.state_talking, "talking"),
        ImSessionState::Completed => (t.state_completed, "completed"),
        ImSessionState::Unknown(_) => (t.state_unknown, "unknown"),
    }
}

/// Where one of the agent's own messages stands, in words.
pub fn delivery_text(delivery: &Delivery, t: &Texts) -> String {
    match delivery {
        Delivery::Queued => t.queued.to_owned(),
        Delivery::Sending => t.sending.to_owned(),
        Delivery::Sent => t.sent.to_owned(),
        Delivery::Failed {
            reason: Problem::NotDelivered,
        } => t.not_delivered.to_owned(),
        Delivery::Failed { reason } => fill(t.not_sent, &[("reason", &problem_text(reason, t))]),
        Delivery::Unconfirmed { .. } => t.checking_delivery.to_owned(),
        Delivery::Uncertain => t.maybe_delivered.to_owned(),
    }
}

/// What an action is called in "… failed".
pub fn action_label(action: Action, t: &Texts) -> &'static str {
    match action {
        Action::SendMessage => t.action_send,
        Action::AttachUserData => t.action_attach,
        Action::UpdateUserData => t.action_update,
        Action::DeleteUserData => t.action_delete,
        Action::Complete => t.action_complete,
    }
}

/// Why something could not be done, in words.
pub fn problem_text(problem: &Problem, t: &Texts) -> String {
    match problem {
        Problem::SessionEnded => t.session_ended.to_owned(),
        Problem::CannotSend => t.cannot_send.to_owned(),
        Problem::CannotEnd => t.cannot_end.to_owned(),
        Problem::CannotChangeCaseData => t.cannot_change_case_data.to_owned(),
        Problem::NoNumber => t.no_number.to_owned(),
        Problem::NoDevice => t.no_device.to_owned(),
        Problem::EmptyKey => t.empty_key.to_owned(),
        Problem::EmptyExtension => t.empty_extension.to_owned(),
        Problem::OneSessionAtATime => t.one_session_at_a_time.to_owned(),
        Problem::NotDelivered => t.not_delivered.to_owned(),
        Problem::StorageRefused => t.storage_refused.to_owned(),
        Problem::Request(error) => error.describe(t),
        Problem::ActionFailed { action, error } => fill(
            t.action_failed,
            &[
                ("action", action_label(*action, t)),
                ("reason", &error.describe(t)),
            ],
        ),
        Problem::RefreshFailed(error) => fill(t.refresh_failed, &[("reason", &error.describe(t))]),
        Problem::Text(text) => text.clone(),
    }
}

/// A notice in words, split around the other party's number so the UI can keep it left-to-right:
/// (before, number, after). Without a number, "the other party" is part of the words.
pub fn notice_parts(notice: &Notice, t: &Texts) -> (String, Option<String>, String) {
    let (template, party) = match notice {
        Notice::Calling { party } => (t.notice_calling, party),
        Notice::Alerting { party } => (t.notice_alerting, party),
        Notice::Talking { party } => (t.notice_talking, party),
        Notice::Ended => return (t.notice_ended.to_owned(), None, String::new()),
        Notice::State(raw) => {
            return (fill(t.notice_state, &[("state", raw)]), None, String::new());
        }
    };
    match party {
        Some(number) => {
            let (before, after) = around(template, "party");
            (before.to_owned(), Some(number.clone()), after.to_owned())
        }
        None => (
            capitalised(&fill(template, &[("party", t.the_other_party)])),
            None,
            String::new(),
        ),
    }
}

/// The start of `text` on one line, at most `max_chars` characters (then "…"): for a row's preview
/// and a screen-reader announcement, which must not copy (and lay out) a megabyte message again.
pub fn snippet(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (taken, word) in text.split_whitespace().enumerate() {
        if taken > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().nth(max_chars).is_some() {
            let cut: String = out.chars().take(max_chars).collect();
            return format!("{}…", cut.trim_end());
        }
    }
    out
}

/// A row's avatar: the first letters of the directory name's first and last words ("Dana Whitfield"
/// → "DW", upper-cased where the script has case), else the number's last two digits ("3005" → "05"),
/// else "?". Decorative: the row's text says who it is.
pub fn initials(name: Option<&str>, number: &str) -> String {
    let words: Vec<&str> = name.map_or(Vec::new(), |n| n.split_whitespace().collect());
    if let Some(first) = words.first() {
        let last = words.last().filter(|_| words.len() > 1);
        return [Some(first), last]
            .into_iter()
            .flatten()
            .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
            .flat_map(char::to_uppercase)
            .collect();
    }
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        0 => "?".to_owned(),
        n => digits[n.saturating_sub(2)..].iter().collect(),
    }
}

/// Whether a case-data value is edited in a textbox (strings, numbers, booleans) or shown read-only.
pub fn is_editable(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

/// A case-data value as text: strings as they are, anything else as compact JSON.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        // `to_string` shares the serializer the runtime already uses (`Display` would add another).
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// What the agent typed for a value that was `original`: a number or boolean again when the original
/// was one and the text reads as one, else the text as a string.
pub fn typed_value(original: &Value, text: &str) -> Value {
    let trimmed = text.trim();
    match original {
        Value::Number(_) => {
            // A JSON number (the browser's JSON.parse reads it), not `f64::from_str`: no float parser.
            if let Ok(number @ Value::Number(_)) = crate::json::parse(trimmed) {
                return number;
            }
        }
        Value::Bool(_) => {
            if trimmed.eq_ignore_ascii_case("true") {
                return Value::Bool(true);
            }
            if trimmed.eq_ignore_ascii_case("false") {
                return Value::Bool(false);
            }
        }
        _ => {}
    }
    Value::String(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const MINUTE: Millis = 60_000.0;

    fn en() -> &'static Texts {
        crate::i18n::Locale::En.texts()
    }

    fn since(since: Millis, now: Millis) -> String {
        time_since(since, now, en(), &ascii_digits)
    }

    #[test]
    fn initials_come_from_the_name_else_the_number() {
        assert_eq!(initials(Some("Dana Whitfield"), "3005"), "DW");
        assert_eq!(initials(Some("  dana   de la  cruz "), "3005"), "DC");
        assert_eq!(initials(Some("Supervisor"), "3005"), "S");
        assert_eq!(initials(Some("(Night) desk"), "3005"), "ND");
        assert_eq!(initials(Some("عمر خالد"), "3005"), "عخ");
        assert_eq!(initials(Some("ßeta"), "1"), "SS");
        assert_eq!(initials(None, "3005"), "05");
        assert_eq!(initials(Some("   "), "+49 30 1234"), "34");
        assert_eq!(initials(None, "7"), "7");
        assert_eq!(initials(None, "sip:agent"), "?");
        assert_eq!(initials(None, ""), "?");
    }

    #[test]
    fn time_since_reads_in_minutes_then_hours() {
        let start = 1_700_000_000_000.0;
        assert_eq!(since(start, start), "just now");
        assert_eq!(since(start, start + 59_999.0), "just now");
        assert_eq!(since(start, start + MINUTE), "1 min");
        assert_eq!(since(start, start + 3.5 * MINUTE), "3 min");
        assert_eq!(since(start, start + 59.9 * MINUTE), "59 min");
        assert_eq!(since(start, start + 60.0 * MINUTE), "1 h");
        assert_eq!(since(start, start + 65.0 * MINUTE), "1 h 5 min");
        assert_eq!(since(start, start + 26.0 * 60.0 * MINUTE), "26 h");
        let german = crate::i18n::Locale::De.texts();
        let eastern = |n: u64| format!("<{n}>");
        assert_eq!(
            time_since(start, start + 65.0 * MINUTE, german, &eastern),
            "<1> Std. <5> Min."
        );
    }

    #[test]
    fn time_since_survives_a_clock_going_backwards_and_bad_numbers() {
        assert_eq!(since(10_000.0, 0.0), "just now");
        assert_eq!(since(f64::NAN, 0.0), "just now");
        assert_eq!(since(0.0, f64::INFINITY), "just now");
    }

    #[test]
    fn every_state_has_a_distinct_label_and_modifier() {
        let states = [
            ImSessionState::Initiating,
            ImSessionState::Alerting,
            ImSessionState::Talking,
            ImSessionState::Completed,
            ImSessionState::Unknown("Held".into()),
        ];
        for locale in crate::i18n::Locale::ALL {
            let labels: Vec<_> = states
                .iter()
                .map(|s| state_label(s, locale.texts()))
                .collect();
            for (i, a) in labels.iter().enumerate() {
                for b in &labels[i + 1..] {
                    assert_ne!(a.0, b.0);
                    assert_ne!(a.1, b.1);
                }
            }
        }
        let labels: Vec<_> = states.iter().map(|s| state_label(s, en())).collect();
        assert_eq!(labels[0], ("Calling…", "initiating"));
        assert_eq!(labels[1], ("Ringing", "alerting"));
        assert_eq!(labels[4], ("Unknown state", "unknown"));
    }

    #[test]
    fn delivery_reads_as_words() {
        assert_eq!(delivery_text(&Delivery::Queued, en()), "Waiting to send…");
        assert_eq!(delivery_text(&Delivery::Sending, en()), "Sending…");
        assert_eq!(delivery_text(&Delivery::Sent, en()), "Sent");
        assert_eq!(
            delivery_text(
                &Delivery::Failed {
                    reason: Problem::NoDevice
                },
                en()
            ),
            "Not sent: No IM device is known for you yet; retry in a moment."
        );
        assert_eq!(
            delivery_text(
                &Delivery::Failed {
                    reason: Problem::Text("Stored long ago.".into())
                },
                en()
            ),
            "Not sent: Stored long ago."
        );
    }

    #[test]
    fn problems_and_notices_read_in_the_agents_language() {
        use crate::net::api::Error;
        let refused = Error::Gws {
            code: gws_protocol::StatusCode::Forbidden,
            message: String::new(),
        };
        let failed = Problem::ActionFailed {
            action: Action::Complete,
            error: refused.clone(),
        };
        assert_eq!(
            problem_text(&failed, en()),
            "Ending the session failed. Not allowed."
        );
        let german = crate::i18n::Locale::De.texts();
        assert_eq!(
            problem_text(&failed, german),
            "Beenden der Sitzung fehlgeschlagen. Nicht erlaubt."
        );
        assert_eq!(
            problem_text(&Problem::RefreshFailed(Error::Unauthenticated), en()),
            "Could not refresh the sessions. You are signed out. Sign in again to continue."
        );
        let calling = Notice::Calling {
            party: Some("3002".into()),
        };
        assert_eq!(
            notice_parts(&calling, en()),
            ("Calling ".into(), Some("3002".into()), "…".into())
        );
        let arabic = crate::i18n::Locale::Ar.texts();
        assert_eq!(
            notice_parts(&calling, arabic),
            ("جارٍ الاتصال بـ ".into(), Some("3002".into()), "…".into())
        );
        assert_eq!(
            notice_parts(&Notice::Alerting { party: None }, en()),
            ("The other party wants to talk".into(), None, String::new())
        );
        assert_eq!(notice_parts(&Notice::Ended, en()).0, "Session ended");
    }

    #[test]
    fn snippets_are_one_line_and_short() {
        assert_eq!(snippet("  Hello\n\nthere\tyou  ", 200), "Hello there you");
        assert_eq!(snippet("", 5), "");
        assert_eq!(snippet("abcdef", 6), "abcdef");
        assert_eq!(snippet("abc defgh", 5), "abc d…");
        assert_eq!(
            snippet("abcd efgh", 5),
            "abcd…",
            "no space before the ellipsis"
        );
        assert_eq!(snippet("ääääää", 3), "äää…", "characters, not bytes");
        let huge = "lorem ipsum ".repeat(90_000);
        assert_eq!(snippet(&huge, 200).chars().count(), 201);
    }

    #[test]
    fn nested_values_are_read_only_compact_json() {
        assert!(is_editable(&json!("x")));
        assert!(is_editable(&json!(3)));
        assert!(is_editable(&json!(false)));
        assert!(!is_editable(&json!({"a": 1})));
        assert!(!is_editable(&json!([1, 2])));
        assert!(!is_editable(&Value::Null));
        assert_eq!(value_text(&json!("<b>literal</b>")), "<b>literal</b>");
        assert_eq!(value_text(&json!({"a": [1, "b"]})), r#"{"a":[1,"b"]}"#);
        assert_eq!(value_text(&json!(2.5)), "2.5");
    }

    #[test]
    fn typed_values_keep_their_kind_when_the_text_allows() {
        assert_eq!(typed_value(&json!(1), " 42 "), json!(42));
        assert_eq!(typed_value(&json!(1), "-2.5"), json!(-2.5));
        assert_eq!(typed_value(&json!(1), "forty"), json!("forty"));
        assert_eq!(typed_value(&json!(1), "NaN"), json!("NaN"));
        assert_eq!(typed_value(&json!(1), "1e400"), json!("1e400"));
        assert_eq!(typed_value(&json!(1), "0x10"), json!("0x10"));
        assert_eq!(typed_value(&json!(true), "FALSE"), json!(false));
        assert_eq!(typed_value(&json!(false), "true"), json!(true));
        assert_eq!(typed_value(&json!(false), "yes"), json!("yes"));
        assert_eq!(typed_value(&json!("7"), "8"), json!("8"));
        assert_eq!(typed_value(&json!("a"), " spaced "), json!(" spaced "));
    }
}
