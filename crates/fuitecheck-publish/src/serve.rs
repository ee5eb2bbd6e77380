//! Hosting a publication: the `serve` HTTP server and `export-static`.
//!
//! Both answer the same bytes for SPEC §6 and §7: the manifest, its
//! signature, the set files and the range API (`/v1/range/<BUCKET>`, the
//! NIR bucket's lines of every breach's full copy, padded
//! deterministically: [`crate::publish::range_body`]).
//!
//! # Server
//!
//! [`Server::bind`] loads and verifies the publication (every set file's
//! size, SHA-256, header, breach code, entry count and order against the
//! manifest, and that no bucket exceeds `pad_lines`) and binds the socket,
//! without needing a runtime; [`Server::run`] serves on the caller's Tokio
//! runtime until a shutdown future completes. [`serve_until_signal`] is the
//! blocking top-level entry point of `fuitecheck-publish serve`: it builds
//! its own runtime, reloads the publication on SIGHUP and stops gracefully
//! on Ctrl-C or SIGTERM.
//!
//! Behaviour:
//!
//! - `GET`/`HEAD` only (405 otherwise). `/v1/manifest.json`,
//!   `/v1/manifest.json.minisig`, `/v1/sets/<name>` for the set files the
//!   manifest lists (nothing else is ever read from disk), and
//!   `/v1/range/<BUCKET>` (P hex characters, any case). Anything else is a
//!   4xx with a one-line plain-text reason: 404 unknown path, 400 bad bucket,
//!   400 for `.`/`..` segments, empty segments, backslashes or any
//!   percent-encoding (no valid resource needs one).
//! - Strong `ETag`s from hashes known at load time: `"<sha256 of the file>"`
//!   for the manifest and the signature, `"<sha256 from the manifest>"` for a
//!   set file (so a downloader can compare it with the manifest), and
//!   `"r-<first 32 hex of the manifest's sha256>-<BUCKET>"` for a range
//!   response (its bytes are a function of the manifest and the sets the
//!   manifest pins). `If-None-Match` gives 304.
//! - `Cache-Control: public, max-age=300` for the manifest and signature,
//!   `max-age=3600` for set files and range responses ([`ServeConfig`]).
//! - Single `Range: bytes=` requests on every resource (206 with
//!   `Content-Range`, 416 when unsatisfiable; multi-range or malformed range
//!   headers are ignored and the whole body is sent, as RFC 9110 allows);
//!   `If-Range` with the ETag is honoured.
//! - Limits: HTTP/1.1 (hyper) with a 10 s header-read timeout (which also
//!   closes idle keep-alive connections), 16 KiB request head buffer (larger
//!   heads get 431 from hyper), at most 100 headers, a 60 s stall timeout on
//!   writes to clients that stop reading, at most 1024 simultaneous
//!   connections (further clients wait in the listen backlog), range
//!   responses computed on at most one blocking thread per core and cached
//!   within 1.5 GiB by default ([`ServeConfig::range_cache_bytes`]). On shutdown, in-flight requests get 10 s to finish.
//! - Access log, one line per request on stderr: time, method, the route
//!   with the range bucket replaced by `<bucket>` (any rejected path is
//!   logged as `<rejected>`), status, body bytes and handler time. Never a
//!   client address, a bucket, a query string or a header.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex, RwLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use rayon::prelude::*;
use sha2::{Digest as _, Sha256};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::full::FullCopy;
use fuitecheck_core::manifest::Manifest;
use fuitecheck_core::publication::{MANIFEST_FILE, SIGNATURE_FILE, v1_dir};
use fuitecheck_core::range;
use fuitecheck_core::setfile::SetFile;

/// Why a publication cannot be served or exported.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: io::Error,
    },
    /// The publication is inconsistent or incomplete.
    #[error("publication {dir} refused: {reason}")]
    Publication {
        /// Its directory.
        dir: String,
        /// What is wrong.
        reason: String,
    },
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The error.
        source: io::Error,
    },
    /// The runtime or a signal handler could not be set up.
    #[error("cannot start the server: {0}")]
    Runtime(io::Error),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> ServeError + '_ {
    move |source| ServeError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// A sink for access-log lines (without the trailing newline).
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

/// Server settings; [`Default`] gives the documented values.
#[derive(Clone)]
pub struct ServeConfig {
    /// `max-age` of the manifest and its signature, seconds.
    pub manifest_max_age: u32,
    /// `max-age` of set files and range responses, seconds.
    pub data_max_age: u32,
    /// Time a client has to send a complete request head (also the idle
    /// keep-alive limit).
    pub header_read_timeout: Duration,
    /// A write to a client that makes no progress for this long closes
    /// the connection.
    pub write_stall_timeout: Duration,
    /// Simultaneous connections. A client beyond them gets a `503 Service
    /// Unavailable` (with `Retry-After`) and is closed at once, so a flood
    /// of idle connections costs each further client one short answer.
    pub max_connections: usize,
    /// Simultaneous connections from one IP address; beyond, `503` too.
    /// Loopback addresses are exempt unless
    /// [`ServeConfig::limit_loopback_per_address`]: the documented
    /// deployment puts a reverse proxy on the same host, whose every
    /// connection comes from 127.0.0.1.
    pub max_connections_per_address: usize,
    /// Apply [`ServeConfig::max_connections_per_address`] to loopback
    /// clients too (tests; a server without a local proxy).
    pub limit_loopback_per_address: bool,
    /// Slowest a client may take a response: while a response waits on
    /// the client (its receive window full), fewer than this many bytes
    /// per second over [`ServeConfig::min_send_window`] close the
    /// connection (slow readers). 0 disables the check.
    pub min_send_rate: u64,
    /// The period over which [`ServeConfig::min_send_rate`] is measured.
    pub min_send_window: Duration,
    /// Time in-flight requests get to finish after the shutdown signal.
    pub shutdown_grace: Duration,
    /// Memory budget of the range-response cache, bytes. Building one
    /// response reads its bucket of every full copy, pads and sorts it;
    /// the default 1.5 GiB (1536 MiB) holds the whole range API of a
    /// 33 M-person publication (36.3 M lines: 256 × 4.43 MB of 31-byte
    /// lines at P = 2), so each response is built once. The cache fills as
    /// responses are asked for.
    pub range_cache_bytes: usize,
    /// Where access-log and server messages go; stderr when `None`.
    pub log: Option<LogSink>,
}

/// Default range-cache budget, MiB (`serve --range-cache-mib`).
pub const DEFAULT_RANGE_CACHE_MIB: usize = 1536;

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            manifest_max_age: 300,
            data_max_age: 3600,
            header_read_timeout: Duration::from_secs(10),
            write_stall_timeout: Duration::from_secs(60),
            max_connections: 1024,
            max_connections_per_address: 32,
            limit_loopback_per_address: false,
            min_send_rate: 1024,
            min_send_window: Duration::from_secs(20),
            shutdown_grace: Duration::from_secs(10),
            range_cache_bytes: DEFAULT_RANGE_CACHE_MIB << 20,
            log: None,
        }
    }
}

impl std::fmt::Debug for ServeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeConfig")
            .field("manifest_max_age", &self.manifest_max_age)
            .field("data_max_age", &self.data_max_age)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("write_stall_timeout", &self.write_stall_timeout)
            .field("max_connections", &self.max_connections)
            .field(
                "max_connections_per_address",
                &self.max_connections_per_address,
            )
            .field(
                "limit_loopback_per_address",
                &self.limit_loopback_per_address,
            )
            .field("min_send_rate", &self.min_send_rate)
            .field("min_send_window", &self.min_send_window)
            .field("shutdown_grace", &self.shutdown_grace)
            .field("range_cache_bytes", &self.range_cache_bytes)
            .field("log", &self.log.as_ref().map(|_| "custom"))
            .finish()
    }
}

// ---------------------------------------------------------------------------
// Loading a publication
// ---------------------------------------------------------------------------

/// A static resource: its bytes and strong ETag.
struct Resource {
    body: Bytes,
    etag: HeaderValue,
}

/// A publication loaded and verified, immutable once built.
struct Loaded {
    manifest: Manifest,
    manifest_file: Resource,
    signature_file: Resource,
    /// Set files by their path relative to `v1/` (`sets/<id>.fcset`).
    set_files: HashMap<String, Resource>,
    /// The full copies (whole lookups with their NIR buckets), for range
    /// responses.
    sets: Vec<(u16, FullCopy)>,
    /// First 32 hex characters of the manifest's SHA-256.
    range_tag: String,
    cache: Mutex<RangeCache>,
}

#[derive(Default)]
struct RangeCache {
    bodies: HashMap<u32, Bytes>,
    bytes: usize,
}

fn quoted(tag: &str) -> HeaderValue {
    // Hex digits, letters and dashes only: always a valid header value.
    ascii_header(format!("\"{tag}\""))
}

impl Loaded {
    /// Load `dir` (a publication root holding `v1/`, or `v1/` itself) and
    /// verify every set file against the manifest.
    fn load(dir: &Path) -> Result<Self, ServeError> {
        let v1 = v1_dir(dir);
        let refuse = |reason: String| ServeError::Publication {
            dir: dir.display().to_string(),
            reason,
        };
        let manifest_path = v1.join(MANIFEST_FILE);
        let manifest_bytes = std::fs::read(&manifest_path).map_err(io_err(&manifest_path))?;
        let manifest = Manifest::from_json(&manifest_bytes)
            .map_err(|e| refuse(format!("{}: {e}", manifest_path.display())))?;
        let sig_path = v1.join(SIGNATURE_FILE);
        let sig_bytes = match std::fs::read(&sig_path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(refuse(format!(
                    "{} is missing: the manifest is not signed yet (add a breach first)",
                    sig_path.display()
                )));
            }
            Err(e) => return Err(io_err(&sig_path)(e)),
        };
        let manifest_sha = hex::encode(Sha256::digest(&manifest_bytes));
        let range_tag = manifest_sha[..32].to_owned();
        let manifest_file = Resource {
            etag: quoted(&manifest_sha),
            body: Bytes::from(manifest_bytes),
        };
        let signature_file = Resource {
            etag: quoted(&hex::encode(Sha256::digest(&sig_bytes))),
            body: Bytes::from(sig_bytes),
        };

        let mut set_files = HashMap::new();
        for pb in &manifest.breaches {
            let Some(info) = &pb.set else { continue };
            let id = &pb.breach.id;
            let name = info.path.strip_prefix("sets/").unwrap_or("");
            if !is_safe_name(name) {
                return Err(refuse(format!(
                    "breach `{id}`: set path `{}` is not of the form sets/<name>",
                    info.path
                )));
            }
            let path = v1.join(&info.path);
            let (body, file) = map_file(&path)?;
            let mismatch = |what: String| refuse(format!("set file for breach `{id}`: {what}"));
            fuitecheck_core::publication::check_digest(
                pb,
                info,
                body.len() as u64,
                &Sha256::digest(&body),
            )
            .map_err(|e| refuse(e.to_string()))?;
            let set = parse_same(&path, &file).map_err(&mismatch)?;
            fuitecheck_core::publication::check_set_contents(pb, info, &set)
                .map_err(|e| refuse(e.to_string()))?;
            set_files.insert(
                info.path.clone(),
                Resource {
                    etag: quoted(&info.sha256.to_ascii_lowercase()),
                    body,
                },
            );
        }
        // Range answers need whole lookups: the publisher's full copies,
        // which must be the source of the published sets (or online and
        // offline checks could disagree).
        let sets =
            crate::publish::open_range_sets(&v1, &manifest).map_err(|e| refuse(e.to_string()))?;
        for (pb, (_, full)) in manifest
            .breaches
            .iter()
            .filter(|b| b.set.is_some())
            .zip(&sets)
        {
            let Some(info) = &pb.set else { continue };
            let published = &set_files[&info.path].body;
            let parsed =
                SetFile::from_vec(published.to_vec()).map_err(|e| refuse(e.to_string()))?;
            if !crate::publish::full_copy_matches(full, &parsed, published)
                .map_err(|e| refuse(e.to_string()))?
            {
                return Err(refuse(format!(
                    "breach `{}`: the full copy in {}/ does not match the published set; \
                     re-run `fuitecheck-publish add` for it",
                    pb.breach.id,
                    crate::publish::FULL_DIR
                )));
            }
        }

        // Every bucket must fit in pad_lines, or range responses would fail.
        let largest = crate::publish::bucket_lines(&sets, manifest.range.prefix_hex_chars)
            .into_iter()
            .max()
            .unwrap_or(0);
        if largest > u64::from(manifest.range.pad_lines) {
            return Err(refuse(format!(
                "a range bucket holds {largest} lines but pad_lines is {}; \
                 re-run `fuitecheck-publish add` to recompute it",
                manifest.range.pad_lines
            )));
        }
        Ok(Self {
            manifest,
            manifest_file,
            signature_file,
            set_files,
            sets,
            range_tag,
            cache: Mutex::new(RangeCache::default()),
        })
    }

    fn summary(&self) -> String {
        format!(
            "publisher \"{}\", {} breach(es), {} set file(s), NIR buckets of {} hex chars, {} lines per range response",
            self.manifest.publisher,
            self.manifest.breaches.len(),
            self.set_files.len(),
            self.manifest.range.prefix_hex_chars,
            self.manifest.range.pad_lines
        )
    }

    /// Build the response for bucket number `v`; it must match the
    /// manifest's digest for that bucket (or the publication is
    /// inconsistent and clients would refuse it anyway).
    fn range_body(&self, v: u32) -> Result<Vec<u8>, String> {
        let body = crate::publish::range_body(&self.manifest, &self.sets, v)?;
        if self.manifest.range.bucket_digests.get(v as usize) != Some(&range::bucket_digest(&body))
        {
            return Err(format!(
                "range response {} does not match the manifest's bucket digest; \
                 re-run `fuitecheck-publish add` where the publication was built",
                range::bucket_text(v, self.manifest.range.prefix_hex_chars)
            ));
        }
        Ok(body)
    }
}

/// `[A-Za-z0-9_-][A-Za-z0-9._-]*`: a single, ordinary file name.
fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// Map a set file for serving.
fn map_file(path: &Path) -> Result<(Bytes, std::fs::File), ServeError> {
    let file = std::fs::File::open(path).map_err(io_err(path))?;
    // SAFETY: read-only map of a file that publications only ever replace
    // by atomic rename, never rewrite in place.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io_err(path))?;
    Ok((Bytes::from_owner(map), file))
}

/// Parse the set file at `path`, making sure it is the very file `mapped`
/// was opened from (a concurrent `add` replaces files by rename).
fn parse_same(path: &Path, mapped: &std::fs::File) -> Result<SetFile, String> {
    let set = SetFile::open_for_scan(path).map_err(|e| e.to_string())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let a = mapped.metadata().map_err(|e| e.to_string())?;
        let b = std::fs::metadata(path).map_err(|e| e.to_string())?;
        if (a.dev(), a.ino()) != (b.dev(), b.ino()) {
            return Err("the file was replaced while loading; try again".to_owned());
        }
    }
    #[cfg(not(unix))]
    let _ = mapped;
    Ok(set)
}

// ---------------------------------------------------------------------------
// Static export
// ---------------------------------------------------------------------------

/// What [`export_static`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    /// The directory written (`<dir>/v1/range`).
    pub range_dir: PathBuf,
    /// Bucket length P.
    pub prefix_hex_chars: u8,
    /// Range files in the export (16^P).
    pub files: usize,
    /// Files (re)written.
    pub written: usize,
    /// Files already identical, left alone.
    pub unchanged: usize,
    /// Stale range files removed (another P, leftovers of an interrupted export).
    pub removed: usize,
    /// Size of every range file.
    pub bytes_per_file: usize,
}

/// Write `v1/range/<BUCKET>` for every one of the 16^P buckets (uppercase
/// names), byte-identical to what [`Server`] answers. Files already
/// identical are left alone; others are written atomically; range files
/// of a previous export with another bucket length, and temporary files of
/// an interrupted export, are removed. The publication is verified as for
/// serving.
pub fn export_static(dir: &Path) -> Result<ExportReport, ServeError> {
    let loaded = Loaded::load(dir)?;
    let p = loaded.manifest.range.prefix_hex_chars;
    let range_dir = v1_dir(dir).join("range");
    std::fs::create_dir_all(&range_dir).map_err(io_err(&range_dir))?;
    let n = range::bucket_count(p);
    let results: Vec<Result<bool, ServeError>> = (0..n)
        .into_par_iter()
        .map(|v| {
            let body = loaded
                .range_body(v)
                .map_err(|reason| ServeError::Publication {
                    dir: dir.display().to_string(),
                    reason,
                })?;
            let path = range_dir.join(range::bucket_text(v, p));
            if std::fs::read(&path).is_ok_and(|old| old == body) {
                return Ok(false);
            }
            fuitecheck_core::fsutil::atomic_write(&path, &body).map_err(|e| ServeError::Io {
                path: e.path,
                source: e.source,
            })?;
            Ok(true)
        })
        .collect();
    let mut written = 0;
    for r in results {
        if r? {
            written += 1;
        }
    }
    let mut removed = 0;
    for entry in std::fs::read_dir(&range_dir).map_err(io_err(&range_dir))? {
        let entry = entry.map_err(io_err(&range_dir))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = name.len() == usize::from(p)
            && name
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(&c));
        let stale = !ours
            && (((1..=4).contains(&name.len()) && name.bytes().all(|c| c.is_ascii_hexdigit()))
                || name.starts_with(".tmp"));
        if stale && entry.file_type().is_ok_and(|t| t.is_file()) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(io_err(&path))?;
            removed += 1;
        }
    }
    Ok(ExportReport {
        range_dir,
        prefix_hex_chars: p,
        files: n as usize,
        written,
        unchanged: n as usize - written,
        removed,
        bytes_per_file: loaded.manifest.range.pad_lines as usize * range::LINE_LEN,
    })
}

// ---------------------------------------------------------------------------
// Request handling (pure parts)
// ---------------------------------------------------------------------------

/// What a request path designates.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    Manifest,
    Signature,
    /// Key into `set_files`.
    Set(String),
    Range(u32),
}

/// A rejected request: status and one-line reason.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reject(StatusCode, String);

fn reject(status: StatusCode, reason: impl Into<String>) -> Reject {
    Reject(status, reason.into())
}

/// Classify a raw (still percent-encoded) request path.
fn route(path: &str, p: u8, has_set: impl Fn(&str) -> bool) -> Result<Route, Reject> {
    let bad = |r: &str| Err(reject(StatusCode::BAD_REQUEST, r));
    if !path.starts_with('/') {
        return bad("the request target must be an absolute path");
    }
    if path.contains('\\') {
        return bad("backslashes are not allowed in paths");
    }
    if path.contains('%') {
        return bad("percent-encoded paths are not accepted");
    }
    if path.bytes().any(|c| c.is_ascii_control() || !c.is_ascii()) {
        return bad("the path holds characters that are not allowed");
    }
    if path[1..].split('/').any(|s| s == "." || s == "..") {
        return bad("'.' and '..' path segments are not allowed");
    }
    if path.contains("//") {
        return bad("empty path segments are not allowed");
    }
    match path {
        "/v1/manifest.json" => return Ok(Route::Manifest),
        "/v1/manifest.json.minisig" => return Ok(Route::Signature),
        _ => {}
    }
    if let Some(bucket) = path.strip_prefix("/v1/range/") {
        return range::parse_bucket(bucket, p)
            .map(Route::Range)
            .map_err(|e| reject(StatusCode::BAD_REQUEST, e.to_string()));
    }
    if let Some(name) = path.strip_prefix("/v1/sets/") {
        let key = format!("sets/{name}");
        if is_safe_name(name) && has_set(&key) {
            return Ok(Route::Set(key));
        }
        return Err(reject(
            StatusCode::NOT_FOUND,
            "no such set file in this publication",
        ));
    }
    Err(reject(StatusCode::NOT_FOUND, "not found"))
}

/// Does an `If-None-Match` value match `etag` (weak comparison, RFC 9110
/// §13.1.2)?
fn none_match(header: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(h) = header.to_str() else { return false };
    let ours = etag.as_bytes();
    h.split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t).as_bytes() == ours)
}

/// A byte range to send, or the request's range was unsatisfiable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RangeReq {
    /// Send the whole body (no usable `Range`).
    Full,
    /// Send `start..=end`.
    Part(u64, u64),
    /// 416.
    Unsatisfiable,
}

/// Interpret a `Range` header for a body of `len` bytes. Only a single
/// `bytes=` range is served; anything else (several ranges, other units,
/// bad syntax) is ignored, as RFC 9110 §14.2 allows.
fn parse_range(header: Option<&HeaderValue>, len: u64) -> RangeReq {
    let Some(spec) = header
        .and_then(|h| h.to_str().ok())
        .and_then(|s| s.trim().strip_prefix("bytes="))
    else {
        return RangeReq::Full;
    };
    let spec = spec.trim();
    if spec.contains(',') {
        return RangeReq::Full;
    }
    let Some((a, b)) = spec.split_once('-') else {
        return RangeReq::Full;
    };
    let (a, b) = (a.trim(), b.trim());
    let num = |s: &str| -> Option<u64> {
        if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
            None
        } else {
            s.parse().ok()
        }
    };
    if a.is_empty() {
        // Suffix range: the last `b` bytes.
        return match num(b) {
            None => RangeReq::Full,
            Some(0) => RangeReq::Unsatisfiable,
            Some(_) if len == 0 => RangeReq::Unsatisfiable,
            Some(n) => RangeReq::Part(len.saturating_sub(n), len - 1),
        };
    }
    let Some(start) = num(a) else {
        return RangeReq::Full;
    };
    let end = if b.is_empty() {
        u64::MAX
    } else {
        match num(b) {
            Some(e) if e >= start => e,
            _ => return RangeReq::Full,
        }
    };
    if start >= len {
        return RangeReq::Unsatisfiable;
    }
    RangeReq::Part(start, end.min(len - 1))
}

/// The access-log label of a method: standard methods by name, any
/// extension method as `OTHER` (client-chosen text is never logged).
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "OTHER",
    }
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

struct Shared {
    dir: PathBuf,
    current: RwLock<Arc<Loaded>>,
    config: ServeConfig,
    /// Range responses computed at once.
    compute: tokio::sync::Semaphore,
}

impl Shared {
    fn log(&self, line: &str) {
        match &self.config.log {
            Some(sink) => sink(line),
            None => eprintln!("{line}"),
        }
    }

    fn publication(&self) -> Arc<Loaded> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Reloads the publication of a running [`Server`] (SIGHUP does it in
/// [`serve_until_signal`]).
#[derive(Clone)]
pub struct Reloader {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Reloader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reloader")
            .field("dir", &self.shared.dir)
            .finish()
    }
}

impl Reloader {
    /// Load and verify the publication again and switch to it atomically:
    /// requests in flight finish with the one they started with. On
    /// failure the previous publication stays in service. Either outcome
    /// is logged. Blocking (it hashes every set file).
    pub fn reload(&self) -> Result<(), ServeError> {
        match Loaded::load(&self.shared.dir) {
            Ok(new) => {
                let summary = new.summary();
                *self
                    .shared
                    .current
                    .write()
                    .unwrap_or_else(|e| e.into_inner()) = Arc::new(new);
                self.shared
                    .log(&format!("{} reloaded publication: {summary}", now()));
                Ok(())
            }
            Err(e) => {
                self.shared.log(&format!(
                    "{} reload failed, still serving the previous publication: {e}",
                    now()
                ));
                Err(e)
            }
        }
    }
}

/// A bound server with its publication loaded; [`Server::run`] serves it.
pub struct Server {
    listener: std::net::TcpListener,
    local_addr: SocketAddr,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("local_addr", &self.local_addr)
            .field("dir", &self.shared.dir)
            .finish()
    }
}

impl Server {
    /// Load and verify the publication in `dir`, then bind `addr` (port 0
    /// picks a free port: see [`Server::local_addr`]). Needs no runtime.
    pub fn bind(dir: &Path, addr: SocketAddr) -> Result<Self, ServeError> {
        Self::bind_with(dir, addr, ServeConfig::default())
    }

    /// [`Server::bind`] with explicit settings.
    pub fn bind_with(
        dir: &Path,
        addr: SocketAddr,
        config: ServeConfig,
    ) -> Result<Self, ServeError> {
        let loaded = Loaded::load(dir)?;
        let bind_err = |source| ServeError::Bind { addr, source };
        let listener = std::net::TcpListener::bind(addr).map_err(bind_err)?;
        listener.set_nonblocking(true).map_err(bind_err)?;
        let local_addr = listener.local_addr().map_err(bind_err)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Self {
            listener,
            local_addr,
            shared: Arc::new(Shared {
                dir: dir.to_path_buf(),
                current: RwLock::new(Arc::new(loaded)),
                config,
                compute: tokio::sync::Semaphore::new(cores),
            }),
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// A handle to reload the publication while the server runs.
    pub fn reloader(&self) -> Reloader {
        Reloader {
            shared: Arc::clone(&self.shared),
        }
    }

    /// Serve on the current Tokio runtime until `shutdown` completes, then
    /// stop accepting, let in-flight requests finish (within
    /// [`ServeConfig::shutdown_grace`]) and return.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), ServeError> {
        let addr = self.local_addr;
        let listener = tokio::net::TcpListener::from_std(self.listener)
            .map_err(|source| ServeError::Bind { addr, source })?;
        let shared = self.shared;
        let cfg = shared.config.clone();
        shared.log(&format!(
            "{} serving {} on http://{addr}/v1/",
            now(),
            shared.publication().summary()
        ));
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let limit = Arc::new(tokio::sync::Semaphore::new(cfg.max_connections.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(cfg.header_read_timeout)
            .max_buf_size(16 * 1024)
            .max_headers(100)
            .keep_alive(true);
        tokio::pin!(shutdown);
        let per_address = PerAddress::new(
            cfg.max_connections_per_address,
            cfg.limit_loopback_per_address,
        );
        // Refusals in flight (each a few hundred bytes, a second at most);
        // beyond these, an excess connection is closed without a word.
        let refusing = Arc::new(tokio::sync::Semaphore::new(256));
        loop {
            while tasks.try_join_next().is_some() {}
            let (stream, peer) = tokio::select! {
                r = listener.accept() => match r {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors and the like: back off.
                        shared.log(&format!("{} accept failed: {e}", now()));
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            let admitted = Arc::clone(&limit)
                .try_acquire_owned()
                .ok()
                .and_then(|permit| Some((permit, per_address.enter(peer.ip())?)));
            let Some((permit, address)) = admitted else {
                if let Ok(r) = Arc::clone(&refusing).try_acquire_owned() {
                    tasks.spawn(async move {
                        refuse_busy(stream).await;
                        drop(r);
                    });
                }
                continue;
            };
            let _ = stream.set_nodelay(true);
            let io = hyper_util::rt::TokioIo::new(SlowClient::new(
                stream,
                cfg.write_stall_timeout,
                cfg.min_send_rate,
                cfg.min_send_window,
            ));
            let svc_shared = Arc::clone(&shared);
            let svc = hyper::service::service_fn(move |req| {
                let shared = Arc::clone(&svc_shared);
                async move { Ok::<_, Infallible>(handle(&shared, req).await) }
            });
            let conn = graceful.watch(http.serve_connection(io, svc));
            tasks.spawn(async move {
                let _ = conn.await;
                drop((permit, address));
            });
        }
        drop(listener);
        shared.log(&format!("{} shutting down", now()));
        if tokio::time::timeout(cfg.shutdown_grace, graceful.shutdown())
            .await
            .is_err()
        {
            shared.log(&format!(
                "{} {} connection(s) still open after the grace period, closed",
                now(),
                tasks.len()
            ));
        }
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
        Ok(())
    }
}

/// Load `dir`, bind `addr` and serve on the current Tokio runtime until
/// `shutdown` completes.
pub async fn serve(
    dir: &Path,
    addr: SocketAddr,
    shutdown: impl Future<Output = ()>,
) -> Result<(), ServeError> {
    Server::bind(dir, addr)?.run(shutdown).await
}

/// The blocking entry point of `fuitecheck-publish serve`: load `dir`,
/// bind `addr`, serve on a runtime of its own until Ctrl-C or SIGTERM, and
/// reload the publication on SIGHUP (keeping the old one if the new one is
/// refused).
pub fn serve_until_signal(dir: &Path, addr: SocketAddr) -> Result<(), ServeError> {
    serve_until_signal_with(dir, addr, ServeConfig::default())
}

/// [`serve_until_signal`] with explicit settings.
pub fn serve_until_signal_with(
    dir: &Path,
    addr: SocketAddr,
    config: ServeConfig,
) -> Result<(), ServeError> {
    let server = Server::bind_with(dir, addr, config)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    rt.block_on(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let mut hup = signal(SignalKind::hangup()).map_err(ServeError::Runtime)?;
            let mut term = signal(SignalKind::terminate()).map_err(ServeError::Runtime)?;
            let reloader = server.reloader();
            tokio::spawn(async move {
                while hup.recv().await.is_some() {
                    let r = reloader.clone();
                    // Logged by reload() itself.
                    let _ = tokio::task::spawn_blocking(move || r.reload()).await;
                }
            });
            server
                .run(async move {
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        _ = term.recv() => {}
                    }
                })
                .await
        }
        #[cfg(not(unix))]
        {
            server
                .run(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await
        }
    })
}

fn now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

type Body = Full<Bytes>;

async fn handle(shared: &Shared, req: Request<hyper::body::Incoming>) -> Response<Body> {
    let started = Instant::now();
    let method = req.method().clone();
    let (label, resp) = respond(shared, &req).await;
    let bytes = if method == Method::HEAD {
        0
    } else {
        hyper::body::Body::size_hint(resp.body())
            .exact()
            .unwrap_or(0)
    };
    shared.log(&format!(
        "{} {} {} {} {} {:.1}ms",
        now(),
        method_label(&method),
        label,
        resp.status().as_u16(),
        bytes,
        started.elapsed().as_secs_f64() * 1000.0
    ));
    if method == Method::HEAD {
        let (parts, _) = resp.into_parts();
        return Response::from_parts(parts, Full::new(Bytes::new()));
    }
    resp
}

const TEXT: &str = "text/plain; charset=utf-8";

fn error_response(Reject(status, reason): Reject) -> Response<Body> {
    let body = Bytes::from(format!("{reason}\n"));
    let mut r = Response::new(Full::new(body.clone()));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(TEXT));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if status == StatusCode::METHOD_NOT_ALLOWED {
        h.insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    }
    r
}

/// The response, and the path as the access log shows it.
async fn respond(
    shared: &Shared,
    req: &Request<hyper::body::Incoming>,
) -> (String, Response<Body>) {
    const REJECTED: &str = "<rejected>";
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return (
            REJECTED.to_owned(),
            error_response(reject(
                StatusCode::METHOD_NOT_ALLOWED,
                "only GET and HEAD are allowed",
            )),
        );
    }
    let publication = shared.publication();
    let p = publication.manifest.range.prefix_hex_chars;
    let r = match route(req.uri().path(), p, |k| {
        publication.set_files.contains_key(k)
    }) {
        Ok(r) => r,
        Err(rej) => return (REJECTED.to_owned(), error_response(rej)),
    };
    let cfg = &shared.config;
    let (label, body, etag, content_type, max_age) = match &r {
        Route::Manifest => (
            "/v1/manifest.json".to_owned(),
            publication.manifest_file.body.clone(),
            publication.manifest_file.etag.clone(),
            "application/json",
            cfg.manifest_max_age,
        ),
        Route::Signature => (
            "/v1/manifest.json.minisig".to_owned(),
            publication.signature_file.body.clone(),
            publication.signature_file.etag.clone(),
            TEXT,
            cfg.manifest_max_age,
        ),
        Route::Set(key) => {
            let res = &publication.set_files[key];
            (
                format!("/v1/{key}"),
                res.body.clone(),
                res.etag.clone(),
                "application/octet-stream",
                cfg.data_max_age,
            )
        }
        Route::Range(v) => {
            let label = "/v1/range/<bucket>".to_owned();
            let etag = quoted(&format!(
                "r-{}-{}",
                publication.range_tag,
                range::bucket_text(*v, p)
            ));
            // A cache hit needs no computation; 304 needs none either.
            let conditional_hit = req
                .headers()
                .get(header::IF_NONE_MATCH)
                .is_some_and(|h| none_match(h, &etag));
            let body = if conditional_hit {
                Bytes::new()
            } else {
                match range_body(shared, &publication, *v).await {
                    Ok(b) => b,
                    Err(reason) => {
                        shared.log(&format!("{} range response failed: {reason}", now()));
                        return (
                            label,
                            error_response(reject(
                                StatusCode::INTERNAL_SERVER_ERROR,
                                "the publication is inconsistent; see the server log",
                            )),
                        );
                    }
                }
            };
            (label, body, etag, TEXT, cfg.data_max_age)
        }
    };
    (
        label,
        finish(req.headers(), body, etag, content_type, max_age),
    )
}

/// Range response for bucket number `v`, from the cache or computed on the
/// blocking pool (at most one per core at once).
async fn range_body(shared: &Shared, publication: &Arc<Loaded>, v: u32) -> Result<Bytes, String> {
    if let Some(b) = publication
        .cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .bodies
        .get(&v)
    {
        return Ok(b.clone());
    }
    let _permit = shared.compute.acquire().await.map_err(|e| e.to_string())?;
    let p = Arc::clone(publication);
    let body = tokio::task::spawn_blocking(move || p.range_body(v))
        .await
        .map_err(|e| e.to_string())??;
    let body = Bytes::from(body);
    let mut cache = publication.cache.lock().unwrap_or_else(|e| e.into_inner());
    if cache.bytes + body.len() <= shared.config.range_cache_bytes
        && cache.bodies.insert(v, body.clone()).is_none()
    {
        cache.bytes += body.len();
    }
    Ok(body)
}

/// Conditional and range handling common to every resource.
fn finish(
    req: &HeaderMap,
    body: Bytes,
    etag: HeaderValue,
    content_type: &'static str,
    max_age: u32,
) -> Response<Body> {
    let mut h = HeaderMap::new();
    h.insert(header::ETAG, etag.clone());
    h.insert(
        header::CACHE_CONTROL,
        ascii_header(format!("public, max-age={max_age}")),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let build = |status: StatusCode, h: HeaderMap, body: Bytes| {
        let mut r = Response::new(Full::new(body));
        *r.status_mut() = status;
        *r.headers_mut() = h;
        r
    };
    if req
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| none_match(v, &etag))
    {
        return build(StatusCode::NOT_MODIFIED, h, Bytes::new());
    }
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let len = body.len() as u64;
    // If-Range: the range applies only to the representation it names.
    let range_header = match req.get(header::IF_RANGE) {
        Some(v) if v.as_bytes() != etag.as_bytes() => None,
        _ => req.get(header::RANGE),
    };
    match parse_range(range_header, len) {
        RangeReq::Full => {
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
            build(StatusCode::OK, h, body)
        }
        RangeReq::Part(a, b) => {
            h.insert(
                header::CONTENT_RANGE,
                ascii_header(format!("bytes {a}-{b}/{len}")),
            );
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(b - a + 1));
            build(
                StatusCode::PARTIAL_CONTENT,
                h,
                body.slice(a as usize..=b as usize),
            )
        }
        RangeReq::Unsatisfiable => {
            let mut e = error_response(reject(
                StatusCode::RANGE_NOT_SATISFIABLE,
                format!("the requested range is not within the {len} bytes of this resource"),
            ));
            let eh = e.headers_mut();
            eh.insert(
                header::CONTENT_RANGE,
                ascii_header(format!("bytes */{len}")),
            );
            eh.insert(header::ETAG, etag);
            eh.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            e
        }
    }
}

// ---------------------------------------------------------------------------
// Slow clients
// ---------------------------------------------------------------------------

/// The answer to a connection beyond [`ServeConfig::max_connections`] or
/// [`ServeConfig::max_connections_per_address`].
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Retry-After: 5\r\n\
Cache-Control: no-store\r\n\
Connection: close\r\n\
Content-Length: 42\r\n\
\r\n\
too many connections: retry in 5 seconds\r\n";

/// Say 503 and close, within a second: the request is read (up to 16 KiB)
/// first, so that the close does not reset the connection before the
/// client has read the answer.
async fn refuse_busy(mut stream: tokio::net::TcpStream) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let mut buf = [0u8; 4096];
        let mut seen = Vec::new();
        while seen.len() < 16 * 1024 && !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
        let _ = stream.write_all(BUSY).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// Connections per IP address, capped.
#[derive(Clone)]
struct PerAddress {
    max: usize,
    loopback: bool,
    open: Arc<Mutex<HashMap<std::net::IpAddr, usize>>>,
}

/// One admitted connection of an address; leaves on drop.
struct AddressSlot {
    ip: std::net::IpAddr,
    open: Option<Arc<Mutex<HashMap<std::net::IpAddr, usize>>>>,
}

impl PerAddress {
    fn new(max: usize, loopback: bool) -> Self {
        Self {
            max: max.max(1),
            loopback,
            open: Arc::default(),
        }
    }

    /// A slot for `ip`, unless it has `max` connections open already
    /// (loopback: always, unless limited too; the slot then counts
    /// nothing).
    fn enter(&self, ip: std::net::IpAddr) -> Option<AddressSlot> {
        if ip.is_loopback() && !self.loopback {
            return Some(AddressSlot { ip, open: None });
        }
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = open.entry(ip).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(AddressSlot {
            ip,
            open: Some(Arc::clone(&self.open)),
        })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let Some(open) = &self.open else {
            return;
        };
        let mut open = open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = open.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// A connection that cuts slow readers: its writes fail after `stall`
/// without any progress, or when, while a response waits on the client,
/// fewer than `min_rate` bytes per second go out over `window`. The
/// measure starts at the first write the client holds up and ends when
/// the response is flushed, so idle keep-alive time never counts.
struct SlowClient<T> {
    inner: T,
    stall: Duration,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
    min_rate: u64,
    window: Duration,
    /// The current measure: its end, and bytes written since it began.
    measure: Option<(Pin<Box<tokio::time::Sleep>>, u64)>,
}

impl<T> SlowClient<T> {
    fn new(inner: T, stall: Duration, min_rate: u64, window: Duration) -> Self {
        Self {
            inner,
            stall,
            stalled: None,
            min_rate,
            window,
            measure: None,
        }
    }

    fn too_slow() -> io::Error {
        io::Error::new(io::ErrorKind::TimedOut, "the client reads too slowly")
    }

    /// Check the rate when a measure ends: too few bytes closes the
    /// connection, else a new measure starts.
    fn check_rate(&mut self, cx: &mut Context<'_>) -> io::Result<()> {
        let Some((end, sent)) = &mut self.measure else {
            return Ok(());
        };
        if end.as_mut().poll(cx).is_pending() {
            return Ok(());
        }
        let needed = self
            .min_rate
            .saturating_mul(self.window.as_millis().try_into().unwrap_or(u64::MAX))
            / 1000;
        if *sent < needed {
            self.measure = None;
            return Err(Self::too_slow());
        }
        let mut next = Box::pin(tokio::time::sleep(self.window));
        let _ = next.as_mut().poll(cx);
        self.measure = Some((next, 0));
        Ok(())
    }

    fn check_write(
        &mut self,
        cx: &mut Context<'_>,
        r: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        if let Poll::Ready(Ok(n)) = &r
            && let Some((_, sent)) = &mut self.measure
        {
            *sent = sent.saturating_add(*n as u64);
        }
        if matches!(r, Poll::Pending) && self.min_rate > 0 && self.measure.is_none() {
            // The client holds a response up: measure from now.
            let mut end = Box::pin(tokio::time::sleep(self.window));
            let _ = end.as_mut().poll(cx);
            self.measure = Some((end, 0));
        }
        if let Err(e) = self.check_rate(cx) {
            return Poll::Ready(Err(e));
        }
        self.check(cx, r)
    }

    fn check<R>(&mut self, cx: &mut Context<'_>, r: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        match r {
            Poll::Ready(r) => {
                self.stalled = None;
                Poll::Ready(r)
            }
            Poll::Pending => {
                let timeout = self.stall;
                let sleep = self
                    .stalled
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                if sleep.as_mut().poll(cx).is_ready() {
                    self.stalled = None;
                    Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client stopped reading",
                    )))
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for SlowClient<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for SlowClient<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.check_write(cx, r)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.check_write(cx, r)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let r = Pin::new(&mut self.inner).poll_flush(cx);
        if let Err(e) = self.check_rate(cx) {
            return Poll::Ready(Err(e));
        }
        if matches!(r, Poll::Ready(Ok(()))) {
            // Everything handed to the kernel: the response no longer
            // waits on the client.
            self.measure = None;
        }
        self.check(cx, r)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A header value built from our own ASCII text (digits, hex, fixed
/// words): never invalid, and an empty value rather than a panic if it were.
fn ascii_header(text: String) -> HeaderValue {
    HeaderValue::try_from(text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hv(s: &str) -> HeaderValue {
        HeaderValue::from_str(s).unwrap()
    }

    #[test]
    fn routes() {
        let has = |k: &str| k == "sets/demo-a.fcset";
        assert_eq!(route("/v1/manifest.json", 2, has), Ok(Route::Manifest));
        assert_eq!(
            route("/v1/manifest.json.minisig", 2, has),
            Ok(Route::Signature)
        );
        assert_eq!(
            route("/v1/sets/demo-a.fcset", 2, has),
            Ok(Route::Set("sets/demo-a.fcset".into()))
        );
        assert_eq!(route("/v1/range/d8", 2, has), Ok(Route::Range(0xD8)));
        assert_eq!(route("/v1/range/D8", 2, has), Ok(Route::Range(0xD8)));
        let status = |p: &str| route(p, 2, has).unwrap_err().0;
        for p in [
            "/v1/range/G1",
            "/v1/range/D",
            "/v1/range/D8F",
            "/v1/range/",
            "/v1/range/D8/",
            "/v1/../manifest.json",
            "/v1/./manifest.json",
            "/v1/sets/../../etc/passwd",
            "/v1/sets/%2e%2e%2fmanifest.json",
            "/v1/sets/..%2fmanifest.json",
            "/v1/sets/demo%2Da.fcset",
            "/v1/sets/..\\manifest.json",
            "/v1//manifest.json",
            "//etc/passwd",
            "*",
            "/v1/range/+8",
        ] {
            assert_eq!(status(p), StatusCode::BAD_REQUEST, "{p}");
        }
        for p in [
            "/nope",
            "/",
            "/v1/",
            "/v1/sets/",
            "/v1/sets/other.fcset",
            "/v1/sets/.hidden",
            "/v1/manifest.json/",
            "/v1/range",
        ] {
            assert_eq!(status(p), StatusCode::NOT_FOUND, "{p}");
        }
        // Reasons are single lines.
        assert!(!route("/v1/range/G1", 2, has).unwrap_err().1.contains('\n'));
    }

    #[test]
    fn ranges() {
        let r = |s: &str, len| parse_range(Some(&hv(s)), len);
        assert_eq!(parse_range(None, 10), RangeReq::Full);
        assert_eq!(r("bytes=0-3", 10), RangeReq::Part(0, 3));
        assert_eq!(r("bytes=4-", 10), RangeReq::Part(4, 9));
        assert_eq!(r("bytes=4-100", 10), RangeReq::Part(4, 9));
        assert_eq!(r("bytes=-3", 10), RangeReq::Part(7, 9));
        assert_eq!(r("bytes=-30", 10), RangeReq::Part(0, 9));
        assert_eq!(r("bytes=9-9", 10), RangeReq::Part(9, 9));
        assert_eq!(r("bytes=10-", 10), RangeReq::Unsatisfiable);
        assert_eq!(r("bytes=10-20", 10), RangeReq::Unsatisfiable);
        assert_eq!(r("bytes=-0", 10), RangeReq::Unsatisfiable);
        assert_eq!(r("bytes=0-", 0), RangeReq::Unsatisfiable);
        for ignored in [
            "bytes=5-2",
            "bytes=0-1,4-5",
            "items=0-1",
            "bytes=a-b",
            "bytes=-",
            "bytes=+1-2",
            "bytes=99999999999999999999999-",
            "bytes=1",
        ] {
            assert_eq!(r(ignored, 10), RangeReq::Full, "{ignored}");
        }
    }

    #[test]
    fn etags() {
        let tag = hv("\"abc\"");
        assert!(none_match(&hv("\"abc\""), &tag));
        assert!(none_match(&hv("W/\"abc\""), &tag));
        assert!(none_match(&hv("\"x\", \"abc\""), &tag));
        assert!(none_match(&hv("*"), &tag));
        assert!(!none_match(&hv("\"abcd\""), &tag));
        assert!(!none_match(&hv("abc"), &tag));
    }

    #[test]
    fn methods_are_redacted() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(
            method_label(&Method::from_bytes(b"LEFEVRE").unwrap()),
            "OTHER"
        );
    }
}
