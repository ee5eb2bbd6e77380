//! The data files under `assets/rights/`, embedded and parsed once.
//!
//! Legal text lives in these files, not in code: `guidance.{fr,en}.toml`
//! (steps and deadlines), `drafts.{fr,en}.toml` (explanations that come with
//! each draft) and `letters.fr.toml` (the French letters). Every statement
//! carries its sources; `tests/rights_content.rs` checks that, and that the
//! French and English files have the same keys.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use fuitecheck_core::catalogue::Lang;
use fuitecheck_core::category::Category;

/// `assets/rights/guidance.fr.toml`.
pub const GUIDANCE_FR: &str = include_str!("../../../assets/rights/guidance.fr.toml");
/// `assets/rights/guidance.en.toml`.
pub const GUIDANCE_EN: &str = include_str!("../../../assets/rights/guidance.en.toml");
/// `assets/rights/drafts.fr.toml`.
pub const DRAFTS_FR: &str = include_str!("../../../assets/rights/drafts.fr.toml");
/// `assets/rights/drafts.en.toml`.
pub const DRAFTS_EN: &str = include_str!("../../../assets/rights/drafts.en.toml");
/// `assets/rights/letters.fr.toml`.
pub const LETTERS_FR: &str = include_str!("../../../assets/rights/letters.fr.toml");

/// A labelled link (legal basis, official page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// What the link is, in the reader's language.
    pub label: String,
    /// The address.
    pub url: String,
}

/// One sourced statement shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// Stable id, the same in every language.
    pub id: String,
    /// The statement.
    pub text: String,
    /// Where it comes from (at least one URL).
    pub sources: Vec<String>,
    /// Shown only when one of these categories was exposed (empty: always).
    #[serde(default)]
    pub categories: Vec<Category>,
    /// Kept only so that a data file flagging a statement as "to be
    /// confirmed" is refused: [`try_load`] fails on it, since nothing
    /// unverified may reach a citizen (DOMAIN.md §8).
    #[serde(default)]
    pub verify: bool,
}

/// A step as written in the data file.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct RawStep {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub when: String,
    pub deadline: String,
    #[serde(default)]
    pub deadline_rule: Option<String>,
    #[serde(default)]
    pub draft: Option<String>,
    pub legal_basis: Vec<Link>,
    pub links: Vec<Link>,
    pub statements: Vec<Statement>,
}

/// The text of a tracked deadline.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct RawDeadline {
    pub label: String,
    pub next_step: String,
    pub sources: Vec<String>,
}

/// `guidance.{fr,en}.toml`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct GuidanceFile {
    pub disclaimer: String,
    pub steps: Vec<RawStep>,
    pub deadlines: BTreeMap<String, RawDeadline>,
}

/// The explanations of one draft kind.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct RawKind {
    pub title: String,
    pub send_hint: String,
    pub attachments: Vec<String>,
    pub prerequisites: Vec<String>,
    pub links: Vec<Link>,
    pub notes: Vec<Statement>,
}

/// A note that applies to one breach of the catalogue.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct BreachNote {
    pub breach: String,
    pub kind: String,
    #[serde(flatten)]
    pub statement: Statement,
}

/// `drafts.{fr,en}.toml`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct DraftsFile {
    pub recommande_hint: String,
    pub recommande_sources: Vec<String>,
    pub kinds: BTreeMap<String, RawKind>,
    #[serde(default)]
    pub breach_notes: Vec<BreachNote>,
}

/// A text cited by a letter.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Cite {
    pub article: String,
    pub url: String,
}

/// A part of a letter, kept when `when` holds.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Section {
    #[serde(default)]
    pub when: Option<String>,
    pub text: String,
}

/// One letter template.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct LetterTemplate {
    pub subject: String,
    pub cites: Vec<Cite>,
    pub sections: Vec<Section>,
    /// The documents the letter lists as enclosed, in the first person
    /// ("la copie de ma demande"), each kept when its `when` holds.
    #[serde(default)]
    pub attachments: Vec<Section>,
}

/// A known criminal inquiry into a breach.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Inquiry {
    pub text: String,
    pub sources: Vec<String>,
    /// The tribunal judiciaire whose prosecutor investigates (proposed in
    /// the plainte; the person may change it).
    #[serde(default)]
    pub court: Option<String>,
}

/// `letters.fr.toml`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct LettersFile {
    pub access: LetterTemplate,
    pub cnil: LetterTemplate,
    pub dereference: LetterTemplate,
    pub police: LetterTemplate,
    pub compensation: LetterTemplate,
    pub collective: LetterTemplate,
    #[serde(default)]
    pub inquiries: BTreeMap<String, Inquiry>,
}

impl LettersFile {
    pub(crate) fn get(&self, key: &str) -> Option<&LetterTemplate> {
        match key {
            "access" => Some(&self.access),
            "cnil" => Some(&self.cnil),
            "dereference" => Some(&self.dereference),
            "police" => Some(&self.police),
            "compensation" => Some(&self.compensation),
            "collective" => Some(&self.collective),
            _ => None,
        }
    }
}

/// All the parsed files.
pub(crate) struct Content {
    pub guidance_fr: GuidanceFile,
    pub guidance_en: GuidanceFile,
    pub drafts_fr: DraftsFile,
    pub drafts_en: DraftsFile,
    pub letters: LettersFile,
}

impl Content {
    pub(crate) fn guidance(&self, lang: Lang) -> &GuidanceFile {
        match lang {
            Lang::Fr => &self.guidance_fr,
            Lang::En => &self.guidance_en,
        }
    }

    pub(crate) fn drafts(&self, lang: Lang) -> &DraftsFile {
        match lang {
            Lang::Fr => &self.drafts_fr,
            Lang::En => &self.drafts_en,
        }
    }
}

/// A data file that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("assets/rights/{file}: {reason}")]
pub struct ContentError {
    /// The file name.
    pub file: &'static str,
    /// What the TOML parser said.
    pub reason: String,
}

fn parse<T: for<'de> Deserialize<'de>>(file: &'static str, text: &str) -> Result<T, ContentError> {
    toml::from_str(text).map_err(|e| ContentError {
        file,
        reason: e.to_string(),
    })
}

/// Parse every embedded data file; an error names the file. A statement
/// flagged `verify = true` is an error: unverified text is never shown.
pub(crate) fn try_load() -> Result<Content, ContentError> {
    let content = Content {
        guidance_fr: parse("guidance.fr.toml", GUIDANCE_FR)?,
        guidance_en: parse("guidance.en.toml", GUIDANCE_EN)?,
        drafts_fr: parse("drafts.fr.toml", DRAFTS_FR)?,
        drafts_en: parse("drafts.en.toml", DRAFTS_EN)?,
        letters: parse("letters.fr.toml", LETTERS_FR)?,
    };
    check_verified(&content)?;
    Ok(content)
}

/// Refuse any statement flagged `verify = true`.
fn check_verified(content: &Content) -> Result<(), ContentError> {
    let unverified = |file: &'static str, id: &str| ContentError {
        file,
        reason: format!("statement `{id}` is flagged verify: verify it or remove it"),
    };
    for (file, g) in [
        ("guidance.fr.toml", &content.guidance_fr),
        ("guidance.en.toml", &content.guidance_en),
    ] {
        if let Some(st) = g
            .steps
            .iter()
            .flat_map(|s| &s.statements)
            .find(|st| st.verify)
        {
            return Err(unverified(file, &st.id));
        }
    }
    for (file, d) in [
        ("drafts.fr.toml", &content.drafts_fr),
        ("drafts.en.toml", &content.drafts_en),
    ] {
        let notes = d.kinds.values().flat_map(|k| &k.notes);
        let breach = d.breach_notes.iter().map(|n| &n.statement);
        if let Some(st) = notes.chain(breach).find(|st| st.verify) {
            return Err(unverified(file, &st.id));
        }
    }
    Ok(())
}

/// Check that the embedded data files parse. Tests call this; the app may
/// call it at start to fail loudly rather than show empty guidance.
pub fn validate() -> Result<(), ContentError> {
    try_load().map(|_| ())
}

static CONTENT: OnceLock<Option<Content>> = OnceLock::new();

/// The parsed content, or `None` if an embedded file is broken (a build
/// defect caught by the tests; callers then show nothing rather than crash).
pub(crate) fn content() -> Option<&'static Content> {
    CONTENT.get_or_init(|| try_load().ok()).as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_flag(text: &str, id: &str) -> String {
        let at = text.find(&format!("id = \"{id}\"")).expect("statement id");
        format!("{}verify = true\n{}", &text[..at], &text[at..])
    }

    #[test]
    fn a_statement_flagged_verify_is_refused() {
        let mut c = try_load().expect("embedded content is valid");
        c.guidance_en = parse("guidance.en.toml", &with_flag(GUIDANCE_EN, "phishing")).unwrap();
        let e = check_verified(&c).unwrap_err();
        assert_eq!(e.file, "guidance.en.toml");
        assert!(e.reason.contains("`phishing`"), "{e}");

        let mut c = try_load().unwrap();
        c.drafts_fr = parse("drafts.fr.toml", &with_flag(DRAFTS_FR, "court_matter")).unwrap();
        let e = check_verified(&c).unwrap_err();
        assert_eq!(e.file, "drafts.fr.toml");
        assert!(check_verified(&try_load().unwrap()).is_ok());
    }
}
