//! The header's unread total and alert controls; also where news becomes alerts and where the
//! unread total reaches the page title (the host's events come from `runtime`).

use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use gws_protocol::ImSessionState;
use leptos::prelude::*;

use crate::alerts;
use crate::alerts::attention::{capped_in, due_rings};
use crate::i18n::fill;
use crate::runtime::WidgetContext;
use crate::state::{Millis, Model};

#[component]
pub fn AlertSettings() -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let i18n = expect_context::<crate::i18n::I18n>();
    let t = i18n.texts;
    let storage = ctx.config.with_value(|c| c.storage);
    let muted = RwSignal::new(crate::runtime::storage::load_muted(storage));
    let permission = RwSignal::new(alerts::notification_permission());
    let holder: StoredValue<Rc<alerts::AlertLock>, LocalStorage> =
        StoredValue::new_local(alerts::hold_lock());
    let sound = ctx.config.with_value(|c| c.sound);
    let last_rung: StoredValue<Vec<(String, Millis)>> = StoredValue::new(Vec::new());
    let total = Memo::new(move |_| ctx.model.with(Model::unread_total));

    // Several widgets on one page add up their totals in the one title.
    static NEXT_WIDGET: AtomicU32 = AtomicU32::new(0);
    let widget = NEXT_WIDGET.fetch_add(1, Ordering::Relaxed);
    Effect::new(move |_| alerts::show_unread_in_title(widget, Some(total.get())));
    on_cleanup(move || alerts::show_unread_in_title(widget, None));

    let fire = move |kind: &str, session: &str| {
        if muted.get_untracked() || !holder.with_value(|h| h.held()) {
            return;
        }
        let number = ctx.model.with_untracked(|m| {
            m.session(session)
                .and_then(|v| v.party_number().map(str::to_owned))
                .unwrap_or_default()
        });
        // Plain text: Unicode isolates keep the number left-to-right inside right-to-left words.
        let number = if i18n.locale.dir() == "rtl" {
            format!("\u{2066}{number}\u{2069}")
        } else {
            number
        };
        let (title, body) = if kind == "message" {
            (
                t.alert_message_title,
                fill(t.alert_message_body, &[("party", &number)]),
            )
        } else {
            (
                t.alert_ring_title,
                fill(t.alert_ring_body, &[("party", &number)]),
            )
        };
        alerts::alert(kind, session, title, &body, sound);
    };

    // New sessions always alert; messages only when the agent cannot see them.
    Effect::new(move |_| {
        ctx.attention.track();
        let pending = ctx
            .attention
            .try_update_untracked(|a| std::mem::take(&mut a.pending))
            .unwrap_or_default();
        let now = ctx.now.get_untracked();
        let selected = ctx.model.with_untracked(|m| m.selected.clone());
        for news in pending {
            for id in &news.ringing {
                last_rung.update_value(|rung| {
                    rung.retain(|(rung_id, _)| rung_id != id);
                    rung.push((id.clone(), now));
                });
                fire("ring", id);
            }
            for id in &news.incoming {
                if alerts::page_hidden() || selected.as_deref() != Some(id.as_str()) {
                    fire("message", id);
                }
            }
        }
    });

    // A session still ringing rings again every `ring_repeat_seconds`.
    let repeat = ctx
        .config
        .with_value(|c| f64::from(c.ring_repeat_seconds) * 1000.0);
    Effect::new(move |_| {
        let now = ctx.now.get();
        let alerting: Vec<String> = ctx.model.with_untracked(|m| {
            m.sessions()
                .iter()
                .filter(|v| *v.state() == ImSessionState::Alerting)
                .map(|v| v.id.clone())
                .collect()
        });
        let due = last_rung
            .try_update_value(|rung| due_rings(&alerting, rung, now, repeat))
            .unwrap_or_default();
        for id in due {
            fire("ring-repeat", &id);
        }
    });

    let toggle_mute = move |_| {
        let now_muted = !muted.get_untracked();
        muted.set(now_muted);
        crate::runtime::storage::save_muted(storage, now_muted);
    };
    let enable = move |_| alerts::request_permission(move |answer| permission.set(answer));

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
                (permission.get() == "default")
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="imw-button imw-alerts__enable"
                                on:click=enable
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
                on:click=toggle_mute
            >
                {move || if muted.get() { t.unmute_alerts } else { t.mute_alerts }}
            </button>
        </div>
    }
}
