//! The agent's sessions, or what stands in for them while loading, on error or when empty.

use leptos::prelude::*;

use crate::runtime::WidgetContext;
use crate::state::ListLoad;
use crate::ui::session_row::SessionRow;

#[component]
pub fn SessionList() -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let load = Memo::new(move |_| ctx.model.with(|m| m.load.clone()));
    let ids = Memo::new(move |_| {
        ctx.model
            .with(|m| m.sessions.iter().map(|s| s.id.clone()).collect::<Vec<_>>())
    });
    move || match (load.get(), ids.with(Vec::is_empty)) {
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
                <For each=move || ids.get() key=String::clone let:id>
                    <li class="imw-list__row">
                        <SessionRow id=id />
                    </li>
                </For>
            </ul>
        }
        .into_any(),
    }
}
