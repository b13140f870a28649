//! Dismissing completed sessions, and their staying gone.

use super::*;

#[test]
fn only_completed_sessions_can_be_dismissed_and_storage_forgets_them() {
    let mut model = model_with(vec![talking("a")]);
    reduce(&mut model, Event::Select("a".into()));
    assert!(reduce(
        &mut model,
        Event::Dismiss {
            session: "a".into()
        }
    )
    .is_empty());
    reduce(
        &mut model,
        status_change(session("a", ImSessionState::Completed, &[])),
    );
    assert_eq!(
        reduce(
            &mut model,
            Event::Dismiss {
                session: "a".into()
            }
        ),
        [Command::Forget {
            session: "a".into()
        }]
    );
    assert!(model.sessions.is_empty());
    assert_eq!(model.selected, None);
}

#[test]
fn a_dismissed_session_stays_gone_when_the_list_is_read_again() {
    let done = || session("a", ImSessionState::Completed, &[]);
    let mut model = model_with(vec![done(), talking("b")]);
    reduce(
        &mut model,
        Event::Dismiss {
            session: "a".into(),
        },
    );
    // A re-read (after a 402, a restart, a long outage) still lists the completed session.
    for at in [20.0, 30.0] {
        reduce(
            &mut model,
            Event::SessionsLoaded {
                sessions: vec![done(), talking("b")],
                at,
            },
        );
        assert!(model.session("a").is_none(), "dismissed stays dismissed");
        assert!(model.session("b").is_some());
    }
    // The server no longer lists it, and then a late notification names it: still gone (the id
    // stays remembered, within DISMISSED_KEPT, whatever the list says).
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("b")],
            at: 40.0,
        },
    );
    reduce(&mut model, status_change(done()));
    assert!(
        model.session("a").is_none(),
        "a late notification does not bring it back"
    );
    assert!(model.was_dismissed("a"));
}

#[test]
fn sessions_dismissed_before_a_reload_stay_gone_when_the_server_still_lists_them() {
    let done = || session("a", ImSessionState::Completed, &[]);
    let mut before = model_with(vec![done(), talking("b")]);
    reduce(
        &mut before,
        Event::Dismiss {
            session: "a".into(),
        },
    );
    // What storage keeps of it (`…:gone`) comes back with the reload.
    let gone: Vec<String> = before.dismissed.iter().cloned().collect();
    assert_eq!(gone, ["a"]);
    let mut model = Model::default();
    reduce(
        &mut model,
        Event::Restored {
            sessions: Vec::new(),
            live_until: None,
            dismissed: gone.clone(),
        },
    );
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![done(), talking("b")],
            at: 50.0,
        },
    );
    assert!(
        model.session("a").is_none(),
        "still dismissed after the reload"
    );
    assert!(model.session("b").is_some());
    // Restored twice (another tab's agent, a reboot): remembered once.
    reduce(
        &mut model,
        Event::Restored {
            sessions: Vec::new(),
            live_until: None,
            dismissed: gone,
        },
    );
    assert_eq!(model.dismissed.len(), 1);
}

#[test]
fn the_dismissed_ids_a_model_keeps_are_bounded() {
    let limit = crate::state::DISMISSED_KEPT;
    let ids: Vec<String> = (0..limit + 20).map(|n| format!("s{n}")).collect();
    let done = |id: &str| session(id, ImSessionState::Completed, &[]);
    let mut model = model_with(ids.iter().map(|id| done(id)).collect());
    for id in &ids {
        reduce(
            &mut model,
            Event::Dismiss {
                session: id.clone(),
            },
        );
    }
    assert_eq!(model.dismissed.len(), limit);
    assert_eq!(
        model.dismissed.front(),
        Some(&ids[20]),
        "the oldest went first"
    );
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: ids.iter().map(|id| done(id)).collect(),
            at: 20.0,
        },
    );
    assert_eq!(
        model.sessions.len(),
        20,
        "only the forgotten oldest come back"
    );
}
