//! Performance at national scale (issue 8): a bench binary, figures as
//! medians and ratios within one run (the machines are noisy).
//!
//! ```text
//! cargo bench --bench scale -- sets  [--entries 1000000,10000000,33000000] [--dir D]
//! cargo bench --bench scale -- check
//! cargo bench --bench scale -- ingest [--rows 200000]
//! cargo bench --bench scale -- synth --entries 33000000 --dir D
//! cargo bench --bench scale -- update --dir D
//! ```
//!
//! - `sets`: synthetic publications (`synth`: random 64-bit lookups, as
//!   SHA-256 outputs are, with realistic masks; no KDF — the format does
//!   not care where fingerprints come from), built through the publisher's
//!   own path (external sort with the default budget, full copy + compact
//!   set). Prints bytes per entry, build time and peak memory, then lookup
//!   latency: warm (mapped, cached) and cold (page cache evicted with
//!   `posix_fadvise(DONTNEED)`, then open + map + one lookup), for the
//!   compact v2 set and the fixed-size v1 full copy side by side.
//! - `check`: one Argon2id evaluation at the default cost (64 MiB, t = 3,
//!   p = 1) against a whole two-variant check of the embedded demo
//!   publication (same cost): the ratio is the figure.
//! - `ingest`: the publisher's overheads (CSV parsing, canonicalization,
//!   sorting, writing) per fingerprint, against the default-cost Argon2.
//! - `synth`: writes a synthetic publication of N entries (the `synth`
//!   mode: random lookups, no KDF), signed with the demo key, through
//!   `publish::put_breach_sorted`, to measure the app, the CLI, the server
//!   and updates with it.
//! - `update --dir D`: serves a `synth` publication on loopback, downloads it
//!   as the app does, adds a breach, downloads again: bytes transferred.
// A benchmark reports failure by panicking: unwrap/expect are its asserts
// (the workspace denies them in library and app code only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use fuitecheck_core::bucket::NirBucket;
use fuitecheck_core::catalogue::Catalogue;
use fuitecheck_core::category::CategoryMask;
use fuitecheck_core::check::{self, Identity};
use fuitecheck_core::fingerprint::{KdfParams, Lookup};
use fuitecheck_core::nir::Nir;
use fuitecheck_core::publication::OfflinePublication;
use fuitecheck_core::setfile::{self, SetFile};
use fuitecheck_core::surname::Surname;
use fuitecheck_publish::runs::{DEFAULT_BUDGET, RunSorter, Sorted};

/// SplitMix64: deterministic, uniform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 * p) as usize).min(v.len() - 1)]
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .map_or(0.0, |k| k / 1024.0)
}

fn lab_breach() -> fuitecheck_core::catalogue::Breach {
    Catalogue::from_json(fuitecheck_core::demo::DEMO_BREACHES)
        .unwrap()
        .get(fuitecheck_core::demo::LAB)
        .unwrap()
        .clone()
}

/// Realistic masks: the categories every record of the breach exposes,
/// plus a random subset of three per-record ones (8 distinct masks).
fn mask_pool() -> Vec<CategoryMask> {
    let b = lab_breach();
    let cats = b.mask().categories();
    let (always, optional) = cats.split_at(cats.len().saturating_sub(3));
    let base: CategoryMask = always.iter().copied().collect();
    (0..8u32)
        .map(|bits| {
            let mut m = base;
            for (i, c) in optional.iter().enumerate() {
                if bits >> i & 1 == 1 {
                    m.insert(*c);
                }
            }
            m
        })
        .collect()
}

/// The full copy of sorted pairs, as `add` writes it.
fn full_copy(sorted: &Sorted, code: u16) -> fuitecheck_publish::full::FullCopy {
    let mut seen = std::collections::BTreeSet::new();
    let mut counts = [0u64; fuitecheck_publish::full::BUCKETS];
    for p in sorted.pairs().unwrap() {
        let (b, _, m) = p.unwrap();
        counts[usize::from(b.byte())] += 1;
        seen.insert(m);
    }
    let masks = setfile::mask_table(seen).unwrap();
    let mut bytes = Vec::new();
    fuitecheck_publish::full::write(&mut bytes, code, &masks, &counts, sorted.pairs().unwrap())
        .unwrap();
    fuitecheck_publish::full::FullCopy::from_vec(bytes).unwrap()
}

/// The mask table and number of distinct lookups of a full copy.
fn lookup_masks(copy: &fuitecheck_publish::full::FullCopy) -> (Vec<CategoryMask>, u64) {
    let mut seen = std::collections::BTreeSet::new();
    let mut count = 0u64;
    for (_, m) in copy.by_lookup() {
        seen.insert(m);
        count += 1;
    }
    (setfile::mask_table(seen).unwrap(), count)
}

/// Synthetic pairs through the publisher's external sort.
fn synth(n: u64, seed: u64, dir: &Path) -> Sorted {
    let pool = mask_pool();
    let mut rng = Rng(seed);
    let mut sorter = RunSorter::new(dir, DEFAULT_BUDGET).unwrap();
    let mut chunk = Vec::with_capacity(1 << 16);
    for _ in 0..n {
        let l = rng.next();
        // Skewed: most records expose few optional categories.
        let r = rng.next() % 100;
        let m = pool[if r < 50 { 0 } else { (r % 8) as usize }];
        // The NIR bucket: uniform, as SHA-256 of real NIRs gives.
        let b = NirBucket::from_byte((rng.next() >> 56) as u8);
        chunk.push((b, Lookup(l), m));
        if chunk.len() == chunk.capacity() {
            sorter.extend(chunk.drain(..)).unwrap();
        }
    }
    sorter.extend(chunk).unwrap();
    sorter.finish().unwrap()
}

struct Built {
    compact: PathBuf,
    full: PathBuf,
}

fn build_sets(n: u64, dir: &Path) -> Built {
    std::fs::create_dir_all(dir).unwrap();
    let started = Instant::now();
    let sorted = synth(n, n, dir);
    let t_sort = started.elapsed();
    let code = 901;
    let compact_path = dir.join(format!("synth-{n}.fcset"));
    let full_path = dir.join(format!("synth-{n}.v1.fcset"));
    // As `add` builds them: the full copy (by bucket), then the published
    // set from its lookups; plus a version-1 (9-byte) set of the same
    // lookups, for the lookup benchmark.
    let copy = full_copy(&sorted, code);
    let (masks, count) = lookup_masks(&copy);
    let (bytes, stats, bits) = fuitecheck_publish::publish::compact_set(&copy, None).unwrap();
    let mut out = std::io::BufWriter::new(std::fs::File::create(&full_path).unwrap());
    let full = setfile::write_full_sorted(&mut out, code, &masks, count, copy.by_lookup().map(Ok))
        .unwrap();
    drop(out);
    drop(copy);
    std::fs::write(&compact_path, &bytes).unwrap();
    let t_all = started.elapsed();
    drop(bytes);
    drop(sorted);
    println!(
        "| {n} | {bits} | {} | {:.3} | {:.1} | {:.3} | {:.1} | {:.1} / {:.1} s | {:.0} MiB |",
        masks.len(),
        stats.bytes as f64 / n as f64,
        stats.bytes as f64 / 1e6,
        full.bytes as f64 / n as f64,
        full.bytes as f64 / 1e6,
        t_sort.as_secs_f64(),
        t_all.as_secs_f64(),
        peak_rss_mib(),
    );
    Built {
        compact: compact_path,
        full: full_path,
    }
}

fn evict(path: &Path) {
    use std::os::fd::AsRawFd as _;
    let f = std::fs::File::open(path).unwrap();
    f.sync_all().ok();
    // SAFETY: plain syscall on a file descriptor we own.
    let rc = unsafe { libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
    assert_eq!(rc, 0, "posix_fadvise");
}

/// Resident pages of `path` in the page cache (mincore), in percent.
fn cached_percent(path: &Path) -> f64 {
    let f = std::fs::File::open(path).unwrap();
    let len = f.metadata().unwrap().len() as usize;
    // SAFETY: read-only private map, unmapped below.
    let map = unsafe { memmap2::Mmap::map(&f).unwrap() };
    let page = 4096usize;
    let pages = len.div_ceil(page);
    let mut vec = vec![0u8; pages];
    // SAFETY: `vec` has one byte per page of the mapping.
    let rc = unsafe { libc::mincore(map.as_ptr() as *mut libc::c_void, len, vec.as_mut_ptr()) };
    assert_eq!(rc, 0);
    vec.iter().filter(|&&b| b & 1 == 1).count() as f64 * 100.0 / pages as f64
}

fn lookups(label: &str, path: &Path, n: u64) {
    let mut rng = Rng(0xC0FFEE ^ n);
    // Probes: half present (read back from the file), half random.
    let set = SetFile::open(path).unwrap();
    let present: Vec<Lookup> = {
        let mut v = Vec::new();
        let step = (set.len() / 500).max(1);
        for (i, (l, _)) in set.iter_entries().enumerate() {
            if (i as u64).is_multiple_of(step as u64) {
                v.push(l);
            }
        }
        v
    };
    let probe = |rng: &mut Rng, i: usize| {
        if i.is_multiple_of(2) {
            present[(rng.next() as usize) % present.len()]
        } else {
            Lookup(rng.next())
        }
    };
    // Warm: the file mapped and in the page cache.
    for i in 0..20_000 {
        black_box(set.lookup(probe(&mut rng, i)));
    }
    let mut warm = Vec::with_capacity(50_000);
    let mut hits = 0usize;
    for i in 0..50_000 {
        let p = probe(&mut rng, i);
        let t = Instant::now();
        let r = black_box(set.lookup(p));
        warm.push(t.elapsed().as_secs_f64() * 1e6);
        hits += usize::from(!r.is_empty());
    }
    drop(set);
    // Cold: evict the file from the page cache, then open + map + lookup.
    let mut cold = Vec::new();
    let mut cold_cached = Vec::new();
    for i in 0..100 {
        evict(path);
        if i == 0 {
            cold_cached.push(cached_percent(path));
            evict(path);
        }
        let p = probe(&mut rng, i);
        let t = Instant::now();
        let set = SetFile::open(path).unwrap();
        let r = black_box(set.lookup(p));
        cold.push(t.elapsed().as_secs_f64() * 1e3);
        black_box(r);
    }
    // Fresh map of a cached file.
    let mut fresh = Vec::new();
    for i in 0..200 {
        let p = probe(&mut rng, i);
        let t = Instant::now();
        let set = SetFile::open(path).unwrap();
        black_box(set.lookup(p));
        fresh.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "| {n} | {label} | {:.2} µs | {:.2} µs | {:.3} ms | {:.3} ms | {:.3} ms | {hits} | {:.0} % |",
        median(&mut warm),
        pct(&mut warm, 0.99),
        median(&mut cold),
        pct(&mut cold, 0.99),
        median(&mut fresh),
        cold_cached.first().copied().unwrap_or(0.0),
    );
}

fn cmd_sets() {
    let entries: Vec<u64> = arg("--entries")
        .unwrap_or_else(|| "1000000,10000000,33000000".to_owned())
        .split(',')
        .map(|s| s.trim().parse().expect("--entries: numbers"))
        .collect();
    let dir = PathBuf::from(arg("--dir").unwrap_or_else(|| "target/bench-data".to_owned()));
    println!("## Set size (synthetic; default external-sort budget {DEFAULT_BUDGET} pairs)\n");
    println!(
        "| entries | bits | masks | v2 bytes/entry | v2 MB | v1 full bytes/entry | v1 full MB | sort / total build | peak RSS so far |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let built: Vec<(u64, Built)> = entries.iter().map(|&n| (n, build_sets(n, &dir))).collect();
    println!("\n## Lookup latency (after the KDF)\n");
    println!(
        "| entries | file | warm median | warm p99 | cold median (evicted) | cold p99 | fresh map (cached) | hits / 50 000 | cached after evict |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (n, b) in &built {
        lookups("v2 compact", &b.compact, *n);
        lookups("v1 full (9 B)", &b.full, *n);
    }
}

fn cmd_check() {
    let demo = OfflinePublication::embedded_demo().unwrap();
    let kdf = demo.manifest().kdf.clone();
    println!(
        "KDF: Argon2id m = {} KiB, t = {}, p = {}; {} cores",
        kdf.memory_kib,
        kdf.iterations,
        kdf.parallelism,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let id = &fuitecheck_core::demo::IDENTITIES[3];
    let identity = Identity {
        nir: id.nir(),
        birth_name: Surname::parse(id.birth_name).unwrap(),
        usage_name: id.usage_name.map(|u| Surname::parse(u).unwrap()),
    };
    assert_eq!(identity.variants().len(), 2);
    let cancel = AtomicBool::new(false);
    let mut one = Vec::new();
    let mut whole = Vec::new();
    // Interleaved, so that machine noise hits both alike.
    for _ in 0..7 {
        let t = Instant::now();
        black_box(kdf.derive(&identity.nir, &identity.birth_name).unwrap());
        one.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let r = check::check(&identity, &demo, &|_| {}, &cancel).unwrap();
        whole.push(t.elapsed().as_secs_f64());
        assert!(!r.matches.is_empty());
    }
    let (a, b) = (median(&mut one), median(&mut whole));
    println!("| one Argon2id | whole 2-variant check | ratio |");
    println!("|---|---|---|");
    println!("| {:.3} s | {:.3} s | {:.3} |", a, b, b / a);
    // Publisher cost arithmetic: one fingerprint at 64 MiB and 256 MiB.
    for m in [65_536u32, 262_144] {
        let k = KdfParams {
            memory_kib: m,
            ..kdf.clone()
        };
        let mut v: Vec<f64> = (0..5)
            .map(|_| {
                let t = Instant::now();
                black_box(k.derive(&identity.nir, &identity.birth_name).unwrap());
                t.elapsed().as_secs_f64()
            })
            .collect();
        println!(
            "Argon2id m = {} MiB, t = 3, p = 1: {:.3} s per fingerprint (median of 5, one core)",
            m / 1024,
            median(&mut v)
        );
    }
}

fn cmd_ingest() {
    let rows: u64 = arg("--rows").map_or(200_000, |s| s.parse().expect("--rows"));
    let tmp = tempfile::tempdir().unwrap();
    // A CSV of fictional people (valid NIR keys), one in five with a usage name.
    let mut csv = String::from("NUM_SECU;NOM;NOM_USAGE;TEL;COMMENTAIRE\n");
    let names = [
        "Martin",
        "Bernard",
        "Lefèvre",
        "N'Guyen",
        "Dubois-Garnier",
        "Le Goff",
    ];
    let mut rng = Rng(42);
    for i in 0..rows {
        let body = format!(
            "{}{:02}{:02}{:02}{:03}{:03}",
            1 + rng.next() % 2,
            rng.next() % 100,
            1 + rng.next() % 12,
            1 + rng.next() % 95,
            1 + rng.next() % 999,
            1 + rng.next() % 999
        );
        let n: u64 = body.parse().unwrap();
        let key = 97 - n % 97;
        let usage = if i.is_multiple_of(5) {
            names[(i % 6) as usize]
        } else {
            ""
        };
        csv.push_str(&format!(
            "{body}{key:02};{};{usage};{};\n",
            names[(rng.next() % 6) as usize],
            if i.is_multiple_of(3) {
                "0600000000"
            } else {
                ""
            }
        ));
    }
    let mapping = fuitecheck_publish::ingest::Mapping::from_toml(
        "delimiter = \";\"\n[columns]\nnir = \"NUM_SECU\"\nbirth_name = \"NOM\"\nusage_name = \"NOM_USAGE\"\n[categories]\nphone = [\"TEL\"]\nmedical_notes = [\"COMMENTAIRE\"]\n[always]\ncategories = [\"identity\", \"nir\"]\n",
    )
    .unwrap();
    let breach = lab_breach();
    let cheap = KdfParams {
        memory_kib: 8,
        iterations: 1,
        parallelism: 1,
        salt: vec![7; 16],
    };
    // Whole pipeline with the cheapest Argon2id.
    let t = Instant::now();
    let mut sorter = RunSorter::new(tmp.path(), DEFAULT_BUDGET).unwrap();
    let report = fuitecheck_publish::ingest::ingest_with(
        csv.as_bytes(),
        &mapping,
        &breach,
        &cheap,
        fuitecheck_publish::ingest::Shard::WHOLE,
        &|_| {},
        &mut |p| {
            sorter.extend(p).unwrap();
            Ok(())
        },
    )
    .unwrap();
    let sorted = sorter.finish().unwrap();
    let copy = full_copy(&sorted, 901);
    black_box(fuitecheck_publish::publish::compact_set(&copy, None).unwrap());
    let pipeline = t.elapsed();
    let fps = report.fingerprints;
    // The same fingerprints' KDF alone (same cheap cost, same cores).
    let nir = Nir::parse("291075626001203").unwrap();
    let name = Surname::parse("Le Goff").unwrap();
    let t = Instant::now();
    {
        use rayon::prelude::*;
        (0..fps).into_par_iter().for_each(|_| {
            black_box(cheap.lookup(&nir, &name).unwrap());
        });
    }
    let kdf_cheap = t.elapsed();
    let overhead = pipeline.saturating_sub(kdf_cheap);
    // Default-cost Argon2id, per fingerprint on all cores.
    let default = fuitecheck_core::demo::kdf();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let mut one = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        black_box(default.lookup(&nir, &name).unwrap());
        one.push(t.elapsed().as_secs_f64());
    }
    let argon = median(&mut one);
    let per_fp_overhead = overhead.as_secs_f64() / fps as f64;
    println!(
        "rows {rows}, fingerprints {fps}; pipeline with m=8 KiB Argon2: {:.2} s; that KDF alone: {:.2} s",
        pipeline.as_secs_f64(),
        kdf_cheap.as_secs_f64()
    );
    println!(
        "| overhead per fingerprint | default Argon2 per fingerprint (÷ {cores} cores) | overhead share | peak RSS |"
    );
    println!("|---|---|---|---|");
    println!(
        "| {:.2} µs | {:.1} ms | {:.4} % | {:.0} MiB |",
        per_fp_overhead * 1e6,
        argon / cores * 1e3,
        per_fp_overhead / (argon / cores) * 100.0,
        peak_rss_mib()
    );
}

fn cmd_synth() {
    let n: u64 = arg("--entries").map_or(33_000_000, |s| s.parse().expect("--entries"));
    let dir = PathBuf::from(arg("--dir").expect("--dir"));
    std::fs::create_dir_all(&dir).unwrap();
    let signer = fuitecheck_publish::demo::signing_key().unwrap();
    fuitecheck_publish::publish::init(
        &dir,
        &fuitecheck_publish::publish::InitOptions {
            publisher: "Publication synthétique (banc d'essai)".to_owned(),
            demo: true,
            kdf: fuitecheck_core::demo::kdf(),
            prefix_hex_chars: 2,
            generated_at: "2026-11-23T00:00:00Z".to_owned(),
            expires: None,
        },
    )
    .unwrap();
    let sorted = synth(n, 1, &dir);
    let t = Instant::now();
    let put = fuitecheck_publish::publish::put_breach_sorted(
        &dir,
        &lab_breach(),
        &sorted,
        None,
        &signer,
        "2026-11-23T00:00:00Z",
    )
    .unwrap();
    println!(
        "{} entries, {} bits, {} bytes ({:.3} B/entry), pad_lines {}, {:.1} s, peak RSS {:.0} MiB",
        put.entries,
        put.fingerprint_bits,
        put.bytes,
        put.bytes as f64 / put.entries as f64,
        put.pad_lines,
        t.elapsed().as_secs_f64(),
        peak_rss_mib()
    );
}

/// Bytes a client transfers: first download of the publication in
/// `--dir` (from `synth`), then again after the publisher adds a
/// small breach.
fn cmd_update() {
    let dir = PathBuf::from(arg("--dir").expect("--dir (a publication from `synth`)"));
    let client = tempfile::tempdir_in(dir.parent().unwrap_or(Path::new("."))).unwrap();
    let trust = fuitecheck_core::signature::TrustStore::shipped();
    let cancel = AtomicBool::new(false);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let quiet = fuitecheck_publish::serve::ServeConfig {
        log: Some(std::sync::Arc::new(|_: &str| {})),
        ..Default::default()
    };
    let server =
        fuitecheck_publish::serve::Server::bind_with(&dir, "127.0.0.1:0".parse().unwrap(), quiet)
            .unwrap();
    let addr = server.local_addr();
    let reloader = server.reloader();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = rt.spawn(server.run(async {
        let _ = rx.await;
    }));
    let url = format!("http://{addr}/");
    let t = Instant::now();
    let first = fuitecheck_client::download::download(
        &url,
        client.path(),
        &trust,
        &fuitecheck_core::freshness::SequenceStore::new(),
        &|_| {},
        &cancel,
    )
    .unwrap();
    let t_first = t.elapsed();
    // The publisher adds a breach of 10 000 people.
    let tp = Catalogue::from_json(fuitecheck_core::demo::DEMO_BREACHES)
        .unwrap()
        .get(fuitecheck_core::demo::TIERS_PAYANT)
        .unwrap()
        .clone();
    let mut rng = Rng(99);
    let m = tp.mask();
    let pairs: Vec<_> = (0..10_000)
        .map(|_| {
            let l = rng.next();
            (NirBucket::from_byte((l >> 56) as u8 ^ 0x5a), Lookup(l), m)
        })
        .collect();
    let signer = fuitecheck_publish::demo::signing_key().unwrap();
    fuitecheck_publish::publish::put_breach_sorted(
        &dir,
        &tp,
        &Sorted::from_memory(pairs),
        None,
        &signer,
        "2026-11-23T01:00:00Z",
    )
    .unwrap();
    reloader.reload().unwrap();
    let t = Instant::now();
    let second = fuitecheck_client::download::download(
        &url,
        client.path(),
        &trust,
        &fuitecheck_core::freshness::SequenceStore::new(),
        &|_| {},
        &cancel,
    )
    .unwrap();
    let t_second = t.elapsed();
    let _ = tx.send(());
    let _ = rt.block_on(handle);
    println!("| download | files fetched | files reused | bytes transferred | time (loopback) |");
    println!("|---|---|---|---|---|");
    println!(
        "| first | {} | {} | {} | {:.2} s |",
        first.downloaded.len(),
        first.reused.len(),
        first.bytes_transferred,
        t_first.as_secs_f64()
    );
    println!(
        "| after adding a 10 000-person breach | {} ({}) | {} | {} | {:.2} s |",
        second.downloaded.len(),
        second.downloaded.join(", "),
        second.reused.len(),
        second.bytes_transferred,
        t_second.as_secs_f64()
    );
}

fn main() {
    // `cargo bench` passes --bench; ignore it.
    let commands = ["sets", "check", "ingest", "synth", "update"];
    let cmd = std::env::args()
        .skip(1)
        .find(|a| commands.contains(&a.as_str()))
        .unwrap_or_default();
    match cmd.as_str() {
        "sets" => cmd_sets(),
        "check" => cmd_check(),
        "ingest" => cmd_ingest(),
        "synth" => cmd_synth(),
        "update" => cmd_update(),
        _ => {
            eprintln!(
                "usage: cargo bench --bench scale -- sets|check|ingest|synth|update [options]"
            );
            std::process::exit(2);
        }
    }
}
