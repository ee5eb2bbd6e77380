//! Drafts: letters and texts prefilled from a breach and what the user typed.
//!
//! The letters are French (they go to French bodies); the explanations that
//! come with them follow the interface language. Nothing here stores
//! anything: a [`Draft`] lives in memory until the caller exports it.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use fuitecheck_core::catalogue::{Breach, Lang};
use fuitecheck_core::category::Category;

use super::content::{self, Content, LetterTemplate, Link, Statement};
use super::deadline::{self, DeadlineRule};

/// The kinds of drafts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DraftKind {
    /// Letter to the organisation: access (art. 15), breach information
    /// (art. 34), optional erasure (art. 17) and objection (art. 21).
    Access,
    /// Complaint to the CNIL: form text, chronology, attachments.
    Cnil,
    /// Delisting request for search engines' forms.
    Dereference,
    /// Criminal complaint: letter to the procureur de la République.
    Police,
    /// Compensation claim to the organisation (art. 82).
    Compensation,
    /// Letter to an association about a collective action (art. 80).
    Collective,
}

impl DraftKind {
    /// Every kind.
    pub const ALL: &'static [DraftKind] = &[
        Self::Access,
        Self::Cnil,
        Self::Dereference,
        Self::Police,
        Self::Compensation,
        Self::Collective,
    ];

    /// The id used in data files and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Self::Access => "access",
            Self::Cnil => "cnil",
            Self::Dereference => "dereference",
            Self::Police => "police",
            Self::Compensation => "compensation",
            Self::Collective => "collective",
        }
    }

    /// Parse an id (`access`, `cnil`, …).
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.key() == key)
    }

    /// Whether the draft is a letter to the organisation (and so may be
    /// e-mailed to its DPO).
    pub fn goes_to_organisation(self) -> bool {
        matches!(self, Self::Access | Self::Compensation)
    }
}

/// Who a letter goes to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// Name of the organisation (or association).
    pub name: String,
    /// Postal address, lines separated by `\n`.
    pub postal_address: Option<String>,
    /// E-mail (the DPO's, for an organisation).
    pub email: Option<String>,
}

/// What the user typed or chose. Nothing here is stored unless the user
/// saves a case file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserDetails {
    /// First and last name.
    pub full_name: String,
    /// Postal address, lines separated by `\n`.
    pub postal_address: String,
    /// E-mail, for answers.
    pub email: Option<String>,
    /// Town written before the date ("À Rennes, le …").
    pub place: Option<String>,
    /// Date of the letter; today when `None`.
    pub letter_date: Option<Date>,
    /// The person was found in the organisation's publication (a match),
    /// rather than only "may be concerned".
    pub matched: bool,
    /// Patient, member or file number at the organisation.
    pub client_ref: Option<String>,
    /// The recipient, when the catalogue has none or the user's own
    /// organisation differs (their laboratory, their mutuelle, an
    /// association for [`DraftKind::Collective`]).
    pub recipient: Option<Recipient>,
    /// The organisation's SIREN number (CNIL complaint).
    pub recipient_siren: Option<String>,
    /// When the access request was sent.
    pub request_date: Option<Date>,
    /// When it was received (avis de réception).
    pub request_received: Option<Date>,
    /// When the organisation answered, if it did.
    pub answer_date: Option<Date>,
    /// Why the answer is incomplete or wrong.
    pub answer_problem: Option<String>,
    /// Addresses of pages where the data appear (delisting).
    pub urls: Vec<String>,
    /// What the person ticked for each page of [`Self::urls`] (same
    /// index); a page is said to show health data or the NIR only when
    /// ticked.
    pub url_shows: Vec<UrlShows>,
    /// The letter will be sent by lettre recommandée avec avis de
    /// réception: only then does the letter say so.
    pub recommande: bool,
    /// When the organisation announced a two-month extension, if it did.
    pub extension_date: Option<Date>,
    /// Add an erasure request (art. 17) to the access letter.
    pub erasure: bool,
    /// Add an objection (art. 21) to the access letter.
    pub objection: bool,
    /// The "particular situation" behind the objection.
    pub objection_reason: Option<String>,
    /// Misuse observed (fraudulent debits, messages…), for the plainte.
    pub misuse_facts: Option<String>,
    /// The person's identity was used by someone else.
    pub identity_theft: bool,
    /// The harm suffered, in the person's words.
    pub harm: Option<String>,
    /// Amount claimed, if the person chose one (the app never estimates).
    pub amount_eur: Option<String>,
    /// Town of the tribunal judiciaire (plainte).
    pub court_city: Option<String>,
    /// The categories of a match; empty means the breach's categories.
    pub categories: Vec<Category>,
}

/// What the person says one page shows (delisting letter).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UrlShows {
    /// The page shows data about my health.
    pub health: bool,
    /// The page shows my social security number.
    pub nir: bool,
}

/// A field the draft needed and the user has not filled in; the letter
/// shows "……" in its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Field {
    /// [`UserDetails::full_name`].
    FullName,
    /// [`UserDetails::postal_address`].
    PostalAddress,
    /// [`UserDetails::recipient`] name.
    RecipientName,
    /// [`UserDetails::recipient`] postal address.
    RecipientAddress,
    /// [`UserDetails::request_date`].
    RequestDate,
    /// [`UserDetails::answer_problem`].
    AnswerProblem,
    /// [`UserDetails::urls`].
    Urls,
    /// [`UserDetails::misuse_facts`].
    MisuseFacts,
    /// [`UserDetails::harm`].
    Harm,
    /// [`UserDetails::court_city`].
    CourtCity,
}

impl Field {
    /// The field's name for the user.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::FullName, Lang::Fr) => "Vos nom et prénom",
            (Self::FullName, Lang::En) => "Your full name",
            (Self::PostalAddress, Lang::Fr) => "Votre adresse postale",
            (Self::PostalAddress, Lang::En) => "Your postal address",
            (Self::RecipientName, Lang::Fr) => "Le nom de l'organisme destinataire",
            (Self::RecipientName, Lang::En) => "The recipient organisation's name",
            (Self::RecipientAddress, Lang::Fr) => "L'adresse de l'organisme destinataire",
            (Self::RecipientAddress, Lang::En) => "The recipient organisation's address",
            (Self::RequestDate, Lang::Fr) => "La date d'envoi de votre demande d'accès",
            (Self::RequestDate, Lang::En) => "The date you sent your access request",
            (Self::AnswerProblem, Lang::Fr) => "Ce qui manque ou est inexact dans la réponse",
            (Self::AnswerProblem, Lang::En) => "What is missing or wrong in the answer",
            (Self::Urls, Lang::Fr) => "Les adresses (URL) des pages",
            (Self::Urls, Lang::En) => "The addresses (URLs) of the pages",
            (Self::MisuseFacts, Lang::Fr) => "Les faits constatés",
            (Self::MisuseFacts, Lang::En) => "What happened",
            (Self::Harm, Lang::Fr) => "Le préjudice subi",
            (Self::Harm, Lang::En) => "The harm suffered",
            (Self::CourtCity, Lang::Fr) => "La ville du tribunal judiciaire",
            (Self::CourtCity, Lang::En) => "The town of the tribunal judiciaire",
        }
    }
}

/// What the letter shows for a missing value.
pub const BLANK: &str = "……";

/// A prefilled draft, ready to review, export or copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    /// Which kind.
    pub kind: DraftKind,
    /// The breach it is about.
    pub breach_id: String,
    /// Language of the explanations (the letter is always French).
    pub lang: Lang,
    /// Title of the draft, in `lang`.
    pub title: String,
    /// The recipient, when known.
    pub recipient: Option<Recipient>,
    /// Who to write to, from the catalogue, when it is not one known body.
    pub recipient_hint: Option<String>,
    /// The letter's subject (French).
    pub subject: String,
    /// The letter or form text (French), complete.
    pub body: String,
    /// The texts the letter cites, each with its source.
    pub cites: Vec<Link>,
    /// Explanations, each with its sources.
    pub notes: Vec<Statement>,
    /// Documents to attach, in `lang`.
    pub attachments: Vec<String>,
    /// What must be true before sending, in `lang`.
    pub prerequisites: Vec<String>,
    /// Official pages and forms.
    pub links: Vec<Link>,
    /// How to send it.
    pub send_hint: String,
    /// The hint on registered letters (recommandé avec AR).
    pub recommande_hint: String,
    /// Sources of that hint.
    pub recommande_sources: Vec<String>,
    /// Fields still to fill in (the body shows [`BLANK`] for each).
    pub missing: Vec<Field>,
}

/// The draft of `kind` for `breach`, filled from the catalogue entry and
/// `user`; explanations in `lang`.
///
/// ```
/// use fuitecheck_core::catalogue::{Catalogue, Lang};
/// use fuitecheck_rights::{draft, DraftKind, UserDetails};
///
/// let cat = Catalogue::embedded();
/// let b = cat.get("laboratoires-dedalus-2021").unwrap();
/// let user = UserDetails { full_name: "Camille Exemple".into(), ..Default::default() };
/// let d = draft(DraftKind::Access, b, &user, Lang::En);
/// assert!(d.body.contains("article 15"));
/// assert!(!d.missing.is_empty()); // address, recipient…
/// ```
pub fn draft(kind: DraftKind, breach: &Breach, user: &UserDetails, lang: Lang) -> Draft {
    let Some(content) = content::content() else {
        return empty_draft(kind, breach, lang);
    };
    let explain = content.drafts(lang);
    let Some(raw) = explain.kinds.get(kind.key()) else {
        return empty_draft(kind, breach, lang);
    };
    let Some(template) = content.letters.get(kind.key()) else {
        return empty_draft(kind, breach, lang);
    };
    let recipient = resolve_recipient(kind, breach, user);
    let recipient_hint = match (&recipient, kind) {
        (None, DraftKind::Access | DraftKind::Compensation | DraftKind::Cnil) => {
            breach.who_to_ask.as_ref().map(|w| w.get(lang).to_owned())
        }
        _ => None,
    };
    let mut filler = Filler::new(content, kind, breach, user, recipient.as_ref());
    let (subject, body) = filler.render(template);
    let mut missing = filler.missing;
    missing.sort();
    missing.dedup();

    let mut notes = raw.notes.clone();
    notes.extend(
        explain
            .breach_notes
            .iter()
            .filter(|n| n.breach == breach.id && n.kind == kind.key())
            .map(|n| n.statement.clone()),
    );
    let mut cites: Vec<Link> = template
        .cites
        .iter()
        .map(|c| Link {
            label: c.article.clone(),
            url: c.url.clone(),
        })
        .collect();
    if let Some(inquiry) = content.letters.inquiries.get(&breach.id)
        && body.contains(&inquiry.text)
    {
        cites.extend(inquiry.sources.iter().map(|url| Link {
            label: "Enquête du parquet de Paris".to_owned(),
            url: url.clone(),
        }));
    }
    Draft {
        kind,
        breach_id: breach.id.clone(),
        lang,
        title: raw.title.clone(),
        recipient,
        recipient_hint,
        subject,
        body,
        cites,
        notes,
        attachments: raw.attachments.clone(),
        prerequisites: raw.prerequisites.clone(),
        links: raw.links.clone(),
        send_hint: raw.send_hint.clone(),
        recommande_hint: explain.recommande_hint.clone(),
        recommande_sources: explain.recommande_sources.clone(),
        missing,
    }
}

fn empty_draft(kind: DraftKind, breach: &Breach, lang: Lang) -> Draft {
    Draft {
        kind,
        breach_id: breach.id.clone(),
        lang,
        title: String::new(),
        recipient: None,
        recipient_hint: None,
        subject: String::new(),
        body: String::new(),
        cites: Vec::new(),
        notes: Vec::new(),
        attachments: Vec::new(),
        prerequisites: Vec::new(),
        links: Vec::new(),
        send_hint: String::new(),
        recommande_hint: String::new(),
        recommande_sources: Vec::new(),
        missing: Vec::new(),
    }
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn resolve_recipient(kind: DraftKind, breach: &Breach, user: &UserDetails) -> Option<Recipient> {
    if let Some(r) = &user.recipient
        && !r.name.trim().is_empty()
    {
        return Some(r.clone());
    }
    match kind {
        DraftKind::Access | DraftKind::Compensation | DraftKind::Cnil => {
            let c = breach.controller.as_ref()?;
            let name = non_empty(&c.name)?;
            Some(Recipient {
                name,
                postal_address: non_empty(&c.dpo_postal_address)
                    .or_else(|| non_empty(&c.postal_address)),
                email: non_empty(&c.dpo_email),
            })
        }
        _ => None,
    }
}

/// Lower-cases the first letter of a label for use inside a sentence.
fn in_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn inline(address: &str) -> String {
    address
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Prepares each `{key}` of a template and records what is missing.
struct Filler<'a> {
    content: &'a Content,
    kind: DraftKind,
    breach: &'a Breach,
    user: &'a UserDetails,
    recipient: Option<&'a Recipient>,
    missing: Vec<Field>,
}

impl<'a> Filler<'a> {
    fn new(
        content: &'a Content,
        kind: DraftKind,
        breach: &'a Breach,
        user: &'a UserDetails,
        recipient: Option<&'a Recipient>,
    ) -> Self {
        Self {
            content,
            kind,
            breach,
            user,
            recipient,
            missing: Vec::new(),
        }
    }

    fn categories(&self) -> Vec<Category> {
        if self.user.categories.is_empty() {
            self.breach.categories.clone()
        } else {
            self.user.categories.clone()
        }
    }

    /// Where the answer period starts: the avis de réception, else the
    /// sending date plus the postal delay (approximate).
    fn start(&self) -> Option<deadline::Start> {
        self.user
            .request_date
            .or(self.user.request_received)
            .map(|sent| deadline::Start::of_request(sent, self.user.request_received))
    }

    /// The controller's deadline, with an extension only if announced in
    /// the first month.
    fn answer_due(&self) -> Option<(DeadlineRule, Date)> {
        self.start()
            .map(|s| deadline::answer_due(s.date, self.user.extension_date))
    }

    fn letter_date(&self) -> Date {
        self.user.letter_date.unwrap_or_else(deadline::today)
    }

    fn attachment_list(&self) -> Vec<String> {
        let template = self.content.letters.get(self.kind.key());
        template
            .map(|t| {
                t.attachments
                    .iter()
                    .filter(|a| a.when.as_deref().is_none_or(|c| self.condition(c)))
                    .map(|a| a.text.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn condition(&self, name: &str) -> bool {
        let u = self.user;
        match name {
            "matched" => u.matched,
            "not_matched" => !u.matched,
            "client_ref" => non_empty(&u.client_ref).is_some(),
            "erasure" => u.erasure,
            "objection" => u.objection,
            "email" => non_empty(&u.email).is_some(),
            "no_email" => non_empty(&u.email).is_none(),
            "siren" => non_empty(&u.recipient_siren).is_some(),
            "request" => u.request_date.is_some(),
            "request_received" => u.request_received.is_some(),
            "receipt_estimated" => u.request_received.is_none(),
            "answer" => u.answer_date.is_some(),
            "no_answer" => u.answer_date.is_none(),
            // No answer and the deadline is over: only then "a expiré".
            "answer_overdue" => {
                u.answer_date.is_none()
                    && self
                        .answer_due()
                        .is_some_and(|(_, d)| d < self.letter_date())
            }
            "answer_not_yet_due" => {
                u.answer_date.is_none()
                    && self
                        .answer_due()
                        .is_none_or(|(_, d)| d >= self.letter_date())
            }
            "extension_valid" => self
                .start()
                .is_some_and(|s| deadline::extension_is_valid(s.date, u.extension_date)),
            "extension_late" => {
                u.extension_date.is_some()
                    && !self
                        .start()
                        .is_some_and(|s| deadline::extension_is_valid(s.date, u.extension_date))
            }
            "recommande" => u.recommande,
            "extension_date_known" => u.extension_date.is_some(),
            "attachments" => !self.attachment_list().is_empty(),
            "sensitive" => self.breach.sensitive,
            "nir" => self.categories().contains(&Category::Nir),
            "misuse" => non_empty(&u.misuse_facts).is_some(),
            "identity_theft" => u.identity_theft,
            "inquiry" => self.content.letters.inquiries.contains_key(&self.breach.id),
            "amount" => non_empty(&u.amount_eur).is_some(),
            _ => false,
        }
    }

    fn need(&mut self, value: Option<String>, field: Field) -> String {
        value.unwrap_or_else(|| {
            self.missing.push(field);
            BLANK.to_owned()
        })
    }

    fn value(&mut self, key: &str) -> Option<String> {
        let u = self.user;
        let fr = |d: Date| deadline::format_date(d, Lang::Fr);
        let name = non_empty(&Some(u.full_name.clone()));
        let address = non_empty(&Some(u.postal_address.clone()));
        Some(match key {
            "sender_name" => self.need(name, Field::FullName),
            "sender_address_inline" => {
                let a = self.need(address, Field::PostalAddress);
                inline(&a)
            }
            "sender_block" => {
                let n = self.need(name, Field::FullName);
                let a = self.need(address, Field::PostalAddress);
                let mut block = format!("{n}\n{}", a.trim());
                if let Some(e) = non_empty(&u.email) {
                    block.push('\n');
                    block.push_str(&e);
                }
                block
            }
            "sender_email" => non_empty(&u.email).unwrap_or_default(),
            "recipient_name" => {
                let n = self.recipient.map(|r| r.name.clone());
                self.need(n, Field::RecipientName)
            }
            "recipient_address_inline" => {
                let a = self.recipient.and_then(|r| non_empty(&r.postal_address));
                let a = self.need(a, Field::RecipientAddress);
                inline(&a)
            }
            "recipient_block" | "association_block" => {
                let n = self.recipient.map(|r| r.name.clone());
                let n = self.need(n, Field::RecipientName);
                let a = self.recipient.and_then(|r| non_empty(&r.postal_address));
                let a = self.need(a, Field::RecipientAddress);
                if key == "recipient_block" && self.kind == DraftKind::Compensation {
                    format!("{n}\nÀ l'attention de son représentant légal\n{}", a.trim())
                } else if key == "recipient_block" {
                    format!("{n}\nÀ l'attention du délégué à la protection des données (DPO)\n{}", a.trim())
                } else {
                    format!("{n}\n{}", a.trim())
                }
            }
            "place_date" => {
                let date = fr(u.letter_date.unwrap_or_else(deadline::today));
                match non_empty(&u.place) {
                    Some(p) => format!("À {p}, le {date}"),
                    None => format!("Le {date}"),
                }
            }
            "breach_title" => self.breach.title.fr.clone(),
            "organisation" => self.breach.organisation.clone(),
            "disclosed_date" => deadline::format_catalogue_date(&self.breach.disclosed_date, Lang::Fr),
            "categories" => self
                .categories()
                .iter()
                .map(|c| in_sentence(c.label_fr()))
                .collect::<Vec<_>>()
                .join(" ; "),
            "client_ref" => non_empty(&u.client_ref).unwrap_or_default(),
            "siren" => non_empty(&u.recipient_siren).unwrap_or_default(),
            "objection_reason" => non_empty(&u.objection_reason)
                .unwrap_or_else(|| "exposition de mes données lors de cette violation".to_owned()),
            "request_date" => {
                let d = u.request_date.map(fr);
                self.need(d, Field::RequestDate)
            }
            "request_received_date" => u.request_received.map(fr).unwrap_or_default(),
            "answer_due_date" => {
                let d = self.answer_due().map(|(_, d)| fr(d));
                self.need(d, Field::RequestDate)
            }
            "extension_date" => u.extension_date.map(fr).unwrap_or_default(),
            "answer_date" => u.answer_date.map(fr).unwrap_or_default(),
            "answer_problem" => {
                let p = non_empty(&u.answer_problem);
                self.need(p, Field::AnswerProblem)
            }
            "urls" => {
                let urls: Vec<String> = u
                    .urls
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.trim(), u.url_shows.get(i).copied().unwrap_or_default()))
                    .filter(|(s, _)| !s.is_empty())
                    .map(|(s, shows)| {
                        let what = match (shows.health, shows.nir) {
                            (true, true) => " : cette page fait apparaître des données relatives à ma santé et mon numéro de sécurité sociale",
                            (true, false) => " : cette page fait apparaître des données relatives à ma santé",
                            (false, true) => " : cette page fait apparaître mon numéro de sécurité sociale",
                            (false, false) => "",
                        };
                        format!("- {s}{what}")
                    })
                    .collect();
                let list = (!urls.is_empty()).then(|| urls.join("\n"));
                self.need(list, Field::Urls)
            }
            "misuse_facts" => {
                let m = non_empty(&u.misuse_facts);
                self.need(m, Field::MisuseFacts)
            }
            "harm" => match (non_empty(&u.harm), self.kind) {
                (Some(h), _) => h,
                (None, DraftKind::Police) => "je crains que mes données soient utilisées à des fins frauduleuses (hameçonnage, usurpation d'identité).".to_owned(),
                (None, _) => self.need(None, Field::Harm),
            },
            "amount" => non_empty(&u.amount_eur).unwrap_or_default(),
            "court_city" => {
                let proposed = self
                    .content
                    .letters
                    .inquiries
                    .get(&self.breach.id)
                    .and_then(|i| i.court.clone());
                let c = non_empty(&u.court_city).or(proposed);
                self.need(c, Field::CourtCity)
            }
            "inquiry" => self
                .content
                .letters
                .inquiries
                .get(&self.breach.id)
                .map(|i| i.text.clone())
                .unwrap_or_default(),
            "chronology" => self.chronology(),
            "attachments" => {
                let list = self.attachment_list();
                if self.kind == DraftKind::Cnil {
                    list.iter().map(|a| format!("- {a}")).collect::<Vec<_>>().join("\n")
                } else {
                    list.iter().map(|a| in_sentence(a)).collect::<Vec<_>>().join(" ; ")
                }
            }
            _ => return None,
        })
    }

    fn chronology(&mut self) -> String {
        let u = self.user;
        let fr = |d: Date| deadline::format_date(d, Lang::Fr);
        let mut lines = vec![
            format!(
                "- {} : violation de données (date rapportée)",
                deadline::format_catalogue_date(&self.breach.breach_date, Lang::Fr)
            ),
            format!(
                "- {} : violation rendue publique",
                deadline::format_catalogue_date(&self.breach.disclosed_date, Lang::Fr)
            ),
        ];
        let sent = u.request_date.map(fr);
        let sent = self.need(sent, Field::RequestDate);
        lines.push(format!(
            "- {sent} : envoi de ma demande d'accès à l'organisme"
        ));
        if let Some(r) = u.request_received {
            lines.push(format!(
                "- {} : réception de ma demande par l'organisme",
                fr(r)
            ));
        }
        if let Some(e) = u.extension_date {
            lines.push(format!(
                "- {} : annonce par l'organisme d'une prolongation du délai",
                fr(e)
            ));
        }
        if let (Some(start), Some((rule, due))) = (self.start(), self.answer_due()) {
            let what = match rule {
                DeadlineRule::ControllerAnswerExtended => {
                    "fin du délai de réponse prolongé de deux mois"
                }
                _ => "fin du délai de réponse d'un mois",
            };
            let estimated = if start.approximate {
                ", date estimée faute d'avis de réception"
            } else {
                ""
            };
            lines.push(format!(
                "- {} : {what} (article 12, paragraphe 3, du RGPD{estimated})",
                fr(due)
            ));
        }
        match u.answer_date {
            Some(a) => lines.push(format!("- {} : réponse de l'organisme", fr(a))),
            None => lines.push("- à ce jour : aucune réponse".to_owned()),
        }
        lines.join("\n")
    }

    /// Fill `{key}` markers; unknown keys stay as they are (tests catch
    /// them).
    fn fill(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    let key = &after[..close];
                    match self.value(key) {
                        Some(v) => out.push_str(&v),
                        None => {
                            out.push('{');
                            out.push_str(key);
                            out.push('}');
                        }
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn render(&mut self, template: &LetterTemplate) -> (String, String) {
        let subject = self.fill(&template.subject);
        let mut parts = Vec::new();
        for section in &template.sections {
            if let Some(cond) = &section.when
                && !self.condition(cond)
            {
                continue;
            }
            let text = section.text.replace("{subject}", &subject);
            parts.push(self.fill(&text));
        }
        (subject, parts.join("\n\n") + "\n")
    }
}

/// The conditions a letter section may use (for the content tests).
pub fn known_conditions() -> &'static [&'static str] {
    &[
        "matched",
        "not_matched",
        "client_ref",
        "erasure",
        "objection",
        "email",
        "no_email",
        "siren",
        "request",
        "request_received",
        "receipt_estimated",
        "answer",
        "no_answer",
        "answer_overdue",
        "answer_not_yet_due",
        "extension_valid",
        "extension_late",
        "recommande",
        "extension_date_known",
        "attachments",
        "sensitive",
        "nir",
        "misuse",
        "identity_theft",
        "inquiry",
        "amount",
    ]
}

impl Draft {
    /// The text to paste into a form or an e-mail: the letter only.
    pub fn clipboard_text(&self) -> String {
        self.body.clone()
    }

    /// The whole draft as plain text: the letter, then how to send it, the
    /// explanations with their sources, attachments, prerequisites, links
    /// and missing fields (headings in the draft's language).
    pub fn to_text(&self) -> String {
        let h = |fr: &'static str, en: &'static str| match self.lang {
            Lang::Fr => fr,
            Lang::En => en,
        };
        let mut out = String::new();
        out.push_str(&self.title);
        out.push_str("\n\n");
        out.push_str(&self.body);
        out.push_str("\n----------------------------------------\n\n");
        if !self.missing.is_empty() {
            out.push_str(h("Champs à compléter", "Fields to complete"));
            out.push('\n');
            for f in &self.missing {
                out.push_str(&format!("- {} ({BLANK})\n", f.label(self.lang)));
            }
            out.push('\n');
        }
        if let Some(hint) = &self.recipient_hint {
            out.push_str(&format!(
                "{}\n{hint}\n\n",
                h("À qui écrire", "Who to write to")
            ));
        }
        out.push_str(&format!("{}\n{}\n", h("Envoi", "Sending"), self.send_hint));
        if self.kind != DraftKind::Dereference && self.kind != DraftKind::Cnil {
            out.push_str(&self.recommande_hint);
            out.push('\n');
        }
        let mut list = |title: &str, items: &[String]| {
            if !items.is_empty() {
                out.push_str(&format!("\n{title}\n"));
                for i in items {
                    out.push_str(&format!("- {i}\n"));
                }
            }
        };
        list(h("Préalables", "Prerequisites"), &self.prerequisites);
        list(h("Pièces à joindre", "Attachments"), &self.attachments);
        if !self.notes.is_empty() {
            out.push_str(&format!("\n{}\n", h("À savoir", "Good to know")));
            for n in &self.notes {
                out.push_str(&format!(
                    "- {}\n  {} {}\n",
                    n.text,
                    h("Sources :", "Sources:"),
                    n.sources.join(" ; ")
                ));
            }
        }
        if !self.cites.is_empty() {
            out.push_str(&format!("\n{}\n", h("Textes cités", "Texts cited")));
            for c in &self.cites {
                out.push_str(&format!("- {} <{}>\n", c.label, c.url));
            }
        }
        if !self.links.is_empty() {
            out.push_str(&format!("\n{}\n", h("Liens", "Links")));
            for l in &self.links {
                out.push_str(&format!("- {} <{}>\n", l.label, l.url));
            }
        }
        out
    }

    /// A `mailto:` URL (RFC 6068) with the subject and the letter, when the
    /// draft goes to an organisation whose e-mail is known.
    pub fn mailto(&self) -> Option<String> {
        if !(self.kind.goes_to_organisation() || self.kind == DraftKind::Collective) {
            return None;
        }
        let email = self.recipient.as_ref()?.email.as_deref()?.trim();
        if email.is_empty() || !email.contains('@') {
            return None;
        }
        let body = self.body.replace("\r\n", "\n").replace('\n', "\r\n");
        Some(format!(
            "mailto:{}?subject={}&body={}",
            percent_encode(email, true),
            percent_encode(&self.subject, false),
            percent_encode(&body, false)
        ))
    }

    /// The letter as a PDF (A4, embedded DejaVu Serif font).
    pub fn to_pdf(&self) -> Vec<u8> {
        super::pdf::render(&self.subject, &self.body)
    }
}

/// Percent-encode for a mailto URL: everything but unreserved characters
/// (and `@` in the address part).
fn percent_encode(s: &str, address: bool) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (address && b == b'@');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
