//! `use_alerts`: where news becomes alerts for one widget — a ring or a message the agent cannot
//! see fires a tone and a desktop notification (unless muted, and only in the tab holding the
//! alert lock), a session still ringing rings again, and the unread total reaches the page title.
//! The header renders what it returns.

use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use gws_protocol::ImSessionState;
use leptos::prelude::*;

use super::attention::{due_rings, Attention};
use super::{AlertKind, Permission};
use crate::i18n::{fill, I18n};
use crate::state::{Millis, Model};

pub struct UseAlertsOptions {
    pub model: ReadSignal<Model>,
    /// The news the runtime gathered (`Attention::pending`), taken here as it arrives.
    pub attention: RwSignal<Attention>,
    /// The ticking clock (ring repeats are checked on each tick).
    pub now: ReadSignal<Millis>,
    /// The host lets the widget beep (`data-sound`).
    pub sound: bool,
    /// A session still ringing rings again this often.
    pub ring_repeat_ms: Millis,
    /// Muted when the widget starts (the agent's remembered choice).
    pub muted: bool,
    /// Keeps the agent's mute choice (storage is the runtime's).
    pub on_mute: Callback<bool>,
    pub i18n: I18n,
}

pub struct UseAlertsReturn {
    /// Unread messages in all sessions.
    pub total: Memo<u32>,
    pub muted: Signal<bool>,
    pub toggle_mute: Callback<()>,
    /// The browser's answer about desktop notifications, kept current after `enable`.
    pub permission: Signal<Permission>,
    /// Asks the browser for desktop notifications (from a click).
    pub enable: Callback<()>,
}

pub fn use_alerts(options: UseAlertsOptions) -> UseAlertsReturn {
    let UseAlertsOptions {
        model,
        attention,
        now,
        sound,
        ring_repeat_ms,
        muted,
        on_mute,
        i18n,
    } = options;
    let t = i18n.texts;
    let muted = RwSignal::new(muted);
    let permission = RwSignal::new(super::notification_permission());
    let holder: StoredValue<Rc<super::AlertLock>, LocalStorage> =
        StoredValue::new_local(super::hold_lock());
    let last_rung: StoredValue<Vec<(String, Millis)>> = StoredValue::new(Vec::new());
    let total = Memo::new(move |_| model.with(Model::unread_total));

    // Several widgets on one page add up their totals in the one title.
    static NEXT_WIDGET: AtomicU32 = AtomicU32::new(0);
    let widget = NEXT_WIDGET.fetch_add(1, Ordering::Relaxed);
    Effect::new(move |_| super::show_unread_in_title(widget, Some(total.get())));
    on_cleanup(move || super::show_unread_in_title(widget, None));

    let fire = move |kind: AlertKind, session: &str| {
        if muted.get_untracked() || !holder.with_value(|h| h.held()) {
            return;
        }
        let number = model.with_untracked(|m| {
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
        let (title, body) = match kind {
            AlertKind::Message => (t.alert_message_title, t.alert_message_body),
            AlertKind::Ring | AlertKind::RingRepeat => (t.alert_ring_title, t.alert_ring_body),
        };
        let body = fill(body, &[("party", &number)]);
        super::alert(kind, session, title, &body, sound);
    };

    // New sessions always alert; messages only when the agent cannot see them.
    Effect::new(move |_| {
        attention.track();
        let pending = attention
            .try_update_untracked(|a| std::mem::take(&mut a.pending))
            .unwrap_or_default();
        let now = now.get_untracked();
        let selected = model.with_untracked(|m| m.selected.clone());
        for news in pending {
            for id in &news.ringing {
                last_rung.update_value(|rung| {
                    rung.retain(|(rung_id, _)| rung_id != id);
                    rung.push((id.clone(), now));
                });
                fire(AlertKind::Ring, id);
            }
            for id in &news.incoming {
                if super::page_hidden() || selected.as_deref() != Some(id.as_str()) {
                    fire(AlertKind::Message, id);
                }
            }
        }
    });

    // A session still ringing rings again every `ring_repeat_ms`.
    Effect::new(move |_| {
        let now = now.get();
        let alerting: Vec<String> = model.with_untracked(|m| {
            m.sessions()
                .iter()
                .filter(|v| *v.state() == ImSessionState::Alerting)
                .map(|v| v.id.clone())
                .collect()
        });
        let due = last_rung
            .try_update_value(|rung| due_rings(&alerting, rung, now, ring_repeat_ms))
            .unwrap_or_default();
        for id in due {
            fire(AlertKind::RingRepeat, &id);
        }
    });

    let toggle_mute = Callback::new(move |()| {
        let now_muted = !muted.get_untracked();
        muted.set(now_muted);
        on_mute.run(now_muted);
    });
    let enable =
        Callback::new(move |()| super::request_permission(move |answer| permission.set(answer)));
    UseAlertsReturn {
        total,
        muted: muted.into(),
        toggle_mute,
        permission: permission.into(),
        enable,
    }
}
