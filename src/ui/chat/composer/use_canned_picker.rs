//! `use_canned_picker`: the canned-responses picker of one composer — open or not, the filtered
//! options, the active one, the keys it takes, and choosing (placeholders filled, inserted into
//! the draft). The composer only wires it to its textarea; the listbox renders `picker` and
//! `options`.

use leptos::html;
use leptos::prelude::*;

use super::canned_list::CannedPicker;
use crate::runtime::WidgetContext;
use crate::state::Event;
use crate::workflow::{
    canned_for, canned_query, fill_placeholders, filter_canned, insert_canned, CannedResponse,
};

pub struct UseCannedPickerOptions {
    /// The session whose draft the picker writes into.
    pub session: String,
    /// That session's draft, as the composer shows it.
    pub draft: Memo<String>,
    /// The composer's textarea: focus returns there after choosing or toggling.
    pub textarea: NodeRef<html::Textarea>,
}

pub struct UseCannedPickerReturn {
    pub picker: CannedPicker,
    /// The canned responses that match the draft's `/filter`, while the picker is open.
    pub options: Memo<Vec<CannedResponse>>,
    /// Inserts the option at this index into the draft and closes the picker.
    pub choose: Callback<usize>,
    /// Takes a composer keydown the picker handles (↑/↓, Enter, Escape while open; `/` in an empty
    /// draft opens it); `true` when it took the key.
    pub on_key: Callback<leptos::ev::KeyboardEvent, bool>,
    /// Opens or closes the picker from its button.
    pub toggle: Callback<()>,
    /// The listbox's id while it exists (an id pointing at nothing is invalid ARIA).
    pub listbox_id: Signal<Option<String>>,
    /// The active option's id, for the textarea's `aria-activedescendant`.
    pub active_option: Signal<Option<String>>,
}

pub fn use_canned_picker(options: UseCannedPickerOptions) -> UseCannedPickerReturn {
    let UseCannedPickerOptions {
        session,
        draft,
        textarea,
    } = options;
    let ctx = expect_context::<WidgetContext>();
    let t = expect_context::<crate::i18n::I18n>().texts;
    let canned = StoredValue::new(
        ctx.config
            .with_value(|c| canned_for(&c.canned_responses, t)),
    );
    let picker = CannedPicker::new();
    let filtered = Memo::new(move |_| {
        if !picker.open.get() {
            return Vec::new();
        }
        let query = draft.with(|d| canned_query(d).to_owned());
        canned.with_value(|list| {
            filter_canned(list, &query)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // Deleting the `/` that opened the picker closes it.
    Effect::new(move |_| {
        if picker.by_slash.get() && !draft.with(|d| d.starts_with('/')) {
            picker.close();
        }
    });
    let focus_textarea = move || {
        if let Some(textarea) = textarea.get_untracked() {
            let _ = textarea.focus();
        }
    };
    let choose = {
        let session = session.clone();
        Callback::new(move |index: usize| {
            let Some(option) = filtered.with_untracked(|o| o.get(index).cloned()) else {
                return;
            };
            let number = ctx.model.with_untracked(|m| {
                m.session(&session)
                    .and_then(|s| s.party_number().map(str::to_owned))
            });
            let name = number.as_deref().and_then(|n| ctx.name_for(n));
            let text = fill_placeholders(&option.text, number.as_deref(), name.as_deref());
            picker.close();
            ctx.dispatch.run(Event::DraftChanged {
                session: session.clone(),
                text: draft.with_untracked(|d| insert_canned(d, &text)),
            });
            focus_textarea();
        })
    };
    let on_key = Callback::new(move |event: leptos::ev::KeyboardEvent| {
        let plain = !event.alt_key() && !event.ctrl_key() && !event.meta_key();
        if picker.open.get_untracked() && plain {
            let count = filtered.with_untracked(Vec::len);
            match event.key().as_str() {
                "ArrowDown" | "ArrowUp" => {
                    event.prevent_default();
                    picker.step(event.key() == "ArrowDown", count);
                    return true;
                }
                "Enter" if !event.shift_key() && !event.is_composing() => {
                    event.prevent_default();
                    if let Some(index) = untrack(|| picker.active_index(count)) {
                        choose.run(index);
                    } else {
                        picker.close();
                    }
                    return true;
                }
                "Escape" => {
                    // Closes the picker only; the next Escape leaves the composer.
                    event.prevent_default();
                    event.stop_propagation();
                    picker.close();
                    return true;
                }
                _ => {}
            }
        }
        if event.key() == "/" && plain && draft.with_untracked(String::is_empty) {
            // Typed here rather than by the browser, so the draft holds the `/` before the picker
            // checks it.
            event.prevent_default();
            ctx.dispatch.run(Event::DraftChanged {
                session: session.clone(),
                text: "/".to_owned(),
            });
            picker.show(true);
            return true;
        }
        false
    });
    let toggle = Callback::new(move |()| {
        if picker.open.get_untracked() {
            picker.close();
        } else {
            picker.show(false);
        }
        focus_textarea();
    });
    let listbox_id = Signal::derive(move || {
        (picker.open.get() && !filtered.with(Vec::is_empty)).then(|| picker.id.get_value())
    });
    let active_option = Signal::derive(move || {
        if !picker.open.get() {
            return None;
        }
        picker
            .active_index(filtered.with(Vec::len))
            .map(|index| picker.option_id(index))
    });
    UseCannedPickerReturn {
        picker,
        options: filtered,
        choose,
        on_key,
        toggle,
        listbox_id,
        active_option,
    }
}
