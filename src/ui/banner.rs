//! A problem that is not about one session, until the agent dismisses it.

use leptos::prelude::*;

use crate::runtime::WidgetContext;
use crate::state::Event;

#[component]
pub fn Banner() -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let banner = Memo::new(move |_| ctx.model.with(|m| m.banner.clone()));
    move || {
        banner.get().map(|text| {
            view! {
                <div class="imw-banner" role="alert">
                    <p class="imw-banner__text">{text}</p>
                    <button
                        type="button"
                        class="imw-button imw-banner__dismiss"
                        on:click=move |_| ctx.dispatch.run(Event::DismissBanner)
                    >
                        "Dismiss message"
                    </button>
                </div>
            }
        })
    }
}
