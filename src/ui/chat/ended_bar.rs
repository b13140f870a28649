//! What replaces the composer once a session is Completed: when it ended, Dismiss and Copy
//! transcript — nothing editable that could not be sent.

use leptos::prelude::*;

use crate::i18n::fill;
use crate::runtime::WidgetContext;
use crate::state::{Event, LineKind, Notice};
use crate::ui::chat::copy_transcript::CopyTranscript;
use crate::ui::focus::{refocus_after, ANY_ROW, NEW_IM};

#[component]
pub fn EndedBar(
    /// The session's id.
    id: String,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let i18n = expect_context::<crate::i18n::I18n>();
    let t = i18n.texts;
    // When it ended: the "Session ended" line (always there once the widget saw it end).
    let ended = {
        let id = id.clone();
        Memo::new(move |_| {
            ctx.with_session(&id, |s| {
                s.and_then(|s| {
                    s.transcript
                        .iter()
                        .rev()
                        .find(|line| line.kind == LineKind::Notice(Notice::Ended))
                        .map(|line| line.at)
                })
            })
        })
    };
    let words = move || match ended.get() {
        Some(at) => fill(t.ended_at, &[("time", &i18n.time(at))]),
        None => t.notice_ended.to_owned(),
    };
    let dismiss = {
        let id = id.clone();
        move |event: leptos::ev::MouseEvent| {
            refocus_after(&event, &[ANY_ROW, NEW_IM]);
            ctx.dispatch.run(Event::Dismiss {
                session: id.clone(),
            });
        }
    };
    view! {
        <div class="imw-ended" role="group" aria-label=t.session_over>
            <p class="imw-ended__when">{words}</p>
            <div class="imw-ended__actions">
                <CopyTranscript id=id />
                <button type="button" class="imw-button" on:click=dismiss>
                    {t.dismiss}
                </button>
            </div>
        </div>
    }
}
