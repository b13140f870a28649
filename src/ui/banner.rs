//! A problem that is not about one session, until the agent dismisses it; while the agent is
//! signed out, that (it goes away by itself once they sign in again).

use leptos::prelude::*;

use crate::runtime::WidgetContext;
use crate::state::Event;

#[component]
pub fn Banner() -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = expect_context::<crate::i18n::I18n>().texts;
    let banner = Memo::new(move |_| ctx.model.with(|m| m.banner.clone()));
    let signed_out = Memo::new(move |_| ctx.model.with(|m| m.signed_out));
    move || {
        if signed_out.get() {
            return Some(
                view! {
                    <div class="imw-banner" role="alert">
                        <p class="imw-banner__text">{t.signed_out_banner}</p>
                    </div>
                }
                .into_any(),
            );
        }
        banner.get().map(|problem| {
            let text = crate::i18n::format::problem_text(&problem, t);
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
            .into_any()
        })
    }
}
