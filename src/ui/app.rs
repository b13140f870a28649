//! The widget: header, banner, session list and chat side by side (one at a time when narrow), and
//! the open dialog.

use leptos::prelude::*;

use crate::runtime::WidgetContext;
use crate::state::ListLoad;
use crate::ui::banner::Banner;
use crate::ui::context::NarrowView;
use crate::ui::dialog::Dialogs;
use crate::ui::header::Header;
use crate::ui::later::Later;
use crate::ui::session_filter::ListView;
use crate::ui::session_list::SessionList;
use crate::ui::shortcuts::on_widget_keydown;

/// The whole widget for one host element, on the runtime `embed` started (provided as context).
#[component]
pub fn App(
    /// The widget's runtime: its model, its dispatch and what the host configured.
    ctx: WidgetContext,
    /// The widget's language.
    i18n: crate::i18n::I18n,
) -> impl IntoView {
    let t = i18n.texts;
    provide_context(ctx);
    let dialogs = Dialogs::new();
    provide_context(dialogs);
    let list = ListView::new(ctx);
    provide_context(list);
    let narrow = NarrowView::new(ctx);
    provide_context(narrow);
    let later = Later::new();
    provide_context(later);
    // The rest of the widget's code is fetched once the first list has shown (its frame painted).
    let listed = Memo::new(move |_| ctx.model.with(|m| !matches!(m.load, ListLoad::Loading)));
    Effect::new(move |_| {
        if listed.get() {
            request_animation_frame(move || later.load());
        }
    });
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
                <Header />
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
                Some(open) => later.dialog(open, dialogs, t),
                None => ().into_any(),
            }}
        </section>
    }
}

/// The selected session, or a placeholder when none is.
#[component]
fn ChatPane() -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = expect_context::<crate::i18n::I18n>().texts;
    let selected = Memo::new(move |_| {
        ctx.model
            .with(|m| m.selected_session().map(|s| s.id.clone()))
    });
    let later = expect_context::<Later>();
    move || match selected.get() {
        Some(id) => later.chat_session(id, t),
        None => view! { <p class="imw-chat__placeholder">{t.select_session}</p> }.into_any(),
    }
}
