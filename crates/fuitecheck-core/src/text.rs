//! Characters a publication may not carry (SPEC §6, protocol 6.4), and a
//! defensive escape for whatever a terminal prints.
//!
//! Every string value of a manifest or catalogue, at any depth and in
//! unknown fields too, must be free of:
//! - C0 controls U+0000–U+001F, except `\n`, which is allowed only in the
//!   values of `description`, `who_is_concerned` and `who_to_ask`;
//! - DEL U+007F and the C1 controls U+0080–U+009F;
//! - U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR;
//! - the bidirectional controls U+202A–U+202E and U+2066–U+2069.
//!
//! Object keys are held to the same rule (they may reach an error message).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Fields whose values (a string, or the strings of a `{"fr","en"}`
/// object) may hold `\n`.
pub const MULTILINE_FIELDS: [&str; 3] = ["description", "who_is_concerned", "who_to_ask"];

/// A string value carries a character SPEC §6 forbids.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: U+{:04X} not allowed", u32::from(*codepoint))]
pub struct ForbiddenChar {
    /// JSON path of the value, e.g. `breaches[0].title.fr`.
    pub path: String,
    /// The character.
    pub codepoint: char,
}

/// Whether `c` is refused in a string value; `newline_ok` for the values
/// of [`MULTILINE_FIELDS`].
pub fn is_forbidden(c: char, newline_ok: bool) -> bool {
    match c {
        '\n' => !newline_ok,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// Check every string (and object key) of a whole JSON document, at any
/// depth; the error names the path, e.g. `breaches[0].title.fr`.
pub fn check_json(value: &serde_json::Value) -> Result<(), ForbiddenChar> {
    let mut path = String::new();
    walk(value, &mut path, 0)
}

/// Check one string, as the value at `path` (not a multi-line field).
pub fn check_str(path: &str, s: &str) -> Result<(), ForbiddenChar> {
    check_one(path, s, false)
}

fn check_one(path: &str, s: &str, newline_ok: bool) -> Result<(), ForbiddenChar> {
    match s.chars().find(|&c| is_forbidden(c, newline_ok)) {
        Some(codepoint) => Err(ForbiddenChar {
            path: path.to_owned(),
            codepoint,
        }),
        None => Ok(()),
    }
}

/// `multiline`: 2 for the value of a multi-line field, 1 for the strings
/// directly inside it (`fr`, `en`, any other language), 0 elsewhere.
fn walk(value: &serde_json::Value, path: &mut String, multiline: u8) -> Result<(), ForbiddenChar> {
    use serde_json::Value;
    match value {
        Value::String(s) => check_one(path, s, multiline > 0),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                walk(item, path, multiline.saturating_sub(1))?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                if let Some(codepoint) = key.chars().find(|&c| is_forbidden(c, false)) {
                    path.push_str(&escape_controls(key));
                    return Err(ForbiddenChar {
                        path: path.clone(),
                        codepoint,
                    });
                }
                path.push_str(key);
                let next = if MULTILINE_FIELDS.contains(&key.as_str()) {
                    2
                } else {
                    multiline.saturating_sub(1)
                };
                walk(item, path, next)?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

/// `s` with every control character (any `char::is_control`, `\n`
/// included) and every character of [`is_forbidden`] written as
/// `\u{…}`, for printing to a terminal defensively.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() || is_forbidden(c, false);
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: &serde_json::Value) -> String {
        check_json(v).unwrap_err().to_string()
    }

    #[test]
    fn every_forbidden_range_is_refused_with_its_path() {
        for c in [
            '\u{0}', '\t', '\r', '\u{1b}', '\u{1f}', '\u{7f}', '\u{80}', '\u{9f}', '\u{2028}',
            '\u{2029}', '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}',
        ] {
            let v = json!({"breaches": [{"title": {"fr": format!("a{c}b"), "en": "x"}}]});
            assert_eq!(
                err(&v),
                format!("breaches[0].title.fr: U+{:04X} not allowed", u32::from(c))
            );
        }
    }

    #[test]
    fn neighbours_of_the_ranges_are_allowed() {
        for c in [
            ' ', '~', '\u{a0}', 'é', '\u{202f}', '\u{2027}', '\u{2065}', '\u{206a}', '\u{200e}',
        ] {
            let v = json!({"publisher": format!("a{c}b")});
            assert_eq!(check_json(&v), Ok(()), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn newline_only_in_multiline_fields() {
        let ok = json!({"breaches": [{
            "description": {"fr": "a\nb", "en": "c\nd"},
            "who_is_concerned": {"fr": "a\nb"},
            "who_to_ask": "a\nb",
        }]});
        assert_eq!(check_json(&ok), Ok(()));
        assert_eq!(
            err(&json!({"breaches": [{"title": {"fr": "a\nb"}}]})),
            "breaches[0].title.fr: U+000A not allowed"
        );
        assert_eq!(
            err(&json!({"publisher": "a\nb"})),
            "publisher: U+000A not allowed"
        );
        // Not deeper than the language strings.
        assert_eq!(
            err(&json!({"description": {"fr": {"x": "a\nb"}}})),
            "description.fr.x: U+000A not allowed"
        );
        // Other controls stay refused in multi-line fields.
        assert_eq!(
            err(&json!({"description": {"fr": "a\rb"}})),
            "description.fr: U+000D not allowed"
        );
    }

    #[test]
    fn unknown_fields_arrays_and_keys_are_checked() {
        assert_eq!(
            err(&json!({"future": {"list": ["ok", "no\u{2066}"]}})),
            "future.list[1]: U+2066 not allowed"
        );
        assert_eq!(
            err(&json!({"sources": ["https://a", "https://b\u{85}"]})),
            "sources[1]: U+0085 not allowed"
        );
        assert_eq!(
            err(&json!({"ok": {"k\u{1b}y": 1}})),
            "ok.k\\u{1b}y: U+001B not allowed"
        );
        assert_eq!(check_str("publisher", "Mutuelle"), Ok(()));
        assert!(check_str("publisher", "M\u{202e}").is_err());
    }

    #[test]
    fn escape_controls_leaves_text_and_escapes_controls() {
        assert!(matches!(
            escape_controls("Mutuelle Exemple é"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            escape_controls("Mutuelle\u{1b}[2K\u{1b}[1A"),
            "Mutuelle\\u{1b}[2K\\u{1b}[1A"
        );
        assert_eq!(escape_controls("a\u{202e}b\nc"), "a\\u{202e}b\\u{a}c");
        assert_eq!(escape_controls("33\u{202f}000"), "33\u{202f}000");
    }
}
