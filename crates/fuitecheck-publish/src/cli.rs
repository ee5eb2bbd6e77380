//! `fuitecheck-publish`: the publisher's tool (SPEC §9).
//!
//! Only an organisation responsible for a breach (or a body acting for
//! it) may publish, from its own lawful records of the people affected —
//! never from a leaked copy. See `docs/publishing.md`.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use zeroize::Zeroizing;

use crate::publish::{self, InitOptions};
use crate::signing::{self, SigningKey};
use fuitecheck_core::fingerprint::{
    DEFAULT_ITERATIONS, DEFAULT_MEMORY_KIB, DEFAULT_PARALLELISM, KdfParams, MIN_SALT_BYTES,
};

/// Build and host a FuiteCheck publication: the signed list of fingerprints
/// of the people affected by a breach, made by the organisation responsible
/// from its own records (never from leaked data), so that each person can
/// check privately whether they are concerned.
#[derive(Debug, Parser)]
#[command(name = "fuitecheck-publish", version, after_long_help = LEGAL_NOTE)]
pub struct PublishCli {
    /// What to do.
    #[command(subcommand)]
    pub command: PublishCommand,
}

/// What every publisher must know before publishing (SPEC §1, §8; docs/publishing.md).
const LEGAL_NOTE: &str = "\
Before you publish:
  - A publication complements the communication you owe each affected
    person (GDPR art. 34(1)); it replaces it only where individual notice
    would involve disproportionate effort, and must then be equally
    effective (art. 34(3)(c)).
  - Building it is itself a processing of personal data (fingerprints are
    pseudonymised, not anonymous: recital 26): it needs a legal basis, for
    health data an art. 9(2) exception, and a DPIA (art. 35).
  - For a sensitive breach every line carries the breach-level mask unless
    the mapping sets per_record_masks = true (the tool then warns).
  - Use your own records of who was affected, never a leaked copy.
See docs/publishing.md.";

/// Publisher commands.
#[derive(Debug, Subcommand)]
pub enum PublishCommand {
    /// Create a signing key pair: PATH.key (secret, keep it offline) and
    /// PATH.pub (public, give it to citizens and to the FuiteCheck project).
    /// The password comes from FUITECHECK_KEY_PASSWORD, or is asked on the
    /// terminal; an empty password leaves the key unencrypted. Without a
    /// terminal and without FUITECHECK_KEY_PASSWORD, keygen refuses unless
    /// --unencrypted is given: a script never writes an unprotected secret
    /// key by accident.
    Keygen {
        /// Path prefix of the key files.
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Overwrite existing key files.
        #[arg(long)]
        force: bool,
        /// Write the secret key without a password (tests, or a key kept
        /// on an encrypted offline medium).
        #[arg(long)]
        unencrypted: bool,
    },
    /// Create an OPRF key (SPEC §11) in PATH.oprf, for an OPRF publication
    /// (`init --oprf-key`): its lookups can only be computed with it, so a
    /// copy of the publication gives no offline guessing power. Prints the
    /// public key. Password as for keygen (FUITECHECK_KEY_PASSWORD, or
    /// asked on the terminal; without either, refused unless
    /// --unencrypted). Losing the key means rebuilding the publication.
    OprfKeygen {
        /// Path of the key file (written 0600; `.oprf` is added).
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Overwrite an existing key file.
        #[arg(long)]
        force: bool,
        /// Write the key without a password.
        #[arg(long)]
        unencrypted: bool,
    },
    /// Start a publication in DIR: writes DIR/v1/manifest.json with the
    /// KDF cost and a fresh random salt.
    Init {
        /// Publication directory.
        #[arg(long)]
        dir: PathBuf,
        /// The organisation publishing (shown to citizens).
        #[arg(long)]
        publisher: String,
        /// Mark the publication as demonstration data (fictional people;
        /// allows a KDF cost below the floor).
        #[arg(long)]
        demo: bool,
        /// Argon2id memory cost in KiB (default 65536 = 64 MiB; 262144 =
        /// 256 MiB is a good choice for a real publication).
        #[arg(long, default_value_t = DEFAULT_MEMORY_KIB)]
        kdf_memory_kib: u32,
        /// Argon2id passes.
        #[arg(long, default_value_t = DEFAULT_ITERATIONS)]
        kdf_iterations: u32,
        /// Argon2id lanes.
        #[arg(long, default_value_t = DEFAULT_PARALLELISM)]
        kdf_parallelism: u32,
        /// Salt in hex (32 characters or more); random when omitted.
        #[arg(long, value_name = "HEX")]
        salt: Option<String>,
        /// Bucket length in hex characters of the range API: 1 or 2 (SPEC
        /// §6; clients refuse longer buckets, which would narrow the NIR to
        /// a handful of candidates). 2 (8 bits of the NIR) is the default.
        #[arg(long, default_value_t = 2)]
        prefix_hex_chars: u8,
        /// When clients should call the list out of date (RFC 3339 UTC,
        /// e.g. 2027-06-01T00:00:00Z); kept by every later signing until
        /// `sign --expires` changes it.
        #[arg(long, value_name = "TIME")]
        expires: Option<String>,
        /// Make it an OPRF publication (SPEC §11) with this key
        /// (`oprf-keygen`): its lookups need one request to `serve
        /// --oprf-key`, so a copy of it gives no offline guessing power.
        #[arg(long, value_name = "PATH.oprf")]
        oprf_key: Option<PathBuf>,
        /// Blinded elements per OPRF request (1–8): at least the number of
        /// names a person may give (2: birth and usage names).
        #[arg(long, value_name = "N", default_value_t = 2, requires = "oprf_key")]
        oprf_batch: u8,
    },
    /// Re-sign the manifest without rebuilding any breach: a new
    /// generated_at and sequence (clients refuse a lower sequence than one
    /// they saw), and optionally a new expiry.
    Sign {
        /// Publication directory.
        #[arg(long)]
        dir: PathBuf,
        /// Your minisign secret key.
        #[arg(long, value_name = "PATH.key")]
        key: PathBuf,
        /// A new expiry (RFC 3339 UTC), later than now.
        #[arg(long, value_name = "TIME", conflicts_with = "no_expires")]
        expires: Option<String>,
        /// Remove the expiry.
        #[arg(long)]
        no_expires: bool,
    },
    /// Add or rebuild one breach from your CSV export of the people it
    /// affected: fingerprints every record (all cores), writes the breach's
    /// set file, updates and re-signs the manifest. Re-running it for the
    /// same breach replaces it. Skipped rows are reported by line number and
    /// reason only, never their content. With --shard I/N it fingerprints
    /// only one slice of the rows into a shard file (--out) for `merge`,
    /// and needs no key.
    Add {
        /// The publication and the breach.
        #[command(flatten)]
        target: BreachTarget,
        /// Your CSV export of the affected people.
        #[arg(long, value_name = "CSV")]
        input: PathBuf,
        /// How to read the CSV (TOML, SPEC §8).
        #[arg(long, value_name = "MAP.toml")]
        mapping: PathBuf,
        /// Your minisign secret key (not needed with --shard).
        #[arg(long, value_name = "PATH.key", required_unless_present = "shard")]
        key: Option<PathBuf>,
        /// Write the report (counts, skipped line numbers and reasons) as
        /// JSON to this file.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Build only slice I of N of the rows (0 ≤ I < N), for a
        /// distributed build; then `merge` the N shard files.
        #[arg(long, value_name = "I/N", requires = "out")]
        shard: Option<String>,
        /// The shard file to write (with --shard).
        #[arg(long, value_name = "FILE", requires = "shard")]
        out: Option<PathBuf>,
        /// Fingerprint bits the published set keeps, 48 to 64 (default:
        /// the fewest that keep false matches below 1 in 16.7 million).
        #[arg(long, value_name = "BITS", value_parser = clap::value_parser!(u32).range(48..=64))]
        set_bits: Option<u32>,
        /// Fingerprints sorted in memory before spilling to disk (memory
        /// ≈ 16 bytes each).
        #[arg(long, value_name = "N", default_value_t = crate::runs::DEFAULT_BUDGET)]
        sort_budget: usize,
        /// The OPRF key of an OPRF publication (required for one, refused
        /// otherwise; its public half must be the manifest's).
        #[arg(long, value_name = "PATH.oprf")]
        oprf_key: Option<PathBuf>,
    },
    /// Assemble a breach from the shard files of a distributed build
    /// (`add --shard I/N`): checks every slice is there once, merges them,
    /// writes the set file and re-signs, exactly as a single `add` would.
    Merge {
        /// The publication the shards were built against, and the breach.
        #[command(flatten)]
        target: BreachTarget,
        /// Your minisign secret key.
        #[arg(long, value_name = "PATH.key")]
        key: PathBuf,
        /// Write the whole report as JSON to this file.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Fingerprint bits the published set keeps (as for `add`).
        #[arg(long, value_name = "BITS", value_parser = clap::value_parser!(u32).range(48..=64))]
        set_bits: Option<u32>,
        /// The shard files, every slice once.
        #[arg(required = true, value_name = "SHARD")]
        shards: Vec<PathBuf>,
        /// The OPRF key of an OPRF publication (required for one, refused
        /// otherwise; its public half must be the manifest's).
        #[arg(long, value_name = "PATH.oprf")]
        oprf_key: Option<PathBuf>,
    },
    /// Write the range API as static files (DIR/v1/range/<PREFIX>) for
    /// hosting on nginx, an object store or a CDN; byte-identical to what
    /// `serve` answers. Run it again after every `add`.
    ExportStatic {
        /// Publication directory.
        #[arg(long)]
        dir: PathBuf,
    },
    /// Serve the publication over HTTP: manifest, signature, set files
    /// (resumable) and the range API. Put it behind a TLS reverse proxy or
    /// CDN: citizens' apps require HTTPS. Stops on Ctrl-C or SIGTERM;
    /// reloads the publication on SIGHUP.
    Serve {
        /// Publication directory.
        #[arg(long)]
        dir: PathBuf,
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long, value_name = "IP:PORT")]
        addr: std::net::SocketAddr,
        /// Memory for cached range responses, MiB (each is built once,
        /// then answered from memory while it fits; the default holds the
        /// whole range API of a 33 M-person publication).
        #[arg(long, value_name = "MiB", default_value_t = crate::serve::DEFAULT_RANGE_CACHE_MIB)]
        range_cache_mib: usize,
    },
    /// Write the GDPR art. 34 communication to the people a breach
    /// affected, in French and English: what happened and when, the data
    /// concerned, the likely consequences per category, your measures,
    /// what each person can do, how to check privately with FuiteCheck,
    /// your DPO's contact and the person's rights. Built from the breach's
    /// entry in the signed publication and from your details file (what
    /// only you know: your measures, your DPO, where you host the list);
    /// every missing detail is listed and nothing is written (exit 1).
    Notice(NoticeOpts),
    /// Regenerate the embedded demonstration publication (fictional
    /// people) into DIR. For FuiteCheck developers.
    #[command(hide = true)]
    DemoGenerate {
        /// Output directory (assets/demo/publication).
        #[arg(long)]
        dir: PathBuf,
    },
}

/// The options of `notice`.
#[derive(Debug, clap::Args)]
pub struct NoticeOpts {
    /// Publication directory (signed by `add`).
    #[arg(long)]
    pub dir: PathBuf,
    /// The breach id in the publication.
    #[arg(long, value_name = "ID")]
    pub breach: String,
    /// Your details (TOML; see docs/publishing.md, "The art. 34 notice").
    #[arg(long, value_name = "NOTICE.toml")]
    pub details: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = NoticeFormat::Txt)]
    pub format: NoticeFormat,
    /// Languages: French then English (default), or one of them.
    #[arg(long, value_enum, default_value_t = NoticeLang::Both)]
    pub lang: NoticeLang,
    /// For a mail merge by record: this record's categories (ids,
    /// comma-separated, each among the breach's); default: the breach's.
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub record_categories: Option<Vec<String>>,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `notice --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NoticeFormat {
    /// Plain UTF-8 text.
    Txt,
    /// A standalone HTML page.
    Html,
    /// An A4 PDF.
    Pdf,
}

/// `notice --lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NoticeLang {
    /// French, then English.
    Both,
    /// French only.
    Fr,
    /// English only.
    En,
}

/// Which publication and which breach `add` and `merge` work on.
#[derive(Debug, clap::Args)]
pub struct BreachTarget {
    /// Publication directory (made by `init`).
    #[arg(long)]
    pub dir: PathBuf,
    /// Catalogue (SPEC §5 JSON) holding the breach's description.
    #[arg(long, value_name = "CAT.json")]
    pub catalogue: PathBuf,
    /// The breach id in the catalogue.
    #[arg(long, value_name = "ID")]
    pub breach: String,
}

/// Run the publisher tool.
pub fn run(cli: PublishCli) -> ExitCode {
    match dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fuitecheck-publish: {e:#}");
            // Invalid input (SPEC §9): exit 1; any other failure: 2.
            if e.downcast_ref::<crate::notice::InvalidInput>().is_some() {
                ExitCode::from(1)
            } else {
                ExitCode::from(2)
            }
        }
    }
}

fn dispatch(cmd: PublishCommand) -> anyhow::Result<()> {
    match cmd {
        PublishCommand::Keygen {
            out,
            force,
            unencrypted,
        } => keygen(&out, force, unencrypted),
        PublishCommand::OprfKeygen {
            out,
            force,
            unencrypted,
        } => oprf_keygen(&out, force, unencrypted),
        PublishCommand::Init {
            dir,
            publisher,
            demo,
            kdf_memory_kib,
            kdf_iterations,
            kdf_parallelism,
            salt,
            prefix_hex_chars,
            expires,
            oprf_key,
            oprf_batch,
        } => {
            let salt = match salt {
                Some(h) => hex::decode(h.trim()).context("--salt is not hex")?,
                None => {
                    let mut s = vec![0u8; 32];
                    getrandom::fill(&mut s).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
                    s
                }
            };
            if salt.len() < MIN_SALT_BYTES {
                bail!("--salt must be at least 32 hex characters");
            }
            publish::init_with_oprf(
                &dir,
                &InitOptions {
                    publisher,
                    demo,
                    kdf: KdfParams {
                        memory_kib: kdf_memory_kib,
                        iterations: kdf_iterations,
                        parallelism: kdf_parallelism,
                        salt,
                    },
                    prefix_hex_chars,
                    generated_at: now_rfc3339(),
                    expires,
                },
                init_oprf(oprf_key.as_deref(), oprf_batch)?,
            )?;
            eprintln!(
                "Publication started in {}. Next: fuitecheck-publish add … for each breach.",
                dir.display()
            );
            Ok(())
        }
        PublishCommand::Add {
            target:
                BreachTarget {
                    dir,
                    catalogue,
                    breach,
                },
            input,
            mapping,
            key,
            report,
            shard,
            out,
            set_bits,
            sort_budget,
            oprf_key,
        } => {
            let shard = match shard.as_deref() {
                Some(s) => Some(crate::ingest::Shard::parse(s).map_err(anyhow::Error::msg)?),
                None => None,
            };
            add(&AddArgs {
                dir: &dir,
                catalogue: &catalogue,
                breach_id: &breach,
                input: &input,
                mapping: &mapping,
                key: key.as_deref(),
                report_path: report.as_deref(),
                shard: shard.zip(out.as_deref()),
                set_bits,
                sort_budget,
                oprf_key: oprf_key.as_deref(),
            })
        }
        PublishCommand::Merge {
            target:
                BreachTarget {
                    dir,
                    catalogue,
                    breach,
                },
            key,
            report,
            set_bits,
            shards,
            oprf_key,
        } => merge(
            &MergeArgs {
                dir: &dir,
                catalogue: &catalogue,
                breach_id: &breach,
                key: &key,
                report_path: report.as_deref(),
                set_bits,
                oprf_key: oprf_key.as_deref(),
            },
            &shards,
        ),
        PublishCommand::Sign {
            dir,
            key,
            expires,
            no_expires,
        } => sign(&dir, &key, expires, no_expires),
        PublishCommand::ExportStatic { dir } => export_static(&dir),
        PublishCommand::Serve {
            dir,
            addr,
            range_cache_mib,
        } => Ok(crate::serve::serve_until_signal_with(
            &dir,
            addr,
            crate::serve::ServeConfig {
                range_cache_bytes: range_cache_mib.saturating_mul(1 << 20),
                ..Default::default()
            },
        )?),
        PublishCommand::Notice(opts) => crate::notice::run(&opts),
        PublishCommand::DemoGenerate { dir } => demo_generate(&dir),
    }
}

/// `export-static`: the range files, and for an OPRF publication the
/// reminder that its endpoint needs `serve`.
fn export_static(dir: &Path) -> anyhow::Result<()> {
    let r = crate::serve::export_static(dir)?;
    if publish::load_manifest(dir)?.oprf.is_some() {
        eprintln!(
            "This is an OPRF publication: a static host can carry these files, \
             but citizens' checks also need its evaluation endpoint (v1/oprf), \
             which needs the OPRF key and so cannot be a static file."
        );
    }
    eprintln!(
        "{} range files in {} ({} written, {} unchanged, {} stale removed)",
        r.files,
        r.range_dir.display(),
        r.written,
        r.unchanged,
        r.removed
    );
    Ok(())
}

/// `demo-generate`: rewrite the embedded demonstration publication.
fn demo_generate(dir: &Path) -> anyhow::Result<()> {
    let signer = crate::demo::signing_key()?;
    let total = crate::demo::records();
    let n: usize = total
        .0
        .iter()
        .chain(&total.1)
        .map(|r| r.surnames.len())
        .sum();
    crate::demo::generate(dir, &signer, &|done| {
        if done % 50 == 0 {
            eprintln!("{done} fingerprints…");
        }
    })?;
    eprintln!(
        "Demo publication written to {} ({n} fingerprints).",
        dir.display()
    );
    Ok(())
}

/// `sign`: re-sign the manifest (sequence + 1), changing its expiry if
/// asked.
fn sign(dir: &Path, key: &Path, expires: Option<String>, no_expires: bool) -> anyhow::Result<()> {
    let signer = load_signing_key(key)?;
    let change = match (expires, no_expires) {
        (Some(e), _) => Some(Some(e)),
        (None, true) => Some(None),
        (None, false) => None,
    };
    let sequence = publish::resign(dir, &signer, &now_rfc3339(), change)?;
    eprintln!(
        "Manifest re-signed (sequence {sequence}). Upload v1/manifest.json and its .minisig."
    );
    Ok(())
}

/// Current UTC time as `YYYY-MM-DDTHH:MM:SSZ`, or the time given by
/// `SOURCE_DATE_EPOCH` (seconds; the reproducible-builds convention) so
/// that two builds of the same records give byte-identical manifests.
pub fn now_rfc3339() -> String {
    let fixed = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok());
    fixed
        .unwrap_or_else(jiff::Timestamp::now)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The key password: FUITECHECK_KEY_PASSWORD, else a prompt on a terminal,
/// else none.
pub fn key_password(prompt: &str) -> anyhow::Result<Option<String>> {
    if let Ok(p) = std::env::var("FUITECHECK_KEY_PASSWORD") {
        return Ok(Some(p));
    }
    if std::io::stdin().is_terminal() {
        let p = rpassword::prompt_password(prompt).context("cannot read the password")?;
        return Ok(Some(p));
    }
    Ok(None)
}

/// The password of a new secret key (`keygen`, `oprf-keygen`):
/// FUITECHECK_KEY_PASSWORD, else asked twice on a terminal; without either,
/// refused unless `unencrypted` (a script never writes an unprotected
/// secret key by accident).
fn new_key_password(unencrypted: bool) -> anyhow::Result<Option<String>> {
    let from_env = std::env::var_os("FUITECHECK_KEY_PASSWORD").is_some();
    if unencrypted && from_env {
        bail!("--unencrypted and FUITECHECK_KEY_PASSWORD contradict each other; give one of them");
    }
    if !unencrypted && !from_env && !std::io::stdin().is_terminal() {
        bail!(
            "no password for the new secret key: there is no terminal to ask on and \
             FUITECHECK_KEY_PASSWORD is not set. Set FUITECHECK_KEY_PASSWORD, run keygen \
             in a terminal, or pass --unencrypted to write the secret key without a password"
        );
    }
    let password = if unencrypted {
        None
    } else {
        key_password("Password for the new secret key (empty: none): ")?
    };
    if !from_env
        && !unencrypted
        && std::io::stdin().is_terminal()
        && password.as_deref().is_some_and(|p| !p.is_empty())
    {
        let again = rpassword::prompt_password("Same password again: ")?;
        if Some(again) != password {
            bail!("the passwords differ");
        }
    }
    Ok(password)
}

fn keygen(out: &Path, force: bool, unencrypted: bool) -> anyhow::Result<()> {
    let sk_path = out.with_extension("key");
    let pk_path = out.with_extension("pub");
    for p in [&sk_path, &pk_path] {
        if p.exists() && !force {
            bail!("{} exists; use --force to overwrite it", p.display());
        }
    }
    let password = new_key_password(unencrypted)?;
    let (sk, pk) = signing::generate_keypair(password)?;
    fuitecheck_core::fsutil::atomic_write_private(&sk_path, sk.as_bytes())?;
    fuitecheck_core::fsutil::atomic_write(&pk_path, pk.as_bytes())?;
    eprintln!(
        "Secret key: {} (keep it offline, never publish it)\nPublic key: {}",
        sk_path.display(),
        pk_path.display()
    );
    Ok(())
}

fn oprf_keygen(out: &Path, force: bool, unencrypted: bool) -> anyhow::Result<()> {
    let path = out.with_extension("oprf");
    if path.exists() && !force {
        bail!("{} exists; use --force to overwrite it", path.display());
    }
    let password = Zeroizing::new(new_key_password(unencrypted)?);
    let key = fuitecheck_core::oprf::OprfSecretKey::generate()?;
    let text = crate::oprf_key::to_text(&key, password.as_deref())?;
    fuitecheck_core::fsutil::atomic_write_private(&path, text.as_bytes())?;
    eprintln!(
        "OPRF secret key: {} (keep it safe: serve needs it, and losing it means \
         rebuilding the publication)\nPublic key:",
        path.display()
    );
    println!("{}", key.public_key().to_hex());
    Ok(())
}

/// Load an OPRF secret key file, asking for its password when it is sealed.
pub fn load_oprf_key(path: &Path) -> anyhow::Result<fuitecheck_core::oprf::OprfSecretKey> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path)
            .with_context(|| format!("cannot read OPRF key {}", path.display()))?,
    );
    let password = if crate::oprf_key::is_sealed(&text) {
        Zeroizing::new(key_password(&format!("Password for {}: ", path.display()))?)
    } else {
        Zeroizing::new(None)
    };
    crate::oprf_key::from_text(&text, password.as_deref())
        .with_context(|| format!("OPRF key {}", path.display()))
}

/// Load a secret key, asking for its password when it is encrypted.
pub fn load_signing_key(path: &Path) -> anyhow::Result<SigningKey> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read secret key {}", path.display()))?;
    let password = if SigningKey::is_encrypted(&text) {
        key_password(&format!("Password for {}: ", path.display()))?
    } else {
        None
    };
    Ok(SigningKey::from_text(&text, password)?)
}

struct AddArgs<'a> {
    dir: &'a Path,
    catalogue: &'a Path,
    breach_id: &'a str,
    input: &'a Path,
    mapping: &'a Path,
    key: Option<&'a Path>,
    report_path: Option<&'a Path>,
    shard: Option<(crate::ingest::Shard, &'a Path)>,
    set_bits: Option<u32>,
    sort_budget: usize,
    oprf_key: Option<&'a Path>,
}

/// The `oprf.endpoint` `init --oprf-key` writes (SPEC §11's example), where
/// `serve --oprf-key` answers.
pub const OPRF_ENDPOINT: &str = "v1/oprf";

/// The `oprf` object `init --oprf-key` writes.
fn init_oprf(
    key: Option<&Path>,
    batch: u8,
) -> anyhow::Result<Option<fuitecheck_core::manifest::OprfParams>> {
    if !(fuitecheck_core::oprf::MIN_BATCH..=fuitecheck_core::oprf::MAX_BATCH)
        .contains(&usize::from(batch))
    {
        bail!("--oprf-batch must be 1 to 8 (SPEC §11)");
    }
    Ok(match key {
        None => None,
        Some(path) => Some(fuitecheck_core::manifest::OprfParams {
            public_key: *load_oprf_key(path)?.public_key(),
            endpoint: OPRF_ENDPOINT.to_owned(),
            batch,
        }),
    })
}

/// The OPRF key `add`/`merge` of `manifest` need: required for an OPRF
/// publication and its public half must be the manifest's; refused for an
/// ordinary one.
fn manifest_oprf_key(
    manifest: &fuitecheck_core::manifest::Manifest,
    path: Option<&Path>,
) -> anyhow::Result<Option<fuitecheck_core::oprf::OprfSecretKey>> {
    match (&manifest.oprf, path) {
        (None, None) => Ok(None),
        (None, Some(_)) => {
            bail!("--oprf-key given, but this publication is not an OPRF publication")
        }
        (Some(_), None) => {
            bail!("this is an OPRF publication: --oprf-key is required (its lookups need the key)")
        }
        (Some(params), Some(path)) => {
            let key = load_oprf_key(path)?;
            if key.public_key() != &params.public_key {
                bail!(
                    "{} is not this publication's OPRF key (its public key differs from the manifest's)",
                    path.display()
                );
            }
            Ok(Some(key))
        }
    }
}

fn load_breach(
    catalogue: &Path,
    breach_id: &str,
) -> anyhow::Result<fuitecheck_core::catalogue::Breach> {
    let cat_text = std::fs::read_to_string(catalogue)
        .with_context(|| format!("cannot read {}", catalogue.display()))?;
    let cat = fuitecheck_core::catalogue::Catalogue::from_json(&cat_text)
        .with_context(|| format!("catalogue {}", catalogue.display()))?;
    cat.get(breach_id)
        .cloned()
        .with_context(|| format!("breach `{breach_id}` is not in {}", catalogue.display()))
}

fn add(a: &AddArgs<'_>) -> anyhow::Result<()> {
    // `add` holds every NIR and name of the breach in memory: no core
    // dump of it, and no other process of the same user may attach to it
    // (Linux: not dumpable; core size limit 0).
    fuitecheck_core::privacy::harden_process();
    let dir = a.dir;
    let manifest = publish::load_manifest(dir)
        .with_context(|| format!("{} is not an initialised publication", dir.display()))?;
    let breach = &load_breach(a.catalogue, a.breach_id)?;
    let map_text = std::fs::read_to_string(a.mapping)
        .with_context(|| format!("cannot read {}", a.mapping.display()))?;
    let mapping = crate::ingest::Mapping::from_toml(&map_text)
        .with_context(|| format!("{}", a.mapping.display()))?;
    // Load the keys first: a wrong password should not cost an hour of KDF.
    let oprf = manifest_oprf_key(&manifest, a.oprf_key)?;
    let signer = match (a.shard, a.key) {
        (None, Some(key)) => Some(load_signing_key(key)?),
        (None, None) => bail!("--key is required (except with --shard)"),
        (Some(_), _) => None,
    };
    let file = std::fs::File::open(a.input)
        .with_context(|| format!("cannot open {}", a.input.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(size);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} · {msg} · ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let started = std::time::Instant::now();
    // Spill runs next to the output (never inside v1/, which is published).
    let spill_parent = match a.shard {
        Some((_, out)) => out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
        None => dir.to_path_buf(),
    };
    let mut sorter =
        crate::runs::RunSorter::new(&spill_parent, a.sort_budget).with_context(|| {
            format!(
                "cannot create a sort directory in {}",
                spill_parent.display()
            )
        })?;
    let mut spill_error = None;
    let report = crate::ingest::ingest_with_oprf(
        std::io::BufReader::new(file),
        &mapping,
        breach,
        publish::LookupKeys {
            kdf: &manifest.kdf,
            oprf: oprf.as_ref(),
        },
        a.shard.map_or(crate::ingest::Shard::WHOLE, |s| s.0),
        &|p| {
            if let Some(bar) = &bar {
                bar.set_position(p.bytes);
                bar.set_message(format!("{} fingerprints", p.fingerprints));
            }
        },
        &mut |pairs| {
            sorter.extend(pairs).map_err(|e| {
                let msg = e.to_string();
                spill_error = Some(e);
                crate::ingest::IngestError::Input(format!("cannot spill sorted run: {msg}"))
            })
        },
    )?;
    if let Some(e) = spill_error {
        return Err(e.into());
    }
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let kdf_time = started.elapsed();
    let sorted = sorter.finish().context("cannot finish sorting")?;
    eprint!("{}", report.to_text());
    if let Some((shard, out)) = a.shard {
        let n = crate::shard::write(
            out,
            breach.code,
            shard,
            &manifest.kdf,
            manifest.oprf.as_ref().map(|o| &o.public_key),
            &report,
            &sorted,
        )?;
        if let Some(path) = a.report_path {
            fuitecheck_core::fsutil::atomic_write(
                path,
                serde_json::to_string_pretty(&report)?.as_bytes(),
            )?;
        }
        eprintln!(
            "Slice {}/{} of breach `{}`: {n} fingerprints written to {} ({:.1} s). \
             Merge all slices with `fuitecheck-publish merge`.",
            shard.index,
            shard.count,
            breach.id,
            out.display(),
            kdf_time.as_secs_f64()
        );
        return Ok(());
    }
    let signer = signer.context("no key")?;
    let put =
        publish::put_breach_sorted(dir, breach, &sorted, a.set_bits, &signer, &now_rfc3339())?;
    finish_breach(breach, &report, &put, a.report_path)?;
    eprintln!("({:.1} s)", kdf_time.as_secs_f64());
    Ok(())
}

fn finish_breach(
    breach: &fuitecheck_core::catalogue::Breach,
    report: &crate::ingest::IngestReport,
    put: &publish::PutReport,
    report_path: Option<&Path>,
) -> anyhow::Result<()> {
    if let Some(path) = report_path {
        let json = serde_json::to_string_pretty(report)?;
        fuitecheck_core::fsutil::atomic_write(path, json.as_bytes())?;
    }
    eprintln!(
        "Breach `{}`: {} entries of {} bits, {} bytes ({:.2} bytes/entry); pad_lines = {}; manifest signed.",
        breach.id,
        put.entries,
        put.fingerprint_bits,
        put.bytes,
        put.bytes as f64 / put.entries.max(1) as f64,
        put.pad_lines,
    );
    Ok(())
}

struct MergeArgs<'a> {
    dir: &'a Path,
    catalogue: &'a Path,
    breach_id: &'a str,
    key: &'a Path,
    report_path: Option<&'a Path>,
    set_bits: Option<u32>,
    oprf_key: Option<&'a Path>,
}

fn merge(a: &MergeArgs<'_>, shards: &[PathBuf]) -> anyhow::Result<()> {
    let MergeArgs {
        dir,
        catalogue,
        breach_id,
        key,
        report_path,
        set_bits,
        oprf_key,
    } = *a;
    let manifest = publish::load_manifest(dir)
        .with_context(|| format!("{} is not an initialised publication", dir.display()))?;
    let breach = &load_breach(catalogue, breach_id)?;
    // The slices were computed with the key; merge checks it is this
    // publication's (SPEC §11) and that they were (their digest binds it).
    manifest_oprf_key(&manifest, oprf_key)?;
    let signer = load_signing_key(key)?;
    let (sorted, report) = crate::shard::assemble(
        shards,
        breach.code,
        &manifest.kdf,
        manifest.oprf.as_ref().map(|o| &o.public_key),
    )?;
    eprint!("{}", report.to_text());
    let put = publish::put_breach_sorted(dir, breach, &sorted, set_bits, &signer, &now_rfc3339())?;
    finish_breach(breach, &report, &put, report_path)?;
    eprintln!("Merged {} slices.", shards.len());
    Ok(())
}
