//! The chat of one session: its header, transcript, composer and case data (built through
//! `ui::later`; `ui::app` chooses which session, or none).

mod case_data;
mod composer;
mod copy_transcript;
mod end_session;
mod ended_bar;
mod header;
mod transcript;

pub use end_session::EndSessionDialog;

use leptos::prelude::*;

use crate::runtime::WidgetContext;
use case_data::CaseData;
use composer::Composer;
use ended_bar::EndedBar;
use header::ChatHeader;
use transcript::Transcript;

/// One session's chat, rebuilt only when another session is selected (built by `ui::later`).
#[component]
pub(crate) fn ChatSession(
    /// The session's id (`SessionView::id`).
    id: String,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = expect_context::<crate::i18n::I18n>().texts;
    let party = {
        let id = id.clone();
        Memo::new(move |_| {
            ctx.with_session(&id, |s| {
                s.and_then(|s| s.party_number())
                    .unwrap_or(t.unknown_party)
                    .to_owned()
            })
        })
    };
    let completed = {
        let id = id.clone();
        Memo::new(move |_| ctx.with_session(&id, |s| s.is_some_and(|s| s.is_completed())))
    };
    // Once it is over, nothing editable that could not be sent: the bar replaces the composer.
    let bottom = {
        let id = id.clone();
        move || {
            if completed.get() {
                view! { <EndedBar id=id.clone() /> }.into_any()
            } else {
                view! { <Composer id=id.clone() /> }.into_any()
            }
        }
    };
    view! {
        <section
            class="imw-chat"
            aria-label=move || crate::i18n::fill(t.chat_with, &[("party", &party.get())])
        >
            <ChatHeader id=id.clone() party=party />
            <Transcript id=id.clone() party=party />
            {bottom}
            <CaseData id=id completed=completed />
        </section>
    }
}
