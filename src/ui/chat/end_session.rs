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
    let party = {
        let session = session.clone();
        ctx.model.with_untracked(|m| {
            m.session(&session)
                .and_then(|s| s.party_number())
                .unwrap_or("The other party")
                .to_owned()
        })
    };
    let question_id = crate::ui::unique_id("end-question");
    view! {
        <Dialog title="End this session?".to_owned() described_by=question_id.clone()>
            <p id=question_id class="imw-dialog__text">
                <span dir="ltr">{party}</span>
                " wrote last and has no answer yet."
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
                    "End session"
                </button>
                <button
                    type="button"
                    class="imw-button"
                    data-imw-autofocus="true"
                    on:click=move |_| dialogs.close()
                >
                    "Keep open"
                </button>
            </div>
        </Dialog>
    }
}
