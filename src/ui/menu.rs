//! A menu button (the WAI-ARIA menu-button pattern): a labelled button that opens a `role="menu"` list
//! of items. Enter, Space or ArrowDown open it on the first item, ArrowUp on the last; ArrowUp/Down
//! move (wrapping), Home/End jump, Escape (on the button too) closes it back onto the button, Tab or
//! a click elsewhere closes it. Choosing an item closes it with focus on the button, so a dialog the
//! item opens returns focus there.

use leptos::html;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

use crate::ui::icon::icon;

/// Open or closed, and the button focus returns to; items call [`MenuState::choose`] first.
#[derive(Clone, Copy)]
pub(crate) struct MenuState {
    open: RwSignal<bool>,
    button: NodeRef<html::Button>,
    list: NodeRef<html::Div>,
}

impl MenuState {
    pub(crate) fn new() -> Self {
        Self {
            open: RwSignal::new(false),
            button: NodeRef::new(),
            list: NodeRef::new(),
        }
    }

    /// Closes the menu, focus on its button (before the item's action, which may open a dialog).
    pub(crate) fn choose(&self) {
        self.open.set(false);
        if let Some(button) = self.button.get_untracked() {
            let _ = button.focus();
        }
    }

    /// Opens the menu and, once shown, focuses its first item (or its last).
    fn open_at(&self, last: bool) {
        self.open.set(true);
        let list = self.list;
        request_animation_frame(move || {
            let items = list
                .get_untracked()
                .map(|list| items(&list))
                .unwrap_or_default();
            let item = if last { items.last() } else { items.first() };
            if let Some(item) = item {
                let _ = item.focus();
            }
        });
    }
}

/// The menu's items in order (those currently shown).
fn items(list: &web_sys::HtmlDivElement) -> Vec<web_sys::HtmlElement> {
    let Ok(found) = list.query_selector_all("[role^=\"menuitem\"]") else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|index| found.item(index))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// One item of a [`Menu`]: a `menuitem`, or a `menuitemcheckbox` when `checked` says whether it is on.
#[component]
pub(crate) fn MenuItem(
    state: MenuState,
    /// The item's words, its accessible name.
    label: &'static str,
    /// For a check box item: whether it is on (absent: a plain item).
    #[prop(optional, into)]
    checked: Option<Signal<bool>>,
    /// What choosing it does, after the menu closed with focus on its button.
    on_choose: Callback<()>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="imw-menu__item"
            role=if checked.is_some() { "menuitemcheckbox" } else { "menuitem" }
            tabindex="-1"
            aria-checked=move || checked.map(|on| if on.get() { "true" } else { "false" })
            on:click=move |_| {
                state.choose();
                on_choose.run(());
            }
        >
            {label}
        </button>
    }
}

/// The button and its menu; `children` are the [`MenuItem`]s.
#[component]
pub(crate) fn Menu(
    state: MenuState,
    /// The button's accessible name and tooltip.
    label: &'static str,
    /// The button's icon.
    glyph: &'static str,
    children: Children,
) -> impl IntoView {
    let menu_id = super::unique_id("menu");
    let controls = menu_id.clone();
    let on_button_key = move |event: leptos::ev::KeyboardEvent| match event.key().as_str() {
        "ArrowDown" | "ArrowUp" => {
            event.prevent_default();
            state.open_at(event.key() == "ArrowUp");
        }
        // Open but focus not in it yet (a click opened it, its first item is focused next frame).
        "Escape" if state.open.get_untracked() => {
            event.prevent_default();
            event.stop_propagation();
            state.open.set(false);
        }
        _ => {}
    };
    let on_button_click = move |_| {
        if state.open.get_untracked() {
            state.open.set(false);
        } else {
            state.open_at(false);
        }
    };
    let on_list_key = move |event: leptos::ev::KeyboardEvent| {
        let Some(list) = state.list.get_untracked() else {
            return;
        };
        let items = items(&list);
        let at = document()
            .active_element()
            .and_then(|active| items.iter().position(|item| **item == active));
        let count = items.len();
        let next = match event.key().as_str() {
            "ArrowDown" => at.map_or(0, |at| (at + 1) % count.max(1)),
            "ArrowUp" => at.map_or(count.saturating_sub(1), |at| (at + count - 1) % count),
            "Home" => 0,
            "End" => count.saturating_sub(1),
            "Escape" => {
                event.prevent_default();
                event.stop_propagation();
                state.choose();
                return;
            }
            "Tab" => {
                state.open.set(false);
                return;
            }
            _ => return,
        };
        event.prevent_default();
        if let Some(item) = items.get(next) {
            let _ = item.focus();
        }
    };
    // Focus leaving the button and its menu (a click elsewhere, Tab) closes it.
    let on_focus_out = move |event: leptos::ev::FocusEvent| {
        let inside = event
            .related_target()
            .and_then(|target| target.dyn_into::<web_sys::Node>().ok())
            .zip(
                event
                    .current_target()
                    .and_then(|t| t.dyn_into::<web_sys::Node>().ok()),
            )
            .is_some_and(|(target, wrapper)| wrapper.contains(Some(&target)));
        if !inside {
            state.open.set(false);
        }
    };
    view! {
        <div class="imw-menu" on:focusout=on_focus_out>
            <button
                type="button"
                node_ref=state.button
                class="imw-button imw-button--icon imw-menu__button"
                aria-label=label
                title=label
                aria-haspopup="menu"
                aria-controls=controls
                aria-expanded=move || if state.open.get() { "true" } else { "false" }
                on:click=on_button_click
                on:keydown=on_button_key
            >
                {icon(glyph)}
            </button>
            <div
                id=menu_id
                node_ref=state.list
                class="imw-menu__list"
                role="menu"
                aria-label=label
                hidden=move || !state.open.get()
                on:keydown=on_list_key
                // A press on an item must not move focus first: where a click does not focus a
                // button (Safari), the focus leaving would close the menu before the click lands.
                on:mousedown=|event: leptos::ev::MouseEvent| event.prevent_default()
            >
                {children()}
            </div>
        </div>
    }
}
