//! Which sessions the list shows (filter, search) and which session a shortcut moves to. Pure.

use crate::i18n::Texts;
use crate::state::{Model, SessionView};

/// Which sessions the list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SessionFilter {
    /// Sessions not yet completed.
    Active,
    /// Completed sessions kept as history.
    Completed,
    /// Everything (the default, so nothing is hidden from an agent who never touches the filter).
    #[default]
    All,
}

impl SessionFilter {
    pub const ALL: [Self; 3] = [Self::All, Self::Active, Self::Completed];

    /// The label of its radio button.
    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Self::Active => t.filter_active,
            Self::Completed => t.filter_completed,
            Self::All => t.filter_all,
        }
    }

    /// The value of its radio button (the same in every language).
    pub fn value(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Completed => "completed",
            Self::All => "all",
        }
    }

    pub fn admits(self, session: &SessionView) -> bool {
        match self {
            Self::Active => !session.is_completed(),
            Self::Completed => session.is_completed(),
            Self::All => true,
        }
    }
}

/// Whether `session` matches the search `query`: its number, its directory `name`, or any transcript
/// line contains it, ignoring case. A blank query matches everything.
pub fn matches_search(session: &SessionView, name: Option<&str>, query: &str) -> bool {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return true;
    }
    let contains = |text: &str| text.to_lowercase().contains(&query);
    session
        .session
        .participants
        .iter()
        .flat_map(|p| [p.display_number(), p.dial_number()])
        .flatten()
        .any(contains)
        || name.is_some_and(contains)
        || session.transcript.iter().any(|line| contains(&line.text))
}

/// The ids of the sessions the list shows, in list order. `name_for` is the host directory.
pub fn visible_sessions(
    model: &Model,
    filter: SessionFilter,
    query: &str,
    name_for: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    model
        .sessions()
        .iter()
        .filter(|s| filter.admits(s))
        .filter(|s| {
            let name = s.party_number().and_then(&name_for);
            matches_search(s, name.as_deref(), query)
        })
        .map(|s| s.id.clone())
        .collect()
}

/// The session after (`forward`) or before `selected` in `visible`, stopping at the ends; the first
/// (or last) when nothing visible is selected.
pub fn step_selection(visible: &[String], selected: Option<&str>, forward: bool) -> Option<String> {
    let position = selected.and_then(|id| visible.iter().position(|v| v == id));
    let target = match (position, forward) {
        (None, true) => visible.first(),
        (None, false) => visible.last(),
        (Some(at), true) => visible.get(at + 1).or_else(|| visible.get(at)),
        (Some(at), false) => at
            .checked_sub(1)
            .and_then(|before| visible.get(before))
            .or_else(|| visible.get(at)),
    };
    target.cloned()
}

/// The next session after `selected` (wrapping round) with unread messages, among `visible`
/// (`(id, unread)` in list order); `None` when none has any.
pub fn next_unread(visible: &[(String, u32)], selected: Option<&str>) -> Option<String> {
    let start = selected
        .and_then(|id| visible.iter().position(|(v, _)| v == id))
        .map_or(0, |at| at + 1);
    let count = visible.len();
    (0..count)
        .filter_map(|offset| visible.get((start + offset) % count))
        .find(|(_, unread)| *unread > 0)
        .map(|(id, _)| id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Line, LineKind};
    use gws_protocol::{ImSession, ImSessionState};

    fn view(id: &str, number: &str, state: ImSessionState, lines: &[&str]) -> SessionView {
        let session: ImSession = serde_json::from_value(serde_json::json!({
            "id": id,
            "state": "Talking",
            "participants": [{ "phoneNumber": number }],
        }))
        .unwrap_or_else(|err| panic!("test session: {err}"));
        let session = ImSession { state, ..session };
        SessionView {
            session,
            id: id.to_owned(),
            started_at: 0.0,
            transcript: lines
                .iter()
                .map(|text| Line {
                    at: 0.0,
                    text: (*text).to_owned(),
                    kind: LineKind::Incoming,
                })
                .collect(),
            incoming: lines.len(),
            outbox: 0,
            unread: 0,
            draft: String::new(),
            action_error: None,
            busy: None,
        }
    }

    fn model() -> Model {
        Model::with_sessions(vec![
            view("a", "3002", ImSessionState::Talking, &["Case 42 please"]),
            view("b", "3003", ImSessionState::Completed, &["Thanks, bye"]),
            view("c", "3004", ImSessionState::Alerting, &[]),
        ])
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_filter_shows_active_completed_or_all() {
        let m = model();
        let none = |_: &str| None;
        assert_eq!(
            visible_sessions(&m, SessionFilter::All, "", none),
            ids(&["a", "b", "c"])
        );
        assert_eq!(
            visible_sessions(&m, SessionFilter::Active, "", none),
            ids(&["a", "c"])
        );
        assert_eq!(
            visible_sessions(&m, SessionFilter::Completed, "", none),
            ids(&["b"])
        );
        assert_eq!(SessionFilter::default(), SessionFilter::All);
    }

    #[test]
    fn search_matches_number_name_or_any_line_ignoring_case() {
        let m = model();
        let directory = |n: &str| (n == "3004").then(|| "Supervisor Sam".to_owned());
        let find = |q: &str| visible_sessions(&m, SessionFilter::All, q, directory);
        assert_eq!(find("3003"), ids(&["b"]));
        assert_eq!(find("CASE 42"), ids(&["a"]));
        assert_eq!(find("  sam "), ids(&["c"]));
        assert_eq!(find("nothing like it"), ids(&[]));
        assert_eq!(find(""), ids(&["a", "b", "c"]));
        assert_eq!(
            visible_sessions(&m, SessionFilter::Active, "bye", directory),
            ids(&[])
        );
    }

    #[test]
    fn stepping_moves_one_session_and_stops_at_the_ends() {
        let list = ids(&["a", "b", "c"]);
        assert_eq!(step_selection(&list, Some("a"), true).as_deref(), Some("b"));
        assert_eq!(step_selection(&list, Some("c"), true).as_deref(), Some("c"));
        assert_eq!(
            step_selection(&list, Some("b"), false).as_deref(),
            Some("a")
        );
        assert_eq!(
            step_selection(&list, Some("a"), false).as_deref(),
            Some("a")
        );
        assert_eq!(step_selection(&list, None, true).as_deref(), Some("a"));
        assert_eq!(
            step_selection(&list, Some("gone"), false).as_deref(),
            Some("c")
        );
        assert_eq!(step_selection(&[], None, true), None);
    }

    #[test]
    fn next_unread_wraps_round_and_skips_the_read_ones() {
        let list = vec![
            ("a".to_owned(), 2),
            ("b".to_owned(), 0),
            ("c".to_owned(), 1),
        ];
        assert_eq!(next_unread(&list, Some("a")).as_deref(), Some("c"));
        assert_eq!(next_unread(&list, Some("c")).as_deref(), Some("a"));
        assert_eq!(next_unread(&list, None).as_deref(), Some("a"));
        assert_eq!(next_unread(&[("a".to_owned(), 0)], Some("a")), None);
        assert_eq!(next_unread(&[], None), None);
    }
}
