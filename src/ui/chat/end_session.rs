//! "End this session?": asked before ending a session whose party wrote last.

use leptos::prelude::*;

use crate::runtime::WidgetContext;
use crate::state::Event;
use crate::ui::dialog::{Dialog, Dialogs};

#[component]
pub fn EndSessionDialog(
    /// The session to end.
    session: String,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let dialogs = expect_context::<Dialogs>();
    let t = expect_context::<crate::i18n::I18n>().texts;
    let party = {
        let session = session.clone();
        ctx.model.with_untracked(|m| {
            m.session(&session)
                .and_then(|s| s.party_number())
                .map(str::to_owned)
        })
    };
    let (before, after) = crate::i18n::around(t.end_question, "party");
    // Without a number, "the other party" is part of the sentence.
    let question = match party {
        Some(number) => view! {
            {before}
            <span dir="ltr" class="imw-number">
                {number}
            </span>
            {after}
        }
        .into_any(),
        None => {
            let text = crate::i18n::fill(t.end_question, &[("party", t.the_other_party)]);
            crate::i18n::capitalised(&text).into_any()
        }
    };
    let question_id = crate::ui::unique_id("end-question");
    view! {
        <Dialog title=t.end_title.to_owned() described_by=question_id.clone()>
            <p id=question_id class="imw-dialog__text">
                {question}
            </p>
            <div class="imw-dialog__actions">
                <button
                    type="button"
                    class="imw-button imw-button--danger"
                    on:click=move |_| {
                        ctx.dispatch
                            .run(Event::Complete {
                                session: session.clone(),
                            });
                        dialogs.close();
                    }
                >
                    {t.end_session}
                </button>
                <button
                    type="button"
                    class="imw-button"
                    data-imw-autofocus="true"
                    on:click=move |_| dialogs.close()
                >
                    {t.keep_open}
                </button>
            </div>
        </Dialog>
    }
}
