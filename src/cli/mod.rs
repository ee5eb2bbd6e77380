//! The citizen's command line (SPEC §9): `nir`, `breaches`, `assess`,
//! `check`. Messages to citizens are in French; library values (NIR errors
//! and warnings, labels, numbers, dates) are worded by [`crate::text`], as
//! in the app. `--help` is in English.
//!
//! Exit status: 0 when the command ran (for `nir`: the NIR is valid), 1 for
//! invalid input, 2 for any other failure, each failure with one line on
//! stderr.

use std::collections::BTreeMap;
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::{Parser, Subcommand};
use zeroize::Zeroizing;

use fuitecheck_core::catalogue::{Answer, Catalogue, Lang, Verdict};
use fuitecheck_core::check::{self, CheckReport, Identity, Source};
use fuitecheck_core::freshness::{self, Admission, SequenceStore};
use fuitecheck_core::nir::{Nir, NirInfo};
use fuitecheck_core::publication::OfflinePublication;
use fuitecheck_core::signature::{TrustStore, TrustedKey};
use fuitecheck_core::surname::Surname;

use crate::text;

/// FuiteCheck: check privately whether you are among the people affected by
/// a French health-data breach. Started without a command, it opens the
/// desktop app.
#[derive(Debug, Parser)]
#[command(name = "fuitecheck", version, about, long_about = None)]
pub struct Cli {
    /// What to do; none opens the desktop app.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Citizen commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate and decode a NIR (social security number). Exit 0 when
    /// valid, 1 when invalid.
    Nir {
        /// The NIR, with or without spaces, dots or dashes.
        nir: String,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// List the catalogue of known breaches (public facts, with sources).
    Breaches {
        /// Print the catalogue as JSON (SPEC §5 format).
        #[arg(long)]
        json: bool,
    },
    /// Self-assessment: may I be concerned by a breach? Asks the questions
    /// on a terminal when answers are missing.
    Assess {
        /// Breach id (see `fuitecheck breaches`).
        #[arg(long)]
        breach: String,
        /// An answer, as QUESTION_ID=yes|no|unknown (repeatable).
        #[arg(long = "answer", value_name = "QID=yes|no|unknown")]
        answers: Vec<String>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Check whether a publication lists you. Without --publication, the
    /// embedded demonstration publication (fictional people) is used.
    /// Nothing is sent anywhere in offline mode; nothing is written.
    Check {
        /// Your NIR (15 characters). Use `-` to read it from standard input
        /// so that it stays out of your shell history and process list
        /// (which every user of the computer can read).
        #[arg(long)]
        nir: String,
        /// Your birth name (nom de naissance). `-` reads it from standard
        /// input, for the same reason: a name with a NIR identifies you.
        /// Several `-` are read one line each: NIR, then birth name, then
        /// usage name.
        #[arg(long)]
        surname: String,
        /// Your usage name (nom d'usage), if different; `-` reads it from
        /// standard input.
        #[arg(long = "usage-name")]
        usage_name: Option<String>,
        /// A publication directory (offline check: nothing is sent).
        #[arg(long, value_name = "DIR", conflicts_with = "api")]
        publication: Option<PathBuf>,
        /// A publication's range API base URL (online check: only the first
        /// 2 hex characters of your fingerprint are sent).
        #[arg(long, value_name = "URL")]
        api: Option<String>,
        /// A publisher public key to trust, in minisign format (repeatable).
        /// A directory or URL signed with the public demo key is refused
        /// unless the demo key (assets/demo/demo.pub) is passed here; it is
        /// then shown as demonstration data.
        #[arg(long, value_name = "KEY.pub")]
        trust: Vec<PathBuf>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Draft a letter or complaint for a breach (the letter is in French,
    /// since it goes to French bodies). Nothing you type is stored.
    Draft {
        /// access, cnil, dereference, police, compensation or collective.
        kind: String,
        /// Breach id (catalogue, or the publication's).
        #[arg(long)]
        breach: String,
        /// Look the breach up in this publication directory.
        #[arg(long, value_name = "DIR", conflicts_with = "api")]
        publication: Option<PathBuf>,
        /// Look the breach up in this online publication.
        #[arg(long, value_name = "URL")]
        api: Option<String>,
        /// A publisher public key to trust (repeatable).
        #[arg(long, value_name = "KEY.pub")]
        trust: Vec<PathBuf>,
        /// Your first and last name.
        #[arg(long)]
        name: String,
        /// Your postal address (write \n between lines).
        #[arg(long)]
        address: String,
        /// Your e-mail address, for the answer.
        #[arg(long)]
        email: Option<String>,
        /// Your town, written before the date.
        #[arg(long)]
        place: Option<String>,
        /// A page where your data appear (repeatable; for dereference).
        #[arg(long = "url", value_name = "URL")]
        urls: Vec<String>,
        /// Also ask for erasure (art. 17) in the access letter.
        #[arg(long)]
        erasure: bool,
        /// Also object to the processing (art. 21) in the access letter.
        #[arg(long)]
        objection: bool,
        /// The person was found in the organisation's published list.
        #[arg(long)]
        matched: bool,
        /// Output format.
        #[arg(long, value_parser = ["pdf", "txt"], default_value = "txt")]
        format: String,
        /// Output file (standard output for txt when omitted).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Language of the explanations (fr or en).
        #[arg(long, value_parser = ["fr", "en"], default_value = "fr")]
        lang: String,
    },
    /// Print the steps to take after a breach, in order, with their legal
    /// basis, deadline and official links.
    Guide {
        /// Breach id (catalogue, or the demo publication's).
        #[arg(long)]
        breach: String,
        /// Categories that leaked for you (comma-separated ids); default:
        /// every category of the breach.
        #[arg(long, value_delimiter = ',')]
        categories: Vec<String>,
        /// Language (fr or en).
        #[arg(long, value_parser = ["fr", "en"], default_value = "fr")]
        lang: String,
    },
    /// Download a publication for offline checks: verifies the signed
    /// manifest and every set file, resumes interrupted downloads, and
    /// keeps the previous version usable until the new one is verified.
    Download {
        /// The publication's base URL.
        #[arg(long, value_name = "URL")]
        api: String,
        /// Where to keep it (default: your data directory).
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
        /// A publisher public key to trust, in minisign format (repeatable).
        #[arg(long, value_name = "KEY.pub")]
        trust: Vec<PathBuf>,
    },
}

/// A failure with its exit status.
#[derive(Debug)]
pub struct Failure {
    /// 1 for invalid input, 2 otherwise.
    pub code: u8,
    /// One line for stderr.
    pub message: String,
}

impl Failure {
    fn input(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }

    fn other(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }
}

/// Run a parsed command; `None` is the caller's cue to open the app.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Nir { nir, json } => cmd_nir(&Zeroizing::new(nir), json),
        Command::Breaches { json } => cmd_breaches(json),
        Command::Assess {
            breach,
            answers,
            json,
        } => cmd_assess(&breach, &answers, json),
        Command::Check {
            nir,
            surname,
            usage_name,
            publication,
            api,
            trust,
            json,
        } => {
            let nir = Zeroizing::new(nir);
            let surname = Zeroizing::new(surname);
            let usage_name = usage_name.map(Zeroizing::new);
            cmd_check(
                &nir,
                &surname,
                usage_name.as_deref().map(String::as_str),
                publication.as_deref(),
                api.as_deref(),
                &trust,
                json,
            )
        }
        Command::Download { api, to, trust } => cmd_download(&api, to, &trust),
        Command::Draft {
            kind,
            breach,
            publication,
            api,
            trust,
            name,
            address,
            email,
            place,
            urls,
            erasure,
            objection,
            matched,
            format,
            out,
            lang,
        } => {
            let user = fuitecheck_rights::UserDetails {
                full_name: name,
                postal_address: address.replace("\\n", "\n"),
                email,
                place,
                urls,
                erasure,
                objection,
                matched,
                ..Default::default()
            };
            cmd_draft(
                &kind,
                &breach,
                publication.as_deref(),
                api.as_deref(),
                &trust,
                &user,
                &format,
                out.as_deref(),
                parse_lang(&lang),
            )
        }
        Command::Guide {
            breach,
            categories,
            lang,
        } => cmd_guide(&breach, &categories, parse_lang(&lang)),
    };
    match result {
        Ok(code) => code,
        Err(f) => {
            eprintln!("fuitecheck: {}", esc(&f.message));
            ExitCode::from(f.code)
        }
    }
}

/// What the CLI prints from a manifest, a catalogue or an error, with any
/// control or bidirectional character written as `\u{…}`: the parsers
/// already refuse them (SPEC §6), this is the second line of defence so
/// that nothing can redraw the terminal (e.g. erase the demo banner).
fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    fuitecheck_core::text::escape_controls(s)
}

fn print_json(v: &impl serde::Serialize) -> Result<(), Failure> {
    let s = serde_json::to_string_pretty(v).map_err(|e| Failure::other(e.to_string()))?;
    println!("{s}");
    Ok(())
}

fn current_year() -> u16 {
    u16::try_from(jiff::Zoned::now().year()).unwrap_or(2026)
}

fn cmd_nir(input: &str, json: bool) -> Result<ExitCode, Failure> {
    let parsed = Nir::parse(input);
    if json {
        let mut v = serde_json::json!({
            "valid": parsed.is_ok(),
            "canonical": parsed.as_ref().ok().map(Nir::as_str),
            "error": parsed.as_ref().err().map(ToString::to_string),
        });
        if let (Ok(nir), Some(obj)) = (&parsed, v.as_object_mut()) {
            let info = nir.decode();
            if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(&info) {
                obj.extend(fields);
            }
            // `warnings` holds the stable ids (serialized `NirWarning`s);
            // `warning_texts` says the same in French, in the same order.
            let texts: Vec<String> = info
                .warnings
                .iter()
                .map(|w| text::nir_warning(w, Lang::Fr))
                .collect();
            obj.insert("warning_texts".to_owned(), texts.into());
            obj.insert(
                "summary".to_owned(),
                text::nir_summary(&info, Lang::Fr, current_year()).into(),
            );
        }
        print_json(&v)?;
        return Ok(if parsed.is_ok() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    match parsed {
        Ok(nir) => {
            println!("NIR valide : {}", nir.grouped().as_str());
            print_nir_info(&nir.decode());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(Failure::input(format!(
            "NIR invalide : {}",
            text::nir_error(&e, Lang::Fr)
        ))),
    }
}

fn print_nir_info(info: &NirInfo) {
    println!("{}", text::nir_summary(info, Lang::Fr, current_year()));
    println!("  Numéro d'ordre : {}   Clé : {}", info.order, info.key);
    if info.provisional {
        println!("  Numéro provisoire (premier chiffre 7 ou 8)");
    }
    for w in &info.warnings {
        println!("  Attention : {}", text::nir_warning(w, Lang::Fr));
    }
}

fn cmd_breaches(json: bool) -> Result<ExitCode, Failure> {
    let catalogue = Catalogue::embedded();
    if json {
        println!("{}", catalogue.to_json_pretty());
        return Ok(ExitCode::SUCCESS);
    }
    for b in &catalogue.breaches {
        println!("{}  {}", esc(&b.id), esc(&b.title.fr));
        println!(
            "    {} · révélée le {} · {} personnes{}",
            esc(&b.organisation),
            text::format_catalogue_date(&b.disclosed_date, Lang::Fr),
            text::format_count(b.people, Lang::Fr),
            if b.sensitive {
                " · données de santé"
            } else {
                ""
            }
        );
        let cats: Vec<&str> = b
            .categories
            .iter()
            .map(|c| text::category_label(*c, Lang::Fr))
            .collect();
        println!("    Données : {}", cats.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_assess(breach_id: &str, answers: &[String], json: bool) -> Result<ExitCode, Failure> {
    let catalogue = Catalogue::embedded();
    let breach = catalogue.get(breach_id).ok_or_else(|| {
        Failure::input(format!(
            "fuite inconnue « {breach_id} » (voir `fuitecheck breaches`)"
        ))
    })?;
    let mut map = BTreeMap::new();
    for a in answers {
        let (q, v) = a.split_once('=').ok_or_else(|| {
            Failure::input(format!("réponse « {a} » : la forme est QID=yes|no|unknown"))
        })?;
        let v: Answer = v
            .parse()
            .map_err(|e: String| Failure::input(format!("réponse « {a} » : {e}")))?;
        map.insert(q.to_owned(), v);
    }
    if std::io::stdin().is_terminal() && !json {
        ask_missing(breach, &mut map)?;
    }
    let result = breach
        .assess(&map)
        .map_err(|e| Failure::input(e.to_string()))?;
    let reasons: Vec<String> = result
        .reasons
        .iter()
        .map(|r| text::assessment_reason(r, Lang::Fr))
        .collect();
    if json {
        // Protocol §9: `{"breach", "verdict", "reasons": [str]}`, the
        // reasons worded in French.
        #[derive(serde::Serialize)]
        struct AssessJson<'a> {
            breach: &'a str,
            verdict: Verdict,
            reasons: &'a [String],
        }
        print_json(&AssessJson {
            breach: &result.breach,
            verdict: result.verdict,
            reasons: &reasons,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", esc(&breach.title.fr));
    println!("{}", text::verdict_label(result.verdict, Lang::Fr));
    for r in &reasons {
        println!("  - {}", esc(r));
    }
    if result.verdict != Verdict::Unlikely {
        let ask = breach
            .who_to_ask
            .as_ref()
            .map(|w| w.fr.clone())
            .or_else(|| breach.controller.as_ref().and_then(|c| c.name.clone()))
            .unwrap_or_else(|| breach.organisation.clone());
        let ask = esc(&ask);
        println!(
            "Prochaine étape : demandez à {ask} si vos données sont concernées \
             (droit d'accès, article 15 du RGPD)."
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn ask_missing(
    breach: &fuitecheck_core::catalogue::Breach,
    map: &mut BTreeMap<String, Answer>,
) -> Result<(), Failure> {
    let stdin = std::io::stdin();
    for q in &breach.assessment {
        if map.contains_key(&q.id) {
            continue;
        }
        loop {
            print!("{} [oui/non/je ne sais pas] ", esc(&q.text.fr));
            std::io::stdout()
                .flush()
                .map_err(|e| Failure::other(e.to_string()))?;
            let mut line = String::new();
            if stdin
                .lock()
                .read_line(&mut line)
                .map_err(|e| Failure::other(e.to_string()))?
                == 0
            {
                return Ok(());
            }
            match line.parse::<Answer>() {
                Ok(a) => {
                    map.insert(q.id.clone(), a);
                    break;
                }
                Err(_) => println!("Répondez oui, non ou « je ne sais pas »."),
            }
        }
    }
    Ok(())
}

/// Parse the typed identity, with the citizen's error messages.
pub fn parse_identity(
    nir: &str,
    surname: &str,
    usage_name: Option<&str>,
) -> Result<Identity, Failure> {
    let nir = Nir::parse(nir)
        .map_err(|e| Failure::input(format!("NIR invalide : {}", text::nir_error(&e, Lang::Fr))))?;
    let birth_name = Surname::parse(surname).map_err(|e| {
        Failure::input(format!(
            "nom de naissance invalide : {}",
            text::surname_error(&e, Lang::Fr)
        ))
    })?;
    let usage_name = match usage_name.map(str::trim).filter(|s| !s.is_empty()) {
        Some(u) => Some(Surname::parse(u).map_err(|e| {
            Failure::input(format!(
                "nom d'usage invalide : {}",
                text::surname_error(&e, Lang::Fr)
            ))
        })?),
        None => None,
    };
    Ok(Identity {
        nir,
        birth_name,
        usage_name,
    })
}

/// Longest line read from standard input for a secret (a NIR or a name
/// is far shorter): the buffer is reserved once at this size, locked in
/// RAM, and never reallocated (a reallocation would leave an unwiped
/// copy behind).
const SECRET_LINE_CAPACITY: usize = 256;

/// One line of standard input holding a secret, in a buffer reserved and
/// locked beforehand (see [`SECRET_LINE_CAPACITY`]); the line end is
/// removed. `what` names it in the error.
fn read_secret_line(
    what: &str,
) -> Result<(Zeroizing<String>, fuitecheck_core::privacy::LockedRegion), Failure> {
    use std::io::Read as _;
    let mut line = Zeroizing::new(String::with_capacity(SECRET_LINE_CAPACITY));
    let lock = fuitecheck_core::privacy::LockedRegion::of_string(&line, line.capacity());
    std::io::stdin()
        .lock()
        .take(SECRET_LINE_CAPACITY as u64 - 1)
        .read_line(&mut line)
        .map_err(|e| {
            Failure::other(format!(
                "impossible de lire {what} sur l'entrée standard : {e}"
            ))
        })?;
    while line.ends_with(['\n', '\r']) {
        line.pop();
    }
    Ok((line, lock))
}

fn cmd_check(
    nir: &str,
    surname: &str,
    usage_name: Option<&str>,
    publication: Option<&std::path::Path>,
    api: Option<&str>,
    trust: &[PathBuf],
    json: bool,
) -> Result<ExitCode, Failure> {
    // `-`: read from standard input, in this order, one line each.
    let nir_line = (nir == "-")
        .then(|| read_secret_line("le NIR"))
        .transpose()?;
    let surname_line = (surname == "-")
        .then(|| read_secret_line("le nom de naissance"))
        .transpose()?;
    let usage_line = (usage_name == Some("-"))
        .then(|| read_secret_line("le nom d'usage"))
        .transpose()?;
    let nir = nir_line.as_ref().map_or(nir, |(l, _)| l.as_str());
    let surname = surname_line.as_ref().map_or(surname, |(l, _)| l.as_str());
    let usage_name = match &usage_line {
        Some((l, _)) => Some(l.as_str()),
        None => usage_name,
    };
    let identity = parse_identity(nir, surname, usage_name)?;
    let store = trust_store(trust)?;
    let source = open_source(publication, api, &store)?;
    let mut seen = load_sequences()?;
    let admission = admit(source.as_ref(), &store, &seen)?;
    if admission.expired {
        eprintln!(
            "fuitecheck: {}",
            text::expired_warning(&admission, Lang::Fr)
        );
    }
    let report = check::check(&identity, source.as_ref(), &|_| {}, &AtomicBool::new(false))
        .map_err(|e| match e {
            check::CheckError::OprfPublication => Failure::other(text::oprf_unsupported(Lang::Fr)),
            e => Failure::other(e.to_string()),
        })?;
    // Every check passed (signature, manifest, set files or range
    // answers): only now may the remembered sequence rise.
    remember(&mut seen, &admission)?;
    if json {
        print_json(&report_json(&report, &admission)?)?;
    } else {
        print_report(&report, source.as_ref(), &admission);
    }
    Ok(ExitCode::SUCCESS)
}

/// The report as SPEC §9 JSON, its `source` also naming the signing key
/// id, the sequence, generated_at with its age, and expiry.
fn report_json(report: &CheckReport, a: &Admission) -> Result<serde_json::Value, Failure> {
    let mut v = serde_json::to_value(report).map_err(|e| Failure::other(e.to_string()))?;
    let extra = serde_json::to_value(a).map_err(|e| Failure::other(e.to_string()))?;
    if let (Some(source), serde_json::Value::Object(extra)) =
        (v.get_mut("source").and_then(|s| s.as_object_mut()), extra)
    {
        source.extend(extra);
    }
    Ok(v)
}

/// Where the CLI keeps the highest sequence accepted per publisher key:
/// `$FUITECHECK_STATE_DIR`, else the XDG state directory
/// (`~/.local/state/fuitecheck`), else the local data directory.
fn sequences_path() -> Option<PathBuf> {
    let dir = match std::env::var_os("FUITECHECK_STATE_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => {
            let dirs = directories::ProjectDirs::from("fr", "FuiteCheck", "FuiteCheck")?;
            dirs.state_dir()
                .unwrap_or_else(|| dirs.data_local_dir())
                .to_path_buf()
        }
    };
    Some(dir.join("sequences.json"))
}

fn load_sequences() -> Result<SequenceStore, Failure> {
    match sequences_path() {
        Some(path) => SequenceStore::load(&path).map_err(|e| Failure::other(e.to_string())),
        None => Ok(SequenceStore::new()),
    }
}

/// Record an admitted publication and save the store if it changed.
fn remember(seen: &mut SequenceStore, a: &Admission) -> Result<(), Failure> {
    if seen.record(a) {
        let path = sequences_path().ok_or_else(|| {
            Failure::other("no state directory for this user; set FUITECHECK_STATE_DIR")
        })?;
        seen.save(&path)
            .map_err(|e| Failure::other(e.to_string()))?;
    }
    Ok(())
}

/// [`freshness::admit`] now, the refusal worded by the text layer.
fn admit(
    source: &dyn Source,
    store: &TrustStore,
    seen: &SequenceStore,
) -> Result<Admission, Failure> {
    let now = jiff::Timestamp::now().as_second();
    freshness::admit(source, store, seen, now).map_err(|e| trust_failure(&e))
}

/// A refusal by the trust and freshness rules, worded by the text layer.
fn trust_failure(e: &freshness::TrustError) -> Failure {
    let hint = match e {
        freshness::TrustError::Signature(_) => {
            " (pour l'utiliser comme démonstration, passez la clé de démonstration avec --trust)"
        }
        _ => "",
    };
    Failure::other(format!(
        "publication refusée : {}{hint}",
        text::trust_error(e, Lang::Fr)
    ))
}

/// Open (and verify) the publication a command names; the embedded demo
/// without `--publication` or `--api`.
fn open_source(
    publication: Option<&std::path::Path>,
    api: Option<&str>,
    store: &TrustStore,
) -> Result<Box<dyn Source>, Failure> {
    let source: Box<dyn Source> = match (publication, api) {
        (_, Some(url)) => Box::new(
            fuitecheck_client::online::RangeSource::connect(url, store)
                .map_err(|e| Failure::other(format!("publication en ligne : {e}")))?,
        ),
        (Some(dir), None) => Box::new(
            OfflinePublication::open_dir(dir, store)
                .map_err(|e| Failure::other(format!("publication refusée : {e}")))?,
        ),
        (None, None) => Box::new(
            OfflinePublication::embedded_demo()
                .map_err(|e| Failure::other(format!("publication de démonstration : {e}")))?,
        ),
    };
    Ok(source)
}

fn parse_lang(s: &str) -> Lang {
    if s == "en" { Lang::En } else { Lang::Fr }
}

/// A breach by id: from a publication when one is named, else the real
/// catalogue, else the demo publication.
fn find_breach(
    id: &str,
    publication: Option<&std::path::Path>,
    api: Option<&str>,
    trust: &[PathBuf],
) -> Result<fuitecheck_core::catalogue::Breach, Failure> {
    let store = trust_store(trust)?;
    let from_manifest =
        |m: &fuitecheck_core::manifest::Manifest| m.breach(id).map(|b| b.breach.clone());
    let found = match (publication, api) {
        (None, None) => Catalogue::embedded().get(id).cloned().or_else(|| {
            OfflinePublication::embedded_demo()
                .ok()
                .and_then(|p| from_manifest(p.manifest()))
        }),
        _ => {
            // The same trust and freshness rules as a check.
            let source = open_source(publication, api, &store)?;
            admit(source.as_ref(), &store, &load_sequences()?)?;
            from_manifest(source.manifest())
        }
    };
    found.ok_or_else(|| {
        Failure::input(format!(
            "fuite inconnue « {id} » (voir `fuitecheck breaches`)"
        ))
    })
}

#[allow(clippy::too_many_arguments)]
fn cmd_draft(
    kind: &str,
    breach_id: &str,
    publication: Option<&std::path::Path>,
    api: Option<&str>,
    trust: &[PathBuf],
    user: &fuitecheck_rights::UserDetails,
    format: &str,
    out: Option<&std::path::Path>,
    lang: Lang,
) -> Result<ExitCode, Failure> {
    let kind = fuitecheck_rights::DraftKind::from_key(kind).ok_or_else(|| {
        Failure::input(format!(
            "type de courrier inconnu « {kind} » (access, cnil, dereference, police, compensation, collective)"
        ))
    })?;
    if user.full_name.trim().is_empty() || user.postal_address.trim().is_empty() {
        return Err(Failure::input(
            "--name et --address ne peuvent pas être vides",
        ));
    }
    let breach = find_breach(breach_id, publication, api, trust)?;
    let draft = fuitecheck_rights::draft(kind, &breach, user, lang);
    let bytes = match format {
        "pdf" => draft.to_pdf(),
        _ => draft.to_text().into_bytes(),
    };
    match out {
        Some(path) => {
            fuitecheck_core::fsutil::atomic_write_private(path, &bytes)
                .map_err(|e| Failure::other(format!("écriture impossible : {e}")))?;
            eprintln!("Courrier écrit dans {}", path.display());
        }
        None if format == "txt" => {
            std::io::stdout()
                .write_all(&bytes)
                .map_err(|e| Failure::other(e.to_string()))?;
        }
        None => return Err(Failure::input("--format pdf demande --out FICHIER")),
    }
    if let Some(mailto) = draft.mailto() {
        let to = mailto
            .strip_prefix("mailto:")
            .and_then(|m| m.split('?').next())
            .unwrap_or_default();
        eprintln!(
            "Vous pouvez aussi l'envoyer par e-mail à {to} (lien mailto: dans l'application)."
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_guide(breach_id: &str, categories: &[String], lang: Lang) -> Result<ExitCode, Failure> {
    let breach = find_breach(breach_id, None, None, &[])?;
    let cats = categories
        .iter()
        .map(|c| {
            fuitecheck_core::category::Category::from_id(c.trim())
                .ok_or_else(|| Failure::input(format!("catégorie inconnue « {c} »")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let steps = fuitecheck_rights::guidance(&[&breach], &cats, lang);
    println!("{}", fuitecheck_rights::disclaimer(lang));
    println!();
    print!("{}", fuitecheck_rights::steps_to_text(&steps, lang));
    Ok(ExitCode::SUCCESS)
}

fn trust_store(trust: &[PathBuf]) -> Result<TrustStore, Failure> {
    let mut store = TrustStore::shipped();
    for path in trust {
        store.add(TrustedKey::from_file(path).map_err(|e| Failure::other(e.to_string()))?);
    }
    Ok(store)
}

fn cmd_download(api: &str, to: Option<PathBuf>, trust: &[PathBuf]) -> Result<ExitCode, Failure> {
    let store = trust_store(trust)?;
    let dir = match to {
        Some(d) => d,
        None => fuitecheck_client::download::default_dir(api)
            .ok_or_else(|| Failure::other("no data directory for this user; give one with --to"))?,
    };
    let mut seen = load_sequences()?;
    let report = fuitecheck_client::download::download(
        api,
        &dir,
        &store,
        &seen,
        &|e| {
            if let fuitecheck_client::download::DownloadEvent::Progress { file, done, total } = e {
                eprint!("\r{}: {done}/{total} octets", esc(&file));
                if done == total {
                    eprintln!();
                }
            }
        },
        &AtomicBool::new(false),
    )
    .map_err(|e| match e {
        fuitecheck_client::download::DownloadError::Refused(e) => trust_failure(&e),
        e => Failure::other(format!("téléchargement : {e}")),
    })?;
    // Verified; the same trust and freshness rules as a check before it is
    // called usable (the downloader already refused a replayed or
    // demo-signed manifest before replacing anything), and the sequence
    // remembered.
    let publication = OfflinePublication::open_dir(&dir, &store)
        .map_err(|e| Failure::other(format!("publication refusée : {e}")))?;
    let admission = admit(&publication, &store, &seen)?;
    remember(&mut seen, &admission)?;
    if admission.expired {
        eprintln!(
            "fuitecheck: {}",
            text::expired_warning(&admission, Lang::Fr)
        );
    }
    if report.already_current {
        println!("La publication est déjà à jour : {}", dir.display());
    } else {
        println!(
            "Publication téléchargée et vérifiée : {} ({} fichier(s) téléchargé(s), {} réutilisé(s), {} octets reçus)",
            dir.display(),
            report.downloaded.len(),
            report.reused.len(),
            report.bytes_transferred
        );
    }
    println!(
        "Vérifiez hors ligne avec : fuitecheck check --publication {} --nir - --surname …",
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn print_report(report: &CheckReport, source: &dyn Source, admission: &Admission) {
    let info = &report.source;
    if info.demo {
        println!("[DÉMONSTRATION — personnes et fuites fictives, aucun résultat réel]");
    }
    println!(
        "Publication : {} ({}, {})",
        esc(&info.publisher),
        text::source_location(&info.location, Lang::Fr),
        match info.kind {
            check::SourceKind::Offline => "vérification hors ligne, rien n'a été envoyé",
            check::SourceKind::Online => {
                "vérification en ligne : seul le compartiment du numéro (8 bits) a été envoyé"
            }
        }
    );
    println!("  Liste {}", text::provenance(admission, Lang::Fr));
    if admission.expired {
        println!("  {}", text::expired_warning(admission, Lang::Fr));
    }
    if report.matches.is_empty() {
        println!(
            "Aucune correspondance : la liste publiée par {} ne contient pas ces \
             informations. Cela ne prouve pas que vos données n'ont jamais fuité : \
             seules les fuites de cette publication ont été vérifiées, et un nom \
             orthographié autrement dans le fichier de l'organisme ne correspond pas.",
            esc(&info.publisher)
        );
    } else {
        println!(
            "Selon la liste publiée par {}, vous faites partie des personnes concernées par :",
            esc(&info.publisher)
        );
        for m in &report.matches {
            let title = source
                .manifest()
                .breach(&m.breach)
                .map_or(m.breach.as_str(), |b| b.breach.title.fr.as_str());
            println!(
                "  - {} (retrouvé par votre {})",
                esc(title),
                text::variant_label(m.variant, Lang::Fr)
            );
            let cats: Vec<&str> = m
                .categories
                .iter()
                .map(|c| text::category_label(*c, Lang::Fr))
                .collect();
            println!("    Données vous concernant : {}", cats.join(", "));
        }
    }
    for id in &report.unchecked {
        println!(
            "  (fuite « {} » non vérifiable hors ligne : pas de fichier d'ensemble)",
            esc(id)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_text_is_escaped() {
        assert_eq!(
            esc("Mutuelle\u{1b}[2K\u{1b}[1A"),
            "Mutuelle\\u{1b}[2K\\u{1b}[1A"
        );
        assert_eq!(esc("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(
            esc("Fuite « x » — 33\u{a0}000"),
            "Fuite « x » — 33\u{a0}000"
        );
    }
}
