use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiClient;
use crate::config::WidgetConfig;
use crate::state::{reduce, Event, Model};
use crate::ui::session_list::SessionList;

/// The whole widget: loads the agent's IM sessions and shows them.
#[component]
pub fn App(
    /// What the host page configured.
    config: WidgetConfig,
) -> impl IntoView {
    let model = RwSignal::new(Model::default());
    let dispatch = move |event: Event| model.update(|m| reduce(m, event));
    let api = ApiClient::new(&config.api_base);
    spawn_local(async move {
        match api.list_sessions().await {
            Ok(sessions) => dispatch(Event::SessionsLoaded(sessions)),
            Err(err) => dispatch(Event::SessionsFailed(err.to_string())),
        }
    });

    view! {
        <section class="imw" aria-label="IM sessions">
            <header class="imw-header">
                <h2 class="imw-header__title">"IM sessions"</h2>
            </header>
            <SessionList model=model.read_only() />
        </section>
    }
}
