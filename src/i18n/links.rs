//! A message's text as the agent reads it: plain words, and web addresses as links. Only `http://`
//! and `https://` addresses become links — never `javascript:`, `data:`, `file:` or any other
//! scheme — so a colleague's text can only ever open a web page in a new tab. Pure.

/// A piece of a message's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    /// An `http(s)://` address, as written.
    Link(&'a str),
}

/// `text` cut into plain text and links, in order; the pieces join back into `text` exactly.
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut plain_from = 0;
    let mut at = 0;
    while let Some(found) = next_scheme(text, at) {
        let end = link_end(text, found);
        let scheme_len = if starts_with_ignore_case(&text[found..], "https://") {
            8
        } else {
            7
        };
        if end > found + scheme_len {
            if found > plain_from {
                out.push(Segment::Text(&text[plain_from..found]));
            }
            out.push(Segment::Link(&text[found..end]));
            plain_from = end;
            at = end;
        } else {
            at = found + scheme_len;
        }
    }
    if plain_from < text.len() {
        out.push(Segment::Text(&text[plain_from..]));
    }
    out
}

/// Where the next `http://` or `https://` that starts a word begins, at or after `from`.
fn next_scheme(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        let rest = &text[at..];
        let starts_word = at == 0
            || matches!(
                bytes[at - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'(' | b'[' | b'<' | b'"' | b'\''
            );
        if starts_word
            && (starts_with_ignore_case(rest, "http://")
                || starts_with_ignore_case(rest, "https://"))
        {
            return Some(at);
        }
        // Next character boundary (text may hold any Unicode).
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Where the address starting at `from` ends: at white space or a character that cannot be in
/// one, without trailing punctuation (a sentence's full stop, a closing bracket it does not open).
fn link_end(text: &str, from: usize) -> usize {
    let rest = &text[from..];
    let mut end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
        .unwrap_or(rest.len());
    while let Some(last) = rest[..end].chars().next_back() {
        let unbalanced = match last {
            ')' => rest[..end].matches('(').count() < rest[..end].matches(')').count(),
            ']' => rest[..end].matches('[').count() < rest[..end].matches(']').count(),
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' => true,
            _ => false,
        };
        if !unbalanced {
            break;
        }
        end -= last.len_utf8();
    }
    from + end
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Segment::{Link, Text};

    #[test]
    fn http_and_https_addresses_become_links_without_trailing_punctuation() {
        assert_eq!(
            segments("See https://crm.example/case/42. Or http://wiki.example/a_(b), thanks"),
            [
                Text("See "),
                Link("https://crm.example/case/42"),
                Text(". Or "),
                Link("http://wiki.example/a_(b)"),
                Text(", thanks"),
            ]
        );
        assert_eq!(
            segments("(HTTPS://X.example)"),
            [Text("("), Link("HTTPS://X.example"), Text(")")]
        );
    }

    #[test]
    fn no_other_scheme_is_ever_a_link() {
        for text in [
            "javascript:alert(1)",
            "click javascript://%0Aalert(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "vbscript:msgbox",
            "xhttp://not.a.word.start",
            "https://",
            "http:// nothing",
        ] {
            assert!(
                segments(text).iter().all(|s| matches!(s, Text(_))),
                "{text} has no link"
            );
        }
    }

    #[test]
    fn the_pieces_join_back_into_the_text() {
        for text in [
            "",
            "plain",
            "a https://x.example b http://y.example/?q=1&r=2#f",
            "ünïcödé https://ü.example/ß 日本 http://例え.jp。",
            "https://a.example/https://b.example",
        ] {
            let joined: String = segments(text)
                .iter()
                .map(|s| match s {
                    Text(t) | Link(t) => *t,
                })
                .collect();
            assert_eq!(joined, text);
        }
    }
}
