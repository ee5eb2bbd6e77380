//! `App::logic`: once per frame, before any drawing, take in what the
//! background tasks reported and put their results where they belong
//! (runtime state, or the screen that shows them). Never blocks.

use fuitecheck_core::check::{CheckError, CheckReport, Variant};

use super::state::{CheckOutcome, DossierDone, Runtime, Screen, SourceChoice, SourceState};
use super::status::{CheckFailure, DownloadFailure, Reason, Status};
use super::stay::{PendingKeys, StayDone};
use super::task::TaskEnd;
use super::worker::DialogPurpose;
use super::{FuiteCheckApp, identity, trace_startup};

impl FuiteCheckApp {
    /// Keep the clock and the style current and drain every task's
    /// channel. eframe calls it before each frame (`App::logic`); tests call
    /// it before [`Self::ui_root`].
    pub fn logic(&mut self, ctx: &egui::Context) {
        self.runtime.today = (self.today)();
        self.apply_style(ctx);
        self.poll_check(ctx);
        self.poll_source(ctx);
        self.poll_dialog(ctx);
        self.poll_download(ctx);
        self.poll_export();
        self.poll_dossier();
        self.poll_stay();
        self.poll_erasing();
    }

    fn poll_erasing(&mut self) {
        let Some(task) = &mut self.runtime.erasing else {
            return;
        };
        let Some(end) = task.poll_end() else {
            return;
        };
        self.runtime.erasing = None;
        self.runtime.notice = Some(match end {
            TaskEnd::Done(Ok(())) => Status::Erased,
            TaskEnd::Done(Err(reason)) => Status::EraseFailed(Reason::Error(reason)),
            TaskEnd::Stopped => Status::EraseFailed(Reason::WorkerStopped),
        });
    }

    fn poll_check(&mut self, ctx: &egui::Context) {
        let Some(run) = &mut self.runtime.check else {
            return;
        };
        let Some(end) = run.poll() else {
            return;
        };
        let variants = run.variants.clone();
        let runtime = &mut self.runtime;
        runtime.check = None;
        let failure = match end {
            TaskEnd::Done(Ok((report, keys))) => {
                if let Some(active) = runtime.source.ready() {
                    // Every check passed: only now may the remembered
                    // sequence rise (SPEC §6).
                    if let Some(admission) = &active.summary.admission {
                        self.settings.sequences.record(admission);
                    }
                    runtime.stay.pending =
                        Some(PendingKeys::new(active.summary.keys_entry(), keys));
                    runtime.stay.consent = false;
                    runtime.outcome = Some(CheckOutcome {
                        report,
                        summary: active.summary.clone(),
                        variants,
                    });
                    runtime.screen = Screen::Results;
                }
                if self.settings.clear_after_check {
                    identity::clear_identity(ctx, &mut self.screens.identity.form);
                }
                return;
            }
            TaskEnd::Done(Err(CheckError::Cancelled)) => {
                runtime.notice = Some(Status::CheckCancelled);
                runtime.screen = Screen::Identity;
                return;
            }
            TaskEnd::Done(Err(e)) => CheckFailure::from(&e),
            TaskEnd::Stopped => CheckFailure::WorkerStopped,
        };
        runtime.notice = Some(Status::CheckFailed(failure));
        runtime.screen = Screen::Identity;
    }

    fn poll_source(&mut self, ctx: &egui::Context) {
        let SourceState::Loading { task, .. } = &mut self.runtime.source else {
            return;
        };
        let Some(end) = task.poll_end() else {
            return;
        };
        self.runtime.source = match end {
            TaskEnd::Done(Ok(active)) => SourceState::Ready(active),
            TaskEnd::Done(Err(reason)) => SourceState::Failed(reason),
            TaskEnd::Stopped => SourceState::Failed(Reason::WorkerStopped),
        };
        trace_startup("publication ready");
        self.probe_stored_keys(ctx);
    }

    fn poll_dialog(&mut self, ctx: &egui::Context) {
        let Some(run) = &mut self.runtime.dialog else {
            return;
        };
        let Some(end) = run.task.poll_end() else {
            return;
        };
        let purpose = run.purpose;
        self.runtime.dialog = None;
        // A dialog whose thread died chose nothing.
        let TaskEnd::Done(Some(path)) = end else {
            return;
        };
        match purpose {
            DialogPurpose::PublicationDir => {
                self.settings.publication_dir = Some(path);
                self.load_source(ctx);
            }
            DialogPurpose::TrustedKey => self.read_key(&path),
        }
    }

    fn poll_download(&mut self, ctx: &egui::Context) {
        let Some(run) = &mut self.runtime.download else {
            return;
        };
        let Some(end) = run.poll() else {
            return;
        };
        let dir = run.dir.clone();
        self.runtime.download = None;
        let status = &mut self.screens.settings.download_status;
        match end {
            TaskEnd::Done(Ok(report)) => {
                *status = Some(if report.already_current {
                    Status::DownloadCurrent
                } else {
                    Status::DownloadDone {
                        bytes: report.bytes_transferred,
                    }
                });
                // Switch to the downloaded folder; loading follows its
                // `current` pointer, so later updates are picked up.
                self.settings.source = SourceChoice::Directory;
                self.settings.publication_dir = Some(dir);
                self.load_source(ctx);
            }
            TaskEnd::Done(Err(e)) => {
                *status = Some(Status::DownloadFailed(DownloadFailure::from(&e)));
            }
            TaskEnd::Stopped => {
                *status = Some(Status::DownloadFailed(DownloadFailure::WorkerStopped));
            }
        }
    }

    fn poll_export(&mut self) {
        let Some(task) = &mut self.runtime.export else {
            return;
        };
        let Some(end) = task.poll_end() else {
            return;
        };
        self.runtime.export = None;
        self.screens.act.status = match end {
            TaskEnd::Done(Ok(Some(path))) => Some(Status::ExportSaved(path)),
            TaskEnd::Done(Ok(None)) => None,
            TaskEnd::Done(Err(reason)) => Some(Status::ExportFailed(Reason::Error(reason))),
            TaskEnd::Stopped => Some(Status::ExportFailed(Reason::WorkerStopped)),
        };
    }

    fn poll_dossier(&mut self) {
        let d = &mut self.runtime.dossier;
        let Some(task) = &mut d.task else {
            return;
        };
        let Some(end) = task.poll_end() else {
            return;
        };
        d.task = None;
        let failed = |reason: Reason| Some(Status::DossierFailed(reason));
        d.status = match end {
            TaskEnd::Done(DossierDone::Loaded(Ok(Some(dossier)))) => {
                d.dossier = dossier;
                d.keep = true;
                Some(Status::DossierLoaded)
            }
            TaskEnd::Done(DossierDone::Loaded(Ok(None))) => None,
            TaskEnd::Done(DossierDone::Saved(Ok(()))) => {
                d.keep = true;
                Some(Status::DossierSaved)
            }
            TaskEnd::Done(DossierDone::Erased(Ok(()))) => Some(Status::DossierErased),
            TaskEnd::Done(
                DossierDone::Loaded(Err(reason))
                | DossierDone::Saved(Err(reason))
                | DossierDone::Erased(Err(reason)),
            ) => failed(Reason::Error(reason)),
            TaskEnd::Stopped => failed(Reason::WorkerStopped),
        };
    }

    fn poll_stay(&mut self) {
        let runtime = &mut self.runtime;
        let Some(task) = &mut runtime.stay.task else {
            return;
        };
        let Some(end) = task.poll_end() else {
            return;
        };
        runtime.stay.task = None;
        let done = match end {
            TaskEnd::Done(done) => done,
            TaskEnd::Stopped => {
                runtime.stay.status = Some(Status::KeyringFailed(Reason::WorkerStopped));
                return;
            }
        };
        let failed = |reason: String| Some(Status::KeyringFailed(Reason::Error(reason)));
        match done {
            StayDone::Probed {
                entry,
                exists,
                recheck,
            } => {
                match exists {
                    Ok(exists) => runtime.stay.stored = Some((entry, exists)),
                    Err(reason) => runtime.stay.status = failed(reason),
                }
                if let Some(Ok((report, variants))) = recheck {
                    let status = Status::Rechecked {
                        matches: count_breaches(&report),
                    };
                    runtime.notice = Some(status.clone());
                    if runtime.outcome.is_none() && count_breaches(&report) > 0 {
                        set_outcome(runtime, report, variants);
                    }
                    runtime.stay.status = Some(status);
                }
            }
            StayDone::Stored(entry, Ok(())) => {
                runtime.stay.stored = Some((entry, true));
                runtime.stay.drop_pending();
                runtime.stay.status = Some(Status::KeysStored);
            }
            StayDone::Forgotten(entry, Ok(())) => {
                runtime.stay.stored = Some((entry, false));
                runtime.stay.status = Some(Status::KeysForgotten);
            }
            StayDone::Rechecked(Ok(Some((report, variants)))) => {
                runtime.stay.status = Some(Status::Rechecked {
                    matches: count_breaches(&report),
                });
                set_outcome(runtime, report, variants);
                runtime.screen = Screen::Results;
            }
            StayDone::Rechecked(Ok(None)) => {
                if let Some((_, stored)) = &mut runtime.stay.stored {
                    *stored = false;
                }
                runtime.stay.status = Some(Status::NoKeysStored);
            }
            StayDone::Stored(_, Err(reason))
            | StayDone::Forgotten(_, Err(reason))
            | StayDone::Rechecked(Err(reason)) => runtime.stay.status = failed(reason),
        }
    }
}

/// How many breaches a report matched.
fn count_breaches(report: &CheckReport) -> usize {
    let mut ids: Vec<&str> = report.matches.iter().map(|m| m.breach.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

/// Show a report (from stored keys) as the current outcome.
fn set_outcome(runtime: &mut Runtime, report: CheckReport, variants: Vec<Variant>) {
    if let Some(active) = runtime.source.ready() {
        runtime.outcome = Some(CheckOutcome {
            report,
            summary: active.summary.clone(),
            variants,
        });
    }
}
