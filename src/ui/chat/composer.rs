//! Where the agent writes: the session's draft, sent with Enter (Shift+Enter for a new line).

use leptos::html;
use leptos::prelude::*;

use crate::runtime::WidgetContext;
use crate::state::{Action, Event};
use crate::ui::action_button::ActionButton;

#[component]
pub fn Composer(
    /// The session's id.
    id: String,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let draft = {
        let id = id.clone();
        Memo::new(move |_| {
            ctx.model
                .with(|m| m.session(&id).map(|s| s.draft.clone()).unwrap_or_default())
        })
    };
    let blocked = {
        let id = id.clone();
        Memo::new(move |_| {
            ctx.model.with(|m| {
                m.session(&id)
                    .and_then(|s| s.why_not(Action::SendMessage))
                    .map(str::to_owned)
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
    let on_keydown = {
        let send = send.clone();
        move |event: leptos::ev::KeyboardEvent| {
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
                aria-label="Message"
                aria-describedby=hint_id.clone()
                rows="2"
                on:input=on_input
                on:keydown=on_keydown
            ></textarea>
            <ActionButton
                label="Send"
                blocked=blocked
                on_press=Callback::new(move |()| send())
                class="imw-button--primary imw-composer__send"
            />
            <p id=hint_id class="imw-composer__hint">
                "Enter sends, Shift+Enter starts a new line."
            </p>
        </div>
    }
}
