//! Downloading a publication for offline checks.
//!
//! Layout of the destination directory:
//!
//! ```text
//! DIR/current              name of the active version (written atomically)
//! DIR/pub-<hash>/v1/...    one complete, verified publication per version
//! DIR/partial/<sha>.part   interrupted downloads, resumed with HTTP Range
//! ```
//!
//! A new version is assembled in a staging directory: set files that did
//! not change are linked from the active version (incremental update: only
//! changed sets and the manifest are transferred), the others are
//! downloaded, resumed if interrupted, and checked against the signed
//! manifest's size and SHA-256 before they are moved into place. The whole
//! staging publication is then verified as the app would open it, renamed
//! into place, and only then does `current` point at it. Until that last
//! atomic write, the previous publication stays usable.
//!
//! The directory may hold the person's own files (`download --to DIR`):
//! only entries with the names above (`pub-<16 hex>`, `.staging-pub-<16
//! hex>`, `partial/<64 hex>.part`) are ever removed ([`remove_stale`]).

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::{Digest as _, Sha256};

use crate::online::{ClientOptions, fetch_manifest_with, http_client_with, parse_base_url};
use fuitecheck_core::check::SourceError;
use fuitecheck_core::freshness::SequenceStore;
use fuitecheck_core::fsutil::atomic_write;
use fuitecheck_core::manifest::Manifest;
use fuitecheck_core::publication::{MANIFEST_FILE, OfflinePublication, SIGNATURE_FILE};
use fuitecheck_core::signature::TrustStore;

pub use fuitecheck_core::publication::{CURRENT_FILE, active_dir};

/// Why a download failed. The previous publication is untouched.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DownloadError {
    /// Network or server failure, or an invalid answer.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// A downloaded file does not match the manifest.
    #[error("{file}: {reason}; the file was discarded")]
    Mismatch {
        /// The file.
        file: String,
        /// What differs.
        reason: String,
    },
    /// The assembled publication does not verify.
    #[error("the downloaded publication does not verify: {0}")]
    Verify(String),
    /// Local file system error (disk full, read-only directory…).
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// Cancelled by the user; partial files are kept for a later resume.
    #[error("download cancelled")]
    Cancelled,
    /// The signed manifest verified but is refused by the trust and
    /// freshness rules (SPEC §6: demo key not passed explicitly, or older
    /// than a version already accepted); nothing was fetched or replaced.
    #[error(transparent)]
    Refused(#[from] fuitecheck_core::freshness::TrustError),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> DownloadError + '_ {
    move |source| DownloadError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Progress of a download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadEvent {
    /// The manifest was fetched and verified.
    ManifestVerified {
        /// Bytes of set files to transfer (after skipping current ones).
        to_transfer: u64,
    },
    /// Bytes received so far of one set file.
    Progress {
        /// Set file path, e.g. `sets/x.fcset`.
        file: String,
        /// Bytes present locally.
        done: u64,
        /// Its full size.
        total: u64,
    },
    /// A set file already present and current was reused.
    Reused {
        /// Set file path.
        file: String,
    },
}

/// What a download did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadReport {
    /// The active publication directory afterwards.
    pub publication_dir: PathBuf,
    /// Whether the publication was already current.
    pub already_current: bool,
    /// Set files downloaded.
    pub downloaded: Vec<String>,
    /// Set files reused from the previous version.
    pub reused: Vec<String>,
    /// Bytes received over the network (manifest and signature included).
    pub bytes_transferred: u64,
}

/// The default download directory for a publication URL: the user's data
/// directory, one sub-directory per host.
pub fn default_dir(base: &str) -> Option<PathBuf> {
    let url = parse_base_url(base).ok()?;
    let mut name: String = format!(
        "{}{}",
        url.host_str().unwrap_or("publication"),
        url.port().map(|p| format!("_{p}")).unwrap_or_default()
    );
    name.extend(
        url.path()
            .trim_matches('/')
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
    );
    let dirs = directories::ProjectDirs::from("fr", "FuiteCheck", "FuiteCheck")?;
    Some(dirs.data_dir().join("publications").join(name))
}

fn sha256_file(path: &Path) -> Result<(u64, String), DownloadError> {
    let mut f = std::fs::File::open(path).map_err(io_err(path))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf).map_err(io_err(path))?;
        if k == 0 {
            break;
        }
        n += k as u64;
        h.update(&buf[..k]);
    }
    Ok((n, hex::encode(h.finalize())))
}

/// [`atomic_write`], reporting file system errors (disk full, read-only
/// directory) as such.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), DownloadError> {
    atomic_write(path, bytes).map_err(|e| DownloadError::Io {
        path: e.path,
        source: e.source,
    })
}

/// Download (or update) the publication at `base` into `dir`.
///
/// `seen` is the caller's rollback store: a manifest that the trust rules
/// refuse (SPEC §6) is refused right after its signature verified, before
/// any set file is fetched and without touching the current copy.
pub fn download(
    base: &str,
    dir: &Path,
    trust: &TrustStore,
    seen: &SequenceStore,
    progress: &dyn Fn(DownloadEvent),
    cancel: &AtomicBool,
) -> Result<DownloadReport, DownloadError> {
    download_with(
        base,
        dir,
        trust,
        seen,
        &ClientOptions::default(),
        progress,
        cancel,
    )
}

/// [`download`] with explicit timeouts and retries. A set file whose
/// transfer fails transiently (connection lost, stall, short answer, 5xx)
/// is retried with back-off, resuming from the bytes already received.
pub fn download_with(
    base: &str,
    dir: &Path,
    trust: &TrustStore,
    seen: &SequenceStore,
    opts: &ClientOptions,
    progress: &dyn Fn(DownloadEvent),
    cancel: &AtomicBool,
) -> Result<DownloadReport, DownloadError> {
    let base = parse_base_url(base)?;
    let client = http_client_with(opts)?;
    let (manifest_bytes, sig, manifest, signer) = fetch_manifest_with(&client, &base, trust, opts)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    fuitecheck_core::freshness::admit_signed(&signer, &manifest, false, trust, seen, now)?;
    let mut transferred = (manifest_bytes.len() + sig.len()) as u64;
    let version = format!(
        "pub-{}",
        &hex::encode(Sha256::digest(&manifest_bytes))[..16]
    );
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let previous = active_dir(dir);
    let target = dir.join(&version);

    if previous.as_deref() == Some(target.as_path())
        && OfflinePublication::open_dir(&target, trust).is_ok()
    {
        return Ok(DownloadReport {
            publication_dir: target,
            already_current: true,
            downloaded: Vec::new(),
            reused: Vec::new(),
            bytes_transferred: transferred,
        });
    }

    let staging = dir.join(format!(".staging-{version}"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io_err(&staging))?;
    }
    let sets_dir = staging.join("v1").join("sets");
    std::fs::create_dir_all(&sets_dir).map_err(io_err(&sets_dir))?;
    let partial = dir.join("partial");
    std::fs::create_dir_all(&partial).map_err(io_err(&partial))?;

    let previous_manifest: Option<Manifest> = previous.as_ref().and_then(|p| {
        let bytes = std::fs::read(p.join("v1").join(MANIFEST_FILE)).ok()?;
        Manifest::from_json(&bytes).ok()
    });
    let reusable = |sha: &str| -> Option<PathBuf> {
        let (prev_dir, pm) = (previous.as_ref()?, previous_manifest.as_ref()?);
        let info = pm
            .breaches
            .iter()
            .filter_map(|b| b.set.as_ref())
            .find(|s| s.sha256.eq_ignore_ascii_case(sha))?;
        Some(prev_dir.join("v1").join(&info.path))
    };

    let sets: Vec<_> = manifest
        .breaches
        .iter()
        .filter_map(|b| b.set.clone())
        .collect();
    let mut reused = Vec::new();
    let mut to_fetch = Vec::new();
    for info in &sets {
        let dest = staging.join("v1").join(&info.path);
        let linked = reusable(&info.sha256).is_some_and(|src| {
            // Hard link when possible, else copy; verified below anyway.
            std::fs::hard_link(&src, &dest).is_ok() || std::fs::copy(&src, &dest).is_ok()
        });
        if linked && sha256_file(&dest).is_ok_and(|(n, h)| n == info.bytes && h == info.sha256) {
            progress(DownloadEvent::Reused {
                file: info.path.clone(),
            });
            reused.push(info.path.clone());
        } else {
            let _ = std::fs::remove_file(&dest);
            to_fetch.push(info.clone());
        }
    }
    progress(DownloadEvent::ManifestVerified {
        to_transfer: to_fetch.iter().map(|s| s.bytes).sum(),
    });

    let mut downloaded = Vec::new();
    for info in &to_fetch {
        let part = partial.join(format!("{}.part", info.sha256.to_ascii_lowercase()));
        let url = base
            .join(&format!("v1/{}", info.path))
            .map_err(|e| SourceError::Other(e.to_string()))?;
        let mut received = 0u64;
        let fetched = fetch_with_retries(
            &client,
            opts,
            &url,
            &part,
            info.bytes,
            &info.path,
            progress,
            cancel,
            &mut received,
        );
        transferred += received;
        fetched?;
        let (n, h) = sha256_file(&part)?;
        if n != info.bytes || !h.eq_ignore_ascii_case(&info.sha256) {
            let _ = std::fs::remove_file(&part);
            return Err(DownloadError::Mismatch {
                file: info.path.clone(),
                reason: if n == info.bytes {
                    "SHA-256 differs from the signed manifest".to_owned()
                } else {
                    format!(
                        "{n} bytes received, the signed manifest says {}",
                        info.bytes
                    )
                },
            });
        }
        let dest = staging.join("v1").join(&info.path);
        std::fs::rename(&part, &dest).map_err(io_err(&dest))?;
        downloaded.push(info.path.clone());
    }

    let v1 = staging.join("v1");
    write_file(&v1.join(MANIFEST_FILE), &manifest_bytes)?;
    write_file(&v1.join(SIGNATURE_FILE), sig.as_bytes())?;
    OfflinePublication::open_dir(&staging, trust)
        .map_err(|e| DownloadError::Verify(e.to_string()))?;

    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(io_err(&target))?;
    }
    std::fs::rename(&staging, &target).map_err(io_err(&target))?;
    write_file(&dir.join(CURRENT_FILE), version.as_bytes())?;

    remove_stale(dir, &version);
    Ok(DownloadReport {
        publication_dir: target,
        already_current: false,
        downloaded,
        reused,
        bytes_transferred: transferred,
    })
}

/// `pub-` and 16 lowercase hex digits: a version directory this module
/// names (from the manifest's SHA-256).
pub fn is_version_name(name: &str) -> bool {
    name.strip_prefix("pub-").is_some_and(is_lower_hex(16))
}

/// `.staging-pub-<16 hex>`: a version being assembled.
pub fn is_staging_name(name: &str) -> bool {
    name.strip_prefix(".staging-").is_some_and(is_version_name)
}

/// `<64 hex>.part` in `partial/`: a set file being downloaded, named by
/// its SHA-256.
pub fn is_partial_name(name: &str) -> bool {
    name.strip_suffix(".part").is_some_and(is_lower_hex(64))
}

fn is_lower_hex(len: usize) -> impl Fn(&str) -> bool {
    move |s| s.len() == len && s.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
}

/// Once `keep` is active: remove older versions, staging directories and
/// partial files — only entries with the names this module gives them
/// (directories for versions and staging, plain files in `partial/`),
/// never a file or folder of the person's that happens to sit in `dir`.
/// Best effort: what cannot be removed stays for the next update.
pub fn remove_stale(dir: &Path, keep: &str) {
    let kind = |p: &Path| std::fs::symlink_metadata(p).map(|m| m.file_type()).ok();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if (is_version_name(&name) || is_staging_name(&name))
                && name != keep
                && kind(&e.path()).is_some_and(|t| t.is_dir())
            {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir.join("partial")) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if is_partial_name(&name) && kind(&e.path()).is_some_and(|t| t.is_file()) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// Why one attempt at a set file failed.
enum Attempt {
    /// Worth retrying (resuming): connection lost, stall, short answer, 5xx.
    Transient(String),
    /// Not worth retrying.
    Fatal(DownloadError),
}

impl From<DownloadError> for Attempt {
    fn from(e: DownloadError) -> Self {
        Self::Fatal(e)
    }
}

/// [`fetch_resumable`] until it succeeds, a fatal error, or the attempts
/// are spent; `received` counts the bytes of every attempt.
#[allow(clippy::too_many_arguments)]
fn fetch_with_retries(
    client: &reqwest::blocking::Client,
    opts: &ClientOptions,
    url: &reqwest::Url,
    part: &Path,
    total: u64,
    name: &str,
    progress: &dyn Fn(DownloadEvent),
    cancel: &AtomicBool,
    received: &mut u64,
) -> Result<(), DownloadError> {
    let mut last = String::new();
    for attempt in 0..opts.attempts.max(1) {
        std::thread::sleep(opts.delay_before(attempt));
        if cancel.load(Ordering::Relaxed) {
            return Err(DownloadError::Cancelled);
        }
        match fetch_resumable(client, url, part, total, name, progress, cancel, received) {
            Ok(()) => return Ok(()),
            Err(Attempt::Fatal(e)) => return Err(e),
            Err(Attempt::Transient(why)) => last = why,
        }
    }
    Err(SourceError::Network(format!("{last}; run the download again to resume")).into())
}

/// Fetch `url` into `part`, resuming from its current length with an HTTP
/// Range request. Adds the bytes received to `received`.
#[allow(clippy::too_many_arguments)]
fn fetch_resumable(
    client: &reqwest::blocking::Client,
    url: &reqwest::Url,
    part: &Path,
    total: u64,
    name: &str,
    progress: &dyn Fn(DownloadEvent),
    cancel: &AtomicBool,
    received: &mut u64,
) -> Result<(), Attempt> {
    let mut have = std::fs::metadata(part).map(|m| m.len()).unwrap_or(0);
    if have > total {
        std::fs::remove_file(part).map_err(io_err(part))?;
        have = 0;
    }
    if have == total {
        return Ok(());
    }
    let mut req = client.get(url.clone());
    if have > 0 {
        req = req.header(reqwest::header::RANGE, format!("bytes={have}-"));
    }
    let mut resp = req.send().map_err(|e| {
        Attempt::Transient(format!(
            "{name}: {}",
            if e.is_timeout() {
                "timed out".to_owned()
            } else if e.is_connect() {
                "cannot connect to the server".to_owned()
            } else {
                e.to_string()
            }
        ))
    })?;
    let status = resp.status();
    let append = status == reqwest::StatusCode::PARTIAL_CONTENT && have > 0;
    if status.is_server_error() {
        return Err(Attempt::Transient(format!(
            "{name}: the server answered HTTP {status}"
        )));
    }
    if !status.is_success() {
        return Err(Attempt::Fatal(
            SourceError::Network(format!("{name}: the server answered HTTP {status}")).into(),
        ));
    }
    if !append {
        have = 0;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(part)
        .map_err(io_err(part))?;
    let mut got = 0u64;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        if cancel.load(Ordering::Relaxed) {
            file.flush().map_err(io_err(part))?;
            return Err(DownloadError::Cancelled.into());
        }
        let n = match resp.read(&mut buf) {
            Ok(n) => n,
            Err(e) => {
                file.flush().map_err(io_err(part))?;
                return Err(Attempt::Transient(format!(
                    "{name}: connection lost after {} bytes ({e})",
                    have + got
                )));
            }
        };
        if n == 0 {
            break;
        }
        if have + got + n as u64 > total {
            drop(file);
            let _ = std::fs::remove_file(part);
            return Err(DownloadError::Mismatch {
                file: name.to_owned(),
                reason: format!(
                    "the server sent more than the {total} bytes of the signed manifest"
                ),
            }
            .into());
        }
        if let Err(e) = file.write_all(&buf[..n]) {
            // Keep what was written for a later resume; a torn write is
            // caught by the size and hash check.
            return Err(io_err(part)(e).into());
        }
        got += n as u64;
        *received += n as u64;
        progress(DownloadEvent::Progress {
            file: name.to_owned(),
            done: have + got,
            total,
        });
    }
    file.sync_all().map_err(io_err(part))?;
    if have + got < total {
        // The answer ended early (a short Content-Length, a proxy cutting
        // it): what arrived is kept and the rest is asked for again.
        return Err(Attempt::Transient(format!(
            "{name}: the answer ended after {} of {total} bytes",
            have + got
        )));
    }
    Ok(())
}
