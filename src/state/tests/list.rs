//! Reading the session list: loading, reconciling, retrying with backoff, and a reply as of when its request left.

use super::*;

#[test]
fn starts_loading_and_connecting() {
    let model = Model::default();
    assert_eq!(model.load, ListLoad::Loading);
    assert_eq!(model.connection, Connection::Connecting);
}

#[test]
fn a_loaded_list_shows_every_session_in_order() {
    let model = model_with(vec![talking("a"), talking("b")]);
    assert_eq!(model.load, ListLoad::Loaded);
    let ids: Vec<_> = model.sessions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(view(&model, "a").started_at, 10.0);
}

#[test]
fn a_failed_first_load_is_shown_and_a_failed_refresh_keeps_the_list() {
    let mut model = Model::default();
    reduce(&mut model, Event::SessionsFailed(unreachable_server()));
    assert_eq!(
        model.load,
        ListLoad::Failed(Problem::Request(unreachable_server()))
    );

    let mut model = model_with(vec![talking("a")]);
    reduce(&mut model, Event::SessionsFailed(unreachable_server()));
    assert_eq!(model.load, ListLoad::Loaded);
    assert_eq!(model.sessions.len(), 1);
    assert_eq!(
        model.banner,
        Some(Problem::RefreshFailed(unreachable_server()))
    );
    reduce(&mut model, Event::DismissBanner);
    assert_eq!(model.banner, None);
}

#[test]
fn reloading_reconciles_without_duplicates_and_ends_sessions_the_server_no_longer_has() {
    let mut model = model_with(vec![talking("a"), talking("b")]);
    reduce(&mut model, new_message("a", "hello", 20.0));
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("a")],
            at: 30.0,
        },
    );
    assert_eq!(model.sessions.len(), 2, "nothing shown twice");
    assert_eq!(
        texts(view(&model, "a"), incoming),
        ["hello"],
        "transcript kept"
    );
    assert!(view(&model, "b").is_completed());
    assert_eq!(
        texts(view(&model, "b"), system).last().map(String::as_str),
        Some("Session ended")
    );
}

#[test]
fn a_failed_list_is_read_again_with_backoff_until_it_loads() {
    let mut model = Model::default();
    let delays: Vec<_> = (0..7)
        .map(|_| {
            let commands = reduce(&mut model, Event::SessionsFailed(unreachable_server()));
            let again = reduce(&mut model, Event::RetryLoad);
            assert_eq!(again, [Command::LoadSessions]);
            assert_eq!(model.load, ListLoad::Loading, "shows it is trying");
            match commands[..] {
                [Command::RetryLoadLater { delay_ms }] => delay_ms,
                _ => panic!("{commands:?}"),
            }
        })
        .collect();
    assert_eq!(
        delays,
        [2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]
    );
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("a")],
            at: 1.0,
        },
    );
    assert_eq!(model.load, ListLoad::Loaded);
    assert!(
        reduce(&mut model, Event::RetryLoad).is_empty(),
        "a late timer does nothing"
    );
    let commands = reduce(&mut model, Event::SessionsFailed(unreachable_server()));
    assert_eq!(
        commands,
        [Command::RetryLoadLater { delay_ms: 2_000 }],
        "the backoff starts over after a success"
    );
    assert_eq!(
        reduce(&mut model, Event::RetryLoad),
        [Command::LoadSessions]
    );
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("a")],
            at: 2.0,
        },
    );
    assert_eq!(model.banner, None, "a good read clears the refresh problem");
}

#[test]
fn a_list_asked_for_before_a_session_rang_does_not_end_it() {
    let mut model = model_with(vec![talking("old")]);
    // The list request leaves at 50; a session rings at 60; the reply (without it) arrives later.
    reduce(
        &mut model,
        status_change(session("new", ImSessionState::Alerting, &ALL)),
    );
    let new_seen_at = view(&model, "new").started_at;
    assert!(new_seen_at > 50.0, "{new_seen_at}");
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("old")],
            at: 50.0,
        },
    );
    assert_eq!(
        view(&model, "new").session.state,
        ImSessionState::Alerting,
        "newer than the list: not ended by it"
    );
    // A list asked for after it rang, still without it: it has ended.
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("old")],
            at: new_seen_at + 1.0,
        },
    );
    assert!(view(&model, "new").is_completed());
}
