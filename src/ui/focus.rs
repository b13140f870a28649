//! Every focus move the widget makes, and the selectors it finds its targets by: when the focused
//! control is about to vanish, focus goes to a sensible place after the view updates.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

pub(crate) const SELECTED_ROW: &str = ".imw-session[aria-current=\"true\"]";
pub(crate) const ANY_ROW: &str = ".imw-session";
pub(crate) const SEARCH: &str = ".imw-filter__search";
pub(crate) const COMPOSER: &str = ".imw-composer__input";
pub(crate) const CHAT_PANE: &str = ".imw__chat-pane";
pub(crate) const CHAT_BACK: &str = ".imw-chat__back";
pub(crate) const NEW_IM: &str = ".imw-header__new";

/// After the view updates, focuses the first element inside `root` matching one of `selectors`.
pub(crate) fn focus_later(root: Option<web_sys::Element>, selectors: &'static [&'static str]) {
    let Some(root) = root else {
        return;
    };
    request_animation_frame(move || {
        let target = selectors.iter().find_map(|selector| {
            root.query_selector(selector)
                .ok()
                .flatten()
                .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        });
        if let Some(target) = target {
            let _ = target.focus();
        }
    });
}

/// After the view updates, focuses the first element matching one of `selectors` (tried in order)
/// inside the widget that holds `event`'s target: used when the focused control is about to vanish.
pub(crate) fn refocus_after(event: &leptos::ev::MouseEvent, selectors: &'static [&'static str]) {
    let root = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest(".imw").ok().flatten());
    focus_later(root, selectors);
}

/// After a row opened its session: if the row is now hidden (narrow widget), focus moves into the chat.
pub(crate) fn focus_chat_if_hidden(event: &leptos::ev::MouseEvent) {
    let Some(row) = event
        .current_target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    request_animation_frame(move || {
        if row.client_height() > 0 {
            return;
        }
        let chat = row
            .closest(".imw")
            .ok()
            .flatten()
            .and_then(|root| root.query_selector(CHAT_PANE).ok().flatten());
        let target = chat.and_then(|chat| {
            [COMPOSER, CHAT_BACK]
                .iter()
                .find_map(|selector| chat.query_selector(selector).ok().flatten())
        });
        if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = target.focus();
        }
    });
}
