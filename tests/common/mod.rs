//! Test helpers shared by integration tests: a plain static file host that
//! records what it was asked, the publisher's CLI, and the cheap test KDF
//! with identity helpers.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// One request as the host saw it: path and every header line.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Method and path, e.g. `GET /v1/manifest.json`.
    pub request: String,
    /// `name: value` for every header.
    pub headers: Vec<String>,
}

/// A running static host; stops when dropped.
pub struct StaticHost {
    /// Its address.
    pub addr: SocketAddr,
    /// Everything it was asked, in order.
    pub seen: Arc<Mutex<Vec<Seen>>>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl StaticHost {
    /// `http://addr/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

/// Serve `root` as plain static files (as nginx or an object store would),
/// on a loopback port of its own. A file `<name>.stale` beside `<name>`
/// plays a CDN cache holding an old copy: it answers every request for
/// `<name>` that does not carry `Cache-Control: no-cache`.
pub fn static_host(root: PathBuf) -> StaticHost {
    use axum::extract::Request;
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let app = axum::Router::new().fallback(move |req: Request| {
                let root = root.clone();
                let log = Arc::clone(&log);
                async move {
                    log.lock().unwrap().push(Seen {
                        request: format!("{} {}", req.method(), req.uri()),
                        headers: req
                            .headers()
                            .iter()
                            .map(|(k, v)| format!("{k}: {}", String::from_utf8_lossy(v.as_bytes())))
                            .collect(),
                    });
                    let path = req.uri().path().trim_start_matches('/').to_owned();
                    if path.contains("..") {
                        return StatusCode::BAD_REQUEST.into_response();
                    }
                    // A CDN edge holding an old copy: `<file>.stale`, when
                    // present, answers requests that do not bypass caches.
                    let no_cache = req
                        .headers()
                        .get("cache-control")
                        .is_some_and(|v| v.as_bytes() == b"no-cache");
                    let stale = root.join(format!("{path}.stale"));
                    if !no_cache && let Ok(b) = std::fs::read(&stale) {
                        return b.into_response();
                    }
                    match std::fs::read(root.join(path)) {
                        Ok(b) => b.into_response(),
                        Err(_) => StatusCode::NOT_FOUND.into_response(),
                    }
                }
            });
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await
                .unwrap();
        });
    });
    StaticHost {
        addr,
        seen,
        _stop: tx,
    }
}

/// Run `fuitecheck-publish` with `args` and extra environment variables
/// (secret keys use the password "correct horse").
pub fn publish_raw(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    std::process::Command::new(publish_bin())
        .args(args)
        .env("FUITECHECK_KEY_PASSWORD", "correct horse")
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// [`publish_raw`], which must succeed.
pub fn publish_ok(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let out = publish_raw(args, env);
    assert!(
        out.status.success(),
        "fuitecheck-publish {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The cheap KDF of SPEC §10's test vectors (m = 64 KiB, t = 1, p = 1).
pub fn test_kdf() -> fuitecheck_core::fingerprint::KdfParams {
    fuitecheck_core::fingerprint::KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
        salt: hex::decode("00112233445566778899aabbccddeeff").unwrap(),
    }
}

/// A NIR for tests (13 or 15 characters).
pub fn nir(s: &str) -> fuitecheck_core::nir::Nir {
    fuitecheck_core::nir::Nir::parse_allow_body(s).unwrap()
}

/// A canonical surname for tests.
pub fn name(s: &str) -> fuitecheck_core::surname::Surname {
    fuitecheck_core::surname::Surname::parse(s).unwrap()
}

/// The `fuitecheck-publish` binary. It belongs to the `fuitecheck-publish`
/// package, so Cargo gives this package no `CARGO_BIN_EXE_` for it; it is
/// built beside `fuitecheck` by the workspace's `cargo test` (every member
/// is a default member, and that package has integration tests of its own).
pub fn publish_bin() -> std::path::PathBuf {
    let fuitecheck = std::path::Path::new(env!("CARGO_BIN_EXE_fuitecheck"));
    let bin = fuitecheck.with_file_name(format!(
        "fuitecheck-publish{}",
        std::env::consts::EXE_SUFFIX
    ));
    assert!(
        bin.exists(),
        "{} is missing: run the tests with `cargo test` at the workspace root \
         (or `cargo build -p fuitecheck-publish` first)",
        bin.display()
    );
    bin
}

/// A test (or part of one) that cannot run here says so — `SKIPPED: …` on
/// stderr — and, under `FUITECHECK_STRICT_TESTS=1` (which `.ci/run` sets),
/// fails instead: CI never skips in silence.
pub fn skip(reason: &str) {
    eprintln!("SKIPPED: {reason}");
    assert!(
        std::env::var("FUITECHECK_STRICT_TESTS").as_deref() != Ok("1"),
        "skipped under FUITECHECK_STRICT_TESTS=1: {reason}"
    );
}

/// Drop, for the calling thread only, the capabilities that let root
/// ignore file permissions (Linux capabilities are per thread): after this
/// a `chmod`ed directory stops root's writes as it stops anyone's, so
/// permission tests need neither root nor its absence.
#[cfg(target_os = "linux")]
pub fn drop_file_permission_overrides() {
    #[repr(C)]
    struct Header {
        version: u32,
        pid: i32,
    }
    #[repr(C)]
    #[derive(Clone, Copy, Default)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    const VERSION_3: u32 = 0x2008_0522;
    // CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER.
    const OVERRIDES: u32 = (1 << 1) | (1 << 2) | (1 << 3);
    let mut header = Header {
        version: VERSION_3,
        pid: 0,
    };
    let mut data = [Data::default(); 2];
    // SAFETY: capget/capset with a version-3 header and two data words,
    // as capget(2) documents; pid 0 is the calling thread.
    let got = unsafe {
        libc::syscall(
            libc::SYS_capget,
            &mut header as *mut Header,
            data.as_mut_ptr(),
        )
    };
    assert_eq!(got, 0, "capget failed");
    data[0].effective &= !OVERRIDES;
    // SAFETY: as above; clearing effective bits is always allowed.
    let set = unsafe { libc::syscall(libc::SYS_capset, &mut header as *mut Header, data.as_ptr()) };
    assert_eq!(set, 0, "capset failed");
}
