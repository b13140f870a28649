//! Who the chat is with, its state, and the live session's actions (Copy transcript, End
//! session; a completed one's are in the ended bar).

use gws_protocol::ImSessionState;
use leptos::prelude::*;

use crate::i18n::format::problem_text;
use crate::i18n::format::state_label;
use crate::runtime::WidgetContext;
use crate::state::{Action, Event, Problem};
use crate::ui::action_button::ActionButton;
use crate::ui::chat::copy_transcript::CopyTranscript;
use crate::ui::context::NarrowView;
use crate::ui::dialog::{Dialogs, OpenDialog};
use crate::ui::waiting_timer::WaitingTimer;

/// What the header shows of its session.
#[derive(Debug, Clone, PartialEq)]
struct HeaderData {
    state: ImSessionState,
    completed: bool,
    end_blocked: Option<Problem>,
    ending: bool,
    awaiting_reply: bool,
    action_error: Option<Problem>,
}

#[component]
pub fn ChatHeader(
    /// The session's id.
    id: String,
    /// The other party's number.
    #[prop(into)]
    party: Signal<String>,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let dialogs = expect_context::<Dialogs>();
    let narrow = expect_context::<NarrowView>();
    let t = expect_context::<crate::i18n::I18n>().texts;
    let data = {
        let id = id.clone();
        Memo::new(move |_| {
            ctx.with_session(&id, |view| {
                view.map(|view| HeaderData {
                    state: view.state().clone(),
                    completed: view.is_completed(),
                    end_blocked: view.why_not(Action::Complete).or_else(|| {
                        view.busy
                            .filter(|busy| *busy != Action::Complete)
                            .map(|_| Problem::Text(t.wait_for_request.to_owned()))
                    }),
                    ending: view.busy == Some(Action::Complete),
                    awaiting_reply: view.awaiting_reply(),
                    action_error: view.action_error.clone(),
                })
            })
        })
    };
    let state = move || {
        data.with(|d| {
            d.as_ref()
                .map(|d| state_label(&d.state, t))
                .unwrap_or(("", "unknown"))
        })
    };
    let name = move || ctx.name_for(&party.get());
    let end_blocked = Signal::derive(move || {
        data.with(|d| {
            d.as_ref()
                .and_then(|d| d.end_blocked.as_ref().map(|p| problem_text(p, t)))
        })
    });
    let ending = Signal::derive(move || {
        data.with(|d| d.as_ref().is_some_and(|d| d.ending))
            .then(|| t.ending.to_owned())
    });
    let completed = move || data.with(|d| d.as_ref().is_some_and(|d| d.completed));
    let action_error = move || {
        data.with(|d| {
            d.as_ref()
                .and_then(|d| d.action_error.as_ref().map(|p| problem_text(p, t)))
        })
    };
    let end = {
        let id = id.clone();
        Callback::new(move |()| {
            if data.with_untracked(|d| d.as_ref().is_some_and(|d| d.awaiting_reply)) {
                dialogs.open(OpenDialog::EndSession {
                    session: id.clone(),
                });
            } else {
                ctx.dispatch.run(Event::Complete {
                    session: id.clone(),
                });
            }
        })
    };

    view! {
        <header class="imw-chat__header">
            // Shown only while the widget is narrow (CSS), where list and chat take turns.
            <button
                type="button"
                class="imw-button imw-chat__back"
                on:click=move |event| narrow.show_list(&event)
            >
                <span class="imw-chat__back-arrow" aria-hidden="true">
                    "←"
                </span>
                " Back to sessions"
            </button>
            <div class="imw-chat__who">
                <h3 class="imw-chat__title">
                    <span dir="ltr" class="imw-number">
                        {party}
                    </span>
                    {move || {
                        name().map(|name| view! { <span class="imw-chat__name">" " {name}</span> })
                    }}
                </h3>
                <span class=move || format!("imw-state imw-state--{}", state().1)>
                    <span class="imw-state__marker" aria-hidden="true"></span>
                    {move || state().0}
                </span>
                " "
                <WaitingTimer id=id.clone() />
            </div>
            <div class="imw-chat__actions">
                // Once Completed, the ended bar offers Copy transcript and Dismiss; End session
                // is no longer offered.
                {move || {
                    (!completed())
                        .then(|| {
                            view! {
                                <CopyTranscript id=id.clone() />
                                <ActionButton
                                    label=t.end_session
                                    blocked=end_blocked
                                    busy=ending
                                    on_press=end
                                    class="imw-button--danger"
                                />
                            }
                        })
                }}
            </div>
            {move || {
                action_error()
                    .map(|error| {
                        view! {
                            <p class="imw-chat__error" role="alert">
                                {error}
                            </p>
                        }
                    })
            }}
        </header>
    }
}
