//! The widget's header: title, connection state, unread total (and "Alerts muted"), New IM as the one
//! primary action, and one menu for desktop alerts, mute and the keyboard shortcuts. The alerts
//! themselves come from `alerts::use_alerts`, kept here because the header is always mounted (the
//! host's events come from `runtime`).

use leptos::prelude::*;

use crate::alerts::attention::capped_in;
use crate::alerts::{use_alerts, Permission, UseAlertsOptions, UseAlertsReturn};
use crate::i18n::around;
use crate::runtime::WidgetContext;
use crate::ui::connection_status::ConnectionStatus;
use crate::ui::dialog::{Dialogs, OpenDialog};
use crate::ui::icon::{icon, BELL_OFF, MORE, PLUS};
use crate::ui::menu::{Menu, MenuItem, MenuState};

#[component]
pub fn Header() -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let dialogs = expect_context::<Dialogs>();
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
    let menu = MenuState::new();
    let (unread_before, unread_after) = around(t.unread_total, "count");

    view! {
        <header class="imw-header">
            <h2 class="imw-header__title">{t.widget}</h2>
            <ConnectionStatus />
            <div class="imw-alerts">
                {move || {
                    (total.get() > 0)
                        .then(|| {
                            view! {
                                <span class="imw-alerts__total">
                                    // Narrow, only the count shows; the words stay said.
                                    <span class="imw-alerts__words">{unread_before}</span>
                                    {move || capped_in(total.get(), &|n| i18n.number(n))}
                                    <span class="imw-alerts__words">{unread_after}</span>
                                </span>
                            }
                        })
                }}
                {move || {
                    muted
                        .get()
                        .then(|| {
                            view! {
                                <span
                                    class="imw-alerts__muted"
                                    role="img"
                                    aria-label=t.alerts_muted
                                    title=t.alerts_muted
                                >
                                    {icon(BELL_OFF)}
                                </span>
                            }
                        })
                }}
            </div>
            <button
                type="button"
                class="imw-button imw-button--primary imw-header__new"
                title=t.new_im
                on:click=move |_| dialogs.open(OpenDialog::NewIm)
            >
                {icon(PLUS)}
                // Under 420 px only the "+" shows; the words stay its name.
                <span class="imw-header__new-text">{t.new_im}</span>
            </button>
            <Menu state=menu label=t.menu glyph=MORE>
                {move || {
                    (permission.get() == Permission::Undecided)
                        .then(|| {
                            view! {
                                <MenuItem
                                    state=menu
                                    label=t.enable_alerts
                                    on_choose=Callback::new(move |()| enable.run(()))
                                />
                            }
                        })
                }}
                <MenuItem state=menu label=t.mute_alerts checked=muted on_choose=toggle_mute />
                <MenuItem
                    state=menu
                    label=t.shortcuts
                    on_choose=Callback::new(move |()| dialogs.open(OpenDialog::Shortcuts))
                />
            </Menu>
        </header>
    }
}
