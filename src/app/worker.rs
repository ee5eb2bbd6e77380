//! Slow work off the UI thread: the check (Argon2), opening a publication
//! (file I/O, SHA-256), file dialogs. Each runs on a named thread, reports
//! through a channel and wakes the UI with `request_repaint`. The UI polls
//! with `try_recv` once per frame and never blocks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Instant;

use fuitecheck_client::download::{DownloadError, DownloadEvent, DownloadReport};
use fuitecheck_core::bucket::NirBucket;
use fuitecheck_core::catalogue::Lang;
use fuitecheck_core::check::{
    self, CheckError, CheckEvent, CheckReport, Identity, Source, Variant,
};
use fuitecheck_core::fingerprint::Key;
use fuitecheck_core::freshness::{self, Admission, SequenceStore};
use fuitecheck_core::publication::OfflinePublication;
use fuitecheck_core::signature::TrustStore;

use super::state::ActiveSource;

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

/// A message from the check thread.
enum CheckMsg {
    Event(CheckEvent),
    Done(Result<(CheckReport, Keys), CheckError>),
}

/// How a check ended.
pub enum CheckEnd {
    /// It ran; the keys stay in memory only until the person decides
    /// whether to keep them ("Rester informé(e)").
    Report(CheckReport, Keys),
    /// It failed.
    Error(CheckError),
}

/// Any other slow piece of work (file export, case file, credential
/// store, re-check) on its own named thread, reporting once.
pub struct Task<T> {
    rx: Receiver<T>,
}

impl<T: Send + 'static> Task<T> {
    /// Run `work` on a thread called `name`; wake the UI when done.
    pub fn spawn(
        name: &str,
        ctx: egui::Context,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let _ = tx.send(work());
                ctx.request_repaint();
            })?;
        Ok(Self { rx })
    }

    /// `Some` once the work is over (`Err` if the thread died).
    pub fn poll(&mut self) -> Option<Result<T, String>> {
        match self.rx.try_recv() {
            Ok(v) => Some(Ok(v)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err("the worker thread stopped".to_owned())),
        }
    }
}

/// A running check.
pub struct CheckJob {
    rx: Receiver<CheckMsg>,
    cancel: Arc<AtomicBool>,
    /// The variants being derived.
    pub variants: Vec<Variant>,
    /// The variants whose fingerprint is ready.
    pub derived: Vec<Variant>,
    /// The source is being asked.
    pub looking_up: bool,
    /// When it started.
    pub started: Instant,
}

impl CheckJob {
    /// Start a check on a thread named `fuitecheck-check`. The identity is
    /// moved to the thread and zeroized there when dropped.
    pub fn spawn(
        identity: Identity,
        source: Arc<dyn Source>,
        ctx: egui::Context,
    ) -> std::io::Result<Self> {
        let variants: Vec<Variant> = identity.variants().iter().map(|(v, _)| *v).collect();
        let (tx, rx) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let thread_cancel = Arc::clone(&cancel);
        std::thread::Builder::new()
            .name("fuitecheck-check".to_owned())
            .spawn(move || {
                let progress_tx = tx.clone();
                let progress_ctx = ctx.clone();
                let progress = move |event: CheckEvent| {
                    // NOTE: the UI may have dropped the receiver (cancel):
                    // a failed send is expected then.
                    let _ = progress_tx.send(CheckMsg::Event(event));
                    progress_ctx.request_repaint();
                };
                let kdf = source.manifest().kdf.clone();
                let derived = check::derive_keys(&identity, &kdf, &progress);
                let bucket = identity.bucket();
                drop(identity);
                let result = derived.map_err(CheckError::from).and_then(|keys| {
                    if thread_cancel.load(Ordering::Relaxed) {
                        return Err(CheckError::Cancelled);
                    }
                    let lookups: Vec<_> = keys.iter().map(|(v, k)| (*v, k.lookup())).collect();
                    check::check_lookups(
                        bucket,
                        &lookups,
                        source.as_ref(),
                        &progress,
                        &thread_cancel,
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
                });
                let _ = tx.send(CheckMsg::Done(result));
                ctx.request_repaint();
            })?;
        Ok(Self {
            rx,
            cancel,
            variants,
            derived: Vec::new(),
            looking_up: false,
            started: Instant::now(),
        })
    }

    /// Ask the thread to stop. The UI forgets the job at once; an Argon2
    /// evaluation in progress finishes and its result is dropped.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Drain the channel; `Some` when the check is over.
    pub fn poll(&mut self) -> Option<CheckEnd> {
        loop {
            match self.rx.try_recv() {
                Ok(CheckMsg::Event(CheckEvent::Deriving { .. })) => {}
                Ok(CheckMsg::Event(CheckEvent::Derived(v))) => self.derived.push(v),
                Ok(CheckMsg::Event(CheckEvent::LookingUp)) => self.looking_up = true,
                Ok(CheckMsg::Done(Ok((report, keys)))) => {
                    return Some(CheckEnd::Report(report, keys));
                }
                Ok(CheckMsg::Done(Err(e))) => return Some(CheckEnd::Error(e)),
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => {
                    return Some(CheckEnd::Error(CheckError::Source(
                        check::SourceError::Other("the check thread stopped".to_owned()),
                    )));
                }
            }
        }
    }

    /// Progress in 0..=1: one step per variant, one for the lookup.
    pub fn fraction(&self) -> f32 {
        let total = self.variants.len() + 1;
        let done = self.derived.len() + usize::from(self.looking_up);
        done as f32 / total as f32
    }
}

/// Opening a publication directory on a thread named
/// `fuitecheck-publication`.
pub struct LoadJob {
    rx: Receiver<Result<ActiveSource, String>>,
    /// What is being opened.
    pub what: String,
}

impl LoadJob {
    /// Open and verify `dir` with `trust`, then admit it (demo key,
    /// rollback against `seen`, expiry); a refusal is worded in `lang`.
    pub fn open_dir(
        dir: PathBuf,
        trust: TrustStore,
        seen: SequenceStore,
        lang: Lang,
        ctx: egui::Context,
    ) -> std::io::Result<Self> {
        let what = dir.display().to_string();
        Self::spawn(what, ctx, move || {
            // A download directory points at its active version.
            let dir = fuitecheck_client::download::active_dir(&dir).unwrap_or(dir);
            let publication =
                OfflinePublication::open_dir(&dir, &trust).map_err(|e| format!("{e:#}"))?;
            let admission = admit(&publication, &trust, &seen, lang)?;
            Ok(ActiveSource::offline(publication).admitted(admission))
        })
    }

    /// Fetch and verify the manifest of a range API, on the loader thread
    /// (network I/O never runs in a frame), then admit it.
    pub fn online(
        url: String,
        trust: TrustStore,
        seen: SequenceStore,
        lang: Lang,
        ctx: egui::Context,
    ) -> std::io::Result<Self> {
        Self::spawn(url.clone(), ctx, move || {
            let source = fuitecheck_client::online::RangeSource::connect(&url, &trust)
                .map_err(|e| format!("{e:#}"))?;
            let admission = admit(&source, &trust, &seen, lang)?;
            Ok(ActiveSource::online(source).admitted(admission))
        })
    }

    /// Verify the embedded demo publication.
    pub fn embedded_demo(ctx: egui::Context) -> std::io::Result<Self> {
        Self::spawn(String::new(), ctx, || {
            let publication = OfflinePublication::embedded_demo().map_err(|e| format!("{e:#}"))?;
            let trust = TrustStore::shipped();
            let admission = admit(&publication, &trust, &SequenceStore::new(), Lang::Fr)?;
            Ok(ActiveSource::offline(publication).admitted(admission))
        })
    }

    fn spawn(
        what: String,
        ctx: egui::Context,
        work: impl FnOnce() -> Result<ActiveSource, String> + Send + 'static,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("fuitecheck-publication".to_owned())
            .spawn(move || {
                let _ = tx.send(work());
                ctx.request_repaint();
            })?;
        Ok(Self { rx, what })
    }

    /// `Some` once the publication is verified or refused.
    pub fn poll(&mut self) -> Option<Result<ActiveSource, String>> {
        match self.rx.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err("loader stopped".to_owned())),
        }
    }
}

/// [`freshness::admit`] now, a refusal worded by the text layer.
fn admit(
    source: &dyn Source,
    trust: &TrustStore,
    seen: &SequenceStore,
    lang: Lang,
) -> Result<Admission, String> {
    let now = jiff::Timestamp::now().as_second();
    freshness::admit(source, trust, seen, now).map_err(|e| crate::text::trust_error(&e, lang))
}

/// A message from the download thread.
enum DownloadMsg {
    Event(DownloadEvent),
    Done(Result<DownloadReport, DownloadError>),
}

/// How a download ended.
pub enum DownloadEnd {
    /// The publication is complete and verified.
    Done(DownloadReport),
    /// It failed (cancelled included); partial files stay for a resume.
    Error(DownloadError),
}

/// A publication being downloaded on a thread named
/// `fuitecheck-download`.
pub struct DownloadJob {
    rx: Receiver<DownloadMsg>,
    cancel: Arc<AtomicBool>,
    /// The publication's address.
    pub url: String,
    /// Where it goes.
    pub dir: PathBuf,
    /// The manifest was fetched and its signature verified.
    pub verified: bool,
    /// Bytes of set files to transfer, once known.
    pub to_transfer: Option<u64>,
    /// Per set file: bytes present, full size.
    pub files: BTreeMap<String, (u64, u64)>,
}

impl DownloadJob {
    /// Start downloading `url` into `dir`, trusting `trust`.
    pub fn spawn(
        url: String,
        dir: PathBuf,
        trust: TrustStore,
        seen: fuitecheck_core::freshness::SequenceStore,
        ctx: egui::Context,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let thread_cancel = Arc::clone(&cancel);
        let (thread_url, thread_dir) = (url.clone(), dir.clone());
        std::thread::Builder::new()
            .name("fuitecheck-download".to_owned())
            .spawn(move || {
                let progress_tx = tx.clone();
                let progress_ctx = ctx.clone();
                let progress = move |event: DownloadEvent| {
                    let _ = progress_tx.send(DownloadMsg::Event(event));
                    progress_ctx.request_repaint();
                };
                let result = fuitecheck_client::download::download(
                    &thread_url,
                    &thread_dir,
                    &trust,
                    &seen,
                    &progress,
                    &thread_cancel,
                );
                let _ = tx.send(DownloadMsg::Done(result));
                ctx.request_repaint();
            })?;
        Ok(Self {
            rx,
            cancel,
            url,
            dir,
            verified: false,
            to_transfer: None,
            files: BTreeMap::new(),
        })
    }

    /// Ask the thread to stop; what was received is kept for a resume.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether cancel was asked.
    pub fn cancelling(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Drain the channel; `Some` when the download is over.
    pub fn poll(&mut self) -> Option<DownloadEnd> {
        loop {
            match self.rx.try_recv() {
                Ok(DownloadMsg::Event(DownloadEvent::ManifestVerified { to_transfer })) => {
                    self.verified = true;
                    self.to_transfer = Some(to_transfer);
                }
                Ok(DownloadMsg::Event(DownloadEvent::Progress { file, done, total })) => {
                    self.files.insert(file, (done, total));
                }
                Ok(DownloadMsg::Event(DownloadEvent::Reused { .. })) => {}
                Ok(DownloadMsg::Done(Ok(report))) => return Some(DownloadEnd::Done(report)),
                Ok(DownloadMsg::Done(Err(e))) => return Some(DownloadEnd::Error(e)),
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => {
                    return Some(DownloadEnd::Error(DownloadError::Verify(
                        "the download thread stopped".to_owned(),
                    )));
                }
            }
        }
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

/// Ask where to save, then write, on a thread named `fuitecheck-export`.
/// `Ok(None)`: the user closed the dialog.
pub fn export_task(
    file_name: String,
    what: ExportWhat,
    ctx: egui::Context,
) -> std::io::Result<Task<Result<Option<PathBuf>, String>>> {
    let dialog = rfd::AsyncFileDialog::new().set_file_name(&file_name);
    let dialog = match Path::new(&file_name).extension().and_then(|e| e.to_str()) {
        Some(ext) => dialog.add_filter(ext, &[ext]),
        None => dialog,
    };
    Task::spawn("fuitecheck-export", ctx, move || {
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

/// A file dialog running on a thread named `fuitecheck-dialog`.
pub struct DialogJob {
    rx: Receiver<Option<PathBuf>>,
    /// Why it is open.
    pub purpose: DialogPurpose,
}

impl DialogJob {
    /// Open the dialog (rfd's async dialog, driven on its own thread so the
    /// frame loop never waits for the user).
    pub fn open(
        purpose: DialogPurpose,
        start_dir: Option<&Path>,
        ctx: egui::Context,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let mut dialog = rfd::AsyncFileDialog::new();
        if let Some(dir) = start_dir {
            dialog = dialog.set_directory(dir);
        }
        std::thread::Builder::new()
            .name("fuitecheck-dialog".to_owned())
            .spawn(move || {
                let picked = match purpose {
                    DialogPurpose::PublicationDir => block_on(dialog.pick_folder()),
                    DialogPurpose::TrustedKey => {
                        block_on(dialog.add_filter("minisign", &["pub"]).pick_file())
                    }
                };
                let _ = tx.send(picked.map(|h| h.path().to_path_buf()));
                ctx.request_repaint();
            })?;
        Ok(Self { rx, purpose })
    }

    /// `Some(choice)` once the dialog is closed (`choice` is `None` when
    /// the user cancelled).
    pub fn poll(&mut self) -> Option<Option<PathBuf>> {
        match self.rx.try_recv() {
            Ok(p) => Some(p),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(None),
        }
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
