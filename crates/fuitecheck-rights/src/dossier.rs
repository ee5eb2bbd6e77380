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

/// Where one step of a case stands (format version 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[non_exhaustive]
pub enum StepState {
    /// Not started.
    ToDo,
    /// The letter, form or request was sent on `on`; `received` is the
    /// date of receipt (avis de réception) when known, from which GDPR
    /// periods run; `extensions` are the days the organisation announced
    /// an extension (art. 12(3); only one within the first month counts).
    Sent {
        /// Sending date.
        on: Date,
        /// Date of receipt, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        received: Option<Date>,
        /// Extension announcements.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        extensions: Vec<Date>,
    },
    /// The organisation answered on `on`.
    Answered {
        /// When the request had been sent.
        sent: Date,
        /// When it had been received, if known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        received: Option<Date>,
        /// The answer's date.
        on: Date,
        /// The answer was complete and satisfactory.
        complete: bool,
    },
    /// Finished (on `on`, when the person said).
    Done {
        /// When.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on: Option<Date>,
    },
    /// The person decided this step is not needed.
    NotNeeded,
}

/// One step of a case: its state and the person's short note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepProgress {
    /// Which step.
    pub step: StepId,
    /// Where it stands.
    #[serde(flatten)]
    pub state: StepState,
    /// The person's note (a reference number, a name to call…).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The steps taken for one breach, by one person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// The breach's catalogue id.
    pub breach_id: String,
    /// Whose case (a household member's label as the user typed it; empty
    /// for the user alone). Encrypted with the rest, never written elsewhere.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub person: String,
    /// The organisation written to, as the user named it.
    #[serde(default)]
    pub organisation: String,
    /// What happened, in any order (the history; [`Case::steps`] holds
    /// where each step stands).
    #[serde(default)]
    pub events: Vec<Event>,
    /// Where each step stands (version 2; derived from `events` when a
    /// version 1 file is loaded). A step absent here is [`StepState::ToDo`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepProgress>,
    /// The day the person marked the whole breach handled: no deadline or
    /// reminder is shown for it until [`Dossier::unmark_handled`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handled: Option<Date>,
}

/// A step change the case file refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StepError {
    /// An answer, a receipt or an extension for a step that was not sent.
    #[error("step `{}` has not been sent", .0.key())]
    NotSent(StepId),
    /// Dates out of order (e.g. received before sent).
    #[error("step `{}`: {what}", .step.key())]
    DateOrder {
        /// The step.
        step: StepId,
        /// Which dates ("received before sent", …).
        what: &'static str,
    },
}

/// A deadline still running, with what to do when it passes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The breach it belongs to.
    pub breach_id: String,
    /// Whose case ([`Case::person`]).
    pub person: String,
    /// The step it follows.
    pub step: StepId,
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

/// A household's case file: one [`Case`] per breach and person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    /// Format version: 1 (events only) or 2 (step states, people,
    /// "handled"); a version 1 file is upgraded when loaded.
    #[serde(default = "one")]
    pub version: u32,
    /// The cases.
    #[serde(default)]
    pub cases: Vec<Case>,
}

fn one() -> u32 {
    1
}

/// The case file format this build writes.
pub const DOSSIER_VERSION: u32 = 2;

impl Default for Dossier {
    fn default() -> Self {
        Self::new()
    }
}

impl StepState {
    /// Whether the step still waits on someone (sent, not answered).
    pub fn is_open(&self) -> bool {
        matches!(self, Self::Sent { .. })
    }

    fn check(&self, step: StepId) -> Result<(), StepError> {
        let bad = |what| Err(StepError::DateOrder { step, what });
        match self {
            Self::Sent {
                on,
                received,
                extensions,
            } => {
                if received.is_some_and(|r| r < *on) {
                    return bad("received before sent");
                }
                if extensions.iter().any(|e| e < on) {
                    return bad("extension announced before sending");
                }
            }
            Self::Answered {
                sent, received, on, ..
            } => {
                if received.is_some_and(|r| r < *sent) {
                    return bad("received before sent");
                }
                if on < sent {
                    return bad("answered before sent");
                }
            }
            Self::ToDo | Self::Done { .. } | Self::NotNeeded => {}
        }
        Ok(())
    }
}

impl Case {
    /// Where `step` stands ([`StepState::ToDo`] when never touched).
    pub fn state(&self, step: StepId) -> StepState {
        self.progress(step)
            .map_or(StepState::ToDo, |p| p.state.clone())
    }

    /// The step's record, if it was ever touched.
    pub fn progress(&self, step: StepId) -> Option<&StepProgress> {
        self.steps.iter().find(|p| p.step == step)
    }

    fn progress_mut(&mut self, step: StepId) -> &mut StepProgress {
        if let Some(i) = self.steps.iter().position(|p| p.step == step) {
            return &mut self.steps[i];
        }
        self.steps.push(StepProgress {
            step,
            state: StepState::ToDo,
            note: String::new(),
        });
        self.steps.sort_by_key(|p| p.step);
        let i = self.steps.iter().position(|p| p.step == step).unwrap_or(0);
        &mut self.steps[i]
    }

    /// Set where `step` stands, after checking its dates.
    pub fn set_state(&mut self, step: StepId, state: StepState) -> Result<(), StepError> {
        state.check(step)?;
        self.progress_mut(step).state = state;
        Ok(())
    }

    /// Apply a (version 1) event to the step states: the latest request
    /// by date wins, an answer counts only on or after its request.
    fn apply(&mut self, date: Date, kind: &EventKind) {
        let sent = |received: Option<Date>| StepState::Sent {
            on: date,
            received,
            extensions: Vec::new(),
        };
        let later = |state: &StepState| match state {
            StepState::Sent { on, .. } => date >= *on,
            StepState::Answered { sent, .. } => date >= *sent,
            _ => true,
        };
        let (step, new) = match kind {
            EventKind::AccessRequestSent { received } => {
                let received = received.filter(|r| *r >= date);
                (StepId::AskController, Some(sent(received)))
            }
            EventKind::ExtensionNotified => {
                let p = self.progress_mut(StepId::AskController);
                if let StepState::Sent { on, extensions, .. } = &mut p.state
                    && date >= *on
                {
                    extensions.push(date);
                }
                return;
            }
            EventKind::AnswerReceived { complete } => {
                let p = self.progress_mut(StepId::AskController);
                match &p.state {
                    StepState::Sent { on, received, .. } if date >= *on => {
                        p.state = StepState::Answered {
                            sent: *on,
                            received: *received,
                            on: date,
                            complete: *complete,
                        };
                    }
                    StepState::Answered {
                        sent, received, on, ..
                    } if date >= *on => {
                        p.state = StepState::Answered {
                            sent: *sent,
                            received: *received,
                            on: date,
                            complete: *complete,
                        };
                    }
                    _ => {}
                }
                return;
            }
            EventKind::CnilComplaintFiled => (StepId::CnilComplaint, Some(sent(None))),
            EventKind::PlainteFiled => (StepId::Plainte, Some(StepState::Done { on: Some(date) })),
            EventKind::DereferencingRequested { .. } => (StepId::Dereference, Some(sent(None))),
            EventKind::FicobaRequested => (StepId::Protect, Some(sent(None))),
            EventKind::CompensationClaimSent => (StepId::Compensation, Some(sent(None))),
            EventKind::Other => (StepId::AskController, None),
        };
        if let Some(new) = new {
            let p = self.progress_mut(step);
            if later(&p.state) {
                p.state = new;
            }
        }
    }

    /// The step states rebuilt from the event history (version 1 files).
    fn rebuild_steps(&mut self) {
        self.steps.clear();
        let mut events = self.events.clone();
        events.sort_by_key(|e| e.date);
        for e in &events {
            self.apply(e.date, &e.kind);
        }
        self.steps.retain(|p| p.state != StepState::ToDo);
    }

    /// The deadline `step` is waiting on, if any (receipt-based GDPR
    /// periods, `deadline.rs`).
    pub fn step_deadline(&self, step: StepId, lang: Lang) -> Option<Deadline> {
        let state = self.progress(step).map(|p| &p.state)?;
        let mut d = match (step, state) {
            (
                StepId::AskController | StepId::ErasureObjection,
                StepState::Sent {
                    on,
                    received,
                    extensions,
                },
            ) => {
                let from = deadline::Start::of_request(*on, *received);
                let notice = extensions
                    .iter()
                    .copied()
                    .filter(|e| deadline::extension_is_valid(from.date, Some(*e)))
                    .min();
                let (rule, due) = deadline::answer_due(from.date, notice);
                let mut d = self.deadline(rule, due, StepId::CnilComplaint, lang);
                d.approximate = from.approximate;
                d
            }
            (
                StepId::AskController | StepId::ErasureObjection,
                StepState::Answered {
                    on,
                    complete: false,
                    ..
                },
            ) => {
                // An incomplete answer: nothing to wait for, the next step
                // (CNIL) is open now.
                let mut d = self.deadline(
                    DeadlineRule::ControllerAnswer,
                    *on,
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
                d
            }
            (StepId::CnilComplaint, StepState::Sent { on, received, .. }) => {
                let rule = DeadlineRule::CnilProgress;
                self.deadline(
                    rule,
                    rule.due(received.unwrap_or(*on)),
                    StepId::CnilComplaint,
                    lang,
                )
            }
            (StepId::Dereference, StepState::Sent { on, received, .. }) => {
                let rule = DeadlineRule::SearchEngine;
                self.deadline(
                    rule,
                    rule.due(received.unwrap_or(*on)),
                    StepId::Dereference,
                    lang,
                )
            }
            (StepId::Protect, StepState::Sent { on, .. }) => {
                let rule = DeadlineRule::Ficoba;
                self.deadline(rule, rule.due(*on), StepId::Plainte, lang)
            }
            _ => return None,
        };
        d.step = step;
        Some(d)
    }

    /// The deadlines still open for this case (whatever today is), sorted
    /// by date; none once the case is marked handled.
    pub fn deadlines(&self, lang: Lang) -> Vec<Deadline> {
        if self.handled.is_some() {
            return Vec::new();
        }
        let mut out: Vec<Deadline> = self
            .steps
            .iter()
            .filter_map(|p| self.step_deadline(p.step, lang))
            .collect();
        out.sort_by_key(|d| d.due);
        out
    }

    fn deadline(&self, rule: DeadlineRule, due: Date, next: StepId, lang: Lang) -> Deadline {
        let text = content::content().and_then(|c| c.guidance(lang).deadlines.get(rule.key()));
        Deadline {
            breach_id: self.breach_id.clone(),
            person: self.person.clone(),
            step: StepId::AskController,
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

/// One step in the "where am I" view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepOverview {
    /// Which step.
    pub step: StepId,
    /// Where it stands.
    pub state: StepState,
    /// The person's note.
    pub note: String,
    /// What it waits on, if anything.
    pub deadline: Option<Deadline>,
    /// `deadline` has passed (its `next_step` is open now).
    pub overdue: bool,
}

/// One breach of one person in the "where am I" view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseOverview {
    /// Whose case.
    pub person: String,
    /// The breach.
    pub breach_id: String,
    /// Marked handled on this day.
    pub handled: Option<Date>,
    /// Every step, in [`StepId::ALL`] order (untouched ones are to do).
    pub steps: Vec<StepOverview>,
    /// The case's next deadline on or after today, else the latest passed.
    pub next: Option<Deadline>,
}

/// A reminder to show at start-up: a deadline due tomorrow or passed while
/// its step is still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    /// The deadline.
    pub deadline: Deadline,
    /// It has passed: what to do next is `deadline.next_step`.
    pub overdue: bool,
    /// Days from today to the due date (negative once passed).
    pub days_left: i32,
}

fn next_of(all: &[Deadline], today: Date) -> Option<Deadline> {
    all.iter()
        .find(|d| d.due >= today)
        .or_else(|| all.last())
        .cloned()
}

impl Dossier {
    /// An empty case file.
    pub fn new() -> Self {
        Self {
            version: DOSSIER_VERSION,
            cases: Vec::new(),
        }
    }

    /// Upgrade a file of an older format in memory: version 1 knew only
    /// events, whose step states are rebuilt here. Refuses a newer format.
    pub fn upgrade(&mut self) -> Result<(), DossierError> {
        if self.version > DOSSIER_VERSION {
            return Err(DossierError::NewerVersion(self.version));
        }
        if self.version < 2 {
            for c in &mut self.cases {
                c.rebuild_steps();
            }
        }
        self.version = DOSSIER_VERSION;
        Ok(())
    }

    /// The case for `breach_id` of the user alone, created if needed.
    pub fn case_mut(&mut self, breach_id: &str) -> &mut Case {
        self.case_for_mut("", breach_id)
    }

    /// The case of `person` for `breach_id`, created if needed.
    pub fn case_for_mut(&mut self, person: &str, breach_id: &str) -> &mut Case {
        if let Some(i) = self
            .cases
            .iter()
            .position(|c| c.breach_id == breach_id && c.person == person)
        {
            return &mut self.cases[i];
        }
        self.cases.push(Case {
            breach_id: breach_id.to_owned(),
            person: person.to_owned(),
            ..Case::default()
        });
        let last = self.cases.len() - 1;
        &mut self.cases[last]
    }

    /// The case of `person` for `breach_id`, if there is one.
    pub fn case(&self, person: &str, breach_id: &str) -> Option<&Case> {
        self.cases
            .iter()
            .find(|c| c.breach_id == breach_id && c.person == person)
    }

    /// The people with a case, in order of first appearance ("" is the
    /// user alone).
    pub fn people(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in &self.cases {
            if !out.contains(&c.person.as_str()) {
                out.push(&c.person);
            }
        }
        out
    }

    /// Record an event for `breach_id` (the user alone); the step it
    /// concerns follows (e.g. an access request sent makes
    /// [`StepId::AskController`] [`StepState::Sent`]).
    pub fn record(&mut self, breach_id: &str, date: Date, kind: EventKind, note: &str) {
        self.record_for("", breach_id, date, kind, note);
    }

    /// [`Dossier::record`] for `person`.
    pub fn record_for(
        &mut self,
        person: &str,
        breach_id: &str,
        date: Date,
        kind: EventKind,
        note: &str,
    ) {
        let case = self.case_for_mut(person, breach_id);
        case.apply(date, &kind);
        case.events.push(Event {
            date,
            kind,
            note: note.to_owned(),
        });
    }

    /// Set where a step stands (any state to any state; dates checked).
    pub fn set_step(
        &mut self,
        person: &str,
        breach_id: &str,
        step: StepId,
        state: StepState,
    ) -> Result<(), StepError> {
        self.case_for_mut(person, breach_id).set_state(step, state)
    }

    /// To do → sent on `on` (received on `received`, when known).
    pub fn mark_sent(
        &mut self,
        person: &str,
        breach_id: &str,
        step: StepId,
        on: Date,
        received: Option<Date>,
    ) -> Result<(), StepError> {
        let state = StepState::Sent {
            on,
            received,
            extensions: Vec::new(),
        };
        self.set_step(person, breach_id, step, state)
    }

    /// Add the date of receipt (avis de réception) to a sent step.
    pub fn mark_received(
        &mut self,
        person: &str,
        breach_id: &str,
        step: StepId,
        date: Date,
    ) -> Result<(), StepError> {
        let case = self.case_for_mut(person, breach_id);
        match case.state(step) {
            StepState::Sent { on, extensions, .. } => case.set_state(
                step,
                StepState::Sent {
                    on,
                    received: Some(date),
                    extensions,
                },
            ),
            StepState::Answered {
                sent, on, complete, ..
            } => case.set_state(
                step,
                StepState::Answered {
                    sent,
                    received: Some(date),
                    on,
                    complete,
                },
            ),
            _ => Err(StepError::NotSent(step)),
        }
    }

    /// The organisation announced, on `date`, that it extends its answer
    /// period (counts only within the first month after receipt).
    pub fn mark_extension(
        &mut self,
        person: &str,
        breach_id: &str,
        step: StepId,
        date: Date,
    ) -> Result<(), StepError> {
        let case = self.case_for_mut(person, breach_id);
        match case.state(step) {
            StepState::Sent {
                on,
                received,
                mut extensions,
            } => {
                extensions.push(date);
                case.set_state(
                    step,
                    StepState::Sent {
                        on,
                        received,
                        extensions,
                    },
                )
            }
            _ => Err(StepError::NotSent(step)),
        }
    }

    /// Sent → answered on `on` (`complete`: the answer was complete).
    pub fn mark_answered(
        &mut self,
        person: &str,
        breach_id: &str,
        step: StepId,
        on: Date,
        complete: bool,
    ) -> Result<(), StepError> {
        let case = self.case_for_mut(person, breach_id);
        let (sent, received) = match case.state(step) {
            StepState::Sent { on, received, .. } => (on, received),
            StepState::Answered { sent, received, .. } => (sent, received),
            _ => return Err(StepError::NotSent(step)),
        };
        case.set_state(
            step,
            StepState::Answered {
                sent,
                received,
                on,
                complete,
            },
        )
    }

    /// Any state → done.
    pub fn mark_done(&mut self, person: &str, breach_id: &str, step: StepId, on: Option<Date>) {
        let case = self.case_for_mut(person, breach_id);
        case.progress_mut(step).state = StepState::Done { on };
    }

    /// Any state → not needed.
    pub fn mark_not_needed(&mut self, person: &str, breach_id: &str, step: StepId) {
        let case = self.case_for_mut(person, breach_id);
        case.progress_mut(step).state = StepState::NotNeeded;
    }

    /// Any state → to do again (the note is kept).
    pub fn reopen(&mut self, person: &str, breach_id: &str, step: StepId) {
        let case = self.case_for_mut(person, breach_id);
        case.progress_mut(step).state = StepState::ToDo;
    }

    /// The short note of a step.
    pub fn set_note(&mut self, person: &str, breach_id: &str, step: StepId, note: &str) {
        let case = self.case_for_mut(person, breach_id);
        note.clone_into(&mut case.progress_mut(step).note);
    }

    /// Mark the whole breach handled for `person` (one call; the steps are
    /// kept, so [`Dossier::unmark_handled`] restores everything).
    pub fn mark_handled(&mut self, person: &str, breach_id: &str, on: Date) {
        self.case_for_mut(person, breach_id).handled = Some(on);
    }

    /// Undo [`Dossier::mark_handled`].
    pub fn unmark_handled(&mut self, person: &str, breach_id: &str) {
        if let Some(i) = self
            .cases
            .iter()
            .position(|c| c.breach_id == breach_id && c.person == person)
        {
            self.cases[i].handled = None;
        }
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
        next_of(&self.deadlines(lang), today)
    }

    /// "Where am I": every case of every person, each step with its state,
    /// note and deadline, people in order of first appearance.
    pub fn overview(&self, today: Date, lang: Lang) -> Vec<CaseOverview> {
        let mut out = Vec::new();
        for person in self.people() {
            for case in self.cases.iter().filter(|c| c.person == person) {
                let steps = StepId::ALL
                    .iter()
                    .map(|&step| {
                        let deadline = if case.handled.is_some() {
                            None
                        } else {
                            case.step_deadline(step, lang)
                        };
                        StepOverview {
                            step,
                            state: case.state(step),
                            note: case
                                .progress(step)
                                .map(|p| p.note.clone())
                                .unwrap_or_default(),
                            overdue: deadline.as_ref().is_some_and(|d| d.due < today),
                            deadline,
                        }
                    })
                    .collect();
                out.push(CaseOverview {
                    person: case.person.clone(),
                    breach_id: case.breach_id.clone(),
                    handled: case.handled,
                    steps,
                    next: next_of(&case.deadlines(lang), today),
                });
            }
        }
        out
    }

    /// The reminders to show when the app starts: every open deadline due
    /// by tomorrow (the `.ics` alarm rings the day before) or already
    /// passed, soonest first. Nothing runs in the background: the app asks.
    pub fn reminders_due(&self, today: Date, lang: Lang) -> Vec<Reminder> {
        let horizon = today.tomorrow().unwrap_or(today);
        self.deadlines(lang)
            .into_iter()
            .filter(|d| d.due <= horizon)
            .map(|d| Reminder {
                days_left: today.until(d.due).map_or(0, |s| s.get_days()),
                overdue: d.due < today,
                deadline: d,
            })
            .collect()
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
    ///
    /// One `VEVENT` (with one `VALARM`, the day before) per step waiting
    /// on a deadline; its `UID` is stable across exports (breach, step,
    /// rule, due day, and the person's position when there are several),
    /// so re-importing updates rather than duplicates. Notes and people's
    /// labels are not written (a calendar may be synchronised elsewhere);
    /// with several people the summary ends with the person's number.
    pub fn to_ics_at(&self, lang: Lang, dtstamp: &str) -> String {
        let people = self.people();
        let mut lines = vec![
            "BEGIN:VCALENDAR".to_owned(),
            "VERSION:2.0".to_owned(),
            "PRODID:-//FuiteCheck//Dossier//FR".to_owned(),
            "CALSCALE:GREGORIAN".to_owned(),
        ];
        let sep = match lang {
            Lang::Fr => " : ",
            Lang::En => ": ",
        };
        for d in self.deadlines(lang) {
            let day = d.due.strftime("%Y%m%d").to_string();
            let end = d
                .due
                .tomorrow()
                .unwrap_or(d.due)
                .strftime("%Y%m%d")
                .to_string();
            let who = match people.iter().position(|p| *p == d.person) {
                Some(i) if people.len() > 1 => (Some(i + 1), format!(" [{}]", i + 1)),
                _ => (None, String::new()),
            };
            let summary = format!("FuiteCheck{sep}{}{}", d.label, who.1);
            let approximate = if d.approximate {
                content::content()
                    .and_then(|c| c.guidance(lang).deadlines.get("approximate"))
                    .map(|t| format!("{} {}\n", t.label, t.next_step))
                    .unwrap_or_default()
            } else {
                String::new()
            };
            let description = format!(
                "{approximate}{}\n{}\n{}",
                d.next_step,
                d.breach_id,
                d.sources.join("\n")
            );
            let uid_person = who.0.map(|i| format!("-p{i}")).unwrap_or_default();
            lines.extend([
                "BEGIN:VEVENT".to_owned(),
                format!(
                    "UID:{}-{}-{}-{day}{uid_person}@fuitecheck",
                    d.breach_id,
                    d.step.key(),
                    d.rule.key()
                ),
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
    /// The file was written by a newer FuiteCheck (format version).
    #[error(
        "the dossier was written in format version {0}, newer than this app's; update FuiteCheck"
    )]
    NewerVersion(u32),
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
        let mut current = dossier.clone();
        current.upgrade()?;
        let plain =
            Zeroizing::new(serde_json::to_vec(&current).map_err(|_| DossierError::Corrupt)?);
        self.save_plain(&plain)
    }

    /// Encrypt and write `plain` (the JSON of a dossier).
    fn save_plain(&self, plain: &[u8]) -> Result<(), DossierError> {
        let key = self.key(true)?;
        let cipher = XChaCha20Poly1305::new_from_slice(&key).map_err(|_| DossierError::Corrupt)?;
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|e| DossierError::Keyring(e.to_string()))?;
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
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
        let mut dossier: Dossier =
            serde_json::from_slice(&plain).map_err(|_| DossierError::Corrupt)?;
        dossier.upgrade()?;
        Ok(Some(dossier))
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
        let who = if case.person.is_empty() {
            String::new()
        } else {
            format!("{} · ", case.person)
        };
        let handled = case
            .handled
            .map(|d| format!(" ✔ {}", deadline::format_date(d, lang)))
            .unwrap_or_default();
        let _ = writeln!(out, "{who}{}{handled}", case.breach_id);
        for p in &case.steps {
            let _ = writeln!(out, "  [{}] {:?} {}", p.step.key(), p.state, p.note);
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// A case file written by the previous format (version 1: events
    /// only, no steps, no people) still opens, encrypted as before, and
    /// its steps and deadlines are rebuilt from its events.
    #[test]
    fn a_version_1_file_still_loads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dossier.fcd");
        let creds = keyring_core::mock::Store::new().unwrap();
        let store = DossierStore::with_credential_store(&path, creds);
        let v1 = br#"{"version":1,"cases":[{"breach_id":"viamedis-almerys-2024","organisation":"Mutuelle","events":[
            {"date":"2026-01-29","kind":"access_request_sent","received":"2026-01-31","note":"LRAR"},
            {"date":"2026-02-20","kind":"extension_notified"},
            {"date":"2026-02-03","kind":"ficoba_requested"},
            {"date":"2026-02-01","kind":"plainte_filed"}]}]}"#;
        store.save_plain(v1).unwrap();
        let d = store.load().unwrap().unwrap();
        assert_eq!(d.version, DOSSIER_VERSION);
        let case = d.case("", "viamedis-almerys-2024").unwrap();
        assert_eq!(case.events.len(), 4);
        assert_eq!(
            case.state(StepId::AskController),
            StepState::Sent {
                on: date(2026, 1, 29),
                received: Some(date(2026, 1, 31)),
                extensions: vec![date(2026, 2, 20)],
            }
        );
        assert_eq!(
            case.state(StepId::Plainte),
            StepState::Done {
                on: Some(date(2026, 2, 1))
            }
        );
        let rules: Vec<_> = d
            .deadlines(Lang::Fr)
            .iter()
            .map(|x| (x.step, x.rule, x.due))
            .collect();
        assert_eq!(
            rules,
            [
                (StepId::Protect, DeadlineRule::Ficoba, date(2026, 3, 3)),
                (
                    StepId::AskController,
                    DeadlineRule::ControllerAnswerExtended,
                    date(2026, 4, 30)
                ),
            ]
        );
        // Saved again, it is a version 2 file that loads identically.
        d.save(&store).unwrap();
        assert_eq!(store.load().unwrap().unwrap(), d);
        // A newer format is refused, not misread.
        store.save_plain(br#"{"version":3,"cases":[]}"#).unwrap();
        assert!(matches!(store.load(), Err(DossierError::NewerVersion(3))));
    }
}
