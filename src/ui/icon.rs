//! The widget's icons: inline SVG drawn in the text colour (so dark theme and forced colours follow),
//! never an icon font or a download, nothing the strict CSP forbids. Each is decorative: the control
//! that shows one carries the accessible name (and a tooltip when it shows no text).

use leptos::prelude::*;

/// "+": starting something new.
pub(crate) const PLUS: &str = "M12 5v14M5 12h14";
/// Three dots: more actions.
pub(crate) const MORE: &str = "M12 5h.01M12 12h.01M12 19h.01";
/// A bell struck through: alerts muted.
pub(crate) const BELL_OFF: &str =
    "M6 8a6 6 0 0 1 10-4.5M18 8c0 7 3 9 3 9H9M13.7 21a2 2 0 0 1-3.4 0M3 3l18 18";
/// A tick: save.
pub(crate) const CHECK: &str = "M5 12l5 5L20 7";
/// A cross: remove.
pub(crate) const CROSS: &str = "M6 6l12 12M18 6L6 18";
/// A pencil: edit.
pub(crate) const PENCIL: &str = "M4 20h4L19 9l-4-4L4 16zM13 7l4 4";
/// A chevron pointing to the end of the line (turned by CSS when its panel is open).
pub(crate) const CHEVRON: &str = "M9 6l6 6-6 6";

/// One icon, `1em` square, hidden from assistive technology.
pub(crate) fn icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="imw-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=path></path>
        </svg>
    }
}
