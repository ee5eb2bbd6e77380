//! The app's jobs, each a [`Task`]: the check (Argon2), opening a
//! publication (file I/O, SHA-256, or the network for a range API), a
//! download, file dialogs and exports. The case file's and the credential
//! store's jobs are closures spawned where they are asked for
//! ([`super::FuiteCheckApp`]). Nothing here touches the UI.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use fuitecheck_client::download::{DownloadError, DownloadEvent, DownloadReport};
use fuitecheck_core::bucket::NirBucket;
use fuitecheck_core::catalogue::{Lang, Localized};
use fuitecheck_core::check::{
    self, CheckError, CheckEvent, CheckReport, Identity, Source, Variant,
};
use fuitecheck_core::fingerprint::Key;
use fuitecheck_core::freshness::{self, Admission, SequenceStore};
use fuitecheck_core::publication::OfflinePublication;
use fuitecheck_core::signature::TrustStore;

use super::state::ActiveSource;
use super::status::Reason;
use super::task::{NoProgress, Task, TaskEnd};

/// The fingerprint keys `k` of a check, per variant (zeroized on drop),
/// with the bucket of the NIR: what a re-check needs, online too (8 bits of
/// the NIR, the same in every publication, which an online check sends
/// anyway; never the NIR).
pub struct Keys {
    /// The bucket of the person's NIR.
    pub bucket: NirBucket,
    /// One key per surname variant.
    pub variants: Vec<(Variant, Key)>,
}

/// What a check returns: the report, and the keys (kept in memory only
/// until the person decides whether to keep them, "Rester informé(e)").
pub type CheckResult = Result<(CheckReport, Keys), CheckError>;

/// A running check and its progress.
pub struct CheckRun {
    task: Task<CheckEvent, CheckResult>,
    /// The variants being derived.
    pub variants: Vec<Variant>,
    /// The variants whose fingerprint is ready.
    pub derived: Vec<Variant>,
    /// The source is being asked.
    pub looking_up: bool,
}

impl CheckRun {
    /// Start a check on a thread named `fuitecheck-check`. The identity is
    /// moved to the thread and zeroized there when dropped.
    pub fn spawn(
        identity: Identity,
        source: Arc<dyn Source>,
        ctx: &egui::Context,
    ) -> std::io::Result<Self> {
        let variants: Vec<Variant> = identity.variants().iter().map(|(v, _)| *v).collect();
        let task = Task::spawn("fuitecheck-check", ctx, move |reporter| {
            let progress = |event: CheckEvent| reporter.report(event);
            let kdf = source.manifest().kdf.clone();
            let derived = check::derive_keys(&identity, &kdf, &progress);
            let bucket = identity.bucket();
            drop(identity);
            derived.map_err(CheckError::from).and_then(|keys| {
                if reporter.is_cancelled() {
                    return Err(CheckError::Cancelled);
                }
                let lookups: Vec<_> = keys.iter().map(|(v, k)| (*v, k.lookup())).collect();
                check::check_lookups(
                    bucket,
                    &lookups,
                    source.as_ref(),
                    &progress,
                    reporter.cancel_flag(),
                )
                .map(|report| {
                    (
                        report,
                        Keys {
                            bucket,
                            variants: keys,
                        },
                    )
                })
            })
        })?;
        Ok(Self {
            task,
            variants,
            derived: Vec::new(),
            looking_up: false,
        })
    }

    /// Ask the thread to stop. The UI forgets the run at once; an Argon2
    /// evaluation in progress finishes and its result is dropped.
    pub fn cancel(&self) {
        self.task.cancel();
    }

    /// Take in the progress; `Some` when the check is over.
    pub fn poll(&mut self) -> Option<TaskEnd<CheckResult>> {
        let Self {
            task,
            derived,
            looking_up,
            ..
        } = self;
        task.poll(|event| match event {
            CheckEvent::Deriving { .. } => {}
            CheckEvent::Derived(v) => derived.push(v),
            CheckEvent::LookingUp => *looking_up = true,
        })
    }

    /// Progress in 0..=1: one step per variant, one for the lookup.
    pub fn fraction(&self) -> f32 {
        let total = self.variants.len() + 1;
        let done = self.derived.len() + usize::from(self.looking_up);
        done as f32 / total as f32
    }
}

/// Opening a publication: the verified and admitted source, or why it
/// was refused.
pub type LoadTask = Task<NoProgress, Result<ActiveSource, Reason>>;

/// An error opening a publication, as its text.
fn open_error(e: impl std::fmt::Display) -> Reason {
    Reason::Error(format!("{e:#}"))
}

/// Open and verify the publication in `dir` (or the version a download
/// directory points at) with `trust`, then admit it (demo key, rollback
/// against `seen`, expiry), on a thread named `fuitecheck-publication`.
pub fn load_dir(
    dir: PathBuf,
    trust: TrustStore,
    seen: SequenceStore,
    ctx: &egui::Context,
) -> std::io::Result<LoadTask> {
    Task::spawn("fuitecheck-publication", ctx, move |_| {
        let dir = fuitecheck_client::download::active_dir(&dir).unwrap_or(dir);
        let publication = OfflinePublication::open_dir(&dir, &trust).map_err(open_error)?;
        let admission = admit(&publication, &trust, &seen)?;
        Ok(ActiveSource::offline(publication).admitted(admission))
    })
}

/// Fetch and verify the manifest of a range API, then admit it (network
/// I/O never runs in a frame).
pub fn load_online(
    url: String,
    trust: TrustStore,
    seen: SequenceStore,
    ctx: &egui::Context,
) -> std::io::Result<LoadTask> {
    Task::spawn("fuitecheck-publication", ctx, move |_| {
        let source =
            fuitecheck_client::online::RangeSource::connect(&url, &trust).map_err(open_error)?;
        let admission = admit(&source, &trust, &seen)?;
        Ok(ActiveSource::online(source).admitted(admission))
    })
}

/// Verify the embedded demo publication.
pub fn load_embedded_demo(ctx: &egui::Context) -> std::io::Result<LoadTask> {
    Task::spawn("fuitecheck-publication", ctx, |_| {
        let publication = OfflinePublication::embedded_demo().map_err(open_error)?;
        let trust = TrustStore::shipped();
        let admission = admit(&publication, &trust, &SequenceStore::new())?;
        Ok(ActiveSource::offline(publication).admitted(admission))
    })
}

/// [`freshness::admit`] now; a refusal is worded by the text layer in
/// both languages, so it is still a value the screen words when drawn.
fn admit(
    source: &dyn Source,
    trust: &TrustStore,
    seen: &SequenceStore,
) -> Result<Admission, Reason> {
    let now = jiff::Timestamp::now().as_second();
    freshness::admit(source, trust, seen, now).map_err(|e| {
        Reason::Worded(Localized {
            fr: crate::text::trust_error(&e, Lang::Fr),
            en: crate::text::trust_error(&e, Lang::En),
        })
    })
}

/// A publication being downloaded, and how far along it is.
pub struct DownloadRun {
    task: Task<DownloadEvent, Result<DownloadReport, DownloadError>>,
    /// Where it goes.
    pub dir: PathBuf,
    /// The manifest was fetched and its signature verified.
    pub verified: bool,
    /// Bytes of set files to transfer, once known.
    pub to_transfer: Option<u64>,
    /// Per set file: bytes present, full size.
    pub files: BTreeMap<String, (u64, u64)>,
}

impl DownloadRun {
    /// Start downloading `url` into `dir` on a thread named
    /// `fuitecheck-download`, trusting `trust` and refusing a manifest
    /// older than one in `seen`.
    pub fn spawn(
        url: String,
        dir: PathBuf,
        trust: TrustStore,
        seen: SequenceStore,
        ctx: &egui::Context,
    ) -> std::io::Result<Self> {
        let thread_dir = dir.clone();
        let task = Task::spawn("fuitecheck-download", ctx, move |reporter| {
            fuitecheck_client::download::download(
                &url,
                &thread_dir,
                &trust,
                &seen,
                &|event| reporter.report(event),
                reporter.cancel_flag(),
            )
        })?;
        Ok(Self {
            task,
            dir,
            verified: false,
            to_transfer: None,
            files: BTreeMap::new(),
        })
    }

    /// Ask the thread to stop; what was received is kept for a resume.
    pub fn cancel(&self) {
        self.task.cancel();
    }

    /// Whether cancel was asked.
    pub fn cancelling(&self) -> bool {
        self.task.is_cancelled()
    }

    /// Take in the progress; `Some` when the download is over.
    pub fn poll(&mut self) -> Option<TaskEnd<Result<DownloadReport, DownloadError>>> {
        let Self {
            task,
            verified,
            to_transfer,
            files,
            ..
        } = self;
        task.poll(|event| match event {
            DownloadEvent::ManifestVerified { to_transfer: n } => {
                *verified = true;
                *to_transfer = Some(n);
            }
            DownloadEvent::Progress { file, done, total } => {
                files.insert(file, (done, total));
            }
            DownloadEvent::Reused { .. } => {}
        })
    }

    /// (bytes received, bytes expected) over the set files.
    pub fn bytes(&self) -> (u64, u64) {
        let done: u64 = self.files.values().map(|(d, _)| *d).sum();
        let seen: u64 = self.files.values().map(|(_, t)| *t).sum();
        (done, self.to_transfer.unwrap_or(0).max(seen))
    }
}

/// What an export writes.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportWhat {
    /// A draft, rendered to PDF on the worker thread.
    Pdf(Box<fuitecheck_rights::Draft>),
    /// Text (a draft as text, or `.ics` reminders).
    Text(String),
}

impl ExportWhat {
    /// The bytes to write.
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            Self::Pdf(d) => d.to_pdf(),
            Self::Text(t) => t.clone().into_bytes(),
        }
    }
}

/// Write an export atomically (temporary file, then rename).
pub fn write_export(path: &Path, what: &ExportWhat) -> Result<(), String> {
    fuitecheck_core::fsutil::atomic_write_private(path, &what.bytes()).map_err(|e| format!("{e:#}"))
}

/// An export: the path written, `None` when the person closed the dialog.
pub type ExportTask = Task<NoProgress, Result<Option<PathBuf>, String>>;

/// Ask where to save, then write, on a thread named `fuitecheck-export`.
pub fn export(
    file_name: &str,
    what: ExportWhat,
    ctx: &egui::Context,
) -> std::io::Result<ExportTask> {
    let dialog = rfd::AsyncFileDialog::new().set_file_name(file_name);
    let dialog = match Path::new(file_name).extension().and_then(|e| e.to_str()) {
        Some(ext) => dialog.add_filter(ext, &[ext]),
        None => dialog,
    };
    Task::spawn("fuitecheck-export", ctx, move |_| {
        let Some(handle) = block_on(dialog.save_file()) else {
            return Ok(None);
        };
        let path = handle.path().to_path_buf();
        write_export(&path, &what).map(|()| Some(path))
    })
}

/// What a file dialog was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogPurpose {
    /// A publication directory.
    PublicationDir,
    /// A `.pub` key file.
    TrustedKey,
}

/// An open file dialog: the path chosen, `None` when cancelled.
pub struct DialogRun {
    /// The dialog's task.
    pub task: Task<NoProgress, Option<PathBuf>>,
    /// Why it is open.
    pub purpose: DialogPurpose,
}

impl DialogRun {
    /// Open the dialog (rfd's async dialog, driven on a thread named
    /// `fuitecheck-dialog` so the frame loop never waits for the user).
    pub fn open(
        purpose: DialogPurpose,
        start_dir: Option<&Path>,
        ctx: &egui::Context,
    ) -> std::io::Result<Self> {
        let mut dialog = rfd::AsyncFileDialog::new();
        if let Some(dir) = start_dir {
            dialog = dialog.set_directory(dir);
        }
        let task = Task::spawn("fuitecheck-dialog", ctx, move |_| {
            let picked = match purpose {
                DialogPurpose::PublicationDir => block_on(dialog.pick_folder()),
                DialogPurpose::TrustedKey => {
                    block_on(dialog.add_filter("minisign", &["pub"]).pick_file())
                }
            };
            picked.map(|h| h.path().to_path_buf())
        })?;
        Ok(Self { task, purpose })
    }
}

/// Run a future to completion on the current (background) thread.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Wake, Waker};

    struct ThreadWaker(std::thread::Thread);
    impl Wake for ThreadWaker {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }

    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(out) => return out,
            Poll::Pending => std::thread::park(),
        }
    }
}
