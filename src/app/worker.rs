//! Slow work off the UI thread: the check (Argon2), opening a publication
//! (file I/O, SHA-256), file dialogs. Each runs on a named thread, reports
//! through a channel and wakes the UI with `request_repaint`. The UI polls
//! with `try_recv` once per frame and never blocks.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Instant;

use crate::check::{self, CheckError, CheckEvent, CheckReport, Identity, Source, Variant};
use crate::publication::OfflinePublication;
use crate::signature::{TrustStore, TrustedKey};

use super::state::ActiveSource;

/// A message from the check thread.
enum CheckMsg {
    Event(CheckEvent),
    Done(Result<CheckReport, CheckError>),
}

/// How a check ended.
pub enum CheckEnd {
    /// It ran.
    Report(CheckReport),
    /// It failed.
    Error(CheckError),
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
                let result = check::check(&identity, source.as_ref(), &progress, &thread_cancel);
                drop(identity);
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
                Ok(CheckMsg::Done(Ok(report))) => return Some(CheckEnd::Report(report)),
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
    /// Open and verify `dir` with the shipped keys plus `keys`.
    pub fn open_dir(dir: PathBuf, keys: Vec<PathBuf>, ctx: egui::Context) -> std::io::Result<Self> {
        let what = dir.display().to_string();
        Self::spawn(what, ctx, move || {
            let mut trust = TrustStore::shipped();
            for key in &keys {
                let key = TrustedKey::from_file(key).map_err(|e| format!("{e:#}"))?;
                trust.add(key);
            }
            OfflinePublication::open_dir(&dir, &trust)
                .map(ActiveSource::offline)
                .map_err(|e| format!("{e:#}"))
        })
    }

    /// Fetch and verify the manifest of a range API, on the loader thread
    /// (network I/O never runs in a frame).
    pub fn online(url: String, keys: Vec<PathBuf>, ctx: egui::Context) -> std::io::Result<Self> {
        Self::spawn(url.clone(), ctx, move || {
            let mut trust = TrustStore::shipped();
            for key in &keys {
                let key = TrustedKey::from_file(key).map_err(|e| format!("{e:#}"))?;
                trust.add(key);
            }
            crate::online::RangeSource::connect(&url, &trust)
                .map(ActiveSource::online)
                .map_err(|e| format!("{e:#}"))
        })
    }

    /// Verify the embedded demo publication.
    pub fn embedded_demo(ctx: egui::Context) -> std::io::Result<Self> {
        Self::spawn(String::new(), ctx, || {
            OfflinePublication::embedded_demo()
                .map(ActiveSource::offline)
                .map_err(|e| format!("{e:#}"))
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
