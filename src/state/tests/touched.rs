//! What a change notes as touched: the views of exactly those sessions re-run (nothing missing,
//! nothing extra).

use super::*;

fn touched(model: &mut Model) -> Vec<String> {
    let mut ids: Vec<String> = model.take_touched().ids.into_iter().collect();
    ids.sort();
    ids
}

#[test]
fn a_message_touches_its_session_only() {
    let mut model = model_with(vec![talking("a"), talking("b"), talking("c")]);
    assert_eq!(
        touched(&mut model),
        ["a", "b", "c"],
        "a first list adds all"
    );
    reduce(&mut model, new_message("b", "hello", 20.0));
    assert_eq!(touched(&mut model), ["b"]);
    assert!(touched(&mut model).is_empty(), "taken once");
}

#[test]
fn a_list_touches_what_it_lists_and_what_it_ends_not_what_ended_before() {
    let mut model = model_with(vec![
        talking("a"),
        talking("b"),
        talking("c"),
        session("done", ImSessionState::Completed, &[]),
    ]);
    model.take_touched();
    reduce(
        &mut model,
        Event::SessionsLoaded {
            sessions: vec![talking("a"), talking("c")],
            at: 30.0,
        },
    );
    assert!(view(&model, "b").is_completed());
    assert!(view(&model, "done").is_completed());
    // Listed ones are replaced by the server's copy (touched even when equal); b is ended.
    assert_eq!(touched(&mut model), ["a", "b", "c"]);
}

#[test]
fn a_new_cometd_session_after_a_gap_touches_the_live_sessions_not_the_completed() {
    let mut model = model_with(vec![
        talking("a"),
        session("done", ImSessionState::Completed, &[]),
    ]);
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            fresh: true,
            at: 20.0,
        }),
    );
    reduce(&mut model, Event::Live(LiveEvent::Interrupted { at: 30.0 }));
    model.take_touched();
    reduce(
        &mut model,
        Event::Live(LiveEvent::Up {
            fresh: true,
            at: 40.0,
        }),
    );
    assert_eq!(touched(&mut model), ["a"]);
}
