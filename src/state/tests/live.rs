//! The live channel: ups and downs, gaps, hand-over between tabs.

use super::*;

#[test]
fn an_interruption_that_resumes_the_same_cometd_session_marks_no_gap() {
    let mut model = model_with(vec![talking("a")]);
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 11.0,
            fresh: true,
        }),
    );
    reduce(&mut model, Event::Live(LiveEvent::Interrupted { at: 20.0 }));
    assert_eq!(model.connection, Connection::Reconnecting { since: 20.0 });
    let commands = reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 25.0,
            fresh: false,
        }),
    );
    assert!(commands.is_empty());
    assert_eq!(model.connection, Connection::Connected);
    assert!(!view(&model, "a")
        .transcript
        .iter()
        .any(|l| matches!(l.kind, LineKind::Gap { .. })));
}

#[test]
fn a_lost_cometd_session_marks_a_gap_in_open_sessions_and_rereads_the_list() {
    let mut model = model_with(vec![
        talking("a"),
        session("done", ImSessionState::Completed, &[]),
    ]);
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 11.0,
            fresh: true,
        }),
    );
    reduce(&mut model, Event::Live(LiveEvent::Interrupted { at: 20.0 }));
    reduce(&mut model, Event::Live(LiveEvent::Offline { at: 40.0 }));
    assert_eq!(model.connection, Connection::Offline { since: 20.0 });
    let commands = reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 60.0,
            fresh: true,
        }),
    );
    assert_eq!(commands, [Command::LoadSessions]);
    let gap = view(&model, "a")
        .transcript
        .last()
        .cloned()
        .expect("a gap line");
    assert_eq!(
        gap,
        Line {
            at: 20.0,
            text: String::new(),
            kind: LineKind::Gap { until: 60.0 }
        }
    );
    assert!(!view(&model, "done")
        .transcript
        .iter()
        .any(|l| matches!(l.kind, LineKind::Gap { .. })));
}

#[test]
fn the_first_cometd_session_of_a_fresh_page_marks_no_gap_but_rereads_the_list() {
    let mut model = model_with(vec![talking("a")]);
    let commands = reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 11.0,
            fresh: true,
        }),
    );
    assert_eq!(
        commands,
        [Command::LoadSessions],
        "what changed before the subscribe is not missed"
    );
    assert!(view(&model, "a")
        .transcript
        .iter()
        .all(|l| !matches!(l.kind, LineKind::Gap { .. })));
}

#[test]
fn a_reload_restores_transcripts_and_marks_the_time_the_page_was_closed_as_a_gap() {
    let kept = StoredSession {
        id: "a".into(),
        session: talking("a"),
        started_at: 1.0,
        transcript: vec![Line {
            at: 2.0,
            text: "before the reload".into(),
            kind: LineKind::Incoming,
        }],
        draft: "unsent".into(),
    };
    let mut model = Model::default();
    reduce(
        &mut model,
        Event::Restored {
            sessions: vec![kept],
            live_until: Some(5.0),
            dismissed: Vec::new(),
        },
    );
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("a")],
            at: 9.0,
        },
    );
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 10.0,
            fresh: true,
        }),
    );
    let a = view(&model, "a");
    assert_eq!(model.sessions.len(), 1);
    assert_eq!(a.started_at, 1.0);
    assert_eq!(a.draft, "unsent");
    assert_eq!(texts(a, incoming), ["before the reload"]);
    assert!(a
        .transcript
        .iter()
        .any(|l| l.kind == LineKind::Gap { until: 10.0 } && l.at == 5.0));
}

#[test]
fn restoring_after_the_list_keeps_the_newer_lines_after_the_stored_ones() {
    let mut model = model_with(vec![talking("a")]);
    reduce(&mut model, new_message("a", "new", 20.0));
    let kept = StoredSession {
        id: "a".into(),
        session: talking("a"),
        started_at: 1.0,
        transcript: vec![Line {
            at: 2.0,
            text: "old".into(),
            kind: LineKind::Incoming,
        }],
        draft: String::new(),
    };
    reduce(
        &mut model,
        Event::Restored {
            sessions: vec![kept],
            live_until: None,
            dismissed: Vec::new(),
        },
    );
    assert_eq!(texts(view(&model, "a"), incoming), ["old", "new"]);
}

#[test]
fn a_gap_begins_when_the_last_answered_connect_left_not_when_the_loss_was_noticed() {
    // A message published after the server answered the connect that left at 100, and before the
    // 402 (or a failure) reached this client at 130, is lost: the gap must cover it.
    let mut model = model_with(vec![talking("a"), talking("b")]);
    reduce(&mut model, Event::Live(LiveEvent::Round { started: 100.0 }));
    reduce(
        &mut model,
        Event::Live(LiveEvent::Interrupted { at: 130.0 }),
    );
    reduce(&mut model, Event::Live(LiveEvent::Offline { at: 140.0 }));
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 200.0,
            fresh: true,
        }),
    );
    for id in ["a", "b"] {
        let gaps: Vec<_> = view(&model, id)
            .transcript
            .iter()
            .filter(|l| matches!(l.kind, LineKind::Gap { .. }))
            .map(|l| (l.at, l.kind.clone()))
            .collect();
        assert_eq!(gaps, vec![(100.0, LineKind::Gap { until: 200.0 })], "{id}");
    }
    // Without a round yet, the gap begins when the loss was noticed.
    let mut model = model_with(vec![talking("a")]);
    reduce(
        &mut model,
        Event::Live(LiveEvent::Interrupted { at: 130.0 }),
    );
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 200.0,
            fresh: true,
        }),
    );
    assert!(view(&model, "a")
        .transcript
        .iter()
        .any(|l| l.kind == LineKind::Gap { until: 200.0 } && l.at == 130.0));
}

#[test]
fn a_session_first_seen_in_the_re_read_after_a_gap_is_marked_too() {
    // It rang while the client was lost: its opening lines may be gone, so it says so as well.
    let mut model = model_with(vec![talking("a")]);
    reduce(
        &mut model,
        Event::Live(LiveEvent::Interrupted { at: 100.0 }),
    );
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            at: 200.0,
            fresh: true,
        }),
    );
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("a"), talking("new")],
            at: 210.0,
        },
    );
    for id in ["a", "new"] {
        assert!(
            view(&model, id)
                .transcript
                .iter()
                .any(|l| l.kind == LineKind::Gap { until: 200.0 } && l.at == 100.0),
            "{id}"
        );
    }
    // A session that first shows up later, with the channel live, has no gap.
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("a"), talking("new"), talking("later")],
            at: 300.0,
        },
    );
    assert!(view(&model, "later")
        .transcript
        .iter()
        .all(|l| !matches!(l.kind, LineKind::Gap { .. })));
}
