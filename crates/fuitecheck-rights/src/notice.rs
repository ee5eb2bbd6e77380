//! The GDPR art. 34 communication a controller sends to the people a breach
//! affected (`fuitecheck-publish notice`, SPEC §9).
//!
//! Art. 34(2) asks for a description "in clear and plain language" of the
//! nature of the breach and at least the information of art. 33(3)(b)–(d):
//! the DPO's contact, the likely consequences, and the measures taken or
//! proposed, including those that mitigate its effects. In January 2026 the
//! CNIL sanctioned Free partly because its message left out the
//! consequences and the protective measures (DOMAIN.md §8). A [`Notice`]
//! has one section for each, in this order: what happened ([`SectionId::Nature`]),
//! the data concerned, the consequences per category (the app's own texts,
//! [`crate::risks`]), the measures taken, what the person can do, how to
//! check privately with FuiteCheck, the DPO's contact, the person's rights
//! (art. 15, CNIL complaint).
//!
//! Every statement is sourced ([`Source`]): breach facts by the catalogue
//! entry's `sources`, consequences and advice by `assets/rights/risks.toml`,
//! legal statements by EUR-Lex and cnil.fr, and what only the controller
//! knows (its measures, its DPO, the publication's address) by the
//! controller's own [`NoticeDetails`]. A missing detail is an error that
//! lists every missing field ([`NoticeError::Incomplete`]); no placeholder
//! is ever left in the text. The sentences are data
//! (`assets/rights/notice.{fr,en}.toml`).

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::sync::OnceLock;

use jiff::civil::Date;
use serde::Deserialize;

use fuitecheck_core::catalogue::{Breach, Lang};
use fuitecheck_core::category::Category;

use crate::deadline::{format_catalogue_date, format_date};
use crate::risks;

/// `assets/rights/notice.fr.toml`.
pub const NOTICE_FR: &str = include_str!("../../../assets/rights/notice.fr.toml");
/// `assets/rights/notice.en.toml`.
pub const NOTICE_EN: &str = include_str!("../../../assets/rights/notice.en.toml");

/// The GDPR, official text (EUR-Lex).
pub const GDPR_URL: &str = "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32016R0679";
/// The GDPR's chapter IV (art. 33 and 34) on cnil.fr.
pub const GDPR_CHAPTER4_CNIL: &str =
    "https://www.cnil.fr/fr/reglement-europeen-protection-donnees/chapitre4#Article34";
/// The CNIL's page for controllers: notifying a breach, informing people.
pub const CNIL_BREACH_NOTICE: &str =
    "https://www.cnil.fr/fr/notifier-une-violation-de-donnees-personnelles";
/// The CNIL's advice to people after a breach.
pub const CNIL_ADVICE: &str = "https://www.cnil.fr/fr/conseils-fuite-vol-donnees";
/// The CNIL on the right of access.
pub const CNIL_ACCESS: &str = "https://www.cnil.fr/fr/le-droit-dacces";
/// The CNIL's complaint page.
pub const CNIL_COMPLAINT: &str = "https://www.cnil.fr/fr/adresser-une-plainte";
/// 17Cyber, announced by the Ministry of the Interior.
pub const CYBER17: &str = "https://www.interieur.gouv.fr/actualites/actualites-du-ministere/victime-de-cybermalveillance-rendez-vous-sur-17cybergouvfr";

/// A text the controller gives in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    /// French.
    #[serde(default)]
    pub fr: Option<String>,
    /// English.
    #[serde(default)]
    pub en: Option<String>,
}

/// A list the controller gives in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lists {
    /// French items.
    #[serde(default)]
    pub fr: Vec<String>,
    /// English items.
    #[serde(default)]
    pub en: Vec<String>,
}

impl Lists {
    fn get(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

impl Texts {
    fn get(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Fr => self.fr.as_deref(),
            Lang::En => self.en.as_deref(),
        }
    }
}

/// What only the controller knows: the details file of `notice --details`
/// (TOML). Values the catalogue entry already holds (`controller.name`,
/// `controller.dpo_email`, `controller.dpo_postal_address`) may be left
/// out; a value given here wins.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeDetails {
    /// The controller's name (who signs).
    #[serde(default)]
    pub controller: Option<String>,
    /// Date of the notice, `YYYY-MM-DD` (default: today).
    #[serde(default)]
    pub date: Option<String>,
    /// When the controller learned of the breach, `YYYY-MM-DD`.
    #[serde(default)]
    pub discovered: Option<String>,
    /// When it notified the CNIL (art. 33), `YYYY-MM-DD`.
    #[serde(default)]
    pub cnil_notified: Option<String>,
    /// The DPO's e-mail address.
    #[serde(default)]
    pub dpo_email: Option<String>,
    /// The DPO's postal address (lines separated by `\n` or `, `).
    #[serde(default)]
    pub dpo_postal_address: Option<String>,
    /// Another way to reach the controller (a helpline, a web page).
    #[serde(default)]
    pub contact: Option<Texts>,
    /// The base URL where the publication is hosted (HTTPS).
    #[serde(default)]
    pub publication_url: Option<String>,
    /// Where the publication's public key (`.pub`) can be downloaded.
    #[serde(default)]
    pub public_key_url: Option<String>,
    /// The measures the controller has taken (art. 33(3)(d)); required.
    #[serde(default)]
    pub measures_taken: Option<Lists>,
    /// What the controller offers the people affected (a helpline, a
    /// monitoring service…); optional.
    #[serde(default)]
    pub measures_proposed: Option<Lists>,
    /// The categories of this person's record, for a mail merge by record
    /// (category ids, each among the breach's); absent: the breach's.
    #[serde(default)]
    pub record_categories: Option<Vec<String>>,
}

impl NoticeDetails {
    /// Parse a details file.
    pub fn from_toml(text: &str) -> Result<Self, NoticeError> {
        toml::from_str(text).map_err(|e| NoticeError::Details(e.to_string()))
    }
}

/// What the signed publication says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicationInfo {
    /// The manifest's `publisher`.
    pub publisher: String,
    /// The minisign key id of `manifest.json.minisig` (16 hex).
    pub key_id: String,
    /// The manifest's `demo`.
    pub demo: bool,
}

/// One thing the controller must still give (or fix) before a notice can
/// be written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// A required value is absent (`field` names it in the details file).
    Missing {
        /// The field of the details file.
        field: &'static str,
        /// Where else it may come from, if anywhere.
        hint: &'static str,
    },
    /// A required list or text is absent in one of the languages asked.
    MissingLanguage {
        /// The field.
        field: &'static str,
        /// `fr` or `en`.
        lang: &'static str,
    },
    /// A value is malformed.
    Invalid {
        /// The field.
        field: &'static str,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing { field, hint: "" } => write!(f, "`{field}` is missing"),
            Self::Missing { field, hint } => write!(f, "`{field}` is missing ({hint})"),
            Self::MissingLanguage { field, lang } => {
                write!(
                    f,
                    "`{field}.{lang}` is missing (the notice is asked in that language)"
                )
            }
            Self::Invalid { field, reason } => write!(f, "`{field}`: {reason}"),
        }
    }
}

/// Why no notice was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NoticeError {
    /// The details file is not valid TOML or has an unknown field.
    #[error("details file: {0}")]
    Details(String),
    /// Controller details are missing or malformed: every problem, listed.
    #[error("the notice needs these details from you:\n{}", list(.0))]
    Incomplete(Vec<Problem>),
    /// An embedded data file is broken (a build defect).
    #[error("embedded text: {0}")]
    Content(String),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The sections of a notice, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SectionId {
    /// The nature of the breach: what happened, when (art. 34(2)).
    Nature,
    /// The categories of data concerned.
    Data,
    /// The likely consequences, per category (art. 33(3)(c)).
    Consequences,
    /// The measures the controller took (art. 33(3)(d)).
    MeasuresTaken,
    /// Measures proposed, and what the person can do (art. 33(3)(d)).
    Protect,
    /// How to check privately with FuiteCheck.
    Check,
    /// The DPO's contact (art. 33(3)(b)).
    Contact,
    /// The person's rights: access (art. 15), CNIL complaint (art. 77).
    Rights,
}

impl SectionId {
    /// Every section, in order.
    pub const ALL: &'static [SectionId] = &[
        Self::Nature,
        Self::Data,
        Self::Consequences,
        Self::MeasuresTaken,
        Self::Protect,
        Self::Check,
        Self::Contact,
        Self::Rights,
    ];

    fn key(self) -> &'static str {
        match self {
            Self::Nature => "nature",
            Self::Data => "data",
            Self::Consequences => "consequences",
            Self::MeasuresTaken => "measures_taken",
            Self::Protect => "protect",
            Self::Check => "check",
            Self::Contact => "contact",
            Self::Rights => "rights",
        }
    }
}

/// Where a statement comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// A public page (the catalogue's sources, official texts).
    Url(String),
    /// The controller's own details file (its measures, its DPO).
    Controller,
    /// The signed publication (its address and key).
    Publication,
}

/// A paragraph or a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Para(String),
    /// A bulleted list.
    List(Vec<String>),
}

/// One section of a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Which.
    pub id: SectionId,
    /// Its heading.
    pub heading: String,
    /// Its text.
    pub blocks: Vec<Block>,
    /// Where its statements come from (never empty).
    pub sources: Vec<Source>,
}

/// A notice in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Its language.
    pub lang: Lang,
    /// The breach it is about.
    pub breach_id: String,
    /// Title.
    pub title: String,
    /// Who sends it (signs).
    pub controller: String,
    /// "Le 4 décembre 2026".
    pub date_line: String,
    /// "Objet : …".
    pub subject: String,
    /// "Madame, Monsieur,".
    pub greeting: String,
    /// The opening paragraph.
    pub intro: String,
    /// The opening paragraph's sources.
    pub intro_sources: Vec<Source>,
    /// The sections, in [`SectionId::ALL`] order.
    pub sections: Vec<Section>,
    /// The signature.
    pub signature: String,
    labels: Labels,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Labels {
    sources: String,
    source_controller: String,
    source_publication: String,
    references: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Template {
    title: String,
    date_line: String,
    subject: String,
    greeting: String,
    intro: String,
    signature: String,
    sources_label: String,
    source_controller: String,
    source_publication: String,
    references: String,
    items_sep: String,
    headings: BTreeMap<String, String>,
    text: BTreeMap<String, String>,
}

fn templates() -> Result<&'static (Template, Template), NoticeError> {
    static T: OnceLock<Result<(Template, Template), String>> = OnceLock::new();
    T.get_or_init(|| {
        let fr: Template = toml::from_str(NOTICE_FR).map_err(|e| format!("notice.fr.toml: {e}"))?;
        let en: Template = toml::from_str(NOTICE_EN).map_err(|e| format!("notice.en.toml: {e}"))?;
        Ok((fr, en))
    })
    .as_ref()
    .map_err(|e| NoticeError::Content(e.clone()))
}

/// Check the embedded templates (tests; the tool calls it before use).
pub fn validate() -> Result<(), NoticeError> {
    let (fr, en) = templates()?;
    for t in [fr, en] {
        for id in SectionId::ALL {
            if !t.headings.contains_key(id.key()) {
                return Err(NoticeError::Content(format!("no heading `{}`", id.key())));
            }
        }
    }
    let keys = |t: &Template| t.text.keys().cloned().collect::<Vec<_>>();
    if keys(fr) != keys(en) {
        return Err(NoticeError::Content(
            "notice.fr.toml and notice.en.toml have different [text] keys".to_owned(),
        ));
    }
    Ok(())
}

/// Fill the `{hole}`s of a template in one pass (values are inserted as
/// they are, braces included); an unknown or unclosed hole is a defect of
/// the template, reported rather than left in the text.
fn fill(template: &str, values: &[(&str, &str)]) -> Result<String, NoticeError> {
    let defect = || NoticeError::Content(format!("unfilled hole in `{template}`"));
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(defect)?;
        let key = &after[..close];
        let value = values
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .ok_or_else(defect)?;
        out.push_str(value);
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(defect());
    }
    out.push_str(rest);
    Ok(out)
}

struct Ctx<'a> {
    t: &'a Template,
}

impl Ctx<'_> {
    fn text(&self, key: &str, values: &[(&str, &str)]) -> Result<String, NoticeError> {
        let raw = self
            .t
            .text
            .get(key)
            .ok_or_else(|| NoticeError::Content(format!("no text `{key}`")))?;
        fill(raw, values)
    }

    fn heading(&self, id: SectionId) -> String {
        self.t.headings.get(id.key()).cloned().unwrap_or_default()
    }
}

fn lang_key(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr",
        Lang::En => "en",
    }
}

/// Words that mark a text as a draft someone still has to fill.
const PLACEHOLDER_MARKS: &[&str] = &[
    "{",
    "}",
    "xxx",
    "todo",
    "tbd",
    "à compléter",
    "a completer",
    "to be completed",
    "[insert",
    "[à",
    "lorem ipsum",
];

fn check_text(field: &'static str, value: &str, problems: &mut Vec<Problem>) {
    if value.trim().is_empty() {
        problems.push(Problem::Invalid {
            field,
            reason: "is empty".to_owned(),
        });
        return;
    }
    let lower = value.to_lowercase();
    if let Some(m) = PLACEHOLDER_MARKS.iter().find(|m| lower.contains(*m)) {
        problems.push(Problem::Invalid {
            field,
            reason: format!("looks like a placeholder (contains `{m}`): write the real text"),
        });
    }
    if value
        .chars()
        .any(|c| fuitecheck_core::text::is_forbidden(c, true))
    {
        problems.push(Problem::Invalid {
            field,
            reason: "contains a control or bidirectional character".to_owned(),
        });
    }
}

fn check_url(field: &'static str, value: &str, problems: &mut Vec<Problem>) {
    check_text(field, value, problems);
    let rest = value.strip_prefix("https://").unwrap_or("");
    if rest.is_empty() || rest.starts_with('/') || value.chars().any(char::is_whitespace) {
        problems.push(Problem::Invalid {
            field,
            reason: "must be an https:// address".to_owned(),
        });
    }
}

fn check_date(
    field: &'static str,
    value: Option<&str>,
    problems: &mut Vec<Problem>,
) -> Option<Date> {
    let v = value?;
    match v.parse::<Date>() {
        Ok(d) if fuitecheck_core::catalogue::is_date(v, false) => Some(d),
        _ => {
            problems.push(Problem::Invalid {
                field,
                reason: format!("`{v}` is not a date YYYY-MM-DD"),
            });
            None
        }
    }
}

/// The details, checked and resolved against the catalogue entry.
#[derive(Debug, Clone)]
struct Resolved {
    controller: String,
    date: Date,
    discovered: Option<Date>,
    cnil_notified: Option<Date>,
    dpo_email: Option<String>,
    dpo_postal: Option<String>,
    contact: Texts,
    publication_url: String,
    public_key_url: Option<String>,
    measures_taken: Lists,
    measures_proposed: Lists,
    record: Option<Vec<Category>>,
}

fn non_empty(s: Option<&String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Check everything the notice needs for `langs`; every problem at once.
fn resolve(
    breach: &Breach,
    details: &NoticeDetails,
    langs: &[Lang],
    today: Date,
) -> Result<Resolved, NoticeError> {
    let mut p = Vec::new();
    let (controller, dpo_email, dpo_postal, contact) =
        resolve_contact(breach, details, langs, &mut p);
    let date = check_date("date", details.date.as_deref(), &mut p).unwrap_or(today);
    let discovered = check_date("discovered", details.discovered.as_deref(), &mut p);
    let cnil_notified = check_date("cnil_notified", details.cnil_notified.as_deref(), &mut p);
    let publication_url = match non_empty(details.publication_url.as_ref()) {
        Some(u) => {
            check_url("publication_url", &u, &mut p);
            u
        }
        None => {
            p.push(Problem::Missing {
                field: "publication_url",
                hint: "the https:// address where the publication is hosted",
            });
            String::new()
        }
    };
    let public_key_url = non_empty(details.public_key_url.as_ref());
    if let Some(u) = &public_key_url {
        check_url("public_key_url", u, &mut p);
    }
    let measures_taken = lists(
        "measures_taken",
        details.measures_taken.as_ref(),
        true,
        langs,
        &mut p,
    );
    let measures_proposed = lists(
        "measures_proposed",
        details.measures_proposed.as_ref(),
        false,
        langs,
        &mut p,
    );
    let record = resolve_record(breach, details, &mut p);
    if !p.is_empty() {
        return Err(NoticeError::Incomplete(p));
    }
    Ok(Resolved {
        controller,
        date,
        discovered,
        cnil_notified,
        dpo_email,
        dpo_postal,
        contact,
        publication_url,
        public_key_url,
        measures_taken,
        measures_proposed,
        record,
    })
}

/// Who signs and how to reach the DPO: the details file, else the
/// catalogue entry's `controller`.
fn resolve_contact(
    breach: &Breach,
    details: &NoticeDetails,
    langs: &[Lang],
    p: &mut Vec<Problem>,
) -> (String, Option<String>, Option<String>, Texts) {
    let cat = breach.controller.as_ref();
    let controller = non_empty(details.controller.as_ref())
        .or_else(|| non_empty(cat.and_then(|c| c.name.as_ref())));
    match &controller {
        Some(c) => check_text("controller", c, p),
        None => p.push(Problem::Missing {
            field: "controller",
            hint: "the catalogue entry has no `controller.name`",
        }),
    }
    let dpo_email = non_empty(details.dpo_email.as_ref())
        .or_else(|| non_empty(cat.and_then(|c| c.dpo_email.as_ref())));
    let dpo_postal = non_empty(details.dpo_postal_address.as_ref())
        .or_else(|| non_empty(cat.and_then(|c| c.dpo_postal_address.as_ref())));
    if dpo_email.is_none() && dpo_postal.is_none() {
        p.push(Problem::Missing {
            field: "dpo_email",
            hint: "or `dpo_postal_address`: art. 34(2) requires the DPO's contact, \
                   and the catalogue entry has neither",
        });
    }
    if let Some(e) = &dpo_email {
        check_text("dpo_email", e, p);
        if !e.contains('@') || e.chars().any(char::is_whitespace) {
            p.push(Problem::Invalid {
                field: "dpo_email",
                reason: format!("`{e}` is not an e-mail address"),
            });
        }
    }
    if let Some(a) = &dpo_postal {
        check_text("dpo_postal_address", a, p);
    }
    let contact = details.contact.clone().unwrap_or_default();
    if details.contact.is_some() {
        for &lang in langs {
            match contact.get(lang) {
                Some(t) => check_text("contact", t, p),
                None => p.push(Problem::MissingLanguage {
                    field: "contact",
                    lang: lang_key(lang),
                }),
            }
        }
    }
    (
        controller.unwrap_or_default(),
        dpo_email,
        dpo_postal,
        contact,
    )
}

/// A per-language list: each language asked must have items when the list
/// is `required` or given at all.
fn lists(
    field: &'static str,
    given: Option<&Lists>,
    required: bool,
    langs: &[Lang],
    p: &mut Vec<Problem>,
) -> Lists {
    let Some(l) = given else {
        if required {
            p.push(Problem::Missing {
                field,
                hint: "art. 34(2): the measures you took, a list per language (fr = [...], en = [...])",
            });
        }
        return Lists::default();
    };
    for &lang in langs {
        let items = l.get(lang);
        if items.is_empty() {
            p.push(Problem::MissingLanguage {
                field,
                lang: lang_key(lang),
            });
        }
        for i in items {
            check_text(field, i, p);
        }
    }
    l.clone()
}

/// The record's own categories, each among the breach's.
fn resolve_record(
    breach: &Breach,
    details: &NoticeDetails,
    p: &mut Vec<Problem>,
) -> Option<Vec<Category>> {
    let ids = details.record_categories.as_ref()?;
    if ids.is_empty() {
        p.push(Problem::Invalid {
            field: "record_categories",
            reason: "is empty (leave it out to use the breach's categories)".to_owned(),
        });
    }
    let mut out = Vec::new();
    for id in ids {
        match Category::from_id(id.trim()) {
            Some(c) if breach.categories.contains(&c) => out.push(c),
            Some(_) => p.push(Problem::Invalid {
                field: "record_categories",
                reason: format!("`{id}` is not among the breach's categories"),
            }),
            None => p.push(Problem::Invalid {
                field: "record_categories",
                reason: format!("`{id}` is not a category id"),
            }),
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

fn group(n: u64, lang: Lang) -> String {
    let digits = n.to_string();
    let sep = match lang {
        Lang::Fr => ' ',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

fn label(c: Category, lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => c.label_fr(),
        Lang::En => c.label_en(),
    }
}

fn urls(list: &[String]) -> Vec<Source> {
    list.iter().map(|u| Source::Url(u.clone())).collect()
}

/// Build the notices for `breach`, one per language of `langs` (checked
/// together, so one error lists what every language misses). `today` is
/// the notice's date unless the details give one.
pub fn build(
    breach: &Breach,
    publication: &PublicationInfo,
    details: &NoticeDetails,
    langs: &[Lang],
    today: Date,
) -> Result<Vec<Notice>, NoticeError> {
    validate()?;
    let r = resolve(breach, details, langs, today)?;
    langs
        .iter()
        .map(|&lang| build_one(breach, publication, &r, lang))
        .collect()
}

struct Builder<'a> {
    cx: Ctx<'a>,
    breach: &'a Breach,
    publication: &'a PublicationInfo,
    r: &'a Resolved,
    lang: Lang,
    catalogue: Vec<Source>,
    cats: Vec<Category>,
}

fn push_unique(sources: &mut Vec<Source>, s: Source) {
    if !sources.contains(&s) {
        sources.push(s);
    }
}

impl Builder<'_> {
    fn section(&self, id: SectionId, blocks: Vec<Block>, sources: Vec<Source>) -> Section {
        Section {
            id,
            heading: self.cx.heading(id),
            blocks,
            sources,
        }
    }

    /// Section 1: What happened, when.
    fn nature(&self) -> Result<Section, NoticeError> {
        let (cx, b, lang) = (&self.cx, self.breach, self.lang);
        let mut blocks = vec![Block::Para(
            cx.text("description", &[("description", b.description.get(lang))])?,
        )];
        let mut facts = vec![
            cx.text("organisation", &[("organisation", &b.organisation)])?,
            cx.text(
                "dates",
                &[
                    ("breach_date", &format_catalogue_date(&b.breach_date, lang)),
                    (
                        "disclosed_date",
                        &format_catalogue_date(&b.disclosed_date, lang),
                    ),
                ],
            )?,
            cx.text("people", &[("people", &group(b.people, lang))])?,
        ];
        if let Some(w) = &b.who_is_concerned {
            facts.push(cx.text("who", &[("who", w.get(lang))])?);
        }
        let mut sources = self.catalogue.clone();
        if let Some(d) = self.r.discovered {
            facts.push(cx.text("discovered", &[("discovered", &format_date(d, lang))])?);
            push_unique(&mut sources, Source::Controller);
        }
        if let Some(d) = self.r.cnil_notified {
            facts.push(cx.text("cnil_notified", &[("cnil_notified", &format_date(d, lang))])?);
            push_unique(&mut sources, Source::Controller);
        }
        blocks.push(Block::Para(facts.join(" ")));
        Ok(self.section(SectionId::Nature, blocks, sources))
    }

    /// Section 2: The data concerned: the record's, else the breach's.
    fn data(&self) -> Result<Section, NoticeError> {
        let (cx, b, lang) = (&self.cx, self.breach, self.lang);
        let record = self.r.record.is_some();
        let mut blocks = vec![
            Block::Para(cx.text(if record { "record" } else { "breach" }, &[])?),
            Block::List(
                self.cats
                    .iter()
                    .map(|c| label(*c, lang).to_owned())
                    .collect(),
            ),
        ];
        let not_exposed: Vec<&str> = b
            .reportedly_not_exposed
            .iter()
            .filter(|c| !self.cats.contains(c))
            .map(|c| label(*c, lang))
            .collect();
        if !not_exposed.is_empty() {
            blocks.push(Block::Para(cx.text(
                "not_exposed",
                &[("list", &not_exposed.join(&cx.t.items_sep))],
            )?));
        }
        let mut sources = if record {
            vec![Source::Controller]
        } else {
            self.catalogue.clone()
        };
        if record && !not_exposed.is_empty() {
            for s in &self.catalogue {
                push_unique(&mut sources, s.clone());
            }
        }
        if b.sensitive {
            blocks.push(Block::Para(cx.text("sensitive", &[])?));
            push_unique(&mut sources, Source::Url(GDPR_URL.to_owned()));
        }
        Ok(self.section(SectionId::Data, blocks, sources))
    }

    /// Section 3: Likely consequences, per category (the app's own texts).
    fn consequences(&self) -> Result<Section, NoticeError> {
        let (cx, lang) = (&self.cx, self.lang);
        let mut items = Vec::new();
        let mut sources = Vec::new();
        for &c in &self.cats {
            let risk = risks::category_risk(c, lang);
            if risk.is_empty() {
                return Err(NoticeError::Content(format!("no risk text for `{c}`")));
            }
            items.push(cx.text("item", &[("label", label(c, lang)), ("text", risk)])?);
            for s in risks::category_sources(c) {
                push_unique(&mut sources, Source::Url(s.clone()));
            }
        }
        let blocks = vec![
            Block::Para(cx.text("consequences", &[])?),
            Block::List(items),
        ];
        Ok(self.section(SectionId::Consequences, blocks, sources))
    }

    /// Section 4: Measures taken (the controller's).
    fn measures_taken(&self) -> Result<Section, NoticeError> {
        let blocks = vec![
            Block::Para(self.cx.text("measures_taken", &[])?),
            Block::List(self.r.measures_taken.get(self.lang).to_vec()),
        ];
        Ok(self.section(SectionId::MeasuresTaken, blocks, vec![Source::Controller]))
    }

    /// Section 5: measures proposed, and what the person can do per
    /// category (identical advice for several categories is given once).
    fn protect(&self) -> Result<Section, NoticeError> {
        let (cx, lang) = (&self.cx, self.lang);
        let mut blocks = Vec::new();
        let mut sources = Vec::new();
        let proposed = self.r.measures_proposed.get(lang);
        if !proposed.is_empty() {
            blocks.push(Block::Para(cx.text("measures_proposed", &[])?));
            blocks.push(Block::List(proposed.to_vec()));
            sources.push(Source::Controller);
        }
        let mut advice: Vec<(Vec<&str>, &str)> = Vec::new();
        for &c in &self.cats {
            let action = risks::category_action(c, lang);
            match advice.iter_mut().find(|(_, a)| *a == action) {
                Some((labels, _)) => labels.push(label(c, lang)),
                None => advice.push((vec![label(c, lang)], action)),
            }
            for s in risks::category_sources(c) {
                push_unique(&mut sources, Source::Url(s.clone()));
            }
        }
        blocks.push(Block::Para(cx.text("actions", &[])?));
        let mut items = Vec::new();
        for (labels, action) in advice {
            items.push(cx.text(
                "item",
                &[("label", &labels.join(&cx.t.items_sep)), ("text", action)],
            )?);
        }
        blocks.push(Block::List(items));
        blocks.push(Block::Para(format!(
            "{} {}",
            cx.text("cyber17", &[])?,
            cx.text("no_lookup_sites", &[])?
        )));
        for s in [CYBER17, CNIL_ADVICE] {
            push_unique(&mut sources, Source::Url(s.to_owned()));
        }
        Ok(self.section(SectionId::Protect, blocks, sources))
    }

    /// Section 6: Checking privately with FuiteCheck.
    fn check(&self) -> Result<Section, NoticeError> {
        let (cx, p) = (&self.cx, self.publication);
        let mut lines = vec![
            cx.text("check_url", &[("url", &self.r.publication_url)])?,
            cx.text(
                "check_key",
                &[("publisher", &p.publisher), ("key_id", &p.key_id)],
            )?,
        ];
        if let Some(u) = &self.r.public_key_url {
            lines.push(cx.text("check_key_url", &[("url", u)])?);
        }
        let mut blocks = vec![Block::Para(cx.text("check", &[])?), Block::List(lines)];
        if p.demo {
            blocks.push(Block::Para(cx.text("check_demo", &[])?));
        }
        let sources = vec![Source::Publication, Source::Controller];
        Ok(self.section(SectionId::Check, blocks, sources))
    }

    /// Section 7: The DPO's contact.
    fn contact(&self) -> Result<Section, NoticeError> {
        let (cx, r) = (&self.cx, self.r);
        let mut ways = Vec::new();
        if let Some(e) = &r.dpo_email {
            ways.push(cx.text("dpo_email", &[("email", e)])?);
        }
        if let Some(a) = &r.dpo_postal {
            let one_line = a
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            ways.push(cx.text("dpo_postal", &[("address", &one_line)])?);
        }
        if let Some(c) = r.contact.get(self.lang) {
            ways.push(cx.text("contact", &[("contact", c.trim())])?);
        }
        let from_catalogue = self.breach.controller.as_ref().is_some_and(|c| {
            c.dpo_email.as_deref().map(str::trim) == r.dpo_email.as_deref()
                || c.dpo_postal_address.as_deref().map(str::trim) == r.dpo_postal.as_deref()
        });
        let mut sources = vec![Source::Controller];
        if from_catalogue {
            sources.extend(self.catalogue.iter().cloned());
        }
        let blocks = vec![Block::Para(cx.text("dpo", &[])?), Block::List(ways)];
        Ok(self.section(SectionId::Contact, blocks, sources))
    }

    /// Section 8: The person's rights.
    fn rights(&self) -> Result<Section, NoticeError> {
        let cx = &self.cx;
        let blocks = vec![
            Block::Para(cx.text("access", &[])?),
            Block::Para(format!(
                "{} {}",
                cx.text("cnil_complaint", &[])?,
                cx.text("cnil_cannot_confirm", &[])?
            )),
        ];
        let sources = [GDPR_URL, CNIL_ACCESS, CNIL_COMPLAINT, CNIL_ADVICE]
            .into_iter()
            .map(|u| Source::Url(u.to_owned()))
            .collect();
        Ok(self.section(SectionId::Rights, blocks, sources))
    }
}

fn build_one(
    breach: &Breach,
    publication: &PublicationInfo,
    r: &Resolved,
    lang: Lang,
) -> Result<Notice, NoticeError> {
    let (fr, en) = templates()?;
    let t = match lang {
        Lang::Fr => fr,
        Lang::En => en,
    };
    let b = Builder {
        cx: Ctx { t },
        breach,
        publication,
        r,
        lang,
        catalogue: urls(&breach.sources),
        cats: r
            .record
            .clone()
            .unwrap_or_else(|| breach.categories.clone()),
    };
    let sections = vec![
        b.nature()?,
        b.data()?,
        b.consequences()?,
        b.measures_taken()?,
        b.protect()?,
        b.check()?,
        b.contact()?,
        b.rights()?,
    ];
    let date = format_date(r.date, lang);
    let source_publication = fill(
        &t.source_publication,
        &[
            ("publisher", &publication.publisher),
            ("key_id", &publication.key_id),
        ],
    )?;
    Ok(Notice {
        lang,
        breach_id: breach.id.clone(),
        title: t.title.clone(),
        controller: r.controller.clone(),
        date_line: fill(&t.date_line, &[("date", &date)])?,
        subject: fill(&t.subject, &[("title", breach.title.get(lang))])?,
        greeting: t.greeting.clone(),
        intro: t.intro.clone(),
        intro_sources: [GDPR_URL, GDPR_CHAPTER4_CNIL, CNIL_BREACH_NOTICE]
            .into_iter()
            .map(|u| Source::Url(u.to_owned()))
            .collect(),
        sections,
        signature: fill(&t.signature, &[("controller", &r.controller)])?,
        labels: Labels {
            sources: t.sources_label.clone(),
            source_controller: fill(&t.source_controller, &[("controller", &r.controller)])?,
            source_publication,
            references: t.references.clone(),
        },
    })
}

/// Output formats of `notice --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Plain UTF-8 text (default).
    #[default]
    Txt,
    /// A standalone HTML page.
    Html,
    /// An A4 PDF (the letters' font, embedded).
    Pdf,
}

impl Notice {
    /// Every URL the notice cites, numbered in order of first use.
    pub fn references(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let all = self
            .intro_sources
            .iter()
            .chain(self.sections.iter().flat_map(|s| &s.sources));
        for s in all {
            if let Source::Url(u) = s
                && !out.contains(u)
            {
                out.push(u.clone());
            }
        }
        out
    }

    fn source_line(&self, sources: &[Source], refs: &[String]) -> String {
        let mut parts = Vec::new();
        for s in sources {
            let p = match s {
                Source::Url(u) => {
                    let n = refs.iter().position(|r| r == u).map_or(0, |i| i + 1);
                    format!("[{n}]")
                }
                Source::Controller => self.labels.source_controller.clone(),
                Source::Publication => self.labels.source_publication.clone(),
            };
            if !parts.contains(&p) {
                parts.push(p);
            }
        }
        let sep = match self.lang {
            Lang::Fr => " : ",
            Lang::En => ": ",
        };
        format!("({}{sep}{})", self.labels.sources, parts.join(", "))
    }

    /// The notice as plain text.
    pub fn to_text(&self) -> String {
        let refs = self.references();
        let mut out = String::new();
        let _ = writeln!(out, "{}\n", self.controller);
        let _ = writeln!(out, "{}\n", self.date_line);
        let _ = writeln!(out, "{}\n", self.title);
        let _ = writeln!(out, "{}\n", self.subject);
        let _ = writeln!(out, "{}\n", self.greeting);
        let _ = writeln!(out, "{}", self.intro);
        let _ = writeln!(out, "{}\n", self.source_line(&self.intro_sources, &refs));
        for s in &self.sections {
            let _ = writeln!(out, "{}\n", s.heading);
            for b in &s.blocks {
                match b {
                    Block::Para(p) => {
                        let _ = writeln!(out, "{p}\n");
                    }
                    Block::List(items) => {
                        for i in items {
                            let _ = writeln!(out, "- {i}");
                        }
                        out.push('\n');
                    }
                }
            }
            let _ = writeln!(out, "{}\n", self.source_line(&s.sources, &refs));
        }
        let _ = writeln!(out, "{}\n", self.signature);
        let _ = writeln!(out, "{}", self.labels.references);
        for (i, r) in refs.iter().enumerate() {
            let _ = writeln!(out, "[{}] {r}", i + 1);
        }
        out
    }

    /// The notice as an HTML fragment (`<article lang=…>`), every text
    /// escaped.
    pub fn to_html_fragment(&self) -> String {
        let refs = self.references();
        let e = html_escape;
        let mut out = String::new();
        let _ = writeln!(out, "<article lang=\"{}\">", lang_key(self.lang));
        let _ = writeln!(out, "<p class=\"from\">{}</p>", e(&self.controller));
        let _ = writeln!(out, "<p class=\"date\">{}</p>", e(&self.date_line));
        let _ = writeln!(out, "<h1>{}</h1>", e(&self.title));
        let _ = writeln!(
            out,
            "<p class=\"subject\"><strong>{}</strong></p>",
            e(&self.subject)
        );
        let _ = writeln!(out, "<p>{}</p>", e(&self.greeting));
        let _ = writeln!(out, "<p>{}</p>", e(&self.intro));
        let _ = writeln!(
            out,
            "<p class=\"sources\">{}</p>",
            e(&self.source_line(&self.intro_sources, &refs))
        );
        for s in &self.sections {
            let _ = writeln!(
                out,
                "<section id=\"{}-{}\">",
                s.id.key(),
                lang_key(self.lang)
            );
            let _ = writeln!(out, "<h2>{}</h2>", e(&s.heading));
            for b in &s.blocks {
                match b {
                    Block::Para(p) => {
                        let _ = writeln!(out, "<p>{}</p>", e(p));
                    }
                    Block::List(items) => {
                        out.push_str("<ul>\n");
                        for i in items {
                            let _ = writeln!(out, "<li>{}</li>", e(i));
                        }
                        out.push_str("</ul>\n");
                    }
                }
            }
            let _ = writeln!(
                out,
                "<p class=\"sources\">{}</p>",
                e(&self.source_line(&s.sources, &refs))
            );
            out.push_str("</section>\n");
        }
        let _ = writeln!(out, "<p class=\"signature\">{}</p>", e(&self.signature));
        let _ = writeln!(out, "<h2>{}</h2>\n<ol>", e(&self.labels.references));
        for r in &refs {
            let _ = writeln!(out, "<li><a href=\"{0}\">{0}</a></li>", e(r));
        }
        out.push_str("</ol>\n</article>\n");
        out
    }
}

/// Escape text for HTML (element content and attribute values).
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Render one or more notices (e.g. French then English) in `format`.
pub fn render(notices: &[Notice], format: Format) -> Vec<u8> {
    match format {
        Format::Txt => notices
            .iter()
            .map(Notice::to_text)
            .collect::<Vec<_>>()
            .join("\n----------------------------------------------------------------------\n\n")
            .into_bytes(),
        Format::Html => {
            let lang = notices.first().map_or("fr", |n| lang_key(n.lang));
            let title = notices.first().map_or("", |n| n.title.as_str());
            let mut out = format!(
                "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
                 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
                 <title>{}</title>\n<style>body{{font-family:serif;max-width:42em;margin:2em auto;\
                 padding:0 1em;line-height:1.5}}.sources{{font-size:.85em;color:#444}}\
                 article+article{{border-top:1px solid #888;margin-top:3em}}</style>\n</head>\n<body>\n",
                html_escape(title)
            );
            for n in notices {
                out.push_str(&n.to_html_fragment());
            }
            out.push_str("</body>\n</html>\n");
            out.into_bytes()
        }
        Format::Pdf => {
            let title = notices.first().map_or("", |n| n.title.as_str());
            let body = notices
                .iter()
                .map(Notice::to_text)
                .collect::<Vec<_>>()
                .join("\n\n");
            crate::pdf::render(title, &body)
        }
    }
}
