//! The canned-responses listbox under the composer. Focus stays in the composer (which points at
//! the active option with `aria-activedescendant`); the composer drives ↑/↓, Enter and Escape.

use leptos::prelude::*;

use crate::workflow::CannedResponse;

/// The picker's state, owned by the composer.
#[derive(Clone, Copy)]
pub struct CannedPicker {
    pub open: RwSignal<bool>,
    /// Opened by typing `/`: deleting the `/` closes it again.
    pub by_slash: RwSignal<bool>,
    /// The active option, among the filtered ones.
    pub active: RwSignal<usize>,
    /// The listbox's id (its options are `{id}-{index}`).
    pub id: StoredValue<String>,
}

impl CannedPicker {
    pub fn new() -> Self {
        Self {
            open: RwSignal::new(false),
            by_slash: RwSignal::new(false),
            active: RwSignal::new(0),
            id: StoredValue::new(crate::ui::unique_id("canned")),
        }
    }

    pub fn show(&self, by_slash: bool) {
        self.by_slash.set(by_slash);
        self.active.set(0);
        self.open.set(true);
    }

    pub fn close(&self) {
        self.open.set(false);
    }

    /// Moves the active option by one, staying within `count` options.
    pub fn step(&self, forward: bool, count: usize) {
        self.active.update(|active| {
            *active = if forward {
                (*active + 1).min(count.saturating_sub(1))
            } else {
                active.saturating_sub(1)
            };
        });
    }

    /// The active option's index, clamped to `count` options.
    pub fn active_index(&self, count: usize) -> Option<usize> {
        (count > 0).then(|| self.active.get().min(count - 1))
    }

    pub fn option_id(&self, index: usize) -> String {
        format!("{}-{index}", self.id.get_value())
    }
}

impl Default for CannedPicker {
    fn default() -> Self {
        Self::new()
    }
}

/// The listbox of `options` (already filtered); `on_choose` gets the chosen option's index.
#[component]
pub fn CannedList(
    picker: CannedPicker,
    options: Memo<Vec<CannedResponse>>,
    on_choose: Callback<usize>,
) -> impl IntoView {
    let t = expect_context::<crate::i18n::I18n>().texts;
    let items = move || {
        let count = options.with(Vec::len);
        let active = picker.active_index(count);
        options
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, option)| {
                let selected = active == Some(index);
                // An untitled response is shown once, by its text.
                let text = (option.text != option.title).then_some(option.text);
                let class = if selected {
                    "imw-canned__option imw-canned__option--active"
                } else {
                    "imw-canned__option"
                };
                view! {
                    <li
                        id=picker.option_id(index)
                        class=class
                        role="option"
                        aria-selected=if selected { "true" } else { "false" }
                        on:mousedown=|event| event.prevent_default()
                        on:click=move |_| on_choose.run(index)
                    >
                        <span class="imw-canned__title">{option.title}</span>
                        {text.map(|text| view! { <span class="imw-canned__text">{text}</span> })}
                    </li>
                }
            })
            .collect_view()
    };
    move || {
        if !picker.open.get() {
            return ().into_any();
        }
        if options.with(Vec::is_empty) {
            return view! {
                <p class="imw-canned__empty" role="status">
                    {t.no_canned_match}
                </p>
            }
            .into_any();
        }
        view! {
            <ul
                id=picker.id.get_value()
                class="imw-canned"
                role="listbox"
                aria-label=t.canned_responses
            >
                {items}
            </ul>
        }
        .into_any()
    }
}
