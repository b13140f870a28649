//! The canned responses: the host's list or the defaults in the agent's language, the picker's
//! filter, placeholders and insertion into the draft. Pure.

use serde::Deserialize;

use crate::i18n::Texts;

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
    let serde_json::Value::Array(entries) = crate::json::parse(json).ok()? else {
        return None;
    };
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
