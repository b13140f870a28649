//! The agent's workflow helpers: which sessions the list shows (filter, search), which session a
//! shortcut moves to, and the canned responses (filtering, placeholders). Pure; no web-sys here.

use serde::Deserialize;

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

/// One canned response: what the picker shows and what it inserts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum CannedEntry {
    Text(String),
    Titled { title: String, text: String },
}

/// A canned response as the widget keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannedResponse {
    /// Shown in the picker (the text itself when the host gave no title).
    pub title: String,
    /// Inserted into the composer, placeholders filled.
    pub text: String,
}

impl From<CannedEntry> for CannedResponse {
    fn from(entry: CannedEntry) -> Self {
        match entry {
            CannedEntry::Text(text) => Self {
                title: text.clone(),
                text,
            },
            CannedEntry::Titled { title, text } => Self { title, text },
        }
    }
}

/// Reads `data-canned-responses` (a JSON array of strings or `{ "title", "text" }`); entries that are
/// neither, or blank, are skipped. `None` when the value is not a JSON array.
pub fn parse_canned(json: &str) -> Option<Vec<CannedResponse>> {
    let entries: Vec<serde_json::Value> = serde_json::from_str(json).ok()?;
    Some(
        entries
            .into_iter()
            .filter_map(|entry| serde_json::from_value::<CannedEntry>(entry).ok())
            .map(CannedResponse::from)
            .filter(|c| !c.text.trim().is_empty())
            .collect(),
    )
}

/// The list used when the host configures none (English): agent-to-supervisor phrases.
pub fn default_canned() -> Vec<CannedResponse> {
    canned_in(crate::i18n::Locale::En.texts())
}

/// The default list in the catalogue's language.
pub fn canned_in(t: &Texts) -> Vec<CannedResponse> {
    t.canned
        .iter()
        .map(|(title, text)| CannedResponse {
            title: (*title).to_owned(),
            text: (*text).to_owned(),
        })
        .collect()
}

/// The host's canned responses, or the defaults in the agent's language when the host gave none
/// (the config holds the English defaults then: it is read before the language is known).
pub fn canned_for(configured: &[CannedResponse], t: &Texts) -> Vec<CannedResponse> {
    if configured == default_canned().as_slice() {
        canned_in(t)
    } else {
        configured.to_vec()
    }
}

/// The canned responses whose title or text contains `query` (case-insensitive), in list order.
pub fn filter_canned<'a>(list: &'a [CannedResponse], query: &str) -> Vec<&'a CannedResponse> {
    let query = query.trim().to_lowercase();
    list.iter()
        .filter(|c| {
            query.is_empty()
                || c.title.to_lowercase().contains(&query)
                || c.text.to_lowercase().contains(&query)
        })
        .collect()
}

/// `text` with `{number}` replaced by the other party's number and `{name}` by their directory name
/// (else the number); without a number, placeholders are left for the agent to fill.
pub fn fill_placeholders(text: &str, number: Option<&str>, name: Option<&str>) -> String {
    let Some(number) = number else {
        return text.to_owned();
    };
    text.replace("{number}", number)
        .replace("{name}", name.unwrap_or(number))
}

/// The picker's filter: what follows a leading `/` in the draft ("" when the draft has none).
pub fn canned_query(draft: &str) -> &str {
    draft.strip_prefix('/').unwrap_or("")
}

/// The draft after inserting `text`: it replaces a `/filter` draft, else follows what is written.
pub fn insert_canned(draft: &str, text: &str) -> String {
    if draft.starts_with('/') || draft.trim().is_empty() {
        text.to_owned()
    } else {
        format!("{} {text}", draft.trim_end())
    }
}

/// The keyboard shortcuts, as the help panel lists them: (keys, what they do). Keys stay keys.
pub fn shortcuts(t: &Texts) -> [(&'static str, &'static str); 8] {
    [
        ("Alt+↓", t.shortcut_next),
        ("Alt+↑", t.shortcut_previous),
        ("Alt+U", t.shortcut_unread),
        ("Enter", t.shortcut_send),
        ("Shift+Enter", t.shortcut_new_line),
        ("/", t.shortcut_canned),
        (t.keys_choose, t.shortcut_choose),
        ("Escape", t.shortcut_escape),
    ]
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

    #[test]
    fn canned_responses_parse_strings_and_titled_entries_and_skip_the_rest() {
        let list =
            parse_canned(r#"["Hello {name}", {"title":"Bye","text":"Goodbye"}, 7, {"x":1}, " "]"#)
                .unwrap_or_default();
        assert_eq!(
            list,
            vec![
                CannedResponse {
                    title: "Hello {name}".into(),
                    text: "Hello {name}".into()
                },
                CannedResponse {
                    title: "Bye".into(),
                    text: "Goodbye".into()
                },
            ]
        );
        assert_eq!(parse_canned("{nope"), None);
        assert_eq!(parse_canned(r#"{"a":"b"}"#), None);
        assert_eq!(default_canned().len(), 3);
        let german = crate::i18n::Locale::De.texts();
        assert_eq!(
            canned_for(&default_canned(), german)[0].title,
            "Brauche Hilfe"
        );
        assert_eq!(canned_for(&list, german), list);
    }

    #[test]
    fn the_picker_filters_by_title_or_text() {
        let list = default_canned();
        let titles = |q: &str| {
            filter_canned(&list, q)
                .iter()
                .map(|c| c.title.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(titles(""), vec!["Need help", "On it", "Escalate"]);
        assert_eq!(titles("esc"), vec!["Escalate"]);
        assert_eq!(titles("SHORTLY"), vec!["On it"]);
        assert!(titles("zzz").is_empty());
    }

    #[test]
    fn placeholders_take_the_number_and_the_name_else_the_number() {
        let text = "Hi {name} ({number})";
        assert_eq!(
            fill_placeholders(text, Some("3002"), Some("Sam")),
            "Hi Sam (3002)"
        );
        assert_eq!(
            fill_placeholders(text, Some("3002"), None),
            "Hi 3002 (3002)"
        );
        assert_eq!(fill_placeholders(text, None, None), text);
    }

    #[test]
    fn inserting_replaces_a_slash_filter_and_follows_other_text() {
        assert_eq!(canned_query("/esc"), "esc");
        assert_eq!(canned_query("esc"), "");
        assert_eq!(insert_canned("/esc", "Hello"), "Hello");
        assert_eq!(insert_canned("", "Hello"), "Hello");
        assert_eq!(insert_canned("Dear Sam, ", "Hello"), "Dear Sam, Hello");
    }

    #[test]
    fn every_shortcut_is_listed_once() {
        let keys: Vec<_> = shortcuts(crate::i18n::Locale::Ar.texts())
            .iter()
            .map(|(k, _)| *k)
            .collect();
        let mut unique = keys.clone();
        unique.dedup();
        assert_eq!(keys, unique);
    }
}
