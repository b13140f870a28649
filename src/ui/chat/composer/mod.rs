//! Where the agent writes: the session's draft, sent with Enter (Shift+Enter for a new line), with
//! canned responses from a picker (`/` at the start of an empty draft, or its button).

use leptos::html;
use leptos::prelude::*;

use crate::runtime::WidgetContext;
use crate::state::{Action, Event};
use crate::ui::action_button::ActionButton;
use canned_list::CannedList;
use use_canned_picker::{use_canned_picker, UseCannedPickerOptions, UseCannedPickerReturn};

mod canned_list;
mod use_canned_picker;

#[component]
pub fn Composer(
    /// The session's id.
    id: String,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = expect_context::<crate::i18n::I18n>().texts;
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
    let UseCannedPickerReturn {
        picker,
        options,
        choose,
        on_key,
        toggle,
        listbox_id,
        active_option,
    } = use_canned_picker(UseCannedPickerOptions {
        session: id.clone(),
        draft,
        textarea,
    });
    let on_keydown = {
        let send = send.clone();
        move |event: leptos::ev::KeyboardEvent| {
            if on_key.run(event.clone()) {
                return;
            }
            if event.key() == "Enter" && !event.shift_key() && !event.is_composing() {
                event.prevent_default();
                send();
            }
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
                on:click=move |_| toggle.run(())
            >
                {t.canned_responses}
            </button>
            <div class="imw-composer__picker">
                <CannedList picker=picker options=options on_choose=choose />
            </div>
        </div>
    }
}
