//! The session's case data (GWS `userData`): values edited in place, keys added and removed.

use leptos::prelude::*;

use crate::ui::text_field::TextField;
use serde_json::Value;

use crate::i18n::format::{is_editable, problem_text, typed_value, value_text};
use crate::i18n::{fill, I18n, Texts};
use crate::runtime::WidgetContext;
use crate::state::{Action, Event, SessionView};
use crate::ui::action_button::ActionButton;

/// Why each case-data action cannot be taken now, and which request is in flight.
#[derive(Debug, Clone, Default, PartialEq)]
struct Rights {
    attach: Option<String>,
    update: Option<String>,
    delete: Option<String>,
    busy: Option<Action>,
}

impl Rights {
    fn of(view: &SessionView, t: &Texts) -> Self {
        let why = |action| view.why_not(action).map(|p| problem_text(&p, t));
        Self {
            attach: why(Action::AttachUserData),
            update: why(Action::UpdateUserData),
            delete: why(Action::DeleteUserData),
            busy: view.busy,
        }
    }

    /// Why `action` cannot be taken; `mine` when the request in flight is this very button's.
    fn blocked(&self, action: Action, mine: bool, t: &Texts) -> Option<String> {
        let denied = match action {
            Action::AttachUserData => &self.attach,
            Action::UpdateUserData => &self.update,
            _ => &self.delete,
        };
        denied
            .clone()
            .or_else(|| (self.busy.is_some() && !mine).then(|| t.wait_for_request.to_owned()))
    }
}

/// How many case-data rows are rendered at first, and added by each "Show more".
const ROWS_AT_ONCE: usize = 100;

/// Which button's request is in flight: its action and key.
type Pending = RwSignal<Option<(Action, String)>>;

#[component]
pub fn CaseData(
    /// The session's id.
    id: String,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    // Only the first `shown` keys are rendered (and copied on each change): thousands of keys
    // would otherwise freeze the page.
    let shown = RwSignal::new(ROWS_AT_ONCE);
    let i18n = expect_context::<I18n>();
    let t = i18n.texts;
    let entries = {
        let id = id.clone();
        Memo::new(move |_| {
            let limit = shown.get();
            ctx.with_session(&id, |s| {
                s.map(|s| s.user_data().0.iter().take(limit).cloned().collect())
                    .unwrap_or_else(Vec::new)
            })
        })
    };
    let total = {
        let id = id.clone();
        Memo::new(move |_| ctx.with_session(&id, |s| s.map_or(0, |s| s.user_data().len())))
    };
    let more = move || {
        let hidden = total.get().saturating_sub(shown.get());
        (hidden > 0).then(|| {
            view! {
                <button
                    type="button"
                    class="imw-button imw-button--small imw-case__more"
                    on:click=move |_| shown.update(|n| *n += ROWS_AT_ONCE)
                >
                    {fill(
                        t.show_more_keys,
                        &[
                            ("count", &i18n.number(hidden.min(ROWS_AT_ONCE) as u64)),
                            ("hidden", &i18n.number(hidden as u64)),
                        ],
                    )}
                </button>
            }
        })
    };
    let rights = {
        let id = id.clone();
        Memo::new(move |_| {
            ctx.with_session(&id, |s| s.map(|s| Rights::of(s, t)).unwrap_or_default())
        })
    };
    let pending: Pending = RwSignal::new(None);
    // A completed session's case data can no longer change: shown to read, with no controls.
    let completed = {
        let id = id.clone();
        Memo::new(move |_| ctx.with_session(&id, |s| s.is_some_and(|s| s.is_completed())))
    };

    let table = {
        let id = id.clone();
        move || {
            if entries.with(Vec::is_empty) {
                return view! { <p class="imw-case__empty">{t.no_case_data}</p> }.into_any();
            }
            if completed.get() {
                return view! {
                    <table class="imw-case__table">
                        <caption class="imw-case__caption">{t.case_data}</caption>
                        <thead>
                            <tr>
                                <th scope="col" class="imw-case__head">
                                    {t.key}
                                </th>
                                <th scope="col" class="imw-case__head">
                                    {t.value}
                                </th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                entries
                                    .get()
                                    .into_iter()
                                    .map(|(key, value)| {
                                        view! {
                                            <tr class="imw-case__row">
                                                <th scope="row" class="imw-case__key">
                                                    {key}
                                                </th>
                                                <td class="imw-case__value">{value_text(&value)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tbody>
                    </table>
                }
                .into_any();
            }
            let id = id.clone();
            view! {
                <table class="imw-case__table">
                    <caption class="imw-case__caption">{t.case_data}</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="imw-case__head">
                                {t.key}
                            </th>
                            <th scope="col" class="imw-case__head">
                                {t.value}
                            </th>
                            <th scope="col" class="imw-case__head">
                                {t.actions}
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || entries.get()
                            // A value changed on the server shows afresh in its textbox.
                            key=|(key, value)| (
                                key.clone(),
                                serde_json::to_string(value).unwrap_or_default(),
                            )
                            children=move |(key, value)| {
                                view! {
                                    <CaseDataRow
                                        session=id.clone()
                                        key=key
                                        value=value
                                        rights=rights.into()
                                        pending=pending
                                    />
                                }
                            }
                        />
                    </tbody>
                </table>
            }
            .into_any()
        }
    };

    view! {
        <section class="imw-case" aria-label=t.case_data>
            {table}
            {more}
            {move || {
                (!completed.get())
                    .then(|| {
                        view! {
                            <AddCaseData session=id.clone() rights=rights.into() pending=pending />
                        }
                    })
            }}
        </section>
    }
}

/// One key: its value (editable when it is a string, number or boolean) with Save and Remove.
#[component]
fn CaseDataRow(
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
                    />
                </div>
            </td>
        </tr>
    }
}

/// Adds a key with a string value.
#[component]
fn AddCaseData(
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
