//! The widget's dialogs: which one is open, and the shell that makes a `<div role="dialog">` modal
//! within the widget (focus moves in on open and back on close; Escape closes).

use leptos::html;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// A dialog the widget can show over its content.
#[derive(Debug, Clone, PartialEq)]
pub enum OpenDialog {
    /// The "New IM" form.
    NewIm,
    /// "End this session?" for a session whose party wrote last.
    EndSession { session: String },
    /// The keyboard shortcuts help panel.
    Shortcuts,
}

/// Which dialog is open, shared through context; the rest of the widget is inert meanwhile.
#[derive(Clone, Copy)]
pub struct Dialogs {
    open: RwSignal<Option<OpenDialog>>,
    /// The element that had focus when the dialog opened, focused again when it closes.
    opener: StoredValue<Option<web_sys::HtmlElement>, LocalStorage>,
}

impl Dialogs {
    pub fn new() -> Self {
        Self {
            open: RwSignal::new(None),
            opener: StoredValue::new_local(None),
        }
    }

    /// The open dialog (tracked).
    pub fn current(&self) -> Option<OpenDialog> {
        self.open.get()
    }

    /// Whether any dialog is open (tracked).
    pub fn is_open(&self) -> bool {
        self.open.with(Option::is_some)
    }

    pub fn open(&self, dialog: OpenDialog) {
        let focused = document()
            .active_element()
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        self.opener.set_value(focused);
        self.open.set(Some(dialog));
    }

    pub fn close(&self) {
        self.open.set(None);
        if let Some(opener) = self.opener.try_update_value(Option::take).flatten() {
            // After the content stops being inert, which happens when the view updates.
            request_animation_frame(move || {
                let _ = opener.focus();
            });
        }
    }
}

impl Default for Dialogs {
    fn default() -> Self {
        Self::new()
    }
}

/// A modal dialog inside the widget, titled by a visible heading.
#[component]
pub fn Dialog(
    /// The dialog's title, which is also its accessible name.
    title: String,
    /// The id of the element holding the dialog's question or explanation, if any.
    #[prop(optional, into)]
    described_by: Option<String>,
    /// The dialog's body.
    children: Children,
) -> impl IntoView {
    let dialogs = expect_context::<Dialogs>();
    let title_id = super::unique_id("dialog-title");
    let labelled_by = title_id.clone();
    let node = NodeRef::<html::Div>::new();
    node.on_load(|dialog| {
        // The element marked `data-imw-autofocus`, else the dialog itself.
        let target = dialog
            .query_selector("[data-imw-autofocus]")
            .ok()
            .flatten()
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        let _ = match target {
            Some(element) => element.focus(),
            None => dialog.focus(),
        };
    });
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" {
            event.stop_propagation();
            dialogs.close();
        }
    };
    view! {
        <div class="imw-dialog">
            <div
                node_ref=node
                class="imw-dialog__box"
                role="dialog"
                aria-modal="true"
                aria-labelledby=labelled_by
                aria-describedby=described_by
                tabindex="-1"
                on:keydown=on_keydown
            >
                <h3 id=title_id class="imw-dialog__title">
                    {title}
                </h3>
                {children()}
            </div>
        </div>
    }
}
