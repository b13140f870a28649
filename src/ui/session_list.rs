//! The agent's sessions, or what stands in for them while loading, on error or when empty.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

use crate::runtime::WidgetContext;
use crate::state::ListLoad;
use crate::ui::focus::{focus_later, ANY_ROW, SEARCH, SELECTED_ROW};
use crate::ui::session_filter::{ListView, SessionFilterBar};
use crate::ui::session_row::SessionRow;

#[component]
pub fn SessionList() -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = expect_context::<crate::i18n::I18n>().texts;
    let load = Memo::new(move |_| ctx.model.with(|m| m.load.clone()));
    let list = expect_context::<ListView>();
    let ids = list.visible;
    let any = Memo::new(move |_| ctx.model.with(|m| !m.sessions().is_empty()));
    // Its own memo: the list is rebuilt (losing its scroll position) only when it empties or fills.
    let none_shown = Memo::new(move |_| ids.with(Vec::is_empty));
    let rows = move || match (load.get(), any.get(), none_shown.get()) {
        (ListLoad::Loading, false, _) => view! {
            <p class="imw-list__status" role="status">
                {t.loading}
            </p>
        }
        .into_any(),
        (ListLoad::Failed(reason), false, _) => view! {
            <p class="imw-list__status imw-list__status--error" role="alert">
                {crate::i18n::fill(
                    t.load_failed,
                    &[("reason", &crate::i18n::format::problem_text(&reason, t))],
                )}
            </p>
            // It also retries by itself (2 s, 4 s … 30 s); this is for the agent who will not wait.
            <button
                type="button"
                class="imw-button imw-button--small"
                on:click=move |_| ctx.dispatch.run(crate::state::Event::RetryLoad)
            >
                {t.try_again}
            </button>
        }
        .into_any(),
        (_, false, _) => view! {
            <p class="imw-list__status" role="status">
                {t.no_sessions}
            </p>
        }
        .into_any(),
        (_, true, true) => view! {
            <p class="imw-list__status" role="status">
                {t.none_match}
            </p>
        }
        .into_any(),
        (_, true, false) => view! {
            <ul class="imw-list" aria-label=t.sessions>
                <For each=move || ids.get() key=String::clone let:id>
                    <li class="imw-list__row">
                        <SessionRow id=id />
                    </li>
                </For>
            </ul>
        }
        .into_any(),
    };
    // A focused row that vanishes (completed under "Active", dismissed, filtered out) hands focus to
    // the open session's row, else the first row, else the search box, instead of dropping it.
    let last_focused = StoredValue::new_local(None::<web_sys::Element>);
    let root = StoredValue::new_local(None::<web_sys::Element>);
    // Runs a frame later, when the widget may be unmounted already: hence the `try_`s.
    let recover = move || {
        let lost = last_focused
            .try_with_value(|el| el.as_ref().is_some_and(|el| !el.is_connected()))
            .unwrap_or(false);
        let nothing_focused = document()
            .active_element()
            .is_none_or(|active| Some(active) == document().body().map(Into::into));
        if lost && nothing_focused {
            last_focused.try_set_value(None);
            focus_later(
                root.try_get_value().flatten(),
                &[SELECTED_ROW, ANY_ROW, SEARCH],
            );
        }
    };
    Effect::new(move |_| {
        ids.track();
        request_animation_frame(recover);
    });
    let on_focusin = move |event: leptos::ev::FocusEvent| {
        let element = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        if root.with_value(Option::is_none) {
            let found = event
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest(".imw").ok().flatten());
            root.set_value(found);
        }
        last_focused.set_value(element);
    };
    let on_focusout = move |event: leptos::ev::FocusEvent| {
        if event.related_target().is_some() {
            last_focused.set_value(None);
        } else {
            // Focus went nowhere: either the element was removed (recover) or the agent clicked away.
            // A frame later the widget may be gone (unmounted, signed out): hence the `try_`s.
            request_animation_frame(move || {
                recover();
                let clicked_away = last_focused
                    .try_with_value(|el| el.as_ref().is_some_and(|el| el.is_connected()))
                    .unwrap_or(false);
                if clicked_away {
                    last_focused.try_set_value(None);
                }
            });
        }
    };
    view! {
        <div class="imw-list-pane" on:focusin=on_focusin on:focusout=on_focusout>
            <SessionFilterBar />
            {rows}
        </div>
    }
}
