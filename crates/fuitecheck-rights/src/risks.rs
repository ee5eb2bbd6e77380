//! The likely consequences of each leaked category and what to do about
//! it: `assets/rights/risks.toml`, one sentence each in French and English,
//! with the official advice they come from.
//!
//! The app's results screen shows them next to each category of a match;
//! `fuitecheck-publish notice` writes them into the art. 34 communication
//! (the likely consequences, art. 33(3)(c), and the measures the person can
//! take, art. 33(3)(d)). One data file for both, so the publisher's notice
//! and the citizen's app never say different things.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use fuitecheck_core::catalogue::{Lang, Localized};
use fuitecheck_core::category::Category;

/// `assets/rights/risks.toml`.
pub const RISKS: &str = include_str!("../../../assets/rights/risks.toml");

/// What a leaked category risks and what to do, with sources.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Risk {
    /// The likely consequence, one sentence starting in lower case (it
    /// follows the category's label and a colon).
    pub risk: Localized,
    /// What the person can do about it, one sentence, same style.
    pub action: Localized,
    /// Official advice the two sentences come from (at least one URL).
    pub sources: Vec<String>,
}

/// The data file that does not parse or misses a category.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("assets/rights/risks.toml: {0}")]
pub struct RisksError(pub String);

/// Parse [`RISKS`]: every category once, each with a source.
pub fn try_load() -> Result<BTreeMap<Category, Risk>, RisksError> {
    let raw: BTreeMap<String, Risk> =
        toml::from_str(RISKS).map_err(|e| RisksError(e.to_string()))?;
    let mut out = BTreeMap::new();
    for (id, risk) in raw {
        let c = Category::from_id(&id)
            .ok_or_else(|| RisksError(format!("`{id}` is not a category id")))?;
        if risk.sources.is_empty() || risk.sources.iter().any(|s| !s.starts_with("https://")) {
            return Err(RisksError(format!(
                "`{id}`: every entry needs https sources"
            )));
        }
        for text in [
            &risk.risk.fr,
            &risk.risk.en,
            &risk.action.fr,
            &risk.action.en,
        ] {
            if text.trim().is_empty() {
                return Err(RisksError(format!("`{id}`: empty text")));
            }
        }
        out.insert(c, risk);
    }
    if let Some(c) = Category::ALL.iter().find(|c| !out.contains_key(c)) {
        return Err(RisksError(format!("no entry for `{}`", c.id())));
    }
    Ok(out)
}

static TABLE: OnceLock<BTreeMap<Category, Risk>> = OnceLock::new();

fn table() -> &'static BTreeMap<Category, Risk> {
    // A broken embedded file is a build defect caught by the tests; the
    // fallback is an empty table (no sentence rather than a crash).
    TABLE.get_or_init(|| try_load().unwrap_or_default())
}

/// The entry for `c` (`None` only if the embedded file is broken).
pub fn risk(c: Category) -> Option<&'static Risk> {
    table().get(&c)
}

/// One sentence on the concrete risk of a leaked category.
pub fn category_risk(c: Category, lang: Lang) -> &'static str {
    risk(c).map_or("", |r| r.risk.get(lang))
}

/// One sentence on what to do now about a leaked category.
pub fn category_action(c: Category, lang: Lang) -> &'static str {
    risk(c).map_or("", |r| r.action.get(lang))
}

/// Where the two sentences for `c` come from.
pub fn category_sources(c: Category) -> &'static [String] {
    risk(c).map_or(&[], |r| r.sources.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_both_texts_and_a_source() {
        let t = try_load().expect("risks.toml is valid");
        assert_eq!(t.len(), Category::ALL.len());
        for c in Category::ALL {
            for lang in [Lang::Fr, Lang::En] {
                assert!(!category_risk(*c, lang).is_empty(), "{c}");
                assert!(!category_action(*c, lang).is_empty(), "{c}");
            }
            assert!(!category_sources(*c).is_empty(), "{c}");
        }
        assert!(category_risk(Category::Nir, Lang::Fr).contains("ne peut pas être changé"));
    }
}
