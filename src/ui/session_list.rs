use gws_protocol::{ImSession, ImSessionState};
use leptos::prelude::*;

use crate::state::{ListLoad, Model};

/// The agent's sessions, or what stands in for them while loading, on error or when empty.
#[component]
pub fn SessionList(
    /// The widget's model.
    model: ReadSignal<Model>,
) -> impl IntoView {
    let load = Memo::new(move |_| model.with(|m| m.load.clone()));
    let sessions = Memo::new(move |_| model.with(|m| m.sessions.clone()));
    move || match (load.get(), sessions.with(Vec::is_empty)) {
        (ListLoad::Loading, true) => view! {
            <p class="imw-list__status" role="status">
                "Loading IM sessions…"
            </p>
        }
        .into_any(),
        (ListLoad::Failed(reason), true) => view! {
            <p class="imw-list__status imw-list__status--error" role="alert">
                "Could not load IM sessions. "
                {reason}
            </p>
        }
        .into_any(),
        (_, true) => view! {
            <p class="imw-list__status" role="status">
                "No IM sessions"
            </p>
        }
        .into_any(),
        (_, false) => view! {
            <ul class="imw-list" aria-label="Sessions">
                <For
                    each=move || sessions.get()
                    key=|session| session.id.clone()
                    children=|session| view! { <SessionRow session=session /> }
                />
            </ul>
        }
        .into_any(),
    }
}

/// One session: who it is with and its state.
#[component]
fn SessionRow(
    /// The session to show.
    session: ImSession,
) -> impl IntoView {
    let party = session
        .participants
        .iter()
        .find_map(|p| p.display_number())
        .unwrap_or("Unknown party")
        .to_owned();
    let (label, modifier) = state_label(&session.state);
    view! {
        <li class="imw-list__row">
            <span class="imw-list__party" dir="ltr">
                {party}
            </span>
            <span class=format!("imw-state imw-state--{modifier}")>{label}</span>
        </li>
    }
}

/// The text and BEM modifier for a state; unknown states get a neutral label.
fn state_label(state: &ImSessionState) -> (&'static str, &'static str) {
    match state {
        ImSessionState::Initiating => ("Calling…", "initiating"),
        ImSessionState::Alerting => ("Ringing", "alerting"),
        ImSessionState::Talking => ("Talking", "talking"),
        ImSessionState::Completed => ("Completed", "completed"),
        ImSessionState::Unknown(_) => ("Unknown state", "unknown"),
    }
}
