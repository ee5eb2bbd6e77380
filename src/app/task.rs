//! The one background-task type. Every slow piece of work of the app (the
//! check, opening a publication, a download, a file dialog, an export, the
//! case file, the credential store) is a [`Task`]: it runs on a named
//! thread, may report progress values `P`, can be asked to stop, and ends
//! with one typed result `R`. The UI thread never blocks on it: the
//! app polls every task once per frame in `App::logic`
//! ([`super::FuiteCheckApp::logic`]), and the thread wakes the UI with
//! `request_repaint` whenever it has something to say.
//!
//! ```text
//! let task = Task::spawn("fuitecheck-x", &ctx, |reporter| {
//!     reporter.report(Step::Half);          // progress, any number of times
//!     if reporter.is_cancelled() { … }      // cancel asked by the UI
//!     compute()                             // the typed result
//! })?;
//! match task.poll(|step| …) {               // each frame, never blocks
//!     None => {}                            // still running
//!     Some(TaskEnd::Done(result)) => …,
//!     Some(TaskEnd::Stopped) => …,          // the thread died (panic)
//! }
//! ```

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

/// The progress type of a task that reports none.
pub type NoProgress = Infallible;

/// What travels from the thread to the UI.
enum Msg<P, R> {
    Progress(P),
    Done(R),
}

/// Handed to the work closure: report progress, see whether the UI asked
/// the task to stop.
pub struct Reporter<P> {
    send: Box<dyn Fn(P) + Send + Sync>,
    cancel: Arc<AtomicBool>,
}

impl<P> Reporter<P> {
    /// Send a progress value to the UI (and wake it). A UI that already
    /// dropped the task ignores it.
    pub fn report(&self, progress: P) {
        (self.send)(progress);
    }

    /// Whether the UI asked the task to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The cancel flag itself, for library calls that poll one.
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }
}

/// How a task ended.
#[derive(Debug, PartialEq, Eq)]
pub enum TaskEnd<R> {
    /// The work returned this result.
    Done(R),
    /// The thread ended without a result (it panicked): its own case,
    /// never mistaken for a failure of the work itself.
    Stopped,
}

/// A running background task (see the module documentation).
pub struct Task<P, R> {
    rx: Receiver<Msg<P, R>>,
    cancel: Arc<AtomicBool>,
}

impl<P: Send + 'static, R: Send + 'static> Task<P, R> {
    /// Run `work` on a thread called `name`. Fails only when the thread
    /// cannot be started.
    pub fn spawn(
        name: &str,
        ctx: &egui::Context,
        work: impl FnOnce(&Reporter<P>) -> R + Send + 'static,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let progress_tx = tx.clone();
        let progress_ctx = ctx.clone();
        let reporter = Reporter {
            send: Box::new(move |p| {
                // NOTE: the UI may have dropped the task (cancel): a failed
                // send is expected then.
                let _ = progress_tx.send(Msg::Progress(p));
                progress_ctx.request_repaint();
            }),
            cancel: Arc::clone(&cancel),
        };
        let ctx = ctx.clone();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let result = work(&reporter);
                drop(reporter);
                let _ = tx.send(Msg::Done(result));
                ctx.request_repaint();
            })?;
        Ok(Self { rx, cancel })
    }

    /// Drain what the thread sent, handing each progress value to
    /// `on_progress`; `Some` once the task is over. Never blocks.
    pub fn poll(&mut self, mut on_progress: impl FnMut(P)) -> Option<TaskEnd<R>> {
        loop {
            match self.rx.try_recv() {
                Ok(Msg::Progress(p)) => on_progress(p),
                Ok(Msg::Done(r)) => return Some(TaskEnd::Done(r)),
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => return Some(TaskEnd::Stopped),
            }
        }
    }

    /// Ask the work to stop (it sees [`Reporter::is_cancelled`]). A caller
    /// that must forget the task at once drops it after this; the thread
    /// then finishes on its own and its result is dropped.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether [`Self::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

impl<R: Send + 'static> Task<NoProgress, R> {
    /// [`Self::poll`] for a task without progress.
    pub fn poll_end(&mut self) -> Option<TaskEnd<R>> {
        self.poll(|never| match never {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Poll until the task ends (bounded), collecting its progress.
    fn finish<P: Send + 'static, R: Send + 'static>(task: &mut Task<P, R>) -> (Vec<P>, TaskEnd<R>) {
        let mut seen = Vec::new();
        for _ in 0..2000 {
            if let Some(end) = task.poll(|p| seen.push(p)) {
                return (seen, end);
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("the task did not end");
    }

    #[test]
    fn reports_progress_then_its_result() {
        let ctx = egui::Context::default();
        let mut task = Task::spawn("test-task", &ctx, |r: &Reporter<u8>| {
            r.report(1);
            r.report(2);
            "done"
        })
        .unwrap();
        let (seen, end) = finish(&mut task);
        assert_eq!(seen, vec![1, 2]);
        assert_eq!(end, TaskEnd::Done("done"));
    }

    #[test]
    fn the_work_sees_cancel() {
        let ctx = egui::Context::default();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let mut task = Task::spawn("test-cancel", &ctx, move |r: &Reporter<NoProgress>| {
            let _ = go_rx.recv();
            r.is_cancelled() && r.cancel_flag().load(Ordering::Relaxed)
        })
        .unwrap();
        assert!(!task.is_cancelled());
        task.cancel();
        assert!(task.is_cancelled());
        go_tx.send(()).unwrap();
        assert_eq!(finish(&mut task).1, TaskEnd::Done(true));
    }

    #[test]
    fn a_dead_thread_is_its_own_end() {
        let ctx = egui::Context::default();
        let mut task = Task::spawn("test-panic", &ctx, |_: &Reporter<NoProgress>| -> u8 {
            panic!("boom")
        })
        .unwrap();
        let mut end = None;
        for _ in 0..2000 {
            end = task.poll_end();
            if end.is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert_eq!(end, Some(TaskEnd::Stopped));
    }
}
