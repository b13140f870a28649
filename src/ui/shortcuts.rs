//! The widget's keyboard shortcuts, handled on its root element (never the host document, so two
//! widgets or the host page are not affected), and the "Keyboard shortcuts" help panel.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

use crate::runtime::WidgetContext;
use crate::state::Event;
use crate::ui::context::NarrowView;
use crate::ui::dialog::{Dialog, Dialogs};
use crate::ui::focus::{focus_later, ANY_ROW, COMPOSER, SEARCH, SELECTED_ROW};
use crate::ui::session_filter::ListView;
use crate::workflow::{next_unread, shortcuts, step_selection};

/// What a keydown bubbling to the widget's root asks for.
enum Shortcut {
    Step { forward: bool },
    NextUnread,
    LeaveComposer,
}

fn shortcut(event: &leptos::ev::KeyboardEvent) -> Option<Shortcut> {
    let plain_alt = event.alt_key() && !event.ctrl_key() && !event.meta_key() && !event.shift_key();
    match event.key().as_str() {
        "ArrowDown" if plain_alt => Some(Shortcut::Step { forward: true }),
        "ArrowUp" if plain_alt => Some(Shortcut::Step { forward: false }),
        // By code: on some layouts Alt+U types a dead key, not "u".
        _ if plain_alt && event.code() == "KeyU" => Some(Shortcut::NextUnread),
        "Escape" if !event.alt_key() && !event.ctrl_key() && !event.meta_key() => {
            Some(Shortcut::LeaveComposer)
        }
        _ => None,
    }
}

/// The root's keydown handler.
pub fn on_widget_keydown(
    ctx: WidgetContext,
    list: ListView,
    dialogs: Dialogs,
    narrow: NarrowView,
) -> impl Fn(leptos::ev::KeyboardEvent) + 'static {
    move |event| {
        if untrack(|| dialogs.is_open()) || event.default_prevented() {
            return;
        }
        let Some(action) = shortcut(&event) else {
            return;
        };
        let target = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let in_composer = target
            .as_ref()
            .is_some_and(|t| t.closest(".imw-composer").ok().flatten().is_some());
        let root = event
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let selected = ctx.model.with_untracked(|m| m.selected.clone());
        let choice = match action {
            Shortcut::Step { forward } => list
                .visible
                .with_untracked(|visible| step_selection(visible, selected.as_deref(), forward)),
            Shortcut::NextUnread => {
                let visible = list.visible.get_untracked();
                let unread: Vec<(String, u32)> = ctx.model.with_untracked(|m| {
                    visible
                        .into_iter()
                        .map(|id| {
                            let unread = m.session(&id).map_or(0, |s| s.unread);
                            (id, unread)
                        })
                        .collect()
                });
                next_unread(&unread, selected.as_deref())
            }
            Shortcut::LeaveComposer => {
                if !in_composer {
                    return;
                }
                event.prevent_default();
                // Narrow, the list is hidden behind the chat: show it first.
                narrow.leave_chat();
                focus_later(root, &[SELECTED_ROW, ANY_ROW, SEARCH]);
                return;
            }
        };
        event.prevent_default();
        if let Some(id) = choice {
            if selected.as_deref() != Some(id.as_str()) {
                ctx.dispatch.run(Event::Select(id));
            }
            // Typing carries on in the next session's composer; from elsewhere the row takes focus.
            let targets: &'static [&'static str] = if in_composer {
                &[COMPOSER, SELECTED_ROW]
            } else {
                &[SELECTED_ROW]
            };
            focus_later(root, targets);
        }
    }
}

/// The help panel: every shortcut and what it does.
#[component]
pub fn ShortcutsDialog() -> impl IntoView {
    let dialogs = expect_context::<Dialogs>();
    let t = expect_context::<crate::i18n::I18n>().texts;
    let rows = shortcuts(t)
        .into_iter()
        .map(|(keys, what)| {
            view! {
                <div class="imw-shortcuts__row">
                    <dt class="imw-shortcuts__keys">
                        <kbd dir="ltr">{keys}</kbd>
                    </dt>
                    <dd class="imw-shortcuts__what">{what}</dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <Dialog title=t.shortcuts.to_owned()>
            <dl class="imw-shortcuts">{rows}</dl>
            <div class="imw-dialog__actions">
                <button
                    type="button"
                    class="imw-button"
                    data-imw-autofocus="true"
                    on:click=move |_| dialogs.close()
                >
                    {t.close}
                </button>
            </div>
        </Dialog>
    }
}
