//! The session's case data (GWS `userData`) as a collapsible panel ("Case data · 3", open or closed
//! as the agent last left it): a read view of key: value first; on demand (the pencil) the values
//! edited in place, keys added and removed; read-only once the session is over.

use leptos::prelude::*;

mod edit;

use crate::i18n::format::{problem_text, value_text};
use crate::i18n::{fill, I18n, Texts};
use crate::runtime::WidgetContext;
use crate::state::{Action, SessionView};
use crate::ui::icon::{icon, CHEVRON, PENCIL};
use edit::{AddCaseData, CaseDataRow};

/// Why each case-data action cannot be taken now, and which request is in flight.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Rights {
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
    pub(super) fn blocked(&self, action: Action, mine: bool, t: &Texts) -> Option<String> {
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
pub(super) type Pending = RwSignal<Option<(Action, String)>>;

#[component]
pub fn CaseData(
    /// The session's id.
    id: String,
    /// Whether the session is over (its case data can no longer change).
    completed: Memo<bool>,
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
    // The views below are rebuilt only when the data turns empty or not: a key changed on the
    // server updates its row (the `For`), and what the agent typed in the other inputs stays.
    let empty = Memo::new(move |_| total.get() == 0);
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
    // The read view first; the inputs on demand, and never once the session is over.
    let editing = RwSignal::new(false);
    let edits = move || editing.get() && !completed.get();
    let open = move || ctx.prefs.case_open();
    let body_id = crate::ui::unique_id("case");

    let read_view = move || {
        if empty.get() {
            return view! { <p class="imw-case__empty">{t.no_case_data}</p> }.into_any();
        }
        view! {
            <dl class="imw-case__list">
                {move || {
                    entries
                        .get()
                        .into_iter()
                        .map(|(key, value)| {
                            view! {
                                <div class="imw-case__row">
                                    <dt class="imw-case__key">{key}</dt>
                                    <dd class="imw-case__value">{value_text(&value)}</dd>
                                </div>
                            }
                        })
                        .collect_view()
                }}
            </dl>
        }
        .into_any()
    };
    let edit_view = {
        let id = id.clone();
        move || {
            let id = id.clone();
            let table = (!empty.get()).then(|| {
                let id = id.clone();
                view! {
                    <table class="imw-case__table">
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
            });
            view! {
                {table}
                <AddCaseData session=id rights=rights.into() pending=pending />
            }
        }
    };
    let body = move || {
        if edits() {
            edit_view().into_any()
        } else {
            read_view().into_any()
        }
    };
    // Entering or leaving the inputs keeps focus in the panel: on the first input, or the pencil.
    let switch = move |event: leptos::ev::MouseEvent, to: bool| {
        editing.set(to);
        let targets: &'static [&'static str] = if to {
            &[".imw-case__input", ".imw-case__add input"]
        } else {
            &[".imw-case__edit"]
        };
        let panel = event
            .current_target()
            .and_then(|t| leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|button| button.closest(".imw-case").ok().flatten());
        crate::ui::focus::focus_later(panel, targets);
    };

    view! {
        <section class="imw-case" class:imw-case--open=open aria-label=t.case_data>
            <div class="imw-case__bar">
                <h4 class="imw-case__heading">
                    <button
                        type="button"
                        class="imw-case__toggle"
                        aria-expanded=move || if open() { "true" } else { "false" }
                        aria-controls=body_id.clone()
                        on:click=move |_| ctx.prefs.set_case_open(!untrack(open))
                    >
                        {icon(CHEVRON)}
                        {move || fill(t.case_data_count, &[("count", &i18n.number(total.get() as u64))])}
                    </button>
                </h4>
                {move || {
                    (open() && !completed.get())
                        .then(|| {
                            if edits() {
                                view! {
                                    <button
                                        type="button"
                                        class="imw-button imw-button--small imw-case__done"
                                        on:click=move |event| switch(event, false)
                                    >
                                        {t.done_editing}
                                    </button>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <button
                                        type="button"
                                        class="imw-button imw-button--small imw-button--icon imw-case__edit"
                                        aria-label=t.edit_case_data
                                        title=t.edit_case_data
                                        on:click=move |event| switch(event, true)
                                    >
                                        {icon(PENCIL)}
                                    </button>
                                }
                                    .into_any()
                            }
                        })
                }}
            </div>
            <div id=body_id class="imw-case__body" hidden=move || !open()>
                {body}
                {more}
            </div>
        </section>
    }
}
