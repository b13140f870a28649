//! The header's unread total and alert controls; the alerts themselves come from
//! `alerts::use_alerts` (the host's events come from `runtime`).

use leptos::prelude::*;

use crate::alerts::attention::capped_in;
use crate::alerts::{use_alerts, Permission, UseAlertsOptions, UseAlertsReturn};
use crate::i18n::fill;
use crate::runtime::WidgetContext;

#[component]
pub fn AlertSettings() -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let i18n = expect_context::<crate::i18n::I18n>();
    let t = i18n.texts;
    let storage = ctx.config.with_value(|c| c.storage);
    let UseAlertsReturn {
        total,
        muted,
        toggle_mute,
        permission,
        enable,
    } = use_alerts(UseAlertsOptions {
        model: ctx.model,
        attention: ctx.attention,
        now: ctx.now,
        sound: ctx.config.with_value(|c| c.sound),
        ring_repeat_ms: ctx
            .config
            .with_value(|c| f64::from(c.ring_repeat_seconds) * 1000.0),
        muted: crate::runtime::storage::load_muted(storage),
        on_mute: Callback::new(move |muted| crate::runtime::storage::save_muted(storage, muted)),
        i18n,
    });

    view! {
        <div class="imw-alerts">
            {move || {
                (total.get() > 0)
                    .then(|| {
                        view! {
                            <span class="imw-alerts__total">
                                {move || {
                                    let count = capped_in(total.get(), &|n| i18n.number(n));
                                    fill(t.unread_total, &[("count", &count)])
                                }}
                            </span>
                        }
                    })
            }}
            {move || {
                (permission.get() == Permission::Undecided)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="imw-button imw-alerts__enable"
                                on:click=move |_| enable.run(())
                            >
                                {t.enable_alerts}
                            </button>
                        }
                    })
            }}
            <button
                type="button"
                class="imw-button imw-alerts__mute"
                aria-pressed=move || if muted.get() { "true" } else { "false" }
                on:click=move |_| toggle_mute.run(())
            >
                {move || if muted.get() { t.unmute_alerts } else { t.mute_alerts }}
            </button>
        </div>
    }
}
