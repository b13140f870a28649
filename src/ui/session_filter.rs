//! Which sessions the list shows: the Active / Completed / All radio group and the search box.

use leptos::prelude::*;

use crate::runtime::WidgetContext;
use crate::workflow::{visible_sessions, SessionFilter};

/// The list's filter and search text, shared through context (the keyboard shortcuts move among
/// the sessions the list shows).
#[derive(Clone, Copy)]
pub struct ListView {
    pub filter: RwSignal<SessionFilter>,
    pub query: RwSignal<String>,
    /// The ids the list shows, in list order.
    pub visible: Memo<Vec<String>>,
}

impl ListView {
    pub fn new(ctx: WidgetContext) -> Self {
        let filter = RwSignal::new(SessionFilter::default());
        let query = RwSignal::new(String::new());
        let visible = Memo::new(move |_| {
            let filter = filter.get();
            query.with(|query| {
                ctx.model
                    .with(|m| visible_sessions(m, filter, query, |number| ctx.name_for(number)))
            })
        });
        Self {
            filter,
            query,
            visible,
        }
    }
}

#[component]
pub fn SessionFilterBar() -> impl IntoView {
    let list = expect_context::<ListView>();
    let t = expect_context::<crate::i18n::I18n>().texts;
    let group = crate::ui::unique_id("session-filter");
    let radios = SessionFilter::ALL
        .into_iter()
        .map(|filter| {
            let group = group.clone();
            view! {
                <label class="imw-filter__option">
                    <input
                        type="radio"
                        class="imw-filter__radio"
                        name=group
                        value=filter.value()
                        prop:checked=move || list.filter.get() == filter
                        on:change=move |_| list.filter.set(filter)
                    />
                    {filter.label(t)}
                </label>
            }
        })
        .collect_view();
    view! {
        <div class="imw-filter">
            <fieldset class="imw-filter__group">
                <legend class="imw-visually-hidden">{t.show_sessions}</legend>
                {radios}
            </fieldset>
            <input
                type="search"
                class="imw-input imw-filter__search"
                aria-label=t.search_sessions
                placeholder=t.search_placeholder
                autocomplete="off"
                prop:value=move || list.query.get()
                on:input=move |event| list.query.set(event_target_value(&event))
            />
        </div>
    }
}
