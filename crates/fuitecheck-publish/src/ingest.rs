//! Publisher input, SPEC §8: the organisation's CSV export of its own
//! records of affected people, read through a TOML mapping.
//!
//! The reader streams: rows are parsed and fingerprinted in chunks, so
//! memory holds only the growing list of (lookup, mask) pairs. Rows that
//! cannot be used are skipped and reported by line number and reason only —
//! never their values, which are personal data.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;

use serde::Deserialize;

use crate::publish::{LookupKeys, Record, fingerprint_records_oprf};
use crate::runs::Pair;
use fuitecheck_core::catalogue::Breach;
use fuitecheck_core::category::{Category, CategoryMask};
use fuitecheck_core::fingerprint::{KdfError, KdfParams};
use fuitecheck_core::nir::{Nir, NirError};
use fuitecheck_core::surname::Surname;

/// Records fingerprinted per batch (bounded memory, all cores busy).
const CHUNK: usize = 4096;

/// A column reference: a header name, or a 1-based number.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ColumnRef {
    /// 1-based column number.
    Number(usize),
    /// Header name (or digits, read as a number when there is no header).
    Name(String),
}

impl fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(n) => write!(f, "column {n}"),
            Self::Name(s) => write!(f, "column `{s}`"),
        }
    }
}

/// `[columns]` of the mapping.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// The NIR column (15 characters, or 13 and the key is computed).
    pub nir: ColumnRef,
    /// Birth name column.
    pub birth_name: ColumnRef,
    /// Usage name column.
    #[serde(default)]
    pub usage_name: Option<ColumnRef>,
}

/// `[always]` of the mapping.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Always {
    /// Categories exposed for every record.
    #[serde(default)]
    pub categories: Vec<Category>,
}

/// The mapping file (TOML).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Field delimiter, one ASCII character (default `,`).
    #[serde(default = "default_delimiter")]
    pub delimiter: String,
    /// `utf-8` (default) or `latin-1` (read as Windows-1252).
    #[serde(default = "default_encoding")]
    pub encoding: String,
    /// Whether the first row names the columns (default true).
    #[serde(default = "default_header")]
    pub header: bool,
    /// Identity columns.
    pub columns: Columns,
    /// Per-record categories: category id → columns; the category counts
    /// for a record when any of these columns is non-empty for it.
    #[serde(default)]
    pub categories: BTreeMap<String, Vec<ColumnRef>>,
    /// Categories of every record.
    #[serde(default)]
    pub always: Always,
    /// Publish per-record masks for a `sensitive` breach (SPEC §8). Off by
    /// default: for health data, "medical notes present" attached to a
    /// testable fingerprint is itself health data, so every line carries the
    /// breach's full mask unless the publisher opts in (and is warned).
    #[serde(default)]
    pub per_record_masks: bool,
}

fn default_delimiter() -> String {
    ",".to_owned()
}
fn default_encoding() -> String {
    "utf-8".to_owned()
}
fn default_header() -> bool {
    true
}

/// A mapping or input that cannot be used at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The mapping file is invalid.
    #[error("mapping: {0}")]
    Mapping(String),
    /// The CSV cannot be read (I/O, or its header).
    #[error("input: {0}")]
    Input(String),
    /// The KDF failed.
    #[error(transparent)]
    Kdf(#[from] KdfError),
    /// Cancelled.
    #[error("cancelled")]
    Cancelled,
}

/// Why a row was skipped.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The NIR field is empty.
    EmptyNir,
    /// A character that has no place in a NIR.
    NirBadCharacter,
    /// Not 13 or 15 characters.
    NirBadLength,
    /// The key does not match.
    NirBadKey,
    /// The birth name has no letter.
    EmptySurname,
    /// A usage name is present but has no letter.
    BadUsageName,
    /// Not as many fields as the header.
    WrongColumnCount,
    /// Bytes that are not valid in the declared encoding.
    Undecodable,
    /// The CSV parser could not read the row (e.g. unbalanced quotes).
    Malformed,
}

impl SkipReason {
    /// A short description.
    pub fn describe(self) -> &'static str {
        match self {
            Self::EmptyNir => "empty NIR",
            Self::NirBadCharacter => "NIR has an invalid character",
            Self::NirBadLength => "NIR is not 13 or 15 characters",
            Self::NirBadKey => "NIR key does not match",
            Self::EmptySurname => "birth name is empty or has no letter",
            Self::BadUsageName => "usage name has no letter",
            Self::WrongColumnCount => "wrong number of columns",
            Self::Undecodable => "bytes not valid in the declared encoding",
            Self::Malformed => "malformed CSV row",
        }
    }
}

/// What happened to the input. Holds no personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IngestReport {
    /// Data rows read (header excluded).
    pub rows: u64,
    /// Records kept.
    pub records: u64,
    /// Fingerprints computed (one per distinct surname of a record).
    pub fingerprints: u64,
    /// Skipped rows per reason.
    pub skipped_by_reason: BTreeMap<SkipReason, u64>,
    /// Every skipped row: its line number in the file and the reason.
    pub skipped: Vec<SkippedRow>,
    /// The breach is sensitive and the mapping asked for per-record masks
    /// (`per_record_masks = true`): the tool warns (SPEC §8).
    #[serde(default)]
    pub per_record_masks_on_sensitive: bool,
}

/// One skipped row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SkippedRow {
    /// 1-based line number where the row starts.
    pub line: u64,
    /// Why.
    pub reason: SkipReason,
}

impl IngestReport {
    fn skip(&mut self, line: u64, reason: SkipReason) {
        *self.skipped_by_reason.entry(reason).or_default() += 1;
        self.skipped.push(SkippedRow { line, reason });
    }

    /// Add another slice's report (sharded builds): counts add up and the
    /// skipped rows stay in line order, so the shards of a build report
    /// exactly what a single run reports.
    pub fn absorb(&mut self, other: &IngestReport) {
        self.rows += other.rows;
        self.records += other.records;
        self.fingerprints += other.fingerprints;
        self.per_record_masks_on_sensitive |= other.per_record_masks_on_sensitive;
        for (r, n) in &other.skipped_by_reason {
            *self.skipped_by_reason.entry(*r).or_default() += n;
        }
        self.skipped.extend_from_slice(&other.skipped);
        self.skipped.sort_by_key(|r| r.line);
    }

    /// Rows skipped in all.
    pub fn skipped_total(&self) -> u64 {
        self.skipped_by_reason.values().sum()
    }

    /// A human summary: counts, then line numbers and reasons.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "{} rows read, {} records kept, {} fingerprints, {} rows skipped\n",
            self.rows,
            self.records,
            self.fingerprints,
            self.skipped_total()
        );
        if self.per_record_masks_on_sensitive {
            s.push_str(
                "warning: per_record_masks = true on a sensitive breach: each line \
                 tells whoever can test a person which categories (e.g. medical \
                 notes) their record holds; publish the breach-level mask unless \
                 your DPIA covers this (SPEC §8)\n",
            );
        }
        for (r, n) in &self.skipped_by_reason {
            s.push_str(&format!("  {n} × {}\n", r.describe()));
        }
        for row in &self.skipped {
            s.push_str(&format!("  line {}: {}\n", row.line, row.reason.describe()));
        }
        s
    }
}

#[derive(Debug, Clone, Copy)]
enum Encoding {
    Utf8,
    Windows1252,
}

/// A mapping resolved against a header and a breach.
struct Plan {
    encoding: Encoding,
    nir: usize,
    birth: usize,
    usage: Option<usize>,
    per_record: Vec<(Category, Vec<usize>)>,
    always: CategoryMask,
    width: Option<usize>,
}

impl Mapping {
    /// Parse a mapping file's text.
    pub fn from_toml(text: &str) -> Result<Self, IngestError> {
        toml::from_str(text).map_err(|e| IngestError::Mapping(e.to_string()))
    }

    fn delimiter_byte(&self) -> Result<u8, IngestError> {
        match self.delimiter.as_bytes() {
            [b] if b.is_ascii() && *b != b'"' && *b != b'\n' && *b != b'\r' => Ok(*b),
            _ => Err(IngestError::Mapping(format!(
                "delimiter {:?} must be one ASCII character (not a quote or newline)",
                self.delimiter
            ))),
        }
    }

    fn encoding(&self) -> Result<Encoding, IngestError> {
        match self
            .encoding
            .to_ascii_lowercase()
            .replace('_', "-")
            .as_str()
        {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "latin-1" | "latin1" | "iso-8859-1" | "windows-1252" | "cp1252" => {
                Ok(Encoding::Windows1252)
            }
            other => Err(IngestError::Mapping(format!(
                "encoding `{other}` is not supported (utf-8 or latin-1)"
            ))),
        }
    }

    fn plan(&self, header: Option<&[String]>, breach: &Breach) -> Result<Plan, IngestError> {
        let resolve = |c: &ColumnRef| -> Result<usize, IngestError> {
            let number = match c {
                ColumnRef::Number(n) => Some(*n),
                ColumnRef::Name(s) if header.is_none() => Some(s.trim().parse().map_err(|_| {
                    IngestError::Mapping(format!(
                        "{c}: without a header, columns are 1-based numbers"
                    ))
                })?),
                ColumnRef::Name(_) => None,
            };
            match (number, header) {
                (Some(0), _) => Err(IngestError::Mapping(format!(
                    "{c}: columns are numbered from 1"
                ))),
                (Some(n), Some(h)) if n > h.len() => Err(IngestError::Mapping(format!(
                    "{c}: the header has only {} columns",
                    h.len()
                ))),
                (Some(n), _) => Ok(n - 1),
                (None, Some(h)) => {
                    let ColumnRef::Name(name) = c else {
                        unreachable!("numbers handled above")
                    };
                    h.iter()
                        .position(|x| x == name.trim())
                        .ok_or_else(|| IngestError::Mapping(format!("{c} is not in the header")))
                }
                (None, None) => unreachable!("names without header handled above"),
            }
        };
        let declared = breach.mask();
        let check_declared = |cat: Category| {
            if declared.contains(cat) {
                Ok(())
            } else {
                Err(IngestError::Mapping(format!(
                    "category `{cat}` is not declared for breach `{}` in the catalogue",
                    breach.id
                )))
            }
        };
        let mut per_record = Vec::new();
        for (id, cols) in &self.categories {
            let cat = Category::from_id(id)
                .ok_or_else(|| IngestError::Mapping(format!("unknown category id `{id}`")))?;
            check_declared(cat)?;
            let cols = cols.iter().map(resolve).collect::<Result<Vec<_>, _>>()?;
            per_record.push((cat, cols));
        }
        for &cat in &self.always.categories {
            check_declared(cat)?;
        }
        // A sensitive breach publishes the breach-level mask unless the
        // mapping opts in (SPEC §8): the per-record columns are still
        // checked above, then not used.
        if breach.sensitive && !self.per_record_masks {
            per_record.clear();
        }
        // A publisher that does not reveal per-record detail gets the
        // breach's full mask (SPEC §7).
        let always = if per_record.is_empty()
            && (self.always.categories.is_empty() || breach.sensitive && !self.per_record_masks)
        {
            declared
        } else {
            self.always.categories.iter().copied().collect()
        };
        Ok(Plan {
            encoding: self.encoding()?,
            nir: resolve(&self.columns.nir)?,
            birth: resolve(&self.columns.birth_name)?,
            usage: self.columns.usage_name.as_ref().map(resolve).transpose()?,
            per_record,
            always,
            width: header.map(<[String]>::len),
        })
    }
}

fn decode(bytes: &[u8], enc: Encoding) -> Option<String> {
    match enc {
        Encoding::Utf8 => std::str::from_utf8(bytes).ok().map(str::to_owned),
        Encoding::Windows1252 => {
            let (s, had_errors) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (!had_errors).then(|| s.into_owned())
        }
    }
}

/// Turn one CSV row into a record, or the reason to skip it.
fn row_to_record(row: &csv::ByteRecord, plan: &Plan) -> Result<Record, SkipReason> {
    if let Some(w) = plan.width
        && row.len() != w
    {
        return Err(SkipReason::WrongColumnCount);
    }
    let field = |i: usize| -> Result<zeroize::Zeroizing<String>, SkipReason> {
        let b = row.get(i).ok_or(SkipReason::WrongColumnCount)?;
        decode(b, plan.encoding)
            .map(zeroize::Zeroizing::new)
            .ok_or(SkipReason::Undecodable)
    };
    let nir_text = field(plan.nir)?;
    let nir = Nir::parse_allow_body(&nir_text).map_err(|e| match e {
        NirError::Empty => SkipReason::EmptyNir,
        NirError::InvalidCharacter { .. } => SkipReason::NirBadCharacter,
        NirError::WrongLength { .. } => SkipReason::NirBadLength,
        _ => SkipReason::NirBadKey,
    })?;
    let birth = Surname::parse(&field(plan.birth)?).map_err(|_| SkipReason::EmptySurname)?;
    let usage = match plan.usage {
        Some(i) => {
            let text = field(i)?;
            if text.trim().is_empty() {
                None
            } else {
                Some(Surname::parse(&text).map_err(|_| SkipReason::BadUsageName)?)
            }
        }
        None => None,
    };
    let mut mask = plan.always;
    for (cat, cols) in &plan.per_record {
        for &c in cols {
            let b = row.get(c).ok_or(SkipReason::WrongColumnCount)?;
            let present = match plan.encoding {
                Encoding::Utf8 => !std::str::from_utf8(b)
                    .map_err(|_| SkipReason::Undecodable)?
                    .trim()
                    .is_empty(),
                Encoding::Windows1252 => b.iter().any(|c| !c.is_ascii_whitespace()),
            };
            if present {
                mask.insert(*cat);
            }
        }
    }
    Ok(Record::new(nir, std::iter::once(birth).chain(usage), mask))
}

/// Counts lines as the CSV reader pulls bytes, so that a record's byte
/// offset gives its line number. (The csv crate's own line numbers are off
/// by one after CRLF line ends; its byte offsets point at or after the
/// previous line's terminator, so line = 1 + newlines in `[0, offset]`.)
struct LineCounter<R> {
    inner: R,
    read: u64,
    state: std::rc::Rc<std::cell::RefCell<LineState>>,
}

#[derive(Default)]
struct LineState {
    pending: std::collections::VecDeque<u64>,
    passed: u64,
}

impl LineState {
    fn line_at(&mut self, offset: u64) -> u64 {
        while self.pending.front().is_some_and(|&nl| nl <= offset) {
            self.pending.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut st = self.state.borrow_mut();
        for (i, _) in buf[..n].iter().enumerate().filter(|(_, b)| **b == b'\n') {
            st.pending.push_back(self.read + i as u64);
        }
        self.read += n as u64;
        Ok(n)
    }
}

/// Progress of an ingest: bytes of input consumed and fingerprints done.
#[derive(Debug, Clone, Copy, Default)]
pub struct IngestProgress {
    /// Input bytes parsed so far.
    pub bytes: u64,
    /// Fingerprints computed so far.
    pub fingerprints: u64,
}

/// Which slice of the input rows a run handles: data row `r` (0-based,
/// unreadable rows included) belongs to slice `r % count`. Interleaving
/// keeps the slices the same size whatever the order of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This slice, 0-based.
    pub index: u32,
    /// Number of slices (≥ 1).
    pub count: u32,
}

impl Shard {
    /// The whole input.
    pub const WHOLE: Self = Self { index: 0, count: 1 };

    /// Parse `I/N` (0 ≤ I < N).
    pub fn parse(s: &str) -> Result<Self, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("shard `{s}` is not of the form I/N (e.g. 0/8)"))?;
        let index: u32 = i
            .trim()
            .parse()
            .map_err(|_| format!("shard index `{i}` is not a number"))?;
        let count: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("shard count `{n}` is not a number"))?;
        if count == 0 || index >= count {
            return Err(format!(
                "shard {index}/{count}: the index must be between 0 and {}",
                count.saturating_sub(1)
            ));
        }
        Ok(Self { index, count })
    }

    fn owns(self, row: u64) -> bool {
        row % u64::from(self.count) == u64::from(self.index)
    }
}

/// Read a CSV through a mapping and fingerprint every usable record for
/// `breach`. Returns the (lookup, mask) pairs and the report.
pub fn ingest<R: Read>(
    input: R,
    mapping: &Mapping,
    breach: &Breach,
    kdf: &KdfParams,
    progress: &(dyn Fn(IngestProgress) + Sync),
) -> Result<(Vec<Pair>, IngestReport), IngestError> {
    let mut pairs = Vec::new();
    let report = ingest_with(
        input,
        mapping,
        breach,
        kdf,
        Shard::WHOLE,
        progress,
        &mut |p| {
            pairs.extend(p);
            Ok(())
        },
    )?;
    Ok((pairs, report))
}

/// [`ingest`] for one slice of the rows, handing the pairs to `sink` a
/// chunk at a time (so that they can be spilled to disk: memory stays
/// bounded whatever the input size). The report covers that slice only.
pub fn ingest_with<R: Read>(
    input: R,
    mapping: &Mapping,
    breach: &Breach,
    kdf: &KdfParams,
    shard: Shard,
    progress: &(dyn Fn(IngestProgress) + Sync),
    sink: &mut dyn FnMut(Vec<Pair>) -> Result<(), IngestError>,
) -> Result<IngestReport, IngestError> {
    let keys = LookupKeys { kdf, oprf: None };
    ingest_with_oprf(input, mapping, breach, keys, shard, progress, sink)
}

/// [`ingest_with`] for an OPRF publication when `oprf` is given (SPEC §11:
/// the lookups are those of `y`).
pub fn ingest_with_oprf<R: Read>(
    input: R,
    mapping: &Mapping,
    breach: &Breach,
    keys: LookupKeys<'_>,
    shard: Shard,
    progress: &(dyn Fn(IngestProgress) + Sync),
    sink: &mut dyn FnMut(Vec<Pair>) -> Result<(), IngestError>,
) -> Result<IngestReport, IngestError> {
    let lines = std::rc::Rc::new(std::cell::RefCell::new(LineState::default()));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(mapping.delimiter_byte()?)
        .has_headers(false)
        .flexible(true)
        .from_reader(LineCounter {
            inner: input,
            read: 0,
            state: lines.clone(),
        });
    let encoding = mapping.encoding()?;
    let mut records = reader.byte_records();
    let header: Option<Vec<String>> = if mapping.header {
        let first = records
            .next()
            .ok_or_else(|| IngestError::Input("the file is empty (no header row)".to_owned()))?
            .map_err(|e| IngestError::Input(format!("cannot read the header row: {e}")))?;
        let mut names = Vec::with_capacity(first.len());
        for (i, f) in first.iter().enumerate() {
            let f = if i == 0 {
                f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f)
            } else {
                f
            };
            let name = decode(f, encoding).ok_or_else(|| {
                IngestError::Input(format!(
                    "header column {} is not valid {}",
                    i + 1,
                    mapping.encoding
                ))
            })?;
            names.push(name.trim().to_owned());
        }
        Some(names)
    } else {
        None
    };
    let plan = mapping.plan(header.as_deref(), breach)?;
    let mut report = IngestReport {
        per_record_masks_on_sensitive: breach.sensitive
            && mapping.per_record_masks
            && !mapping.categories.is_empty(),
        ..IngestReport::default()
    };
    let mut row_no = 0u64;
    let mut chunk: Vec<Record> = Vec::with_capacity(CHUNK);
    let done = std::sync::atomic::AtomicU64::new(0);
    let mut bytes = 0u64;
    let mut flush = |chunk: &mut Vec<Record>, bytes: u64| -> Result<(), IngestError> {
        let base = done.load(std::sync::atomic::Ordering::Relaxed);
        let fps = fingerprint_records_oprf(keys.kdf, keys.oprf, chunk, &|n| {
            progress(IngestProgress {
                bytes,
                fingerprints: base + n,
            });
        })?;
        done.fetch_add(fps.len() as u64, std::sync::atomic::Ordering::Relaxed);
        sink(fps)?;
        chunk.clear();
        Ok(())
    };
    for row in records {
        match row {
            Ok(row) => {
                bytes = row.position().map_or(bytes, csv::Position::byte);
                let line = lines.borrow_mut().line_at(bytes);
                // A completely empty line is not a row.
                if row.len() == 1 && row.get(0).is_some_and(<[u8]>::is_empty) {
                    continue;
                }
                row_no += 1;
                if !shard.owns(row_no - 1) {
                    continue;
                }
                report.rows += 1;
                match row_to_record(&row, &plan) {
                    Ok(r) => {
                        report.records += 1;
                        report.fingerprints += r.surnames.len() as u64;
                        chunk.push(r);
                        if chunk.len() >= CHUNK {
                            flush(&mut chunk, bytes)?;
                        }
                    }
                    Err(reason) => report.skip(line, reason),
                }
            }
            Err(e) => {
                let line = match e.position() {
                    Some(p) => lines.borrow_mut().line_at(p.byte()),
                    None => 0,
                };
                if let csv::ErrorKind::Io(io) = e.kind() {
                    return Err(IngestError::Input(format!(
                        "read error near line {line}: {io}"
                    )));
                }
                row_no += 1;
                if !shard.owns(row_no - 1) {
                    continue;
                }
                report.rows += 1;
                report.skip(line, SkipReason::Malformed);
            }
        }
    }
    flush(&mut chunk, bytes)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fuitecheck_core::catalogue::Catalogue;
    use fuitecheck_core::fingerprint::Lookup;

    fn breach() -> Breach {
        Catalogue::from_json(fuitecheck_core::demo::DEMO_BREACHES)
            .unwrap()
            .get("demo-laboratoire-fictif")
            .unwrap()
            .clone()
    }

    fn kdf() -> KdfParams {
        KdfParams {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
            salt: hex::decode("00112233445566778899aabbccddeeff").unwrap(),
        }
    }

    fn lookup(nir: &str, name: &str) -> Lookup {
        kdf()
            .lookup(&Nir::parse(nir).unwrap(), &Surname::parse(name).unwrap())
            .unwrap()
    }

    fn run(mapping: &str, csv: &[u8]) -> (Vec<Pair>, IngestReport) {
        let m = Mapping::from_toml(mapping).unwrap();
        ingest(csv, &m, &breach(), &kdf(), &|_| {}).unwrap()
    }

    const MAPPING: &str = r#"
delimiter = ";"
encoding = "latin-1"
per_record_masks = true
[columns]
nir = "NUM_SECU"
birth_name = "NOM"
usage_name = "NOM_USAGE"
[categories]
phone = ["TEL"]
medical_notes = ["COMMENTAIRE"]
[always]
categories = ["identity", "nir", "birth_date"]
"#;

    #[test]
    fn messy_latin1_csv() {
        let mut csv = Vec::new();
        csv.extend_from_slice(b"NUM_SECU;NOM;NOM_USAGE;TEL;COMMENTAIRE\r\n");
        // Spaced NIR, accented name in Windows-1252 (\xe8 = e grave).
        csv.extend_from_slice(b"1 85 05 78 006 084 91;Lef\xe8vre;;0600000000;\r\n");
        // 13-character body, lowercase 2a, dotted; usage name; quoted field with ;
        csv.extend_from_slice(
            b"2.53.07.2a.073.004;\"Le Gall; Dupont\";Martin;;\"suivi; note\"\r\n",
        );
        csv.extend_from_slice(b"185057800608492;Martin;;;\r\n"); // bad key
        csv.extend_from_slice(b"185057800608491;;;;\r\n"); // empty surname
        csv.extend_from_slice(b"185057800608491;Martin\r\n"); // short row
        csv.extend_from_slice(b"\r\n"); // blank line: not a row
        csv.extend_from_slice(b"2930275056001;N'Diaye;;;\r\n");
        let (pairs, report) = run(MAPPING, &csv);
        assert_eq!(report.rows, 6);
        assert_eq!(report.records, 3);
        assert_eq!(report.skipped_total(), 3);
        assert_eq!(
            report.skipped,
            vec![
                SkippedRow {
                    line: 4,
                    reason: SkipReason::NirBadKey
                },
                SkippedRow {
                    line: 5,
                    reason: SkipReason::EmptySurname
                },
                SkippedRow {
                    line: 6,
                    reason: SkipReason::WrongColumnCount
                },
            ]
        );
        assert_eq!(report.fingerprints, 4, "the usage name adds one");
        let l1 = lookup("185057800608491", "LEFEVRE");
        let mask1 = pairs.iter().find(|p| p.1 == l1).unwrap().2;
        // Each fingerprint carries the bucket of its record's NIR (SPEC
        // v1.1 §10: 185057800608491 is in bucket 15).
        let b1 = pairs.iter().find(|p| p.1 == l1).unwrap().0;
        assert_eq!(b1.text(2), "15");
        assert!(mask1.contains(Category::Phone));
        assert!(!mask1.contains(Category::MedicalNotes));
        let l2 = lookup("253072A07300443", "LEGALLDUPONT");
        let mask2 = pairs.iter().find(|p| p.1 == l2).unwrap().2;
        assert!(mask2.contains(Category::MedicalNotes));
        assert!(
            pairs
                .iter()
                .any(|p| p.1 == lookup("293027505600111", "NDIAYE"))
        );
        // The report never holds values.
        let text = report.to_text();
        assert!(!text.contains("Martin") && !text.contains("1850578"));
    }

    #[test]
    fn a_sensitive_breach_gets_its_full_mask_unless_the_mapping_opts_in() {
        let csv = b"NUM_SECU;NOM;NOM_USAGE;TEL;COMMENTAIRE\r\n\
                    185057800608491;Lefevre;;0600000000;\r\n\
                    253072A07300443;Le Gall-Dupont;;;suivi\r\n";
        assert!(breach().sensitive);
        let default = MAPPING.replace("per_record_masks = true\n", "");
        let (pairs, report) = run(&default, csv);
        assert_eq!(pairs.len(), 2);
        assert!(
            pairs.iter().all(|p| p.2 == breach().mask()),
            "breach-level mask on every line"
        );
        assert!(!report.per_record_masks_on_sensitive);
        let (pairs, report) = run(MAPPING, csv);
        assert!(pairs.iter().any(|p| p.2 != breach().mask()));
        assert!(report.per_record_masks_on_sensitive, "the tool must warn");
    }

    #[test]
    fn utf8_without_header_by_number_with_bom() {
        let mapping = r#"
header = false
[columns]
nir = 2
birth_name = "1"
"#;
        let csv = "\u{feff}Müller-Straße,171019913504204\nN'Diaye,\"293027505600111\"\n".as_bytes();
        let (pairs, report) = run(mapping, csv);
        assert_eq!(report.records, 2, "{report:?}");
        // No categories in the mapping: the breach's full mask.
        assert!(pairs.iter().all(|p| p.2 == breach().mask()));
        assert!(
            pairs
                .iter()
                .any(|p| p.1 == lookup("293027505600111", "NDIAYE"))
        );
    }

    #[test]
    fn undecodable_utf8_is_skipped() {
        let mapping = "[columns]\nnir = \"n\"\nbirth_name = \"s\"\n";
        let csv = b"n,s\n185057800608491,Lef\xe8vre\n";
        let (_, report) = run(mapping, csv);
        assert_eq!(report.skipped[0].reason, SkipReason::Undecodable);
    }

    #[test]
    fn mapping_errors_are_clear() {
        let m = |t: &str| Mapping::from_toml(t).map(|_| ()).unwrap_err().to_string();
        assert!(m("[columns]\nnir = \"a\"\n").contains("birth_name"));
        assert!(m("bogus = 1\n[columns]\nnir=\"a\"\nbirth_name=\"b\"").contains("bogus"));
        let plan_err = |t: &str, csv: &[u8]| {
            let m = Mapping::from_toml(t).unwrap();
            ingest(csv, &m, &breach(), &kdf(), &|_| {})
                .unwrap_err()
                .to_string()
        };
        let base = "[columns]\nnir = \"n\"\nbirth_name = \"s\"\n";
        assert!(plan_err(base, b"n,x\n").contains("`s` is not in the header"));
        assert!(
            plan_err(&format!("{base}[categories]\nfamily = [\"n\"]\n"), b"n,s\n")
                .contains("not declared")
        );
        assert!(
            plan_err(&format!("{base}[categories]\nnope = [\"n\"]\n"), b"n,s\n")
                .contains("unknown category")
        );
        assert!(plan_err(&format!("delimiter = \";;\"\n{base}"), b"n;s\n").contains("delimiter"));
        assert!(plan_err(&format!("encoding = \"ebcdic\"\n{base}"), b"n,s\n").contains("ebcdic"));
        assert!(plan_err(base, b"").contains("empty"));
    }
}
