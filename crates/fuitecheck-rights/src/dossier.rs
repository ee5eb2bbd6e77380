//! The case file (dossier): steps taken, answers, deadlines, reminders.
//!
//! A [`Dossier`] lives in memory. It is written to disk only when the user
//! asks ([`Dossier::save`]), encrypted with XChaCha20-Poly1305 under a
//! random 256-bit key kept in the OS credential store (`keyring-core`), and
//! [`Dossier::erase`] removes both the file and the key in one action.
//!
//! File layout: `FCDOSSIER1\n` (11 bytes, also the AEAD associated data),
//! a 24-byte random nonce, then the ciphertext of the JSON dossier.
//!
//! The credential store is global state in `keyring-core`: the app installs
//! the OS store (Secret Service on Linux) once at start; tests pass their own store to
//! [`DossierStore::with_credential_store`] so they never touch the global.
//! Without a session bus (headless Linux) the Secret Service store fails:
//! saving then fails with [`DossierError::Keyring`] and the app works on
//! without saving.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chacha20poly1305::aead::{Aead as _, KeyInit as _, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use jiff::civil::Date;
use keyring_core::{CredentialStore, Entry};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use fuitecheck_core::catalogue::Lang;

use super::content;
use super::deadline::{self, DeadlineRule};
use super::guidance::StepId;

/// What happened, on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// The access request (art. 15/34) was sent; `received` is the date on
    /// the avis de réception, when known (the deadline runs from it).
    AccessRequestSent {
        /// When the organisation received it.
        #[serde(default)]
        received: Option<Date>,
    },
    /// The organisation announced a two-month extension (art. 12(3)).
    ExtensionNotified,
    /// The organisation answered.
    AnswerReceived {
        /// The answer was complete and satisfactory.
        complete: bool,
    },
    /// A complaint was lodged with the CNIL.
    CnilComplaintFiled,
    /// A criminal complaint was filed.
    PlainteFiled,
    /// A delisting request was sent to a search engine.
    DereferencingRequested {
        /// "Google", "Bing", …
        engine: String,
    },
    /// FICOBA was queried.
    FicobaRequested,
    /// A compensation claim was sent.
    CompensationClaimSent,
    /// Anything else worth noting.
    Other,
}

/// One entry of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// When.
    pub date: Date,
    /// What.
    #[serde(flatten)]
    pub kind: EventKind,
    /// The user's note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The steps taken for one breach.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// The breach's catalogue id.
    pub breach_id: String,
    /// The organisation written to, as the user named it.
    #[serde(default)]
    pub organisation: String,
    /// What happened, in any order.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// A deadline still running, with what to do when it passes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The breach it belongs to.
    pub breach_id: String,
    /// Which period.
    pub rule: DeadlineRule,
    /// The day the period ends.
    pub due: Date,
    /// `true` when `due` is estimated: the date of receipt (avis de
    /// réception) is unknown, so the period runs from the sending date
    /// plus a postal delay.
    pub approximate: bool,
    /// What is awaited, in the chosen language.
    pub label: String,
    /// The next step once it has passed.
    pub next_step: String,
    /// The step that `next_step` refers to.
    pub next_step_id: StepId,
    /// Where the rule comes from.
    pub sources: Vec<String>,
}

/// A person's case file: one [`Case`] per breach.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    /// Format version (1).
    #[serde(default = "one")]
    pub version: u32,
    /// The cases.
    #[serde(default)]
    pub cases: Vec<Case>,
}

fn one() -> u32 {
    1
}

impl Case {
    fn last(&self, pred: impl Fn(&EventKind) -> bool) -> Option<&Event> {
        self.events
            .iter()
            .filter(|e| pred(&e.kind))
            .max_by_key(|e| e.date)
    }

    /// The deadlines still open for this case (whatever today is), sorted
    /// by date.
    pub fn deadlines(&self, lang: Lang) -> Vec<Deadline> {
        let mut out = Vec::new();
        let mk = |rule: DeadlineRule, start: Date, next: StepId| {
            self.deadline(rule, rule.due(start), next, lang)
        };
        if let Some(req) = self.last(|k| matches!(k, EventKind::AccessRequestSent { .. })) {
            let received = match &req.kind {
                EventKind::AccessRequestSent { received } => *received,
                _ => None,
            };
            let from = deadline::Start::of_request(req.date, received);
            let start = from.date;
            let answered = self
                .last(|k| matches!(k, EventKind::AnswerReceived { .. }))
                .filter(|a| a.date >= req.date);
            match answered.map(|a| &a.kind) {
                Some(EventKind::AnswerReceived { complete: true }) => {}
                Some(_) => {
                    // An incomplete answer: nothing to wait for, the next
                    // step (CNIL) is open now.
                    let date = answered.map_or(start, |a| a.date);
                    let mut d = self.deadline(
                        DeadlineRule::ControllerAnswer,
                        date,
                        StepId::CnilComplaint,
                        lang,
                    );
                    if let Some(t) = content::content()
                        .and_then(|c| c.guidance(lang).deadlines.get("incomplete_answer"))
                    {
                        d.label = t.label.clone();
                        d.next_step = t.next_step.clone();
                        d.sources = t.sources.clone();
                    }
                    out.push(d);
                }
                None => {
                    // An extension counts only if announced within the
                    // first month after receipt (GDPR art. 12(3)).
                    let notice = self
                        .events
                        .iter()
                        .filter(|e| matches!(e.kind, EventKind::ExtensionNotified))
                        .map(|e| e.date)
                        .find(|d| deadline::extension_is_valid(start, Some(*d)));
                    let (rule, due) = deadline::answer_due(start, notice);
                    let mut d = self.deadline(rule, due, StepId::CnilComplaint, lang);
                    d.approximate = from.approximate;
                    out.push(d);
                }
            }
        }
        if let Some(c) = self.last(|k| matches!(k, EventKind::CnilComplaintFiled)) {
            out.push(mk(
                DeadlineRule::CnilProgress,
                c.date,
                StepId::CnilComplaint,
            ));
        }
        for e in &self.events {
            match &e.kind {
                EventKind::DereferencingRequested { .. } => {
                    out.push(mk(DeadlineRule::SearchEngine, e.date, StepId::Dereference));
                }
                EventKind::FicobaRequested => {
                    out.push(mk(DeadlineRule::Ficoba, e.date, StepId::Plainte));
                }
                _ => {}
            }
        }
        out.sort_by_key(|d| d.due);
        out
    }

    fn deadline(&self, rule: DeadlineRule, due: Date, next: StepId, lang: Lang) -> Deadline {
        let text = content::content().and_then(|c| c.guidance(lang).deadlines.get(rule.key()));
        Deadline {
            breach_id: self.breach_id.clone(),
            rule,
            due,
            approximate: false,
            label: text.map(|t| t.label.clone()).unwrap_or_default(),
            next_step: text.map(|t| t.next_step.clone()).unwrap_or_default(),
            next_step_id: next,
            sources: text.map(|t| t.sources.clone()).unwrap_or_default(),
        }
    }
}

impl Dossier {
    /// An empty case file.
    pub fn new() -> Self {
        Self {
            version: 1,
            cases: Vec::new(),
        }
    }

    /// The case for `breach_id`, created if needed.
    pub fn case_mut(&mut self, breach_id: &str) -> &mut Case {
        if let Some(i) = self.cases.iter().position(|c| c.breach_id == breach_id) {
            return &mut self.cases[i];
        }
        self.cases.push(Case {
            breach_id: breach_id.to_owned(),
            ..Case::default()
        });
        let last = self.cases.len() - 1;
        &mut self.cases[last]
    }

    /// Record an event for `breach_id`.
    pub fn record(&mut self, breach_id: &str, date: Date, kind: EventKind, note: &str) {
        self.case_mut(breach_id).events.push(Event {
            date,
            kind,
            note: note.to_owned(),
        });
    }

    /// Every open deadline of every case, soonest first.
    pub fn deadlines(&self, lang: Lang) -> Vec<Deadline> {
        let mut all: Vec<Deadline> = self.cases.iter().flat_map(|c| c.deadlines(lang)).collect();
        all.sort_by_key(|d| d.due);
        all
    }

    /// The next deadline on or after `today`, or, if all have passed, the
    /// latest one that has (its `next_step` is then due now).
    pub fn next_deadline(&self, today: Date, lang: Lang) -> Option<Deadline> {
        let all = self.deadlines(lang);
        all.iter()
            .find(|d| d.due >= today)
            .or_else(|| all.last())
            .cloned()
    }

    /// Reminders as an iCalendar file (RFC 5545), one all-day event per
    /// open deadline with a reminder the day before; `DTSTAMP` is now.
    pub fn to_ics(&self, lang: Lang) -> String {
        let stamp = jiff::Timestamp::now()
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        self.to_ics_at(lang, &stamp)
    }

    /// [`Dossier::to_ics`] with a fixed `DTSTAMP` (`YYYYMMDDTHHMMSSZ`).
    pub fn to_ics_at(&self, lang: Lang, dtstamp: &str) -> String {
        let mut lines = vec![
            "BEGIN:VCALENDAR".to_owned(),
            "VERSION:2.0".to_owned(),
            "PRODID:-//FuiteCheck//Dossier//FR".to_owned(),
            "CALSCALE:GREGORIAN".to_owned(),
        ];
        for d in self.deadlines(lang) {
            let day = d.due.strftime("%Y%m%d").to_string();
            let end = d
                .due
                .tomorrow()
                .unwrap_or(d.due)
                .strftime("%Y%m%d")
                .to_string();
            let summary = format!("FuiteCheck : {}", d.label);
            let description = format!("{}\n{}", d.next_step, d.sources.join("\n"));
            lines.extend([
                "BEGIN:VEVENT".to_owned(),
                format!("UID:{}-{}-{day}@fuitecheck", d.breach_id, d.rule.key()),
                format!("DTSTAMP:{dtstamp}"),
                format!("DTSTART;VALUE=DATE:{day}"),
                format!("DTEND;VALUE=DATE:{end}"),
                format!("SUMMARY:{}", ics_escape(&summary)),
                format!("DESCRIPTION:{}", ics_escape(&description)),
                "BEGIN:VALARM".to_owned(),
                "ACTION:DISPLAY".to_owned(),
                "TRIGGER:-P1D".to_owned(),
                format!("DESCRIPTION:{}", ics_escape(&summary)),
                "END:VALARM".to_owned(),
                "END:VEVENT".to_owned(),
            ]);
        }
        lines.push("END:VCALENDAR".to_owned());
        let mut out = String::new();
        for l in &lines {
            out.push_str(&ics_fold(l));
        }
        out
    }

    /// Load the saved dossier; `Ok(None)` when nothing was saved.
    pub fn load(store: &DossierStore) -> Result<Option<Self>, DossierError> {
        store.load()
    }

    /// Save, encrypted (creates the key on first save).
    pub fn save(&self, store: &DossierStore) -> Result<(), DossierError> {
        store.save(self)
    }

    /// Delete the saved file and its key.
    pub fn erase(store: &DossierStore) -> Result<(), DossierError> {
        store.erase()
    }
}

/// Escape a TEXT value (RFC 5545 §3.3.11).
pub fn ics_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8
/// character, each line ending in CRLF.
pub fn ics_fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

/// Saving, loading or erasing failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DossierError {
    /// The credential store failed or is unavailable (e.g. no session bus).
    #[error("credential store unavailable: {0}")]
    Keyring(String),
    /// A dossier file exists but its key is gone: it cannot be read.
    #[error("the dossier's key is missing from the credential store; the file cannot be read")]
    KeyMissing,
    /// The file is not a dossier, or was altered, or the key is wrong.
    #[error("the dossier file cannot be decrypted (altered, or not ours)")]
    Corrupt,
    /// Reading or writing the file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

const MAGIC: &[u8] = b"FCDOSSIER1\n";
/// The service name of every FuiteCheck entry in the credential store.
pub const SERVICE: &str = "fuitecheck";
/// The credential-store user (account) under which the case file's key
/// is kept, service [`SERVICE`].
pub const KEY_USER: &str = "dossier-key";

/// Where the dossier is kept: a file, and a key in a credential store.
#[derive(Clone)]
pub struct DossierStore {
    path: PathBuf,
    credentials: Option<Arc<CredentialStore>>,
    user: String,
}

impl std::fmt::Debug for DossierStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DossierStore")
            .field("path", &self.path)
            .field("own_store", &self.credentials.is_some())
            .finish()
    }
}

impl DossierStore {
    /// A dossier at `path`, its key in `keyring-core`'s default store.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            credentials: None,
            user: KEY_USER.to_owned(),
        }
    }

    /// A dossier at `path`, its key in `store` (tests, or an app that
    /// keeps its own store).
    pub fn with_credential_store(path: impl Into<PathBuf>, store: Arc<CredentialStore>) -> Self {
        Self {
            path: path.into(),
            credentials: Some(store),
            user: KEY_USER.to_owned(),
        }
    }

    /// The usual place: `<data dir>/fuitecheck/dossier.fcd`.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("fr", "FuiteCheck", "fuitecheck")
            .map(|d| d.data_dir().join("dossier.fcd"))
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether a saved dossier exists.
    pub fn exists(&self) -> bool {
        self.path.exists()
    }

    fn entry(&self) -> Result<Entry, DossierError> {
        let e = match &self.credentials {
            Some(store) => store.build(SERVICE, &self.user, None),
            None => Entry::new(SERVICE, &self.user),
        };
        e.map_err(|e| DossierError::Keyring(e.to_string()))
    }

    fn key(&self, create: bool) -> Result<Zeroizing<Vec<u8>>, DossierError> {
        let entry = self.entry()?;
        match entry.get_secret() {
            Ok(k) if k.len() == 32 => Ok(Zeroizing::new(k)),
            Ok(_) => Err(DossierError::Corrupt),
            Err(keyring_core::Error::NoEntry) if create => {
                let mut k = Zeroizing::new(vec![0u8; 32]);
                getrandom::fill(&mut k).map_err(|e| DossierError::Keyring(e.to_string()))?;
                entry
                    .set_secret(&k)
                    .map_err(|e| DossierError::Keyring(e.to_string()))?;
                Ok(k)
            }
            Err(keyring_core::Error::NoEntry) => Err(DossierError::KeyMissing),
            Err(e) => Err(DossierError::Keyring(e.to_string())),
        }
    }

    fn io(&self) -> impl Fn(std::io::Error) -> DossierError + '_ {
        |source| DossierError::Io {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// Encrypt and write atomically (temporary file, then rename; the file
    /// is readable by its owner only).
    pub fn save(&self, dossier: &Dossier) -> Result<(), DossierError> {
        let key = self.key(true)?;
        let plain = Zeroizing::new(serde_json::to_vec(dossier).map_err(|_| DossierError::Corrupt)?);
        let cipher = XChaCha20Poly1305::new_from_slice(&key).map_err(|_| DossierError::Corrupt)?;
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|e| DossierError::Keyring(e.to_string()))?;
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: MAGIC,
                },
            )
            .map_err(|_| DossierError::Corrupt)?;
        let mut bytes = Vec::with_capacity(MAGIC.len() + nonce.len() + sealed.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&sealed);
        let dir = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        std::fs::create_dir_all(&dir).map_err(self.io())?;
        let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(self.io())?;
        tmp.write_all(&bytes).map_err(self.io())?;
        tmp.as_file().sync_all().map_err(self.io())?;
        tmp.persist(&self.path).map_err(|e| self.io()(e.error))?;
        Ok(())
    }

    /// Read and decrypt; `Ok(None)` when there is no file.
    pub fn load(&self) -> Result<Option<Dossier>, DossierError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io()(e)),
        };
        if bytes.len() < MAGIC.len() + 24 || &bytes[..MAGIC.len()] != MAGIC {
            return Err(DossierError::Corrupt);
        }
        let key = self.key(false)?;
        let cipher = XChaCha20Poly1305::new_from_slice(&key).map_err(|_| DossierError::Corrupt)?;
        let (nonce, sealed) = bytes[MAGIC.len()..].split_at(24);
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(nonce),
                    Payload {
                        msg: sealed,
                        aad: MAGIC,
                    },
                )
                .map_err(|_| DossierError::Corrupt)?,
        );
        serde_json::from_slice(&plain)
            .map(Some)
            .map_err(|_| DossierError::Corrupt)
    }

    /// Delete the file and the key (one action). Missing pieces are not an
    /// error. Deleting the key makes any copy of the file unreadable.
    pub fn erase(&self) -> Result<(), DossierError> {
        let file = match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.io()(e)),
        };
        let key = match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(DossierError::Keyring(e.to_string())),
        };
        file.and(key)
    }
}

/// A short text summary of the dossier (for the CLI and tests).
pub fn summary(dossier: &Dossier, today: Date, lang: Lang) -> String {
    let mut out = String::new();
    for case in &dossier.cases {
        let _ = writeln!(out, "{}", case.breach_id);
        let mut events = case.events.clone();
        events.sort_by_key(|e| e.date);
        for e in &events {
            let _ = writeln!(
                out,
                "  {} {:?} {}",
                deadline::format_date(e.date, lang),
                e.kind,
                e.note
            );
        }
    }
    if let Some(d) = dossier.next_deadline(today, lang) {
        let approx = match (d.approximate, lang) {
            (false, _) => "",
            (true, Lang::Fr) => " (date approximative : avis de réception inconnu)",
            (true, Lang::En) => " (approximate date: receipt date unknown)",
        };
        let _ = writeln!(
            out,
            "→ {}{approx} : {} — {}",
            deadline::format_date(d.due, lang),
            d.label,
            d.next_step
        );
    }
    out
}
