//! How long the other party has waited for a reply, escalating normal → warning → urgent by colour,
//! icon and words. Only this text follows the ticking clock.

use leptos::prelude::*;

use crate::alerts::attention::{waiting_since, waiting_text, WaitLevel};
use crate::runtime::WidgetContext;

#[component]
pub fn WaitingTimer(
    /// The session's id.
    id: String,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let i18n = expect_context::<crate::i18n::I18n>();
    let since = Memo::new(move |_| ctx.with_session(&id, |s| s.and_then(waiting_since)));
    let (warning, urgent) = ctx
        .config
        .with_value(|c| (c.wait_warning_seconds, c.wait_urgent_seconds));
    let elapsed = move || {
        since
            .get()
            .map(|since| ctx.now.get() - since)
            .unwrap_or(0.0)
    };
    let level = move || WaitLevel::after(elapsed(), warning, urgent);
    let text = move || waiting_text(elapsed(), level(), i18n.texts, &|n| i18n.number(n));

    move || {
        since.with(Option::is_some).then(|| {
            view! {
                <span class=move || { format!("imw-wait imw-wait--{}", level().modifier()) }>
                    <span class="imw-wait__icon" aria-hidden="true">
                        {move || level().icon()}
                    </span>
                    {move || text().0}
                    <span class="imw-visually-hidden">{move || text().1}</span>
                </span>
            }
        })
    }
}
