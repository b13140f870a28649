//! What the first screen does not need — the chat of a selected session and the dialogs — is built
//! by the functions here. With the `split` feature (the release and `trunk serve` builds, cut by
//! `scripts/wasm-split.mjs`) their code is a second WebAssembly module the browser fetches once the
//! first list has shown, or at once when the agent opens a chat or a dialog before that; until it
//! is there a short "Loading…" stands in its place, and when it cannot be fetched, a message with
//! Try again (a later selection retries too). Without the feature (native and wasm tests) they are
//! plain functions and everything is ready at once.

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::i18n::Texts;
use crate::ui::chat::{ChatSession, EndSessionDialog};
use crate::ui::dialog::{Dialogs, OpenDialog};
use crate::ui::new_im::NewImDialog;
use crate::ui::shortcuts::ShortcutsDialog;

/// One selected session's chat.
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(
        later,
        wasm_split_path = ::leptos::wasm_split,
        fallible,
        preload(preload_later)
    )
)]
fn chat_session(id: String) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <ChatSession id=id /> }.into_any())
}

/// The open dialog.
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(
        later,
        wasm_split_path = ::leptos::wasm_split,
        fallible,
        preload(preload_dialog)
    )
)]
fn dialog(open: OpenDialog) -> Result<AnyView, SplitLoaderError> {
    Ok(match open {
        OpenDialog::NewIm => view! { <NewImDialog /> }.into_any(),
        OpenDialog::EndSession { session } => {
            view! { <EndSessionDialog session=session /> }.into_any()
        }
        OpenDialog::Shortcuts => view! { <ShortcutsDialog /> }.into_any(),
    })
}

/// A call of one of the functions above, once `Later::load` has seen their module there: the view,
/// or `None` should it still have to wait (polled once, not kept).
macro_rules! built {
    ($call:expr) => {{
        #[cfg(feature = "split")]
        let built = futures_util::FutureExt::now_or_never($call).and_then(Result::ok);
        #[cfg(not(feature = "split"))]
        let built = $call.ok();
        built
    }};
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(not(feature = "split"), allow(dead_code))]
enum Part {
    /// Not asked for yet.
    Idle,
    Loading,
    Ready,
    Failed,
}

/// Whether the later part of the widget is there (provided as context by `App`).
#[derive(Clone, Copy)]
pub(crate) struct Later {
    part: RwSignal<Part>,
}

impl Later {
    pub(crate) fn new() -> Self {
        let part = if cfg!(feature = "split") {
            Part::Idle
        } else {
            Part::Ready
        };
        Self {
            part: RwSignal::new(part),
        }
    }

    /// Fetches the later part unless it is there or on its way (a failure may be retried).
    pub(crate) fn load(self) {
        #[cfg(feature = "split")]
        if !matches!(self.part.get_untracked(), Part::Ready | Part::Loading) {
            self.part.set(Part::Loading);
            leptos::task::spawn_local(async move {
                // Each split function waits for the module on its own: once both have, calling
                // them completes at once (`built!`). The module itself is fetched once.
                let part = match (preload_later().await, preload_dialog().await) {
                    (Ok(()), Ok(())) => Part::Ready,
                    _ => Part::Failed,
                };
                self.part.try_set(part);
            });
        }
    }

    /// The chat of session `id`, or what stands in for it.
    pub(crate) fn chat_session(self, id: String, t: &'static Texts) -> AnyView {
        self.show(t, None, move || built!(chat_session(id.clone())))
    }

    /// The dialog `open`, or what stands in for it (which can close it: its own Escape and focus
    /// handling are in the code that is not there).
    pub(crate) fn dialog(self, open: OpenDialog, dialogs: Dialogs, t: &'static Texts) -> AnyView {
        self.show(t, Some(dialogs), move || built!(dialog(open.clone())))
    }

    fn show(
        self,
        t: &'static Texts,
        dialogs: Option<Dialogs>,
        build: impl Fn() -> Option<AnyView> + Send + 'static,
    ) -> AnyView {
        // Once the module is there (nearly always), the view is built as it is: nothing here
        // subscribes to the app-wide `part`, which would keep every dismissed chat's subscription
        // (reactive_graph keeps a disposed subscriber in a signal's list: docs/BENCHMARKS.md,
        // "Memory over a shift": +0.8 MB over 5,000 sessions before this).
        if self.part.get_untracked() == Part::Ready {
            if let Some(view) = build() {
                return view;
            }
        }
        let part = Memo::new(move |_| self.part.get());
        if part.get_untracked() != Part::Ready {
            self.load();
        }
        (move || match part.get() {
            Part::Ready => build().unwrap_or_else(|| failed(self, dialogs, t)),
            Part::Failed => failed(self, dialogs, t),
            Part::Idle | Part::Loading => loading(t).into_any(),
        })
        .into_any()
    }
}

fn loading(t: &'static Texts) -> impl IntoView {
    view! {
        <p class="imw-later" role="status">
            {t.part_loading}
        </p>
    }
}

fn failed(later: Later, dialogs: Option<Dialogs>, t: &'static Texts) -> AnyView {
    view! {
        <div class="imw-later imw-later--failed" role="alert">
            <p>{t.part_failed}</p>
            <button type="button" class="imw-button" on:click=move |_| later.load()>
                {t.try_again}
            </button>
            {dialogs
                .map(|dialogs| {
                    view! {
                        <button type="button" class="imw-button" on:click=move |_| dialogs.close()>
                            {t.close}
                        </button>
                    }
                })}
        </div>
    }
    .into_any()
}
