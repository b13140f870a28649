//! A problem that is not about one session, until the agent dismisses it.

use leptos::prelude::*;

use crate::runtime::WidgetContext;
use crate::state::Event;

#[component]
pub fn Banner() -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = expect_context::<crate::i18n::I18n>().texts;
    let banner = Memo::new(move |_| ctx.model.with(|m| m.banner.clone()));
    move || {
        banner.get().map(|problem| {
            let text = crate::format::problem_text(&problem, t);
            view! {
                <div class="imw-banner" role="alert">
                    <p class="imw-banner__text">{text}</p>
                    <button
                        type="button"
                        class="imw-button imw-banner__dismiss"
                        on:click=move |_| ctx.dispatch.run(Event::DismissBanner)
                    >
                        {t.dismiss_message}
                    </button>
                </div>
            }
        })
    }
}
