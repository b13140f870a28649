//! A button for an action the server may not allow right now. When it cannot be pressed it stays
//! focusable (`aria-disabled`) and says why, in its tooltip and in its accessible description.

use leptos::prelude::*;

#[component]
pub fn ActionButton(
    /// The button's text, which is its accessible name ("End session", "Save priority").
    #[prop(into)]
    label: Signal<String>,
    /// Why the action cannot be taken now, in words; `None` when it can.
    #[prop(into, optional)]
    blocked: Signal<Option<String>>,
    /// The text shown while this action's request is in flight ("Ending…"); `None` when idle.
    #[prop(into, optional)]
    busy: Signal<Option<String>>,
    /// What pressing it does (not called while blocked or busy).
    on_press: Callback<()>,
    /// Extra classes, e.g. `imw-button--primary`.
    #[prop(optional)]
    class: &'static str,
    /// Shows this icon (`ui::icon`) instead of the text, which stays the name and the tooltip.
    #[prop(optional)]
    glyph: Option<&'static str>,
) -> impl IntoView {
    let reason_id = super::unique_id("reason");
    let inactive = move || blocked.with(Option::is_some) || busy.with(Option::is_some);
    let text = move || busy.get().unwrap_or_else(|| label.get());
    let describedby = {
        let reason_id = reason_id.clone();
        move || blocked.with(Option::is_some).then(|| reason_id.clone())
    };
    let content = match glyph {
        Some(glyph) => super::icon::icon(glyph).into_any(),
        None => text.into_any(),
    };
    view! {
        <button
            type="button"
            class=if glyph.is_some() {
                format!("imw-button imw-button--icon {class}")
            } else {
                format!("imw-button {class}")
            }
            aria-label=move || glyph.map(|_| text())
            aria-disabled=move || inactive().then_some("true")
            aria-busy=move || busy.with(Option::is_some).then_some("true")
            title=move || blocked.get().or_else(|| glyph.map(|_| text()))
            aria-describedby=describedby
            on:click=move |_| {
                if !inactive() {
                    on_press.run(());
                }
            }
        >
            {content}
        </button>
        <span id=reason_id class="imw-visually-hidden">
            {move || blocked.get()}
        </span>
    }
}
