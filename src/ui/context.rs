//! UI state shared by the widget's components (not the model): which pane a narrow widget shows.

use leptos::prelude::*;

use crate::runtime::WidgetContext;
use crate::ui::focus::{refocus_after, ANY_ROW, SELECTED_ROW};

/// Which pane a narrow widget shows (CSS shows both when the widget is wide): UI state, not model.
#[derive(Clone, Copy)]
pub(crate) struct NarrowView {
    chat: RwSignal<bool>,
    /// Whether a session is open at all.
    selected: Memo<bool>,
}

impl NarrowView {
    pub(crate) fn new(ctx: WidgetContext) -> Self {
        let selected = Memo::new(move |_| ctx.model.with(|m| m.selected.is_some()));
        let chat = RwSignal::new(false);
        // A New IM the agent just started opens by itself: narrow, its chat shows too.
        let opened = Memo::new(move |_| ctx.model.with(|m| m.opened_by_itself));
        Effect::new(move |before: Option<u32>| {
            let now = opened.get();
            if before.is_some_and(|before| before != now) {
                chat.set(true);
            }
            now
        });
        Self { chat, selected }
    }

    /// Back to the list without moving focus (the caller does).
    pub(crate) fn leave_chat(self) {
        self.chat.set(false);
    }

    /// Whether a narrow widget shows the chat (only while a session is open).
    pub(crate) fn shows_chat(self) -> bool {
        self.chat.get() && self.selected.get()
    }

    /// Shows the open session's chat: only an explicit open (a row) does, so Alt+↓ in the list stays there.
    pub(crate) fn show_chat(self) {
        self.chat.set(true);
    }

    /// Back to the list, with focus on the open session's row.
    pub(crate) fn show_list(self, event: &leptos::ev::MouseEvent) {
        self.chat.set(false);
        refocus_after(event, &[SELECTED_ROW, ANY_ROW]);
    }
}
