//! "No user-facing French sentence in core" (issue 12, item 2): the
//! protocol crate returns typed values and the `fuitecheck` binary's text
//! layer (`src/text.rs`) words them. This test reads every `.rs` file of
//! `crates/fuitecheck-core/src`, lexes its string literals (comments, char
//! literals and raw strings handled), skips `#[cfg(test)]` items and the
//! short allow-list of data tables below, and fails on any literal that
//! looks French: an accented letter, « », or a common French word.
// A test reports failure by panicking: unwrap/expect are its asserts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// Items whose literals are data, not sentences: (file, the line the item
/// starts with, why). The item runs to its closing `}` or `;`.
const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "nir.rs",
        "const DEPARTEMENTS",
        "names of the Code officiel géographique",
    ),
    (
        "category.rs",
        "categories! {",
        "the SPEC §4 table of category labels (also used by rights' letters)",
    ),
    (
        "catalogue.rs",
        "pub fn month_name",
        "month names, data for the date formatters",
    ),
    (
        "demo.rs",
        "pub const PUBLISHER",
        "the demo publication's publisher name (signed manifest data)",
    ),
    (
        "demo.rs",
        "pub const IDENTITIES",
        "the README's fictional identities (demo data)",
    ),
    (
        "catalogue.rs",
        "impl std::str::FromStr for Answer",
        "answers a person may type (\"oui\", \"je ne sais pas\"): input, not output",
    ),
];

const FRENCH_LETTERS: &str = "éèêëàâçùûüôîïœæÉÈÊËÀÂÇÙÛÜÔÎÏŒÆ«»";
const FRENCH_WORDS: &[&str] = &[
    " le ", " la ", " les ", " des ", " du ", " un ", " une ", " est ", " et ", " vous ",
    " votre ", " vos ", " pour ", " pas ", " avec ", " l'", " d'", " n'", " qu'",
];

/// A string literal: 1-based line and its text (escapes left as written).
#[derive(Debug)]
struct Literal {
    line: usize,
    offset: usize,
    text: String,
}

/// A structural event outside literals and comments.
#[derive(Debug, Clone, Copy)]
enum Event {
    Open,
    Close(char),
    Semicolon,
}

/// Lex `src` into string literals and bracket/semicolon events.
fn lex(src: &str) -> (Vec<Literal>, Vec<(usize, Event)>) {
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let mut literals = Vec::new();
    let mut events = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        let offset = chars[i].0;
        match c {
            '/' if at(i + 1) == Some('/') => {
                while at(i).is_some_and(|c| c != '\n') {
                    i += 1;
                }
            }
            '/' if at(i + 1) == Some('*') => {
                let mut depth = 0;
                loop {
                    match (at(i), at(i + 1)) {
                        (Some('/'), Some('*')) => {
                            depth += 1;
                            i += 2;
                        }
                        (Some('*'), Some('/')) => {
                            depth -= 1;
                            i += 2;
                            if depth == 0 {
                                break;
                            }
                        }
                        (Some(_), _) => i += 1,
                        (None, _) => break,
                    }
                }
            }
            'r' | 'b' | 'c'
                if {
                    // Raw string: r"…", r#"…"#, br"…", cr"…".
                    let mut j = i + 1;
                    if c != 'r' && at(j) == Some('r') {
                        j += 1;
                    }
                    let prev_ident =
                        i > 0 && at(i - 1).is_some_and(|p| p.is_alphanumeric() || p == '_');
                    (c == 'r' || at(i + 1) == Some('r'))
                        && !prev_ident
                        && matches!(at(j), Some('"' | '#'))
                } =>
            {
                let mut j = i + 1;
                if c != 'r' {
                    j += 1;
                }
                let mut hashes = 0;
                while at(j) == Some('#') {
                    hashes += 1;
                    j += 1;
                }
                if at(j) != Some('"') {
                    // `r#ident`: a raw identifier.
                    i = j;
                    continue;
                }
                j += 1;
                let start = j;
                loop {
                    match at(j) {
                        None => break,
                        Some('"') if (1..=hashes).all(|k| at(j + k) == Some('#')) => break,
                        Some(_) => j += 1,
                    }
                }
                let text: String = chars[start..j.min(chars.len())]
                    .iter()
                    .map(|&(_, c)| c)
                    .collect();
                literals.push(Literal {
                    line: src[..offset].matches('\n').count() + 1,
                    offset,
                    text,
                });
                i = j + 1 + hashes;
            }
            '"' => {
                let mut j = i + 1;
                let start = j;
                while let Some(c) = at(j) {
                    match c {
                        '\\' => j += 2,
                        '"' => break,
                        _ => j += 1,
                    }
                }
                let text: String = chars[start..j.min(chars.len())]
                    .iter()
                    .map(|&(_, c)| c)
                    .collect();
                literals.push(Literal {
                    line: src[..offset].matches('\n').count() + 1,
                    offset,
                    text,
                });
                i = j + 1;
            }
            '\'' => {
                // A char literal ('x', '\n', '\u{a0}', '"') or a lifetime.
                if at(i + 1) == Some('\\') {
                    let mut j = i + 3;
                    while at(j).is_some_and(|c| c != '\'') {
                        j += 1;
                    }
                    i = j + 1;
                } else if at(i + 2) == Some('\'') {
                    i += 3;
                } else {
                    i += 1;
                }
            }
            '(' | '[' | '{' => {
                events.push((offset, Event::Open));
                i += 1;
            }
            ')' | ']' | '}' => {
                events.push((offset, Event::Close(c)));
                i += 1;
            }
            ';' => {
                events.push((offset, Event::Semicolon));
                i += 1;
            }
            _ => i += 1,
        }
    }
    (literals, events)
}

/// Byte range of the item starting at `start`: up to its closing `}` or
/// its `;` at the same depth.
fn item_range(start: usize, events: &[(usize, Event)]) -> (usize, usize) {
    let mut depth = 0i32;
    for &(offset, e) in events.iter().filter(|(o, _)| *o >= start) {
        match e {
            Event::Open => depth += 1,
            Event::Close(c) => {
                depth -= 1;
                if depth == 0 && c == '}' {
                    return (start, offset);
                }
            }
            Event::Semicolon if depth == 0 => return (start, offset),
            Event::Semicolon => {}
        }
    }
    (start, usize::MAX)
}

/// Offsets of the lines of `src` whose trimmed text starts with `marker`.
fn marker_offsets<'a>(src: &'a str, marker: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut offset = 0;
    src.split_inclusive('\n').filter_map(move |line| {
        let here = offset + (line.len() - line.trim_start().len());
        offset += line.len();
        line.trim_start().starts_with(marker).then_some(here)
    })
}

fn looks_french(text: &str) -> bool {
    if text.chars().any(|c| FRENCH_LETTERS.contains(c)) {
        return true;
    }
    let padded = format!(" {} ", text.to_lowercase().replace("\\n", " "));
    FRENCH_WORDS.iter().any(|w| padded.contains(w))
}

/// The French-looking literals of one file (`name` is its file name, for
/// the allow-list), as `line: text`.
fn french_literals(name: &str, src: &str) -> Vec<String> {
    let (literals, events) = lex(src);
    let mut skipped: Vec<(usize, usize)> = marker_offsets(src, "#[cfg(test)]")
        .map(|o| item_range(o, &events))
        .collect();
    for (file, marker, _why) in ALLOWED {
        if *file == name {
            skipped.extend(marker_offsets(src, marker).map(|o| item_range(o, &events)));
        }
    }
    literals
        .iter()
        .filter(|l| !skipped.iter().any(|&(a, b)| (a..=b).contains(&l.offset)))
        .filter(|l| looks_french(&l.text))
        .map(|l| format!("{}: {:?}", l.line, l.text))
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn core_holds_no_french_sentence() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/fuitecheck-core/src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    assert!(
        files.len() > 10,
        "core sources not found in {}",
        root.display()
    );
    let mut found = Vec::new();
    for path in &files {
        let src = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        for hit in french_literals(name, &src) {
            found.push(format!(
                "{}:{hit}",
                path.strip_prefix(&root).unwrap().display()
            ));
        }
    }
    assert!(
        found.is_empty(),
        "user-facing French in fuitecheck-core (return a typed value and word it in \
         src/text.rs, or allow-list a data table in tests/no_prose_in_core.rs):\n{}",
        found.join("\n")
    );
}

/// The scanner itself: it flags a French literal, and only where it should.
#[test]
fn scanner_flags_french_and_skips_comments_tests_and_data() {
    let src = r###"
//! Le module « doc » est ignoré.
/* Un commentaire, /* imbriqué */ aussi. */
pub const OOPS: &str = "Numéro invalide";
pub fn f() -> String { format!("vous avez {} ans", 3) }
pub const RAW: &str = r#"la "clé" ici"#;
pub const CHARS: [char; 3] = ['é', '\'', '"'];
pub fn g<'a>(x: &'a str) -> &'a str { x }
pub const ENGLISH: &str = "the key does not match the first 13 characters";
const DEPARTEMENTS: &[(&str, &str)] = &[("07", "Ardèche"), ("2A", "Corse-du-Sud")];
#[cfg(test)]
mod tests {
    fn t() { assert_eq!(canon("Lefèvre"), "LEFEVRE"); }
}
pub const AFTER: &str = "Fin du test";
"###;
    let found = french_literals("nir.rs", src);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found[0].contains("Numéro invalide"), "{found:#?}");
    assert!(found[1].contains("vous avez"), "{found:#?}");
    assert!(found[2].contains("clé"), "{found:#?}");
    assert!(found[3].contains("Fin du test"), "{found:#?}");
    // The data table is allow-listed for nir.rs only.
    assert!(
        french_literals("check.rs", src)
            .iter()
            .any(|l| l.contains("Ardèche"))
    );
}
