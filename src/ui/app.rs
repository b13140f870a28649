//! The widget: header, banner, session list and chat side by side, and the open dialog.

use leptos::prelude::*;

use crate::config::WidgetConfig;
use crate::ui::banner::Banner;
use crate::ui::chat::{ChatPane, EndSessionDialog};
use crate::ui::connection_status::ConnectionStatus;
use crate::ui::dialog::{Dialogs, OpenDialog};
use crate::ui::new_im::NewImDialog;
use crate::ui::session_filter::ListView;
use crate::ui::session_list::SessionList;
use crate::ui::shortcuts::{on_widget_keydown, ShortcutsDialog};

/// The whole widget for one host element; starts its runtime and provides it as context.
#[component]
pub fn App(
    /// What the host page configured.
    config: WidgetConfig,
) -> impl IntoView {
    let i18n = crate::i18n::I18n::new(config.locale.as_deref());
    provide_context(i18n);
    let t = i18n.texts;
    let ctx = crate::runtime::start(config);
    provide_context(ctx);
    let dialogs = Dialogs::new();
    provide_context(dialogs);
    let list = ListView::new(ctx);
    provide_context(list);

    view! {
        <section
            class="imw"
            lang=i18n.locale.tag()
            dir=i18n.locale.dir()
            aria-label=t.widget
            on:keydown=on_widget_keydown(ctx, list, dialogs)
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
                <div class="imw__panes">
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
