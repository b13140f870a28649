//! Whether changes are arriving live, in words (and a marker shape per state, never colour alone).

use leptos::prelude::*;

use crate::runtime::WidgetContext;
use crate::state::Connection;

#[component]
pub fn ConnectionStatus() -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = expect_context::<crate::i18n::I18n>().texts;
    let connection = Memo::new(move |_| ctx.model.with(|m| (m.connection, m.signed_out)));
    let words = move || match connection.get() {
        // Reconnecting would promise what only signing in again can do.
        (_, true) => (t.signed_out, "offline"),
        (Connection::Connecting, _) => (t.connecting, "connecting"),
        (Connection::Connected, _) => (t.connected, "connected"),
        (Connection::Reconnecting { .. }, _) => (t.reconnecting, "reconnecting"),
        (Connection::Offline { .. }, _) => (t.offline, "offline"),
    };
    view! {
        <p class=move || format!("imw-connection imw-connection--{}", words().1) role="status">
            <span class="imw-connection__marker" aria-hidden="true"></span>
            {move || words().0}
        </p>
    }
}
