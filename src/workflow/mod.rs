//! The agent's workflow helpers, pure (no web-sys here): `list` (which sessions the list shows,
//! which one a shortcut moves to), `canned` (the canned responses) and the shortcuts table.

mod canned;
mod list;

pub use canned::*;
pub use list::*;

use crate::i18n::Texts;

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
