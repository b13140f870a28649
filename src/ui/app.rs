//! The widget: header, banner, session list and chat side by side (one at a time when narrow), and
//! the open dialog.

use leptos::prelude::*;

use crate::config::WidgetConfig;
use crate::runtime::WidgetContext;
use crate::ui::banner::Banner;
use crate::ui::chat::{ChatPane, EndSessionDialog};
use crate::ui::connection_status::ConnectionStatus;
use crate::ui::dialog::{Dialogs, OpenDialog};
use crate::ui::new_im::NewImDialog;
use crate::ui::session_filter::ListView;
use crate::ui::session_list::SessionList;
use crate::ui::shortcuts::{on_widget_keydown, ShortcutsDialog, ANY_ROW, SELECTED_ROW};

/// The whole widget for one host element; starts its runtime and provides it as context.
#[component]
pub fn App(
    /// What the host page configured.
    config: WidgetConfig,
    /// The host page's element the widget lives in (it receives the widget's DOM events).
    host: web_sys::Element,
) -> impl IntoView {
    let i18n = crate::i18n::I18n::new(config.locale.as_deref());
    provide_context(i18n);
    let t = i18n.texts;
    let ctx = crate::runtime::start(config, host);
    provide_context(ctx);
    let dialogs = Dialogs::new();
    provide_context(dialogs);
    let list = ListView::new(ctx);
    provide_context(list);
    let narrow = NarrowView::new(ctx);
    provide_context(narrow);
    let root_class = match ctx.config.with_value(|c| c.theme.class()) {
        "" => "imw".to_owned(),
        theme => format!("imw {theme}"),
    };

    view! {
        <section
            class=root_class
            lang=i18n.locale.tag()
            dir=i18n.locale.dir()
            aria-label=t.widget
            on:keydown=on_widget_keydown(ctx, list, dialogs, narrow)
        >
            <div class="imw__content" inert=move || dialogs.is_open()>
                <header class="imw-header">
                    <h2 class="imw-header__title">{t.widget}</h2>
                    <ConnectionStatus />
                    <crate::ui::alert_settings::AlertSettings />
                    <button
                        type="button"
                        class="imw-button imw-button--primary imw-header__new"
                        on:click=move |_| dialogs.open(OpenDialog::NewIm)
                    >
                        {t.new_im}
                    </button>
                    <button
                        type="button"
                        class="imw-button imw-header__shortcuts"
                        on:click=move |_| dialogs.open(OpenDialog::Shortcuts)
                    >
                        {t.shortcuts}
                    </button>
                </header>
                <Banner />
                <div class="imw__panes" class:imw__panes--chat=move || narrow.shows_chat()>
                    <div class="imw__list-pane">
                        <SessionList />
                    </div>
                    <div class="imw__chat-pane">
                        <ChatPane />
                    </div>
                </div>
            </div>
            {move || match dialogs.current() {
                Some(OpenDialog::NewIm) => view! { <NewImDialog /> }.into_any(),
                Some(OpenDialog::EndSession { session }) => {
                    view! { <EndSessionDialog session=session /> }.into_any()
                }
                Some(OpenDialog::Shortcuts) => view! { <ShortcutsDialog /> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}

/// Which pane a narrow widget shows (CSS shows both when the widget is wide): UI state, not model.
#[derive(Clone, Copy)]
pub(crate) struct NarrowView {
    chat: RwSignal<bool>,
    /// The model, for whether a session is open at all (read directly, not through a memo of the
    /// app: a chat's effects that read an app-wide memo stay in its subscribers once the chat is
    /// gone; the model's subscribers are renewed, see `runtime::renew_subscribers`).
    model: ReadSignal<crate::state::Model>,
}

impl NarrowView {
    fn new(ctx: WidgetContext) -> Self {
        let chat = RwSignal::new(false);
        // Its subscribers are renewed with the runtime's signals (chats that are gone leave them).
        Effect::new(move |_| {
            if crate::runtime::renews_now(ctx.now.get()) {
                crate::runtime::renew_subscribers(&chat);
            }
        });
        // A New IM the agent just started opens by itself: narrow, its chat shows too.
        let opened = Memo::new(move |_| ctx.model.with(|m| m.opened_by_itself));
        Effect::new(move |before: Option<u32>| {
            let now = opened.get();
            if before.is_some_and(|before| before != now) {
                chat.set(true);
            }
            now
        });
        Self {
            chat,
            model: ctx.model,
        }
    }

    /// Back to the list without moving focus (the caller does).
    pub(crate) fn leave_chat(self) {
        self.chat.set(false);
    }

    /// Whether a narrow widget shows the chat (only while a session is open).
    pub(crate) fn shows_chat(self) -> bool {
        self.chat.get() && self.model.with(|m| m.selected.is_some())
    }

    /// Shows the open session's chat: only an explicit open (a row) does, so Alt+↓ in the list stays there.
    pub(crate) fn show_chat(self) {
        self.chat.set(true);
    }

    /// Back to the list, with focus on the open session's row.
    pub(crate) fn show_list(self, event: &leptos::ev::MouseEvent) {
        self.chat.set(false);
        crate::ui::refocus_after(event, &[SELECTED_ROW, ANY_ROW]);
    }
}

/// After a row opened its session: if the row is now hidden (narrow widget), focus moves into the chat.
pub(crate) fn focus_chat_if_hidden(event: &leptos::ev::MouseEvent) {
    use leptos::wasm_bindgen::JsCast;

    let Some(row) = event
        .current_target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    request_animation_frame(move || {
        if row.client_height() > 0 {
            return;
        }
        let chat = row
            .closest(".imw")
            .ok()
            .flatten()
            .and_then(|root| root.query_selector(".imw__chat-pane").ok().flatten());
        let target = chat.and_then(|chat| {
            [".imw-composer__input", ".imw-chat__back"]
                .iter()
                .find_map(|selector| chat.query_selector(selector).ok().flatten())
        });
        if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = target.focus();
        }
    });
}
