//! Where the agent writes: the session's draft, sent with Enter (Shift+Enter for a new line), with
//! canned responses from a picker (`/` at the start of an empty draft, or its button).

use leptos::html;
use leptos::prelude::*;

use crate::runtime::WidgetContext;
use crate::state::{Action, Event};
use crate::ui::action_button::ActionButton;
use crate::ui::canned_picker::{CannedList, CannedPicker};
use crate::workflow::{canned_for, canned_query, fill_placeholders, filter_canned, insert_canned};

#[component]
pub fn Composer(
    /// The session's id.
    id: String,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = expect_context::<crate::i18n::I18n>().texts;
    let canned = StoredValue::new(
        ctx.config
            .with_value(|c| canned_for(&c.canned_responses, t)),
    );
    let draft = {
        let id = id.clone();
        Memo::new(move |_| {
            ctx.drafts.track();
            ctx.with_session(&id, |s| s.map(|s| s.draft.clone()).unwrap_or_default())
        })
    };
    let blocked = {
        let id = id.clone();
        Memo::new(move |_| {
            ctx.with_session(&id, |s| {
                s.and_then(|s| s.why_not(Action::SendMessage))
                    .map(|problem| crate::i18n::format::problem_text(&problem, t))
            })
        })
    };
    let textarea = NodeRef::<html::Textarea>::new();
    // Written only when it differs, so the caret stays where the agent is typing.
    Effect::new(move |_| {
        let draft = draft.get();
        if let Some(textarea) = textarea.get() {
            if textarea.value() != draft {
                textarea.set_value(&draft);
            }
        }
    });
    // The reducer keeps a blank or not-allowed draft (and says why when not allowed).
    let send = {
        let id = id.clone();
        move || {
            if !draft.with_untracked(|d| d.trim().is_empty()) {
                ctx.dispatch.run(Event::SendDraft {
                    session: id.clone(),
                    at: WidgetContext::clock(),
                });
            }
        }
    };
    let on_input = {
        let id = id.clone();
        move |event: leptos::ev::Event| {
            ctx.dispatch.run(Event::DraftChanged {
                session: id.clone(),
                text: event_target_value(&event),
            });
        }
    };
    let picker = CannedPicker::new();
    let options = Memo::new(move |_| {
        if !picker.open.get() {
            return Vec::new();
        }
        let query = draft.with(|d| canned_query(d).to_owned());
        canned.with_value(|list| {
            filter_canned(list, &query)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // Deleting the `/` that opened the picker closes it.
    Effect::new(move |_| {
        if picker.by_slash.get() && !draft.with(|d| d.starts_with('/')) {
            picker.close();
        }
    });
    let choose = {
        let id = id.clone();
        Callback::new(move |index: usize| {
            let Some(option) = options.with_untracked(|o| o.get(index).cloned()) else {
                return;
            };
            let number = ctx.model.with_untracked(|m| {
                m.session(&id)
                    .and_then(|s| s.party_number().map(str::to_owned))
            });
            let name = number.as_deref().and_then(|n| ctx.name_for(n));
            let text = fill_placeholders(&option.text, number.as_deref(), name.as_deref());
            picker.close();
            ctx.dispatch.run(Event::DraftChanged {
                session: id.clone(),
                text: draft.with_untracked(|d| insert_canned(d, &text)),
            });
            if let Some(textarea) = textarea.get_untracked() {
                let _ = textarea.focus();
            }
        })
    };
    let on_keydown = {
        let send = send.clone();
        let id = id.clone();
        move |event: leptos::ev::KeyboardEvent| {
            let plain = !event.alt_key() && !event.ctrl_key() && !event.meta_key();
            if picker.open.get_untracked() && plain {
                let count = options.with_untracked(Vec::len);
                match event.key().as_str() {
                    "ArrowDown" | "ArrowUp" => {
                        event.prevent_default();
                        picker.step(event.key() == "ArrowDown", count);
                        return;
                    }
                    "Enter" if !event.shift_key() && !event.is_composing() => {
                        event.prevent_default();
                        if let Some(index) = untrack(|| picker.active_index(count)) {
                            choose.run(index);
                        } else {
                            picker.close();
                        }
                        return;
                    }
                    "Escape" => {
                        // Closes the picker only; the next Escape leaves the composer.
                        event.prevent_default();
                        event.stop_propagation();
                        picker.close();
                        return;
                    }
                    _ => {}
                }
            }
            if event.key() == "/" && plain && draft.with_untracked(String::is_empty) {
                // Typed here rather than by the browser, so the draft holds the `/` before the picker
                // checks it.
                event.prevent_default();
                ctx.dispatch.run(Event::DraftChanged {
                    session: id.clone(),
                    text: "/".to_owned(),
                });
                picker.show(true);
                return;
            }
            if event.key() == "Enter" && !event.shift_key() && !event.is_composing() {
                event.prevent_default();
                send();
            }
        }
    };
    // Only while the listbox exists: an id pointing at nothing is invalid ARIA.
    let listbox_id =
        move || (picker.open.get() && !options.with(Vec::is_empty)).then(|| picker.id.get_value());
    let active_option = move || {
        if !picker.open.get() {
            return None;
        }
        picker
            .active_index(options.with(Vec::len))
            .map(|index| picker.option_id(index))
    };
    let toggle = move |_| {
        if picker.open.get_untracked() {
            picker.close();
        } else {
            picker.show(false);
        }
        if let Some(textarea) = textarea.get_untracked() {
            let _ = textarea.focus();
        }
    };
    let hint_id = crate::ui::unique_id("composer-hint");

    view! {
        <div class="imw-composer">
            <textarea
                node_ref=textarea
                class="imw-composer__input"
                aria-label=t.message
                aria-describedby=hint_id.clone()
                aria-controls=listbox_id
                aria-activedescendant=active_option
                rows="2"
                on:input=on_input
                on:keydown=on_keydown
            ></textarea>
            <ActionButton
                label=t.send
                blocked=blocked
                on_press=Callback::new(move |()| send())
                class="imw-button--primary imw-composer__send"
            />
            <p id=hint_id class="imw-composer__hint">
                {t.composer_hint}
            </p>
            <button
                type="button"
                class="imw-button imw-button--small imw-composer__canned"
                aria-expanded=move || if picker.open.get() { "true" } else { "false" }
                aria-controls=listbox_id
                on:click=toggle
            >
                {t.canned_responses}
            </button>
            <div class="imw-composer__picker">
                <CannedList picker=picker options=options on_choose=choose />
            </div>
        </div>
    }
}
