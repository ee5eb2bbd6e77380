//! Faults (issue 7): a loopback HTTP server that misbehaves on purpose —
//! drops the connection mid-file, sends the wrong Content-Length or the
//! wrong bytes, stalls, answers 5xx — against the online client and the
//! downloader; a full disk and a read-only data directory; and a corpus of
//! malformed requests against `fuitecheck-publish serve`, all answered 4xx.
//!
//! What must hold: transient failures are retried with back-off (and a
//! download resumes where it stopped), a stall times out, a persistent
//! failure gives a clear error, no corrupt file is ever put in place, and
//! the previous publication stays usable throughout.
// A test reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fuitecheck_client::download::{self, DownloadError};
use fuitecheck_client::online::{ClientOptions, RangeSource};
use fuitecheck_core::catalogue::Catalogue;
use fuitecheck_core::category::{Category, CategoryMask};
use fuitecheck_core::check::{self, Identity, Source};
use fuitecheck_core::fingerprint::KdfParams;
use fuitecheck_core::nir::Nir;
use fuitecheck_core::publication::OfflinePublication;
use fuitecheck_core::signature::{TrustStore, TrustedKey};
use fuitecheck_core::surname::Surname;
use fuitecheck_publish::publish::{self, InitOptions, Record};
use fuitecheck_publish::serve::{ServeConfig, Server};
use fuitecheck_publish::signing::{self as signature, SigningKey};

// ---------------------------------------------------------------------------
// Publications
// ---------------------------------------------------------------------------

const LAB: &str = "demo-laboratoire-fictif";
const TIERS: &str = "demo-tiers-payant-fictif";
const LAB_SET: &str = "sets/demo-laboratoire-fictif.fcset";
const TIERS_SET: &str = "sets/demo-tiers-payant-fictif.fcset";

fn nir(s: &str) -> Nir {
    Nir::parse_allow_body(s).unwrap()
}

fn name(s: &str) -> Surname {
    Surname::parse(s).unwrap()
}

/// `n` fictional people (NIR bodies in Paris, letter-only surnames).
fn fictional(n: u32, seed: u32, mask: CategoryMask) -> Vec<Record> {
    (0..n)
        .map(|i| {
            let body = format!(
                "{}{:02}{:02}75{:03}{:03}",
                1 + i % 2,
                (i / 12) % 100,
                1 + i % 12,
                101 + seed,
                1 + i % 997
            );
            let surname: String = format!("x{seed}y{i}")
                .bytes()
                .map(|d| (d.to_ascii_uppercase() + 17) as char)
                .collect();
            Record::new(nir(&body), [name(&surname)], mask)
        })
        .collect()
}

struct Publisher {
    _tmp: tempfile::TempDir,
    /// Publication A (the first one).
    a: PathBuf,
    /// Publication B: A with the tiers-payant breach rebuilt.
    b: PathBuf,
    trust: TrustStore,
}

/// Two versions of a publication of the two demo breaches (cheap test
/// KDF, 200 fictional people each, so set files are a few kilobytes).
fn publisher() -> Publisher {
    let tmp = tempfile::tempdir().unwrap();
    let (sk, pk) = signature::generate_keypair(None).unwrap();
    let signer = SigningKey::from_text(&sk, None).unwrap();
    let mut trust = TrustStore::shipped();
    trust.add(TrustedKey::from_text(&pk, "test").unwrap());
    let kdf = KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
        salt: hex::decode("00112233445566778899aabbccddeeff").unwrap(),
    };
    let cat = Catalogue::from_json(fuitecheck_core::demo::DEMO_BREACHES).unwrap();
    let ident: CategoryMask = [Category::Identity, Category::Nir].into_iter().collect();
    let put = |dir: &Path, id: &str, recs: Vec<Record>| {
        let pairs = publish::fingerprint_records(&kdf, &recs, &|_| {}).unwrap();
        publish::put_breach(
            dir,
            cat.get(id).unwrap(),
            pairs,
            &signer,
            "2026-11-22T10:00:00Z",
        )
        .unwrap();
    };
    let a = tmp.path().join("a");
    publish::init(
        &a,
        &InitOptions {
            publisher: "Mutuelle Exemple".into(),
            demo: true,
            kdf: kdf.clone(),
            prefix_hex_chars: 2,
            generated_at: "2026-11-22T10:00:00Z".into(),
            expires: None,
        },
    )
    .unwrap();
    let mut lab = fictional(200, 1, ident);
    lab.push(Record::new(nir("1850578006084"), [name("Lefèvre")], ident));
    put(&a, LAB, lab);
    put(&a, TIERS, fictional(200, 2, ident));
    let b = tmp.path().join("b");
    copy_dir(&a, &b);
    let mut tiers = fictional(200, 2, ident);
    tiers.push(Record::new(nir("1850578006084"), [name("Lefevre")], ident));
    put(&b, TIERS, tiers);
    Publisher {
        _tmp: tmp,
        a,
        b,
        trust,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The breaches Lefèvre is found in: A has one, B two.
fn lefevre_breaches(source: &dyn Source) -> Vec<String> {
    let id = Identity {
        nir: nir("1850578006084"),
        birth_name: name("Lefevre"),
        usage_name: None,
    };
    check::check(&id, source, &|_| {}, &AtomicBool::new(false))
        .unwrap()
        .matches
        .into_iter()
        .map(|m| m.breach)
        .collect()
}

fn fast() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_secs(2),
        io_timeout: Duration::from_millis(400),
        attempts: 3,
        backoff: Duration::from_millis(20),
    }
}

// ---------------------------------------------------------------------------
// The fault-injecting host
// ---------------------------------------------------------------------------

/// What the host does wrong when answering a path.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// Announce the full length, send this many body bytes, close.
    DropAfter(usize),
    /// Announce and send this many bytes fewer than the file has.
    ShortLength(usize),
    /// Announce this many bytes more than it sends, then close.
    LongLength(usize),
    /// Send the right length with one byte altered.
    WrongBytes,
    /// Send the head and this many body bytes, then go silent.
    StallAfter(usize),
    /// Accept the connection and never answer.
    StallBeforeHead,
    /// Answer this status with an empty body.
    Status(u16),
}

struct Rule {
    /// Applies to request paths ending with this.
    path: &'static str,
    fault: Fault,
    /// How many more requests it applies to; `None`: all.
    times: Option<usize>,
}

impl Rule {
    /// Paths ending with `path`, or under it when it ends with `/`.
    fn matches(&self, path: &str) -> bool {
        path.ends_with(self.path) || (self.path.ends_with('/') && path.contains(self.path))
    }
}

/// A static host over a raw socket, one thread per connection, with
/// `Connection: close`, HTTP `Range: bytes=N-` support, and faults.
struct FaultHost {
    addr: SocketAddr,
    root: Arc<Mutex<PathBuf>>,
    rules: Arc<Mutex<Vec<Rule>>>,
    /// `path` or `path bytes=N-` of every request, in order (the path
    /// without its leading `/`).
    seen: Arc<Mutex<Vec<String>>>,
}

impl FaultHost {
    fn start(root: &Path) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let host = Self {
            addr,
            root: Arc::new(Mutex::new(root.to_path_buf())),
            rules: Arc::new(Mutex::new(Vec::new())),
            seen: Arc::new(Mutex::new(Vec::new())),
        };
        let (root, rules, seen) = (host.root.clone(), host.rules.clone(), host.seen.clone());
        // The accept thread lives as long as the test process.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (root, rules, seen) = (root.clone(), rules.clone(), seen.clone());
                std::thread::spawn(move || {
                    let _ = answer(stream, &root, &rules, &seen);
                });
            }
        });
        host
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    fn serve(&self, root: &Path) {
        *self.root.lock().unwrap() = root.to_path_buf();
    }

    fn fault(&self, path: &'static str, fault: Fault, times: Option<usize>) {
        self.rules.lock().unwrap().push(Rule { path, fault, times });
    }

    fn clear(&self) {
        self.rules.lock().unwrap().clear();
        self.seen.lock().unwrap().clear();
    }

    fn requests(&self, path: &str) -> Vec<String> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.split(' ').next().is_some_and(|p| p.ends_with(path)))
            .cloned()
            .collect()
    }
}

fn answer(
    mut s: TcpStream,
    root: &Mutex<PathBuf>,
    rules: &Mutex<Vec<Rule>>,
    seen: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = s.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let path = head
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .trim_start_matches('/')
        .to_owned();
    let from: Option<usize> = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        if !k.eq_ignore_ascii_case("range") {
            return None;
        }
        v.trim()
            .strip_prefix("bytes=")?
            .strip_suffix('-')?
            .parse()
            .ok()
    });
    seen.lock().unwrap().push(match from {
        Some(n) => format!("{path} bytes={n}-"),
        None => path.clone(),
    });
    let fault = {
        let mut rules = rules.lock().unwrap();
        let rule = rules
            .iter_mut()
            .find(|r| r.matches(&path) && r.times != Some(0));
        rule.map(|r| {
            if let Some(t) = &mut r.times {
                *t -= 1;
            }
            r.fault
        })
    };
    let file = root.lock().unwrap().join(&path);
    let write_head = |s: &mut TcpStream, status: &str, len: usize, extra: &str| {
        write!(
            s,
            "HTTP/1.1 {status}\r\nContent-Length: {len}\r\nConnection: close\r\n{extra}\r\n"
        )
    };
    match fault {
        Some(Fault::Status(code)) => return write_head(&mut s, &format!("{code} Fault"), 0, ""),
        Some(Fault::StallBeforeHead) => {
            std::thread::sleep(Duration::from_secs(5));
            return Ok(());
        }
        _ => {}
    }
    let Ok(data) = std::fs::read(&file) else {
        return write_head(&mut s, "404 Not Found", 0, "");
    };
    let (status, extra, mut body) = match from {
        Some(n) if n > 0 && n < data.len() => (
            "206 Partial Content",
            format!(
                "Content-Range: bytes {n}-{}/{}\r\n",
                data.len() - 1,
                data.len()
            ),
            data[n..].to_vec(),
        ),
        _ => ("200 OK", String::new(), data),
    };
    match fault {
        None => {
            write_head(&mut s, status, body.len(), &extra)?;
            s.write_all(&body)?;
        }
        Some(Fault::DropAfter(n)) => {
            write_head(&mut s, status, body.len(), &extra)?;
            s.write_all(&body[..n.min(body.len())])?;
        }
        Some(Fault::ShortLength(n)) => {
            let len = body.len().saturating_sub(n);
            write_head(&mut s, status, len, &extra)?;
            s.write_all(&body[..len])?;
        }
        Some(Fault::LongLength(n)) => {
            write_head(&mut s, status, body.len() + n, &extra)?;
            s.write_all(&body)?;
        }
        Some(Fault::WrongBytes) => {
            let mid = body.len() / 2;
            body[mid] ^= 0x55;
            write_head(&mut s, status, body.len(), &extra)?;
            s.write_all(&body)?;
        }
        Some(Fault::StallAfter(n)) => {
            write_head(&mut s, status, body.len(), &extra)?;
            s.write_all(&body[..n.min(body.len())])?;
            s.flush()?;
            std::thread::sleep(Duration::from_secs(5));
        }
        Some(Fault::Status(_) | Fault::StallBeforeHead) => unreachable!(),
    }
    s.flush()?;
    let _ = s.shutdown(std::net::Shutdown::Both);
    Ok(())
}

fn set_len(dir: &Path, set: &str) -> usize {
    std::fs::metadata(dir.join("v1").join(set)).unwrap().len() as usize
}

fn get(
    host: &FaultHost,
    to: &Path,
    trust: &TrustStore,
    opts: &ClientOptions,
) -> Result<download::DownloadReport, DownloadError> {
    download::download_with(
        &host.url(),
        to,
        trust,
        &fuitecheck_core::freshness::SequenceStore::new(),
        opts,
        &|_| {},
        &AtomicBool::new(false),
    )
}

/// The active publication under `dir`, if any, opens and verifies.
fn assert_clean(dir: &Path, trust: &TrustStore) {
    if let Some(active) = download::active_dir(dir) {
        assert!(OfflinePublication::open_dir(&active, trust).is_ok());
    }
}

// ---------------------------------------------------------------------------
// Downloader and online client against faults
// ---------------------------------------------------------------------------

#[test]
fn a_drop_mid_file_is_resumed_in_the_same_download() {
    let p = publisher();
    let host = FaultHost::start(&p.a);
    let half = set_len(&p.a, LAB_SET) / 2;
    host.fault(LAB_SET, Fault::DropAfter(half), Some(1));
    let tmp = tempfile::tempdir().unwrap();
    let to = tmp.path().join("dl");
    let r = get(&host, &to, &p.trust, &fast()).unwrap();
    assert_eq!(r.downloaded.len(), 2);
    let lab = host.requests(LAB_SET);
    assert_eq!(lab.len(), 2, "{lab:?}");
    assert_eq!(lab[1], format!("v1/{LAB_SET} bytes={half}-"));
    // Only what was missing travelled again.
    let total: usize = ["manifest.json", "manifest.json.minisig", LAB_SET, TIERS_SET]
        .iter()
        .map(|f| set_len(&p.a, f))
        .sum();
    assert_eq!(r.bytes_transferred, total as u64);
    let offline = OfflinePublication::open_dir(&to, &p.trust).unwrap();
    assert_eq!(lefevre_breaches(&offline), vec![LAB]);
}

#[test]
fn a_drop_without_retries_is_resumed_by_the_next_download() {
    let p = publisher();
    let host = FaultHost::start(&p.a);
    let len = set_len(&p.a, TIERS_SET);
    host.fault(TIERS_SET, Fault::DropAfter(len / 3), Some(1));
    let tmp = tempfile::tempdir().unwrap();
    let to = tmp.path().join("dl");
    let once = ClientOptions {
        attempts: 1,
        ..fast()
    };
    let e = get(&host, &to, &p.trust, &once).unwrap_err();
    assert!(matches!(e, DownloadError::Source(_)), "{e:?}");
    assert!(e.to_string().contains("resume"), "{e}");
    assert!(download::active_dir(&to).is_none(), "nothing is active yet");
    // The part received is kept for the resume.
    let parts: Vec<_> = std::fs::read_dir(to.join("partial"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .collect();
    assert!(parts.contains(&((len / 3) as u64)), "{parts:?}");
    host.clear();
    get(&host, &to, &p.trust, &once).unwrap();
    assert_eq!(
        host.requests(TIERS_SET),
        vec![format!("v1/{TIERS_SET} bytes={}-", len / 3)]
    );
    assert!(
        std::fs::read_dir(to.join("partial"))
            .unwrap()
            .next()
            .is_none()
    );
    assert_clean(&to, &p.trust);
}

#[test]
fn a_wrong_content_length_is_survived_or_refused() {
    let p = publisher();
    let host = FaultHost::start(&p.a);
    let tmp = tempfile::tempdir().unwrap();
    // Too short once: the rest is asked for again.
    host.fault(LAB_SET, Fault::ShortLength(10), Some(1));
    // Announcing more than it sends once: the client sees the connection
    // close early and resumes.
    host.fault(TIERS_SET, Fault::LongLength(100), Some(1));
    let to = tmp.path().join("dl");
    get(&host, &to, &p.trust, &fast()).unwrap();
    assert_eq!(host.requests(LAB_SET).len(), 2);
    assert!(host.requests(TIERS_SET).len() <= 2);
    assert_clean(&to, &p.trust);

    // Always too short: a clear error after the retries, nothing active,
    // then a good server completes the download.
    host.clear();
    host.fault(LAB_SET, Fault::ShortLength(10), None);
    let to = tmp.path().join("dl2");
    let e = get(&host, &to, &p.trust, &fast()).unwrap_err();
    assert!(e.to_string().contains("ended after"), "{e}");
    assert!(download::active_dir(&to).is_none());
    assert!(!to.join("pub-").exists());
    host.clear();
    get(&host, &to, &p.trust, &fast()).unwrap();
    assert_clean(&to, &p.trust);
}

#[test]
fn wrong_bytes_are_discarded_and_the_previous_publication_stays() {
    let p = publisher();
    let host = FaultHost::start(&p.a);
    let tmp = tempfile::tempdir().unwrap();
    let to = tmp.path().join("dl");
    get(&host, &to, &p.trust, &fast()).unwrap();
    let previous = download::active_dir(&to).unwrap();

    // B changes the tiers-payant set; the host alters its bytes.
    host.serve(&p.b);
    host.fault(TIERS_SET, Fault::WrongBytes, None);
    let e = get(&host, &to, &p.trust, &fast()).unwrap_err();
    assert!(matches!(e, DownloadError::Mismatch { .. }), "{e:?}");
    assert!(e.to_string().contains("SHA-256"), "{e}");
    assert_eq!(download::active_dir(&to).unwrap(), previous);
    let offline = OfflinePublication::open_dir(&to, &p.trust).unwrap();
    assert_eq!(lefevre_breaches(&offline), vec![LAB]);
    // The corrupt bytes were not kept anywhere.
    let manifest = publish::load_manifest(&p.b).unwrap();
    let sha = &manifest.breach(TIERS).unwrap().set.as_ref().unwrap().sha256;
    assert!(!to.join("partial").join(format!("{sha}.part")).exists());

    // A good answer brings B in.
    host.clear();
    let r = get(&host, &to, &p.trust, &fast()).unwrap();
    assert_eq!(r.downloaded, vec![TIERS_SET.to_owned()]);
    assert_eq!(r.reused, vec![LAB_SET.to_owned()]);
    let offline = OfflinePublication::open_dir(&to, &p.trust).unwrap();
    assert_eq!(lefevre_breaches(&offline), vec![LAB, TIERS]);
}

#[test]
fn a_stalled_server_times_out_quickly() {
    let p = publisher();
    let host = FaultHost::start(&p.a);
    let tmp = tempfile::tempdir().unwrap();
    let opts = ClientOptions {
        attempts: 2,
        ..fast()
    };
    // Silent mid-body.
    // (No clock is read: the stall is cut by the client's own read
    // timeout, which is what the error and the retry count show.)
    host.fault(LAB_SET, Fault::StallAfter(100), None);
    let e = get(&host, &tmp.path().join("dl"), &p.trust, &opts).unwrap_err();
    assert!(e.to_string().contains("connection lost"), "{e}");
    assert_eq!(host.requests(LAB_SET).len(), 2, "one retry");

    // Silent before answering: the online source gives up as quickly.
    host.clear();
    host.fault("manifest.json", Fault::StallBeforeHead, None);
    let e = RangeSource::connect_with(&host.url(), &p.trust, opts).unwrap_err();
    assert!(e.to_string().contains("timed out"), "{e}");
}

#[test]
fn server_errors_are_retried_with_back_off() {
    let p = publisher();
    export(&p.a);
    let host = FaultHost::start(&p.a);
    let opts = ClientOptions {
        backoff: Duration::from_millis(100),
        ..fast()
    };
    host.fault("v1/manifest.json", Fault::Status(503), Some(2));
    let started = Instant::now();
    let source = RangeSource::connect_with(&host.url(), &p.trust, opts.clone()).unwrap();
    // Waited 100 ms, then 200 ms: a lower bound only (a sleep never ends
    // early), which no slow machine can break.
    assert_eq!(
        opts.delay_before(1) + opts.delay_before(2),
        Duration::from_millis(300)
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(host.requests("v1/manifest.json").len(), 3);
    assert_eq!(lefevre_breaches(&source), vec![LAB]);

    // The same for a range response and a set file.
    host.clear();
    host.fault("v1/range/", Fault::Status(502), Some(1));
    host.fault(LAB_SET, Fault::Status(500), Some(2));
    assert_eq!(lefevre_breaches(&source), vec![LAB]);
    let tmp = tempfile::tempdir().unwrap();
    get(&host, &tmp.path().join("dl"), &p.trust, &opts).unwrap();
    assert_eq!(
        host.requests(LAB_SET).len(),
        3,
        "{:?}",
        host.seen.lock().unwrap()
    );
}

fn export(dir: &Path) {
    fuitecheck_publish::serve::export_static(dir).unwrap();
}

#[test]
fn persistent_server_errors_give_a_clear_error() {
    let p = publisher();
    export(&p.a);
    let host = FaultHost::start(&p.a);
    let tmp = tempfile::tempdir().unwrap();
    let to = tmp.path().join("dl");
    get(&host, &to, &p.trust, &fast()).unwrap();
    let previous = download::active_dir(&to).unwrap();
    host.clear();
    host.serve(&p.b);
    host.fault(TIERS_SET, Fault::Status(503), None);
    let e = get(&host, &to, &p.trust, &fast()).unwrap_err();
    assert!(e.to_string().contains("503"), "{e}");
    assert_eq!(host.requests(TIERS_SET).len(), 3, "three attempts");
    assert_eq!(download::active_dir(&to).unwrap(), previous);
    assert_clean(&to, &p.trust);

    host.clear();
    host.serve(&p.a);
    host.fault("v1/manifest.json", Fault::Status(500), None);
    let e = RangeSource::connect_with(&host.url(), &p.trust, fast()).unwrap_err();
    assert!(e.to_string().contains("500"), "{e}");
    assert_eq!(host.requests("v1/manifest.json").len(), 3);

    // A 4xx is final: no retry.
    host.clear();
    host.fault("v1/manifest.json", Fault::Status(404), None);
    let e = RangeSource::connect_with(&host.url(), &p.trust, fast()).unwrap_err();
    assert!(e.to_string().contains("404"), "{e}");
    assert_eq!(host.requests("v1/manifest.json").len(), 1);
    host.clear();
    host.fault("v1/range/", Fault::Status(503), None);
    let source = RangeSource::connect_with(&host.url(), &p.trust, fast()).unwrap();
    let id = Identity {
        nir: nir("1850578006084"),
        birth_name: name("Lefevre"),
        usage_name: None,
    };
    let e = check::check(&id, &source, &|_| {}, &AtomicBool::new(false)).unwrap_err();
    assert!(e.to_string().contains("503"), "{e}");
}

// ---------------------------------------------------------------------------
// The local file system: full, read-only
// ---------------------------------------------------------------------------

/// A tmpfs mounted for the test (root only), unmounted when dropped.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(dir: &Path, options: &str) -> Option<Self> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return None;
        }
        std::fs::create_dir_all(dir).ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Self {
            dir: dir.to_path_buf(),
        })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.dir)
            .status();
    }
}

/// Run the test `name` of this binary again in a user and mount namespace
/// of its own (`unshare -rm`), where it is root and may mount a tmpfs;
/// `false` when namespaces are not available here.
fn rerun_in_own_namespace(name: &str) -> bool {
    if std::env::var_os("FUITECHECK_TEST_IN_NAMESPACE").is_some() {
        return false;
    }
    let Ok(out) = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "--"])
        .arg(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env("FUITECHECK_TEST_IN_NAMESPACE", "1")
        .output()
    else {
        return false;
    };
    let err = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() && err.contains("unshare failed") {
        return false;
    }
    assert!(
        out.status.success(),
        "{name} in its own namespace failed:\n{}{err}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "{name} did not run in its namespace"
    );
    true
}

#[test]
fn a_full_disk_is_a_clear_error_and_the_previous_publication_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(&tmp.path().join("small"), "size=256k") else {
        // Not root (or root without CAP_SYS_ADMIN): the same test as root
        // of a namespace of its own.
        if !rerun_in_own_namespace(
            "a_full_disk_is_a_clear_error_and_the_previous_publication_stays",
        ) {
            common::skip(
                "cannot mount a small tmpfs: neither CAP_SYS_ADMIN nor user namespaces (unshare -rm)",
            );
        }
        return;
    };
    let p = publisher();
    let host = FaultHost::start(&p.a);
    let to = fs.dir.join("dl");
    get(&host, &to, &p.trust, &fast()).unwrap();
    let previous = download::active_dir(&to).unwrap();
    // Fill the disk.
    let filler = fs.dir.join("filler");
    {
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).and_then(|()| f.sync_all()).is_ok() {}
    }
    host.serve(&p.b);
    let e = get(&host, &to, &p.trust, &fast()).unwrap_err();
    assert!(matches!(e, DownloadError::Io { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("No space left on device"), "{text}");
    assert!(text.contains(&to.display().to_string()), "{text}");
    assert_eq!(download::active_dir(&to).unwrap(), previous);
    let offline = OfflinePublication::open_dir(&to, &p.trust).unwrap();
    assert_eq!(lefevre_breaches(&offline), vec![LAB]);
    // Room again: the update completes.
    std::fs::remove_file(&filler).unwrap();
    get(&host, &to, &p.trust, &fast()).unwrap();
    let offline = OfflinePublication::open_dir(&to, &p.trust).unwrap();
    assert_eq!(lefevre_breaches(&offline), vec![LAB, TIERS]);
}

/// A data directory the app may not write to (`chmod a-w`; as root too,
/// the test thread having dropped the capabilities that bypass file
/// permissions): the update fails with a clear error naming the place, and
/// the previous publication stays usable.
#[cfg(target_os = "linux")]
#[test]
fn a_read_only_data_directory_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt as _;
    let p = publisher();
    let host = FaultHost::start(&p.a);
    let tmp = tempfile::tempdir().unwrap();
    let to = tmp.path().join("dl");
    let (trust, b) = (&p.trust, &p.b);
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                common::drop_file_permission_overrides();
                get(&host, &to, trust, &fast()).unwrap();
                let previous = download::active_dir(&to).unwrap();
                std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o555)).unwrap();
                host.serve(b);
                let e = get(&host, &to, trust, &fast()).unwrap_err();
                assert!(matches!(e, DownloadError::Io { .. }), "{e:?}");
                let text = e.to_string();
                assert!(text.contains("Permission denied"), "{text}");
                assert!(text.contains(&to.display().to_string()), "{text}");
                assert_eq!(download::active_dir(&to).unwrap(), previous);
                let offline = OfflinePublication::open_dir(&to, trust).unwrap();
                assert_eq!(lefevre_breaches(&offline), vec![LAB]);
                // A first download under a read-only place fails as clearly.
                let ro = tmp.path().join("ro");
                std::fs::create_dir(&ro).unwrap();
                std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
                let e = get(&host, &ro.join("new"), trust, &fast()).unwrap_err();
                assert!(e.to_string().contains("Permission denied"), "{e}");
                for d in [&to, &ro] {
                    std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
                }
            })
            .join()
            .unwrap();
    });
    // Wherever we run: a file where the data directory should be.
    let file = tmp.path().join("not-a-dir");
    std::fs::write(&file, b"").unwrap();
    let e = get(&host, &file, &p.trust, &fast()).unwrap_err();
    assert!(matches!(e, DownloadError::Io { .. }), "{e:?}");
    assert!(e.to_string().contains("not-a-dir"), "{e}");
}

// ---------------------------------------------------------------------------
// Malformed requests against `serve`
// ---------------------------------------------------------------------------

struct Running {
    addr: SocketAddr,
    _stop: tokio::sync::oneshot::Sender<()>,
}

fn serve(dir: &Path) -> Running {
    let config = ServeConfig {
        header_read_timeout: Duration::from_millis(800),
        log: Some(Arc::new(|_: &str| {})),
        ..ServeConfig::default()
    };
    let server = Server::bind_with(dir, "127.0.0.1:0".parse().unwrap(), config).unwrap();
    let addr = server.local_addr();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(server.run(async {
            let _ = rx.await;
        }))
        .unwrap();
    });
    Running { addr, _stop: tx }
}

/// Send raw bytes, return the status code of the answer (`None`: the
/// server closed the connection without answering). Panics on a hang.
fn raw(addr: SocketAddr, request: &[u8]) -> Option<u16> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    // The server may answer (and close) before reading everything.
    let _ = s.write_all(request);
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                got.extend_from_slice(&buf[..n]);
                if got.windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("no answer to {:?}: {e}", String::from_utf8_lossy(request)),
        }
    }
    let text = String::from_utf8_lossy(&got);
    let status = text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()?;
    Some(status)
}

fn get_req(target: &[u8]) -> Vec<u8> {
    [
        b"GET ",
        target,
        b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ]
    .concat()
}

#[test]
fn malformed_requests_are_answered_4xx() {
    let p = publisher();
    let srv = serve(&p.a);
    // Sanity: good requests work.
    assert_eq!(raw(srv.addr, &get_req(b"/v1/manifest.json")), Some(200));
    assert_eq!(raw(srv.addr, &get_req(b"/v1/range/D8")), Some(200));

    let mut corpus: Vec<Vec<u8>> = Vec::new();
    // Bad prefixes.
    for t in [
        "/v1/range/",
        "/v1/range/D",
        "/v1/range/D8F",
        "/v1/range/G8",
        "/v1/range/+8",
        "/v1/range/-1",
        "/v1/range/%44%38",
        "/v1/range/D8/",
        "/v1/range/D8/x",
        "/v1/range/0xD8",
        "/v1/range/%00%00",
        "/v1/range/ D8",
        "/v1/range/%D8",
        "/v1/range/D8%0A",
    ] {
        corpus.push(get_req(t.as_bytes()));
    }
    // Traversal and odd paths.
    for t in [
        "/v1/sets/../manifest.json",
        "/v1/../../../../etc/passwd",
        "/../etc/passwd",
        "/v1/sets/%2e%2e/manifest.json",
        "/v1/sets/..%2fmanifest.json",
        "/v1/sets/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/v1/sets/.hidden.fcset",
        "/v1/sets/",
        "/v1/sets",
        "/v1/sets//etc/passwd",
        "//etc/passwd",
        "/v1/sets/demo-laboratoire-fictif.fcset/..",
        "/v1/sets/..\\..\\x",
        "/v1/manifest.json/..",
        "/v1",
        "/",
        "/v2/manifest.json",
        "/v1/range",
        "/etc/passwd",
        "/v1/sets/nope.fcset",
        "/v1/./manifest.json",
        "/v1/sets/demo-laboratoire-fictif.fcset%00.txt",
        "*",
        "http://evil.example/v1/sets/../manifest.json",
    ] {
        corpus.push(get_req(t.as_bytes()));
    }
    // Invalid UTF-8, control characters, raw bytes in the target.
    for t in [
        &b"/v1/range/\xff\xfe"[..],
        b"/v1/sets/\xc3\x28.fcset",
        b"/v1/range/%ff%fe",
        b"/v1/sets/%c3%28.fcset",
        b"/v1/\x00manifest.json",
        b"/v1/range/\x7fD8",
    ] {
        corpus.push(get_req(t));
    }
    // Methods.
    for m in [
        "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT", "BREW",
    ] {
        corpus.push(format!("{m} /v1/manifest.json HTTP/1.1\r\nHost: x\r\n\r\n").into_bytes());
    }
    // Huge request line, huge header, too many headers.
    corpus.push(get_req(
        format!("/v1/range/{}", "A".repeat(20_000)).as_bytes(),
    ));
    corpus.push(
        format!(
            "GET /v1/manifest.json HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
            "a".repeat(64 * 1024)
        )
        .into_bytes(),
    );
    corpus.push(
        format!(
            "GET /v1/manifest.json HTTP/1.1\r\nHost: x\r\n{}\r\n",
            (0..200)
                .map(|i| format!("X-H{i}: v\r\n"))
                .collect::<String>()
        )
        .into_bytes(),
    );
    // Not HTTP at all.
    for r in [
        &b"\x00\x01\x02\x03\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"GET /v1/manifest.json\r\n\r\n",
        b"GET /v1/manifest.json HTTP/9.9\r\n\r\n",
        b"GET  /v1/manifest.json  HTTP/1.1\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
        b"GET /v1/manifest.json HTTP/1.1\r\nHost x\r\n\r\n",
        b"GET /v1/manifest.json HTTP/1.1\r\nHo\xffst: x\r\n\r\n",
        b"GET /v1/manifest.json HTTP/1.1\nHost: x\n\x00\n\n",
    ] {
        corpus.push(r.to_vec());
    }
    // Unsatisfiable range on a set file.
    corpus.push(
        b"GET /v1/sets/demo-laboratoire-fictif.fcset HTTP/1.1\r\nHost: x\r\n\
          Range: bytes=99999999-\r\nConnection: close\r\n\r\n"
            .to_vec(),
    );

    let mut closed = Vec::new();
    for r in &corpus {
        match raw(srv.addr, r) {
            Some(s) => assert!(
                (400..500).contains(&s),
                "{:?} answered {s}",
                String::from_utf8_lossy(r)
            ),
            None => closed.push(String::from_utf8_lossy(r).into_owned()),
        }
    }
    // hyper answers every parse error with a 4xx before closing; a silent
    // close would be acceptable but is not what we see.
    assert!(closed.is_empty(), "closed without an answer: {closed:?}");

    // A client that never finishes its request head is cut off after the
    // header timeout, not kept forever (slowloris).
    // (`raw` waits 5 s for an answer or the close, and panics without
    // one: the server's header timeout is what ends this.)
    let r = raw(srv.addr, b"GET /v1/manifest.json HTTP/1.1\r\nHost: x\r\n");
    assert!(r.is_none_or(|s| (400..500).contains(&s)), "{r:?}");
    // And the server still serves.
    assert_eq!(raw(srv.addr, &get_req(b"/v1/manifest.json")), Some(200));
}
