use leptos::prelude::*;

/// A labelled one-line text box bound to a signal; the label is its accessible name.
#[component]
pub fn TextField(
    /// The visible label.
    label: &'static str,
    /// What the box holds, read and written as the agent types.
    value: RwSignal<String>,
    /// The prefix of the element id (made unique per widget).
    id_prefix: &'static str,
) -> impl IntoView {
    let id = crate::ui::unique_id(id_prefix);
    view! {
        <div class="imw-field">
            <label class="imw-field__label" for=id.clone()>
                {label}
            </label>
            <input id=id class="imw-input" type="text" autocomplete="off" bind:value=value />
        </div>
    }
}
