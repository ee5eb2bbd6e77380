//! A bounded load test of the publication server (`fuitecheck-publish
//! serve`, i.e. `serve::Server`) on loopback (issue 7).
//!
//! ```text
//! cargo run --release --example load -- [--duration 30] [--connections 64]
//!     [--slow 16] [--records 20000] [--dir PUBLICATION]
//! ```
//!
//! It builds a demonstration publication of `--records` fictional people
//! (cheap KDF; or serves `--dir`), starts the server in a child process of
//! its own (this same binary, so that the server's memory is measured
//! alone), then for `--duration` seconds:
//!
//! - `--connections` keep-alive clients send requests back to back: 90 %
//!   range responses of random prefixes, 5 % the manifest, 5 % a set file
//!   (half of them as a `Range` request);
//! - `--slow` clients trickle their request one byte every 150 ms, then
//!   read the answer 512 bytes every 50 ms, over and over.
//!
//! With `--against IP:PORT --dir PUBLICATION [--pid PID]` it drives a
//! server already running instead (nginx serving the `export-static` tree
//! of that publication, for the side-by-side comparison in
//! BENCHMARKS.md), with exactly the same requests.
//!
//! It prints requests per second, latency percentiles, errors (any status
//! other than 200/206, any connection failure) and the server's peak
//! resident memory (`VmHWM` from `/proc/<pid>/status`). The exit status
//! is 1 when there were errors.
// A example reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead as _, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpStream;

type Conn = BufReader<TcpStream>;

struct Args {
    duration: u64,
    connections: usize,
    slow: usize,
    records: u32,
    dir: Option<PathBuf>,
    /// Drive a server already running there (e.g. nginx serving the
    /// `export-static` tree of `--dir`) instead of starting `serve`.
    against: Option<SocketAddr>,
    /// That server's process, for its memory figures.
    pid: Option<u32>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        duration: 30,
        connections: 64,
        slow: 16,
        records: 20_000,
        dir: None,
        against: None,
        pid: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut v = || it.next().ok_or_else(|| format!("{k} needs a value"));
        match k.as_str() {
            "--duration" => a.duration = v()?.parse().map_err(|e| format!("{k}: {e}"))?,
            "--connections" => a.connections = v()?.parse().map_err(|e| format!("{k}: {e}"))?,
            "--slow" => a.slow = v()?.parse().map_err(|e| format!("{k}: {e}"))?,
            "--records" => a.records = v()?.parse().map_err(|e| format!("{k}: {e}"))?,
            "--dir" => a.dir = Some(PathBuf::from(v()?)),
            "--against" => a.against = Some(v()?.parse().map_err(|e| format!("{k}: {e}"))?),
            "--pid" => a.pid = Some(v()?.parse().map_err(|e| format!("{k}: {e}"))?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.against.is_some() && a.dir.is_none() {
        return Err("--against needs --dir (the publication that server serves)".to_owned());
    }
    if a.duration == 0 || a.duration > 600 {
        return Err("--duration must be 1 to 600 seconds".to_owned());
    }
    Ok(a)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // Child mode: serve a publication and print the address.
    if args.get(1).map(String::as_str) == Some("--serve-child") {
        serve_child(Path::new(&args[2]));
        return;
    }
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(2);
        }
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => {
            let d = tmp.path().join("pub");
            let started = Instant::now();
            build_publication(&d, args.records);
            eprintln!(
                "built a publication of {} fictional people in {:.1} s",
                args.records,
                started.elapsed().as_secs_f64()
            );
            d
        }
    };
    let manifest = fuitecheck_publish::publish::load_manifest(&dir).expect("manifest");
    let sets: Vec<(String, u64)> = manifest
        .breaches
        .iter()
        .filter_map(|b| b.set.as_ref().map(|s| (s.path.clone(), s.bytes)))
        .collect();
    let p = manifest.range.prefix_hex_chars;

    let (mut child, pid, addr) = match args.against {
        Some(addr) => (None, args.pid.unwrap_or(0), addr),
        None => {
            let mut child = std::process::Command::new(std::env::current_exe().expect("exe"))
                .arg("--serve-child")
                .arg(&dir)
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("start the server");
            let pid = child.id();
            let mut line = String::new();
            std::io::BufReader::new(child.stdout.take().expect("stdout"))
                .read_line(&mut line)
                .expect("server address");
            let addr: SocketAddr = line.trim().parse().expect("server address");
            (Some(child), pid, addr)
        }
    };
    eprintln!(
        "server pid {pid} on {addr}: P = {p}, {} lines per range response, {} set file(s); \
         {} keep-alive + {} slow clients for {} s",
        manifest.range.pad_lines,
        sets.len(),
        args.connections,
        args.slow,
        args.duration
    );
    let rss_before = vm(pid, "VmRSS:");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let report = rt.block_on(run(addr, &args, p, Arc::new(sets)));
    let hwm = vm(pid, "VmHWM:");
    let rss_after = vm(pid, "VmRSS:");
    if let Some(child) = &mut child {
        drop(child.stdin.take());
        let _ = child.kill();
        let _ = child.wait();
    }

    let mut lat = report.latencies;
    lat.sort_unstable();
    let pct = |q: f64| -> f64 {
        if lat.is_empty() {
            return 0.0;
        }
        let i = ((lat.len() as f64 * q).ceil() as usize).clamp(1, lat.len()) - 1;
        f64::from(lat[i]) / 1000.0
    };
    let secs = report.elapsed.as_secs_f64();
    println!("duration          {secs:.1} s");
    println!("requests          {}", lat.len());
    println!("requests/s        {:.0}", lat.len() as f64 / secs);
    println!(
        "latency ms        p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(1.0)
    );
    println!(
        "received          {:.1} MiB",
        report.bytes as f64 / 1048576.0
    );
    println!(
        "slow clients      {} requests completed",
        report.slow_completed
    );
    println!("errors            {}", report.errors);
    for e in report.error_samples.iter().take(5) {
        println!("  e.g. {e}");
    }
    println!(
        "server memory     VmHWM {} KiB (peak RSS), VmRSS {} KiB before, {} KiB after",
        hwm.unwrap_or(0),
        rss_before.unwrap_or(0),
        rss_after.unwrap_or(0)
    );
    if report.errors > 0 {
        std::process::exit(1);
    }
}

/// A `VmXXX:` line of `/proc/<pid>/status`, in KiB.
fn vm(pid: u32, key: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix(key))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn serve_child(dir: &Path) {
    let config = fuitecheck_publish::serve::ServeConfig {
        log: Some(Arc::new(|_: &str| {})),
        ..fuitecheck_publish::serve::ServeConfig::default()
    };
    let server =
        fuitecheck_publish::serve::Server::bind_with(dir, "127.0.0.1:0".parse().unwrap(), config)
            .expect("bind");
    println!("{}", server.local_addr());
    std::io::stdout().flush().expect("stdout");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(server.run(async {
        // Until the parent closes our stdin (or kills us).
        let _ = tokio::task::spawn_blocking(|| {
            let mut sink = String::new();
            let _ = std::io::stdin().read_line(&mut sink);
        })
        .await;
    }))
    .expect("serve");
}

fn build_publication(dir: &Path, records: u32) {
    use fuitecheck_core::category::{Category, CategoryMask};
    use fuitecheck_publish::publish::{self, InitOptions, Record};
    let kdf = fuitecheck_core::fingerprint::KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
        salt: hex::decode("00112233445566778899aabbccddeeff").unwrap(),
    };
    publish::init(
        dir,
        &InitOptions {
            publisher: "Load test (fictional people)".into(),
            demo: true,
            kdf: kdf.clone(),
            prefix_hex_chars: 2,
            generated_at: "2026-11-22T10:00:00Z".into(),
            expires: None,
        },
    )
    .expect("init");
    let cat =
        fuitecheck_core::catalogue::Catalogue::from_json(fuitecheck_core::demo::DEMO_BREACHES)
            .expect("catalogue");
    let mask: CategoryMask = [Category::Identity, Category::Nir].into_iter().collect();
    let signer = fuitecheck_publish::demo::signing_key().expect("demo key");
    for (k, id) in [
        fuitecheck_core::demo::LAB,
        fuitecheck_core::demo::TIERS_PAYANT,
    ]
    .into_iter()
    .enumerate()
    {
        let recs: Vec<Record> = (0..records / 2)
            .map(|i| {
                let body = format!(
                    "{}{:02}{:02}{:02}{:03}{:03}",
                    1 + i % 2,
                    i % 100,
                    1 + (i / 100) % 12,
                    10 + (i / 1200) % 80,
                    101 + k,
                    1 + (i / 96_000) % 999
                );
                let nir = fuitecheck_core::nir::Nir::parse_allow_body(&body).expect("nir");
                let name: String = format!("n{i}")
                    .bytes()
                    .map(|d| (d.to_ascii_uppercase() + 17) as char)
                    .collect();
                let name = fuitecheck_core::surname::Surname::parse(&name).expect("name");
                Record::new(nir, [name], mask)
            })
            .collect();
        let pairs = publish::fingerprint_records(&kdf, &recs, &|_| {}).expect("kdf");
        publish::put_breach(
            dir,
            cat.get(id).expect("breach"),
            pairs,
            &signer,
            "2026-11-22T10:00:00Z",
        )
        .expect("put");
    }
}

struct Report {
    elapsed: Duration,
    latencies: Vec<u32>,
    bytes: u64,
    errors: u64,
    error_samples: Vec<String>,
    slow_completed: u64,
}

async fn run(addr: SocketAddr, args: &Args, p: u8, sets: Arc<Vec<(String, u64)>>) -> Report {
    let stop = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(AtomicU64::new(0));
    let samples = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let slow_done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut fast = Vec::new();
    for n in 0..args.connections {
        let (stop, errors, samples, sets) =
            (stop.clone(), errors.clone(), samples.clone(), sets.clone());
        fast.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut bytes = 0u64;
            let mut rng = 0x9E37_79B9_7F4A_7C15u64 ^ (n as u64 + 1);
            let mut conn: Option<Conn> = None;
            while !stop.load(Ordering::Relaxed) {
                let (path, range) = pick(&mut rng, p, &sets);
                let t = Instant::now();
                let r = async {
                    if conn.is_none() {
                        conn = Some(BufReader::new(TcpStream::connect(addr).await?));
                    }
                    let s = conn.as_mut().expect("connected");
                    request(s, &path, range, false).await
                }
                .await;
                match r {
                    Ok((status, len)) if status == 200 || status == 206 => {
                        lat.push(t.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                        bytes += len;
                    }
                    Ok((status, _)) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        sample(&samples, format!("{path}: HTTP {status}"));
                    }
                    Err(e) => {
                        conn = None;
                        if !stop.load(Ordering::Relaxed) {
                            errors.fetch_add(1, Ordering::Relaxed);
                            sample(&samples, format!("{path}: {e}"));
                        }
                    }
                }
            }
            (lat, bytes)
        }));
    }
    let mut slow = Vec::new();
    for n in 0..args.slow {
        let (stop, errors, samples, done) = (
            stop.clone(),
            errors.clone(),
            samples.clone(),
            slow_done.clone(),
        );
        slow.push(tokio::spawn(async move {
            let mut rng = 0xD1B5_4A32_D192_ED03u64 ^ (n as u64 + 1);
            while !stop.load(Ordering::Relaxed) {
                let path = format!("/v1/range/{}", random_prefix(&mut rng, p));
                let r = async {
                    let mut s = BufReader::with_capacity(512, TcpStream::connect(addr).await?);
                    request(&mut s, &path, None, true).await
                }
                .await;
                match r {
                    Ok((200, _)) => {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok((status, _)) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        sample(&samples, format!("slow {path}: HTTP {status}"));
                    }
                    Err(_) if stop.load(Ordering::Relaxed) => {}
                    Err(e) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        sample(&samples, format!("slow {path}: {e}"));
                    }
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(args.duration)).await;
    stop.store(true, Ordering::Relaxed);
    let elapsed = started.elapsed();
    let mut latencies = Vec::new();
    let mut bytes = 0;
    for t in fast {
        let (l, b) = t.await.expect("client task");
        latencies.extend(l);
        bytes += b;
    }
    // Slow clients may be mid-trickle: give them no more than a moment.
    for t in slow {
        let _ = tokio::time::timeout(Duration::from_secs(2), t).await;
    }
    let error_samples = samples.lock().expect("samples").clone();
    Report {
        elapsed,
        latencies,
        bytes,
        errors: errors.load(Ordering::Relaxed),
        error_samples,
        slow_completed: slow_done.load(Ordering::Relaxed),
    }
}

fn sample(samples: &std::sync::Mutex<Vec<String>>, e: String) {
    let mut s = samples.lock().expect("samples");
    if s.len() < 20 {
        s.push(e);
    }
}

fn next(rng: &mut u64) -> u64 {
    // xorshift64*
    *rng ^= *rng >> 12;
    *rng ^= *rng << 25;
    *rng ^= *rng >> 27;
    rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

fn random_prefix(rng: &mut u64, p: u8) -> String {
    let v = next(rng) % (1u64 << (4 * u32::from(p)));
    format!("{v:0width$X}", width = usize::from(p))
}

/// The next request of a keep-alive client: (path, optional range start).
fn pick(rng: &mut u64, p: u8, sets: &[(String, u64)]) -> (String, Option<u64>) {
    let r = next(rng) % 100;
    if r < 90 || sets.is_empty() {
        (format!("/v1/range/{}", random_prefix(rng, p)), None)
    } else if r < 95 {
        ("/v1/manifest.json".to_owned(), None)
    } else {
        let (path, bytes) = &sets[(next(rng) % sets.len() as u64) as usize];
        let range = r.is_multiple_of(2).then(|| next(rng) % bytes.max(&1));
        (format!("/v1/{path}"), range)
    }
}

/// Send one GET and read its answer: (status, body bytes). Slow mode
/// trickles the request and reads the answer in small, late pieces.
async fn request(
    s: &mut Conn,
    path: &str,
    range: Option<u64>,
    slow: bool,
) -> std::io::Result<(u16, u64)> {
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: load\r\n");
    if let Some(from) = range {
        req.push_str(&format!("Range: bytes={from}-\r\n"));
    }
    req.push_str("\r\n");
    if slow {
        for b in req.as_bytes() {
            s.get_mut().write_all(&[*b]).await?;
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    } else {
        s.get_mut().write_all(req.as_bytes()).await?;
    }
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_owned());
    let mut status = None;
    let mut len = None;
    let mut line = Vec::with_capacity(128);
    loop {
        line.clear();
        if s.read_until(b'\n', &mut line).await? == 0 {
            return Err(bad("connection closed before the answer"));
        }
        let l = String::from_utf8_lossy(&line);
        let l = l.trim_end();
        if l.is_empty() {
            break;
        }
        if status.is_none() {
            status = l.get(9..12).and_then(|c| c.parse::<u16>().ok());
            if status.is_none() {
                return Err(bad("bad status line"));
            }
        } else if let Some((k, v)) = l.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse::<u64>().ok();
        }
    }
    let status = status.ok_or_else(|| bad("no status line"))?;
    let len = len.ok_or_else(|| bad("no Content-Length"))?;
    let mut left = len;
    let mut buf = vec![0u8; if slow { 512 } else { 64 * 1024 }];
    while left > 0 {
        let want = buf.len().min(left as usize);
        let n = s.read(&mut buf[..want]).await?;
        if n == 0 {
            return Err(bad("connection closed mid-body"));
        }
        left -= n as u64;
        if slow {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    Ok((status, len))
}
