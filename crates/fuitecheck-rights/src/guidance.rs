//! The guidance model: which steps apply, in which order, and why.

use serde::{Deserialize, Serialize};

use fuitecheck_core::catalogue::{Breach, Lang};
use fuitecheck_core::category::Category;

use super::content::{self, Link, Statement};
use super::deadline::DeadlineRule;
use super::draft::DraftKind;

/// The steps, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum StepId {
    /// Ask the controller (GDPR art. 15 and 34).
    AskController,
    /// Protective actions (phishing, passwords, FICOBA, 17Cyber).
    Protect,
    /// Criminal complaint (plainte) or letter to the procureur.
    Plainte,
    /// Complaint to the CNIL after no or an inadequate answer (art. 77).
    CnilComplaint,
    /// Erasure (art. 17) and objection (art. 21), with their limits.
    ErasureObjection,
    /// Delisting from search engines, if the data appear online.
    Dereference,
    /// Compensation (art. 82).
    Compensation,
    /// Collective action (art. 80, action de groupe).
    CollectiveAction,
}

impl StepId {
    /// Every step, in order.
    pub const ALL: &'static [StepId] = &[
        Self::AskController,
        Self::Protect,
        Self::Plainte,
        Self::CnilComplaint,
        Self::ErasureObjection,
        Self::Dereference,
        Self::Compensation,
        Self::CollectiveAction,
    ];

    /// The id used in the data files.
    pub fn key(self) -> &'static str {
        match self {
            Self::AskController => "ask_controller",
            Self::Protect => "protect",
            Self::Plainte => "plainte",
            Self::CnilComplaint => "cnil_complaint",
            Self::ErasureObjection => "erasure_objection",
            Self::Dereference => "dereference",
            Self::Compensation => "compensation",
            Self::CollectiveAction => "collective_action",
        }
    }

    /// Parse a data-file id.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.key() == key)
    }
}

/// One step a person can take, with everything needed to show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Which step.
    pub id: StepId,
    /// 1-based position in the list.
    pub number: usize,
    /// Short title.
    pub title: String,
    /// What to do, in two sentences.
    pub summary: String,
    /// When the step applies ("Toujours en premier", "Seulement si…").
    pub when: String,
    /// The deadline that governs it, in words.
    pub deadline: String,
    /// The same deadline as a rule the case file can compute, if any.
    pub deadline_rule: Option<DeadlineRule>,
    /// Legal basis (article, judgment), each with a link.
    pub legal_basis: Vec<Link>,
    /// Official pages.
    pub links: Vec<Link>,
    /// Sourced explanations; those tied to categories the breaches did not
    /// expose are left out.
    pub statements: Vec<Statement>,
    /// The draft that helps with this step.
    pub draft: Option<DraftKind>,
}

/// The ordered steps for a person concerned (or who may be) by `breaches`.
///
/// `categories` are the categories to weigh: a match's own categories, or
/// for someone who only "may be concerned", the union of the breaches'
/// categories (pass `&[]` to use that union). Statements tied to categories
/// (e.g. password advice when credentials leaked) are kept only when one of
/// their categories is present.
///
/// ```
/// use fuitecheck_core::catalogue::{Catalogue, Lang};
/// use fuitecheck_rights::{guidance, StepId};
///
/// let cat = Catalogue::embedded();
/// let b = cat.get("viamedis-almerys-2024").unwrap();
/// let steps = guidance(&[b], &[], Lang::Fr);
/// assert_eq!(steps[0].id, StepId::AskController);
/// assert!(steps.iter().all(|s| s.statements.iter().all(|st| !st.sources.is_empty())));
/// ```
pub fn guidance(breaches: &[&Breach], categories: &[Category], lang: Lang) -> Vec<Step> {
    let Some(content) = content::content() else {
        return Vec::new();
    };
    let mut weighed: Vec<Category> = categories.to_vec();
    if weighed.is_empty() {
        for b in breaches {
            weighed.extend(b.categories.iter().copied());
        }
    }
    weighed.sort();
    weighed.dedup();
    let file = content.guidance(lang);
    let mut steps = Vec::new();
    for raw in &file.steps {
        let Some(id) = StepId::from_key(&raw.id) else {
            continue;
        };
        let statements = raw
            .statements
            .iter()
            .filter(|s| s.categories.is_empty() || s.categories.iter().any(|c| weighed.contains(c)))
            .cloned()
            .collect();
        steps.push(Step {
            id,
            number: steps.len() + 1,
            title: raw.title.clone(),
            summary: raw.summary.clone(),
            when: raw.when.clone(),
            deadline: raw.deadline.clone(),
            deadline_rule: raw
                .deadline_rule
                .as_deref()
                .and_then(DeadlineRule::from_key),
            legal_basis: raw.legal_basis.clone(),
            links: raw.links.clone(),
            statements,
            draft: raw.draft.as_deref().and_then(DraftKind::from_key),
        });
    }
    steps
}

/// The general disclaimer shown above the steps.
pub fn disclaimer(lang: Lang) -> String {
    content::content()
        .map(|c| c.guidance(lang).disclaimer.clone())
        .unwrap_or_default()
}

/// Steps as plain text (for `fuitecheck guide` and exports).
pub fn steps_to_text(steps: &[Step], lang: Lang) -> String {
    let (deadline, basis, sources, links) = match lang {
        Lang::Fr => ("Délai", "Base légale", "Sources", "Liens"),
        Lang::En => ("Deadline", "Legal basis", "Sources", "Links"),
    };
    let mut out = String::new();
    out.push_str(&disclaimer(lang));
    out.push_str("\n\n");
    for s in steps {
        out.push_str(&format!("{}. {}\n", s.number, s.title));
        out.push_str(&format!("   {}\n   {}\n", s.summary, s.when));
        out.push_str(&format!("   {deadline}{}{}\n", sep(lang), s.deadline));
        if !s.legal_basis.is_empty() {
            let labels: Vec<&str> = s.legal_basis.iter().map(|l| l.label.as_str()).collect();
            out.push_str(&format!("   {basis}{}{}\n", sep(lang), labels.join(", ")));
        }
        for st in &s.statements {
            out.push_str(&format!(
                "   - {}\n     {sources}{}{}\n",
                st.text,
                sep(lang),
                st.sources.join(" ; ")
            ));
        }
        if !s.links.is_empty() {
            out.push_str(&format!("   {links}{}\n", sep(lang)));
            for l in &s.links {
                out.push_str(&format!("     {} <{}>\n", l.label, l.url));
            }
        }
        out.push('\n');
    }
    out
}

fn sep(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => " : ",
        Lang::En => ": ",
    }
}
