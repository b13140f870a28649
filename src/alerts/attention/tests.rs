use super::*;

use crate::state::Line;
use gws_protocol::ImSession;

fn view(id: &str, state: ImSessionState, incoming: usize) -> SessionView {
    let session = ImSession {
        state,
        ..ImSession::default()
    };
    SessionView {
        session,
        id: id.to_owned(),
        started_at: 0.0,
        transcript: (0..incoming)
            .map(|n| Line {
                at: n as f64,
                text: format!("m{n}"),
                kind: LineKind::Incoming,
            })
            .collect(),
        incoming,
        outbox: 0,
        unread: 0,
        draft: String::new(),
        action_error: None,
        busy: None,
    }
}

fn model(sessions: Vec<SessionView>, selected: Option<&str>) -> Model {
    let mut model = Model::with_sessions(sessions);
    model.selected = selected.map(str::to_owned);
    model.take_touched();
    model
}

/// The news of changing `model` to show `sessions` (each changed in place, or added).
fn news_of(model: &mut Model, sessions: Vec<SessionView>) -> News {
    for view in sessions {
        match model.session_mut(&view.id) {
            Some(old) => *old = view,
            None => model.push_session(view),
        }
    }
    let touched = model.take_touched();
    News::of(&touched, model)
}

#[test]
fn a_new_ringing_session_and_a_new_incoming_message_are_news() {
    let mut shown = model(vec![view("a", ImSessionState::Talking, 1)], None);
    let after = vec![
        view("a", ImSessionState::Talking, 2),
        view("b", ImSessionState::Alerting, 0),
        view("c", ImSessionState::Talking, 0),
    ];
    let news = news_of(&mut shown, after.clone());
    assert_eq!(news.ringing, vec!["b".to_owned()]);
    assert_eq!(news.incoming, vec!["a".to_owned()]);
    assert!(
        news_of(&mut shown, after).is_empty(),
        "the same again is no news"
    );
    assert!(
        News::of(&shown.take_touched(), &shown).is_empty(),
        "nothing touched"
    );
}

#[test]
fn a_session_that_starts_ringing_again_is_news_but_staying_alerting_is_not() {
    let mut shown = model(vec![view("a", ImSessionState::Talking, 0)], None);
    let alerting = vec![view("a", ImSessionState::Alerting, 0)];
    let news = news_of(&mut shown, alerting.clone());
    assert_eq!(news.ringing, vec!["a".to_owned()]);
    assert!(news_of(&mut shown, alerting).is_empty());
}

#[test]
fn fresh_marks_stay_until_the_session_is_opened_or_gone() {
    let mut attention = Attention::default();
    let news = News {
        ringing: vec!["b".into()],
        incoming: vec!["a".into()],
    };
    let nothing = Touched::default();
    let shown = model(
        vec![
            view("a", ImSessionState::Talking, 1),
            view("b", ImSessionState::Alerting, 0),
            view("gone", ImSessionState::Completed, 1),
        ],
        Some("a"),
    );
    // Each call says whether it changed anything: the runtime notifies only then.
    let absorb = |attention: &mut Attention, news: News, touched: &Touched, model: &Model| {
        let before = attention.clone();
        let changed = attention.absorb(news, touched, model);
        assert_eq!(
            changed,
            *attention != before,
            "absorb reports exactly whether it changed"
        );
        changed
    };
    assert!(absorb(&mut attention, news, &nothing, &shown));
    assert!(!attention.is_fresh("a"), "the open session is in view");
    assert!(attention.is_fresh("b"));
    assert_eq!(attention.pending.len(), 1);
    assert!(!absorb(&mut attention, News::default(), &nothing, &shown));
    assert_eq!(attention.pending.len(), 1, "no news, nothing queued");
    assert!(attention.is_fresh("b"), "stays until opened");
    let mut opened = model(shown.sessions().to_vec(), Some("b"));
    assert!(absorb(&mut attention, News::default(), &nothing, &opened));
    assert!(!attention.is_fresh("b"));
    attention.fresh.insert("gone".into());
    assert!(!absorb(&mut attention, News::default(), &nothing, &opened));
    assert!(attention.is_fresh("gone"), "still listed");
    opened.remove_session(opened.position("gone").unwrap());
    let touched = opened.take_touched();
    assert!(absorb(&mut attention, News::default(), &touched, &opened));
    assert!(!attention.is_fresh("gone"));
}

/// What the runtime keeps between changes, run as `Runtime::dispatch` and the alerts effects
/// run it: the model, the attention (drained as the alerts effect drains it), the ring-again
/// record and the host's events.
#[derive(Default)]
struct Shift {
    model: Model,
    attention: Attention,
    last_rung: Vec<(String, Millis)>,
    host_events: usize,
}

impl Shift {
    fn dispatch(&mut self, event: crate::state::Event) {
        crate::state::reduce(&mut self.model, event);
        let touched = self.model.take_touched();
        let news = News::of(&touched, &self.model);
        self.attention.absorb(news, &touched, &self.model);
        self.host_events += crate::host_events::events(&touched, &self.model, false).len();
        self.attention.pending.clear();
    }

    fn notify(&mut self, value: serde_json::Value, at: Millis) {
        let notification = serde_json::from_value(value).unwrap();
        self.dispatch(crate::state::Event::Live(
            crate::state::LiveEvent::Notification { notification, at },
        ));
    }

    fn state(&mut self, id: &str, state: &str, at: Millis) {
        let session = serde_json::json!({
            "id": id, "state": state,
            "participants": [{"digits": id, "formattedPhoneNumber": id}],
            "capabilities": ["SendMessage", "Complete"],
        });
        self.notify(
            serde_json::json!({"messageType": "IMSessionStateChangeMessage", "notificationType": "StatusChange", "imSession": session}),
            at,
        );
    }

    fn message(&mut self, id: &str, text: &str, at: Millis) {
        self.notify(
            serde_json::json!({"messageType": "IMLogUpdateMessage", "notificationType": "NewMessage", "imSessionPath": format!("/im-sessions/{id}"), "message": text}),
            at,
        );
    }

    /// `count` sessions as the shift benchmark runs them, ten at a time: they ring, get two
    /// messages, are opened, ended by the other side and dismissed by the agent.
    fn run(&mut self, first: usize, count: usize) {
        use crate::state::Event;
        for batch in (first..first + count).step_by(10) {
            let ids: Vec<String> = (batch..batch + 10).map(|n| format!("s{n}")).collect();
            let at = batch as f64 * 1000.0;
            for id in &ids {
                self.state(id, "Alerting", at);
            }
            let alerting: Vec<String> = ids.clone();
            due_rings(&alerting, &mut self.last_rung, at, 30_000.0);
            for id in &ids {
                self.state(id, "Talking", at + 1.0);
                self.message(id, "Hello, here", at + 2.0);
                self.message(id, "Thanks, bye", at + 3.0);
            }
            for id in &ids {
                self.dispatch(Event::Select(id.clone()));
                self.dispatch(Event::DraftChanged {
                    session: id.clone(),
                    text: "half".into(),
                });
                self.state(id, "Completed", at + 4.0);
                self.dispatch(Event::Dismiss {
                    session: id.clone(),
                });
            }
            due_rings(&[], &mut self.last_rung, at + 5.0, 30_000.0);
        }
    }

    /// Every collection the runtime keeps across sessions, by length.
    fn sizes(&self) -> Vec<(&'static str, usize)> {
        vec![
            ("sessions", self.model.sessions().len()),
            ("index", self.model.index.0.len()),
            ("selected", usize::from(self.model.selected.is_some())),
            ("fresh", self.attention.fresh.len()),
            ("pending", self.attention.pending.len()),
            ("last_rung", self.last_rung.len()),
            ("dismissed", self.model.dismissed.len()),
        ]
    }
}

#[test]
fn a_shift_of_dismissed_sessions_leaves_nothing_behind() {
    use crate::state::DISMISSED_KEPT;
    let mut shift = Shift::default();
    shift.run(0, 1_500);
    let after_1500 = shift.sizes();
    let events_1500 = shift.host_events;
    shift.run(1_500, 2_500);
    assert_eq!(shift.sizes(), after_1500, "kept per dismissed session");
    assert!(
        after_1500
            .iter()
            .all(|(what, n)| *n == 0 || (*what == "dismissed" && *n == DISMISSED_KEPT)),
        "only the newest dismissed ids are left once every session is dismissed: {after_1500:?}"
    );
    assert!(shift.model.was_dismissed("s3999"));
    assert!(
        !shift.model.was_dismissed("s2999"),
        "the oldest are forgotten"
    );
    // The sessions did go through the model: each told the host of its ring, messages and end.
    assert!(events_1500 >= 1_500 * 4, "{events_1500} host events");
    assert!(shift.host_events >= 4_000 * 4);
}

#[test]
fn a_dismissed_session_does_not_come_back() {
    use crate::state::Event;
    let mut shift = Shift::default();
    shift.run(0, 10);
    let completed: ImSession = serde_json::from_value(serde_json::json!({
        "id": "s3", "state": "Completed", "participants": [{"digits": "s3"}],
    }))
    .unwrap();
    // The server still lists it (GWS and gws-sim keep completed sessions).
    shift.dispatch(Event::SessionsLoaded {
        sessions: vec![completed],
        at: 1e6,
    });
    assert!(shift.model.session("s3").is_none(), "back from the list");
    // A late state change (case data changed after the end, a repeated Completed).
    shift.state("s4", "Completed", 1e6);
    assert!(
        shift.model.session("s4").is_none(),
        "back from a late notification"
    );
    // Storage: a page that saved it before the dismissal reloads it.
    let view = view("s5", ImSessionState::Completed, 2);
    shift.dispatch(Event::Restored {
        sessions: vec![crate::state::StoredSession::from_view(&view)],
        live_until: None,
        dismissed: Vec::new(),
    });
    assert!(shift.model.session("s5").is_none(), "back from storage");
}

#[test]
fn counts_are_capped_at_nine_plus() {
    assert_eq!(capped(3), "3");
    assert_eq!(capped(9), "9");
    assert_eq!(capped(10), "9+");
    let plain = &crate::i18n::format::ascii_digits;
    assert_eq!(unread_badge(0, Locale::En, plain), None);
    assert_eq!(
        unread_badge(4, Locale::En, plain).as_deref(),
        Some("4 unread")
    );
    assert_eq!(
        unread_badge(12, Locale::En, plain).as_deref(),
        Some("9+ unread")
    );
    assert_eq!(
        unread_badge(1, Locale::De, plain).as_deref(),
        Some("1 neue Nachricht")
    );
    let arabic_indic = |n: u64| {
        n.to_string()
            .chars()
            .filter_map(|c| c.to_digit(10))
            .filter_map(|d| char::from_u32(0x0660 + d))
            .collect::<String>()
    };
    assert_eq!(
        unread_badge(12, Locale::Ar, &arabic_indic).as_deref(),
        Some("غير مقروءة: ٩+")
    );
    assert_eq!(title_with_unread("Desk", 0), "Desk");
    assert_eq!(title_with_unread("Desk", 3), "(3) Desk");
    assert_eq!(title_with_unread("Desk", 10), "(9+) Desk");
}

#[test]
fn the_wait_escalates_at_the_thresholds() {
    assert_eq!(WaitLevel::after(29_999.0, 30, 60), WaitLevel::Normal);
    assert_eq!(WaitLevel::after(30_000.0, 30, 60), WaitLevel::Warning);
    assert_eq!(WaitLevel::after(60_000.0, 30, 60), WaitLevel::Urgent);
    assert_eq!(WaitLevel::after(f64::NAN, 30, 60), WaitLevel::Normal);
    let (en, plain) = (Locale::En.texts(), &crate::i18n::format::ascii_digits);
    assert_eq!(
        waiting_text(45_500.0, WaitLevel::Normal, en, plain),
        ("Waiting 45 s".to_owned(), "")
    );
    assert_eq!(
        waiting_text(65_000.0, WaitLevel::Urgent, en, plain),
        ("Waiting 1 min 5 s".to_owned(), ", urgent")
    );
    assert_eq!(
        waiting_text(65_000.0, WaitLevel::Warning, Locale::De.texts(), plain),
        ("Wartet 1 Min. 5 s".to_owned(), ", Warnung")
    );
    assert_eq!(duration_text(120_000.0, en, plain), "2 min");
    assert_eq!(duration_text(3_725_000.0, en, plain), "1 h 2 min");
    assert_eq!(duration_text(-5.0, en, plain), "0 s");
    assert_eq!(duration_text(45_000.0, Locale::Ar.texts(), plain), "45 ث");
}

#[test]
fn only_an_unanswered_message_starts_the_wait() {
    let mut talking = view("a", ImSessionState::Talking, 2);
    assert_eq!(waiting_since(&talking), Some(1.0));
    talking.transcript.push(Line {
        at: 5.0,
        text: "ok".into(),
        kind: LineKind::Outgoing {
            local_id: 1,
            delivery: crate::state::Delivery::Sent,
            echoed: false,
        },
    });
    assert_eq!(waiting_since(&talking), None);
    assert_eq!(
        waiting_since(&view("b", ImSessionState::Completed, 1)),
        None
    );
}

#[test]
fn a_still_ringing_session_rings_again_each_interval() {
    let mut last = Vec::new();
    let ringing = vec!["a".to_owned()];
    assert!(due_rings(&ringing, &mut last, 0.0, 10_000.0).is_empty());
    assert!(due_rings(&ringing, &mut last, 9_999.0, 10_000.0).is_empty());
    assert_eq!(due_rings(&ringing, &mut last, 10_000.0, 10_000.0), ringing);
    assert!(due_rings(&ringing, &mut last, 15_000.0, 10_000.0).is_empty());
    assert!(due_rings(&[], &mut last, 16_000.0, 10_000.0).is_empty());
    assert!(
        last.is_empty(),
        "a session that stopped ringing is forgotten"
    );
}

fn line(at: f64, text: &str, kind: LineKind) -> Line {
    Line {
        at,
        text: text.to_owned(),
        kind,
    }
}

#[test]
fn only_incoming_lines_after_those_seen_are_new() {
    let mut seen = 0;
    let mut lines = vec![
        line(1.0, "history", LineKind::Incoming),
        line(2.0, "talking", LineKind::System),
    ];
    assert_eq!(unseen_incoming(&lines, 0, &mut seen), ["history"]);
    lines.push(line(3.0, "news", LineKind::Incoming));
    lines.push(line(4.0, "system news", LineKind::System));
    lines.push(line(5.0, "more news", LineKind::Incoming));
    assert_eq!(unseen_incoming(&lines, 0, &mut seen), ["news", "more news"]);
    assert!(
        unseen_incoming(&lines, 0, &mut seen).is_empty(),
        "each line once"
    );
}
