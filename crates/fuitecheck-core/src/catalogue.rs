//! Breach descriptions (SPEC §5) and the self-assessment of §5.
//!
//! The real catalogue of breaches ships in `assets/catalogue/breaches.json`
//! and is embedded in the binary ([`Catalogue::embedded`]). A publication's
//! manifest carries the same breach objects (§6).

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::category::{Category, CategoryMask};

/// The real catalogue, as shipped.
pub const EMBEDDED_CATALOGUE: &str = include_str!("../../../assets/catalogue/breaches.json");

/// A text in French and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    /// French.
    pub fr: String,
    /// English.
    pub en: String,
}

/// The user interface language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// Français (default).
    #[default]
    Fr,
    /// English.
    En,
}

impl Lang {
    /// The name of `month` (1–12; out-of-range values are clamped).
    pub fn month_name(self, month: u8) -> &'static str {
        const FR: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let i = usize::from(month.clamp(1, 12) - 1);
        match self {
            Self::Fr => FR[i],
            Self::En => EN[i],
        }
    }
}

impl Localized {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

/// Where rights letters go.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Controller {
    /// Legal name of the data controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_address: Option<String>,
    /// Its data protection officer's e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpo_email: Option<String>,
    /// Its data protection officer's postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpo_postal_address: Option<String>,
}

/// A sanction decided against the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sanction {
    /// E.g. "CNIL".
    pub authority: String,
    /// E.g. "SAN-2022-009".
    pub reference: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Fine in euros, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_eur: Option<u64>,
    /// The decision.
    pub url: String,
}

/// What an answer says about whether a person may be concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indication {
    /// Points towards being concerned.
    Possibly,
    /// Points away from being concerned.
    Unlikely,
    /// Says nothing.
    Neutral,
}

/// A self-assessment question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable id, used by `assess --answer QID=yes`.
    pub id: String,
    /// The question.
    pub text: Localized,
    /// What "yes" indicates.
    pub if_yes: Indication,
    /// What "no" indicates.
    pub if_no: Indication,
}

/// A breach, SPEC §5. Unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breach {
    /// Stable slug `[a-z0-9-]{1,64}`.
    pub id: String,
    /// The number used in range lines, 1–65535.
    pub code: u16,
    /// Short name.
    pub title: Localized,
    /// Who held the data.
    pub organisation: String,
    /// Where rights letters go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<Controller>,
    /// When the data was taken (`YYYY-MM-DD` or `YYYY-MM`).
    pub breach_date: String,
    /// When it became public (`YYYY-MM-DD`).
    pub disclosed_date: String,
    /// People affected, as reported.
    pub people: u64,
    /// Every category this breach exposed.
    pub categories: Vec<Category>,
    /// Plain-language account.
    pub description: Localized,
    /// Health or other special-category data (GDPR art. 9).
    pub sensitive: bool,
    /// Where the facts come from.
    pub sources: Vec<String>,
    /// Who is affected, in plain words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who_is_concerned: Option<Localized>,
    /// Which organisation to write to when `controller` is not one body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who_to_ask: Option<Localized>,
    /// Categories officially said not to be exposed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reportedly_not_exposed: Vec<Category>,
    /// Sanctions decided.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sanctions: Vec<Sanction>,
    /// Self-assessment questions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessment: Vec<Question>,
}

impl Breach {
    /// The categories as a mask.
    pub fn mask(&self) -> CategoryMask {
        self.categories.iter().copied().collect()
    }
}

/// A catalogue or manifest that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogueError {
    /// Not JSON, or not the expected top-level shape.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// A breach is malformed; `breach` is its id, or `#N` (1-based) when it
    /// has none.
    #[error("breach {breach}: field `{field}`: {reason}")]
    Field {
        /// The breach's id or position.
        breach: String,
        /// The field at fault.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// A breach object does not deserialize (missing field, wrong type…).
    #[error("breach {breach}: {reason}")]
    Breach {
        /// The breach's id or position.
        breach: String,
        /// What serde said, which names the field.
        reason: String,
    },
    /// A string value carries a character SPEC §6 forbids (control,
    /// line separator or bidirectional control).
    #[error("invalid catalogue: {0}")]
    ForbiddenChar(#[from] crate::text::ForbiddenChar),
}

/// The list of known breaches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Catalogue {
    /// Breaches, in file order.
    pub breaches: Vec<Breach>,
}

#[derive(Deserialize)]
struct RawCatalogue {
    breaches: Vec<serde_json::Value>,
}

/// Parse and validate a list of breach objects (the catalogue's, or a
/// manifest's). Returns each breach with its raw object, so that callers can
/// read extra fields (the manifest's `set`).
pub(crate) fn parse_breaches(
    values: Vec<serde_json::Value>,
) -> Result<Vec<(Breach, serde_json::Value)>, CatalogueError> {
    let mut out = Vec::with_capacity(values.len());
    let mut ids = HashSet::new();
    let mut codes = HashSet::new();
    for (i, value) in values.into_iter().enumerate() {
        let name = value
            .get("id")
            .and_then(serde_json::Value::as_str)
            .map_or_else(|| format!("#{}", i + 1), |id| format!("`{id}`"));
        let breach = Breach::deserialize(&value).map_err(|e| CatalogueError::Breach {
            breach: name.clone(),
            reason: e.to_string(),
        })?;
        validate_breach(&breach, &name)?;
        let field = |field: &str, reason: String| CatalogueError::Field {
            breach: name.clone(),
            field: field.to_owned(),
            reason,
        };
        if !ids.insert(breach.id.clone()) {
            return Err(field("id", "duplicate id".to_owned()));
        }
        if !codes.insert(breach.code) {
            return Err(field("code", format!("duplicate code {}", breach.code)));
        }
        out.push((breach, value));
    }
    Ok(out)
}

fn validate_breach(b: &Breach, name: &str) -> Result<(), CatalogueError> {
    let err = |field: &str, reason: &str| {
        Err(CatalogueError::Field {
            breach: name.to_owned(),
            field: field.to_owned(),
            reason: reason.to_owned(),
        })
    };
    if b.id.is_empty()
        || b.id.len() > 64
        || !b
            .id
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
    {
        return err("id", "must be 1 to 64 characters among a-z, 0-9 and -");
    }
    if b.code == 0 {
        return err("code", "must be between 1 and 65535");
    }
    if !is_date(&b.breach_date, true) {
        return err("breach_date", "must be YYYY-MM-DD or YYYY-MM");
    }
    if !is_date(&b.disclosed_date, false) {
        return err("disclosed_date", "must be YYYY-MM-DD");
    }
    if b.categories.is_empty() {
        return err("categories", "must list at least one category");
    }
    for s in &b.sources {
        if !(s.starts_with("https://") || s.starts_with("http://")) {
            return err("sources", "every source must be an http(s) URL");
        }
    }
    for s in &b.sanctions {
        if !is_date(&s.date, false) {
            return err("sanctions", "sanction date must be YYYY-MM-DD");
        }
    }
    let mut qids = HashSet::new();
    for q in &b.assessment {
        if q.id.is_empty() || !qids.insert(q.id.as_str()) {
            return err("assessment", "question ids must be non-empty and unique");
        }
    }
    Ok(())
}

/// `YYYY-MM-DD`, or `YYYY-MM` when `allow_month`.
pub fn is_date(s: &str, allow_month: bool) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| p.len() == len && p.bytes().all(|c| c.is_ascii_digit());
    let month_ok = |p: &str| num(p, 2) && matches!(p.parse::<u8>(), Ok(1..=12));
    match parts.as_slice() {
        [y, m] => allow_month && num(y, 4) && month_ok(m),
        [y, m, d] => num(y, 4) && month_ok(m) && num(d, 2) && matches!(d.parse::<u8>(), Ok(1..=31)),
        _ => false,
    }
}

impl Catalogue {
    /// Parse and validate a catalogue file.
    pub fn from_json(text: &str) -> Result<Self, CatalogueError> {
        // Every string, unknown fields included, before anything else.
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| CatalogueError::Json(e.to_string()))?;
        crate::text::check_json(&value)?;
        let raw: RawCatalogue =
            serde_json::from_str(text).map_err(|e| CatalogueError::Json(e.to_string()))?;
        let breaches = parse_breaches(raw.breaches)?
            .into_iter()
            .map(|(b, _)| b)
            .collect();
        Ok(Self { breaches })
    }

    /// The catalogue shipped in the binary.
    pub fn embedded() -> Self {
        // The embedded file is validated by a unit test; an error here is a
        // build defect, and an empty catalogue is the safe fallback.
        Self::from_json(EMBEDDED_CATALOGUE).unwrap_or_default()
    }

    /// Find a breach by id.
    pub fn get(&self, id: &str) -> Option<&Breach> {
        self.breaches.iter().find(|b| b.id == id)
    }

    /// Serialize as SPEC §5 JSON.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A person's answer to a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Oui.
    Yes,
    /// Non.
    No,
    /// Je ne sais pas.
    Unknown,
}

impl std::str::FromStr for Answer {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "yes" | "y" | "oui" | "o" => Ok(Self::Yes),
            "no" | "n" | "non" => Ok(Self::No),
            "unknown" | "?" | "je ne sais pas" | "nsp" | "" => Ok(Self::Unknown),
            other => Err(format!("`{other}` is not yes, no or unknown")),
        }
    }
}

/// The verdict of a self-assessment (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// May be concerned (worded by the text layer, never as a certainty).
    Possibly,
    /// Probably not concerned.
    Unlikely,
    /// Nothing indicates either way.
    Unknown,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Possibly => "possibly",
            Self::Unlikely => "unlikely",
            Self::Unknown => "unknown",
        })
    }
}

/// The outcome of a self-assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// The breach's id.
    pub breach: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Why: each answer that weighed, in question order (the text layer
    /// words them).
    pub reasons: Vec<Reason>,
}

/// An answer that weighed in a verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The question's id.
    pub question: String,
    /// The question, in both languages.
    pub text: Localized,
    /// The answer given (yes or no: "je ne sais pas" never weighs).
    pub answer: Answer,
}

/// An answer given for a question id the breach does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("breach `{breach}` has no question `{question}` (its questions: {known})")]
pub struct UnknownQuestion {
    /// The breach.
    pub breach: String,
    /// The unknown id.
    pub question: String,
    /// The ids it has.
    pub known: String,
}

impl Breach {
    /// Apply SPEC v1.1 §5: `possibly` if any answer maps to possibly, else
    /// `unlikely` if any maps to unlikely, else `unknown` (a sign of being
    /// concerned, such as a letter from the organisation, outweighs a sign
    /// of not being). Unanswered questions count as "je ne sais pas".
    pub fn assess(
        &self,
        answers: &BTreeMap<String, Answer>,
    ) -> Result<Assessment, UnknownQuestion> {
        if let Some(q) = answers
            .keys()
            .find(|q| !self.assessment.iter().any(|x| &x.id == *q))
        {
            return Err(UnknownQuestion {
                breach: self.id.clone(),
                question: q.clone(),
                known: self
                    .assessment
                    .iter()
                    .map(|q| q.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        let mut unlikely = Vec::new();
        let mut possibly = Vec::new();
        for q in &self.assessment {
            let answer = answers.get(&q.id).copied().unwrap_or(Answer::Unknown);
            let indication = match answer {
                Answer::Yes => q.if_yes,
                Answer::No => q.if_no,
                Answer::Unknown => Indication::Neutral,
            };
            let reason = Reason {
                question: q.id.clone(),
                text: q.text.clone(),
                answer,
            };
            match indication {
                Indication::Unlikely => unlikely.push(reason),
                Indication::Possibly => possibly.push(reason),
                Indication::Neutral => {}
            }
        }
        let (verdict, reasons) = if !possibly.is_empty() {
            (Verdict::Possibly, possibly)
        } else if !unlikely.is_empty() {
            (Verdict::Unlikely, unlikely)
        } else {
            (Verdict::Unknown, Vec::new())
        };
        Ok(Assessment {
            breach: self.id.clone(),
            verdict,
            reasons,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breach_json(extra: &str) -> String {
        format!(
            r#"{{"breaches": [{{
            "id": "demo-a", "code": 7,
            "title": {{"fr": "A", "en": "A"}},
            "organisation": "Org",
            "breach_date": "2021-02", "disclosed_date": "2021-02-23",
            "people": 10, "categories": ["identity", "nir"],
            "description": {{"fr": "d", "en": "d"}},
            "sensitive": true, "sources": ["https://example.org/a"],
            "future_field": {{"ignored": true}},
            "assessment": [
              {{"id": "lab", "text": {{"fr": "Labo ?", "en": "Lab?"}}, "if_yes": "possibly", "if_no": "unlikely"}},
              {{"id": "mail", "text": {{"fr": "Courrier ?", "en": "Letter?"}}, "if_yes": "possibly", "if_no": "neutral"}}
            ]{extra}}}]}}"#
        )
    }

    #[test]
    fn parses_and_ignores_unknown_fields() {
        let c = Catalogue::from_json(&breach_json("")).unwrap();
        assert_eq!(c.breaches.len(), 1);
        assert_eq!(c.breaches[0].mask().bits(), 0b101);
    }

    /// SPEC §6: no control, line separator or bidirectional control in
    /// any string, unknown fields and keys included; `\n` only in the
    /// multi-line fields. The error names the JSON path and the code point.
    #[test]
    fn forbidden_characters_are_refused_with_their_path() {
        let bad = |from: &str, to: &str| {
            let text = breach_json("").replacen(from, to, 1);
            assert_ne!(text, breach_json(""), "{from}");
            match Catalogue::from_json(&text) {
                Err(CatalogueError::ForbiddenChar(e)) => e.to_string(),
                other => panic!("{from} → {to:?}: {other:?}"),
            }
        };
        assert_eq!(
            bad(r#""A", "en""#, r#""A\u202e", "en""#),
            "breaches[0].title.fr: U+202E not allowed"
        );
        assert_eq!(
            bad(r#""Org""#, r#""Org\u001b[2K""#),
            "breaches[0].organisation: U+001B not allowed"
        );
        assert_eq!(
            bad("https://example.org/a", r"https://example.org/a\u2028"),
            "breaches[0].sources[0]: U+2028 not allowed"
        );
        assert_eq!(
            bad(r#""demo-a""#, r#""demo-a\u0085""#),
            "breaches[0].id: U+0085 not allowed"
        );
        assert_eq!(
            bad(r#"{"ignored": true}"#, r#"{"note": "x\u2067"}"#),
            "breaches[0].future_field.note: U+2067 not allowed"
        );
        assert_eq!(
            bad(r#""Labo ?""#, r#""Labo\n?""#),
            "breaches[0].assessment[0].text.fr: U+000A not allowed"
        );
        assert_eq!(
            bad(
                r#""description": {"fr": "d""#,
                r#""description": {"fr": "d\td""#
            ),
            "breaches[0].description.fr: U+0009 not allowed"
        );
        // `\n` is fine in a description.
        let text = breach_json("").replace(
            r#""description": {"fr": "d", "en": "d"}"#,
            r#""description": {"fr": "d\nd", "en": "d\n\nd"}"#,
        );
        assert_eq!(
            Catalogue::from_json(&text).unwrap().breaches[0]
                .description
                .en,
            "d\n\nd"
        );
    }

    /// The shipped catalogue and the demo breaches pass the rule.
    #[test]
    fn shipped_data_has_no_forbidden_character() {
        for text in [EMBEDDED_CATALOGUE, crate::demo::DEMO_BREACHES] {
            let v: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(crate::text::check_json(&v), Ok(()));
        }
    }

    #[test]
    fn errors_name_breach_and_field() {
        let e = Catalogue::from_json(&breach_json(r#", "reportedly_not_exposed": ["medical"]"#))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`demo-a`") && e.contains("unknown category id `medical`"),
            "{e}"
        );
        let e = Catalogue::from_json(&breach_json("").replace(r#""people": 10,"#, ""))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`demo-a`") && e.contains("missing field `people`"),
            "{e}"
        );
        let e = Catalogue::from_json(&breach_json("").replace("2021-02-23", "23/02/2021"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("disclosed_date"), "{e}");
        let e = Catalogue::from_json(&breach_json("").replace("demo-a", "Demo A"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("field `id`"), "{e}");
        let two = breach_json("").replace("}]}", "}, ") + &breach_json("")[14..];
        let e = Catalogue::from_json(&two).unwrap_err().to_string();
        assert!(e.contains("duplicate id"), "{e}");
        let e = Catalogue::from_json(&two.replacen("demo-a", "demo-b", 1))
            .unwrap_err()
            .to_string();
        assert!(e.contains("duplicate code 7"), "{e}");
        assert!(matches!(
            Catalogue::from_json("[]"),
            Err(CatalogueError::Json(_))
        ));
    }

    #[test]
    fn assessment_rules() {
        let c = Catalogue::from_json(&breach_json("")).unwrap();
        let b = &c.breaches[0];
        let ans = |pairs: &[(&str, Answer)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), *v))
                .collect::<BTreeMap<_, _>>()
        };
        let v = |pairs: &[(&str, Answer)]| b.assess(&ans(pairs)).unwrap().verdict;
        assert_eq!(v(&[]), Verdict::Unknown);
        assert_eq!(v(&[("lab", Answer::Yes)]), Verdict::Possibly);
        // SPEC v1.1: a letter from the organisation outweighs "no".
        assert_eq!(
            v(&[("lab", Answer::No), ("mail", Answer::Yes)]),
            Verdict::Possibly
        );
        assert_eq!(
            v(&[("lab", Answer::No), ("mail", Answer::No)]),
            Verdict::Unlikely
        );
        let a = b
            .assess(&ans(&[("lab", Answer::No), ("mail", Answer::Yes)]))
            .unwrap();
        let said: Vec<_> = a
            .reasons
            .iter()
            .map(|r| (r.question.as_str(), r.answer))
            .collect();
        assert_eq!(said, vec![("mail", Answer::Yes)]);
        assert_eq!(a.reasons[0].text.fr, "Courrier ?");
        assert_eq!(v(&[("mail", Answer::No)]), Verdict::Unknown);
        assert_eq!(
            v(&[("lab", Answer::Unknown), ("mail", Answer::Yes)]),
            Verdict::Possibly
        );
        let a = b.assess(&ans(&[("lab", Answer::No)])).unwrap();
        let said: Vec<_> = a
            .reasons
            .iter()
            .map(|r| (r.question.as_str(), r.answer))
            .collect();
        assert_eq!(said, vec![("lab", Answer::No)]);
        assert!(b.assess(&ans(&[("zzz", Answer::Yes)])).is_err());
    }

    #[test]
    fn embedded_catalogue_is_valid() {
        let c = Catalogue::from_json(EMBEDDED_CATALOGUE).unwrap();
        assert!(!c.breaches.is_empty());
        for b in &c.breaches {
            assert!(!b.sources.is_empty(), "{} has no source", b.id);
            assert!(!b.assessment.is_empty(), "{} has no questions", b.id);
        }
    }

    /// SPEC v1.1 §5 on the real catalogue: whoever says they were notified
    /// is never told "probably not concerned", whatever else they answer.
    #[test]
    fn embedded_catalogue_never_says_unlikely_to_the_notified() {
        let c = Catalogue::from_json(EMBEDDED_CATALOGUE).unwrap();
        for b in &c.breaches {
            let notified: Vec<_> = b
                .assessment
                .iter()
                .filter(|q| q.id.starts_with("message"))
                .collect();
            assert!(
                !notified.is_empty(),
                "{} has no notification question",
                b.id
            );
            for q in &notified {
                assert_eq!(q.if_yes, Indication::Possibly, "{}/{}", b.id, q.id);
                assert_eq!(q.if_no, Indication::Neutral, "{}/{}", b.id, q.id);
                let mut answers: BTreeMap<String, Answer> = b
                    .assessment
                    .iter()
                    .map(|x| {
                        let a = if x.if_no == Indication::Unlikely {
                            Answer::No
                        } else {
                            Answer::Yes
                        };
                        (x.id.clone(), a)
                    })
                    .collect();
                answers.insert(q.id.clone(), Answer::Yes);
                for x in &b.assessment {
                    if x.if_yes == Indication::Possibly && x.id != q.id {
                        answers.insert(x.id.clone(), Answer::No);
                    }
                }
                let a = b.assess(&answers).unwrap();
                assert_eq!(a.verdict, Verdict::Possibly, "{}/{}", b.id, q.id);
            }
        }
    }

    /// Questions whose sources say "surtout" (mostly) never rule a person out.
    #[test]
    fn embedded_catalogue_mostly_questions_are_neutral_on_no() {
        let c = Catalogue::from_json(EMBEDDED_CATALOGUE).unwrap();
        let q = |b: &str, q: &str| {
            let b = c.get(b).unwrap();
            b.assessment.iter().find(|x| x.id == q).unwrap().if_no
        };
        assert_eq!(
            q(
                "laboratoires-dedalus-2021",
                "analyses_2015_2020_departements"
            ),
            Indication::Neutral
        );
        assert_eq!(
            q("aphp-tests-covid-2021", "test_ile_de_france"),
            Indication::Neutral
        );
        let dedalus = c.get("laboratoires-dedalus-2021").unwrap();
        let who = dedalus.who_is_concerned.as_ref().unwrap();
        assert!(who.fr.contains("Ille-et-Vilaine") && who.en.contains("Ille-et-Vilaine"));
        for b in &c.breaches {
            let text = serde_json::to_string(b).unwrap_or_default();
            assert!(!text.contains("début 2024"), "{}", b.id);
        }
    }

    #[test]
    fn dates() {
        assert!(is_date("2024-02", true));
        assert!(!is_date("2024-02", false));
        assert!(is_date("2024-02-07", false));
        assert!(!is_date("2024-13-07", false));
        assert!(!is_date("24-02-07", false));
    }
}
