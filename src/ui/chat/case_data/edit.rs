//! The case-data panel's inputs: one row per key (its value edited in place, Save and Remove as
//! icon buttons) and the row that adds a key.

use leptos::prelude::*;
use serde_json::Value;

use super::{Pending, Rights};
use crate::i18n::format::{is_editable, typed_value, value_text};
use crate::i18n::{fill, I18n};
use crate::runtime::WidgetContext;
use crate::state::{Action, Event};
use crate::ui::action_button::ActionButton;
use crate::ui::icon::{CHECK, CROSS};
use crate::ui::text_field::TextField;

/// One key: its value (editable when it is a string, number or boolean) with Save and Remove.
#[component]
pub(super) fn CaseDataRow(
    /// The session's id.
    session: String,
    /// The case-data key.
    key: String,
    /// Its value as the server has it.
    value: Value,
    /// What the session allows now.
    rights: Signal<Rights>,
    /// Which button's request is in flight.
    pending: Pending,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = expect_context::<I18n>().texts;
    let text = RwSignal::new(value_text(&value));
    let mine = {
        let key = key.clone();
        move |action: Action| {
            rights.with(|r| r.busy == Some(action))
                && pending.with(|p| p.as_ref().is_some_and(|(a, k)| *a == action && *k == key))
        }
    };
    let save = {
        let (session, key, value) = (session.clone(), key.clone(), value.clone());
        move || {
            pending.set(Some((Action::UpdateUserData, key.clone())));
            ctx.dispatch.run(Event::UpdateUserData {
                session: session.clone(),
                key: key.clone(),
                value: typed_value(&value, &text.get_untracked()),
            });
        }
    };
    let remove = {
        let (session, key) = (session.clone(), key.clone());
        move || {
            pending.set(Some((Action::DeleteUserData, key.clone())));
            ctx.dispatch.run(Event::DeleteUserData {
                session: session.clone(),
                key: key.clone(),
            });
        }
    };
    let update_blocked = {
        let mine = mine.clone();
        Signal::derive(move || {
            rights.with(|r| r.blocked(Action::UpdateUserData, mine(Action::UpdateUserData), t))
        })
    };
    let delete_blocked = {
        let mine = mine.clone();
        Signal::derive(move || {
            rights.with(|r| r.blocked(Action::DeleteUserData, mine(Action::DeleteUserData), t))
        })
    };
    let saving = {
        let mine = mine.clone();
        Signal::derive(move || mine(Action::UpdateUserData).then(|| t.saving.to_owned()))
    };
    let removing =
        Signal::derive(move || mine(Action::DeleteUserData).then(|| t.removing.to_owned()));

    let value_cell = if is_editable(&value) {
        let save = save.clone();
        view! {
            <input
                type="text"
                class="imw-input imw-case__input"
                aria-label=fill(t.value_of, &[("key", &key)])
                bind:value=text
                on:keydown=move |event: leptos::ev::KeyboardEvent| {
                    if event.key() == "Enter" && update_blocked.with_untracked(Option::is_none)
                        && saving.with_untracked(Option::is_none)
                    {
                        event.prevent_default();
                        save();
                    }
                }
            />
        }
        .into_any()
    } else {
        view! { <code class="imw-case__json">{value_text(&value)}</code> }.into_any()
    };
    let save_button = is_editable(&value).then(|| {
        view! {
            <ActionButton
                label=fill(t.save_key, &[("key", &key)])
                blocked=update_blocked
                busy=saving
                on_press=Callback::new(move |()| save())
                class="imw-button--small"
                glyph=CHECK
            />
        }
    });

    view! {
        <tr class="imw-case__row">
            <th scope="row" class="imw-case__key">
                {key.clone()}
            </th>
            <td class="imw-case__value">{value_cell}</td>
            <td class="imw-case__actions">
                <div class="imw-case__buttons">
                    {save_button}
                    <ActionButton
                        label=fill(t.remove_key, &[("key", &key)])
                        blocked=delete_blocked
                        busy=removing
                        on_press=Callback::new(move |()| remove())
                        class="imw-button--small"
                        glyph=CROSS
                    />
                </div>
            </td>
        </tr>
    }
}

/// Adds a key with a string value.
#[component]
pub(super) fn AddCaseData(
    /// The session's id.
    session: String,
    /// What the session allows now.
    rights: Signal<Rights>,
    /// Which button's request is in flight.
    pending: Pending,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = expect_context::<I18n>().texts;
    let new_key = RwSignal::new(String::new());
    let new_value = RwSignal::new(String::new());
    let adding = Signal::derive(move || {
        (rights.with(|r| r.busy == Some(Action::AttachUserData))
            && pending.with(|p| matches!(p, Some((Action::AttachUserData, _)))))
        .then(|| t.adding.to_owned())
    });
    let blocked = Signal::derive(move || {
        rights.with(|r| r.blocked(Action::AttachUserData, adding.with(Option::is_some), t))
    });
    let add = move || {
        if blocked.with_untracked(Option::is_some) || adding.with_untracked(Option::is_some) {
            return;
        }
        let key = new_key.get_untracked();
        pending.set(Some((Action::AttachUserData, key.clone())));
        let value = Value::String(new_value.get_untracked());
        // A blank key is refused by the reducer with a reason; keep what was typed then.
        if !key.trim().is_empty() {
            new_key.set(String::new());
            new_value.set(String::new());
        }
        ctx.dispatch.run(Event::AttachUserData {
            session: session.clone(),
            key,
            value,
        });
    };
    let on_keydown = {
        let add = add.clone();
        move |event: leptos::ev::KeyboardEvent| {
            if event.key() == "Enter" {
                event.prevent_default();
                add();
            }
        }
    };

    view! {
        <div class="imw-case__add" on:keydown=on_keydown>
            <TextField label=t.new_key value=new_key id_prefix="new-key" />
            <TextField label=t.new_value value=new_value id_prefix="new-value" />
            <ActionButton
                label=t.add
                blocked=blocked
                busy=adding
                on_press=Callback::new(move |()| add())
            />
        </div>
    }
}
