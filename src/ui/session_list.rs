//! The agent's sessions, or what stands in for them while loading, on error or when empty.

use leptos::prelude::*;

use crate::runtime::WidgetContext;
use crate::state::ListLoad;
use crate::ui::session_filter::{ListView, SessionFilterBar};
use crate::ui::session_row::SessionRow;

#[component]
pub fn SessionList() -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let load = Memo::new(move |_| ctx.model.with(|m| m.load.clone()));
    let list = expect_context::<ListView>();
    let ids = list.visible;
    let any = Memo::new(move |_| ctx.model.with(|m| !m.sessions.is_empty()));
    // Its own memo: the list is rebuilt (losing its scroll position) only when it empties or fills.
    let none_shown = Memo::new(move |_| ids.with(Vec::is_empty));
    let rows = move || match (load.get(), any.get(), none_shown.get()) {
        (ListLoad::Loading, false, _) => view! {
            <p class="imw-list__status" role="status">
                "Loading IM sessions…"
            </p>
        }
        .into_any(),
        (ListLoad::Failed(reason), false, _) => view! {
            <p class="imw-list__status imw-list__status--error" role="alert">
                "Could not load IM sessions. "
                {reason}
            </p>
        }
        .into_any(),
        (_, false, _) => view! {
            <p class="imw-list__status" role="status">
                "No IM sessions"
            </p>
        }
        .into_any(),
        (_, true, true) => view! {
            <p class="imw-list__status" role="status">
                "No sessions match"
            </p>
        }
        .into_any(),
        (_, true, false) => view! {
            <ul class="imw-list" aria-label="Sessions">
                <For each=move || ids.get() key=String::clone let:id>
                    <li class="imw-list__row">
                        <SessionRow id=id />
                    </li>
                </For>
            </ul>
        }
        .into_any(),
    };
    view! {
        <SessionFilterBar />
        {rows}
    }
}
