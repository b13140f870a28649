//! "Copy transcript": the session on the clipboard as plain text (times, who, text, gap markers),
//! for the agent to paste into a case — GWS keeps no history to read it back from.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::transcript::{entries, plain_text};
use crate::runtime::WidgetContext;

#[component]
pub fn CopyTranscript(
    /// The session's id.
    id: String,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let i18n = expect_context::<crate::i18n::I18n>();
    let t = i18n.texts;
    // What the last press did, shown beside the button (and read out: role="status").
    let outcome = RwSignal::new(None::<&'static str>);
    let copy = move |_| {
        let text = ctx.model.with_untracked(|m| {
            m.session(&id)
                .map(|view| plain_text(&entries(view, t), t, &|at| i18n.time(at)))
        });
        let Some(text) = text else {
            return;
        };
        let Some(promise) = write_clipboard(&text) else {
            outcome.set(Some(t.transcript_not_copied));
            return;
        };
        leptos::task::spawn_local(async move {
            let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            outcome.set(Some(if copied {
                t.transcript_copied
            } else {
                t.transcript_not_copied
            }));
        });
    };
    view! {
        <button type="button" class="imw-button" on:click=copy>
            {t.copy_transcript}
        </button>
        <span class="imw-chat__copied" role="status">
            {move || outcome.get()}
        </span>
    }
}

/// `navigator.clipboard.writeText(text)`, or `None` where the page has no clipboard (an insecure
/// origin, an old browser).
fn write_clipboard(text: &str) -> Option<js_sys::Promise> {
    let window: JsValue = web_sys::window()?.into();
    let navigator = js_sys::Reflect::get(&window, &"navigator".into()).ok()?;
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok()?;
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    write
        .call1(&clipboard, &JsValue::from_str(text))
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()
}
