//! The widget's model and the pure reducer every change goes through. No web-sys here.

use gws_protocol::ImSession;

/// Where loading the session list stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ListLoad {
    #[default]
    Loading,
    Loaded,
    Failed(String),
}

/// Everything the widget shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    pub load: ListLoad,
    /// Sessions in the order the server listed them, newest arrivals last.
    pub sessions: Vec<ImSession>,
}

/// Something that happened: a server reply, a notification or an agent's action.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    SessionsLoaded(Vec<ImSession>),
    SessionsFailed(String),
}

/// Applies one event to the model.
pub fn reduce(model: &mut Model, event: Event) {
    match event {
        Event::SessionsLoaded(sessions) => {
            model.sessions = sessions.into_iter().filter(|s| s.key().is_some()).collect();
            model.load = ListLoad::Loaded;
        }
        Event::SessionsFailed(reason) => model.load = ListLoad::Failed(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gws_protocol::ImSessionState;

    fn session(id: &str) -> ImSession {
        ImSession {
            id: id.into(),
            state: ImSessionState::Talking,
            ..ImSession::default()
        }
    }

    #[test]
    fn starts_loading() {
        assert_eq!(Model::default().load, ListLoad::Loading);
    }

    #[test]
    fn loaded_list_replaces_sessions_and_drops_ones_without_id() {
        let mut model = Model::default();
        reduce(
            &mut model,
            Event::SessionsLoaded(vec![session("a"), session(" "), session("b")]),
        );
        assert_eq!(model.load, ListLoad::Loaded);
        let ids: Vec<_> = model.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn a_failed_load_keeps_what_was_shown() {
        let mut model = Model::default();
        reduce(&mut model, Event::SessionsLoaded(vec![session("a")]));
        reduce(
            &mut model,
            Event::SessionsFailed("Cannot reach the server".into()),
        );
        assert_eq!(
            model.load,
            ListLoad::Failed("Cannot reach the server".into())
        );
        assert_eq!(model.sessions.len(), 1);
    }
}
