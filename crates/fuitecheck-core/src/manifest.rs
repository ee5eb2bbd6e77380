//! The publication manifest, SPEC §6.

use serde::{Deserialize, Serialize};

use crate::catalogue::{Breach, CatalogueError, parse_breaches};
use crate::fingerprint::{KdfError, KdfParams, MAX_ITERATIONS, MAX_MEMORY_KIB, MAX_PARALLELISM};
use crate::text::ForbiddenChar;

/// The only manifest format this version reads.
pub const FORMAT: &str = "fuitecheck-manifest/1";

/// A manifest that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ManifestError {
    /// Not JSON or not the expected shape.
    #[error("invalid manifest: {0}")]
    Json(String),
    /// A manifest field is wrong.
    #[error("invalid manifest field `{field}`: {reason}")]
    Field {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A breach entry is wrong.
    #[error("invalid manifest: {0}")]
    Breach(#[from] CatalogueError),
    /// The KDF parameters are refused.
    #[error("invalid manifest: {0}")]
    Kdf(#[from] KdfError),
    /// A bounded field is outside its bounds (SPEC §6), checked before any
    /// work.
    #[error("invalid manifest field `{field}`: {value} is outside {min}–{max}")]
    OutOfBounds {
        /// The field, e.g. `kdf.iterations`.
        field: &'static str,
        /// The value found.
        value: u64,
        /// The smallest value allowed.
        min: u64,
        /// The largest value allowed.
        max: u64,
    },
    /// A string value carries a character SPEC §6 forbids (control, line
    /// separator or bidirectional control): `path` is its JSON path.
    #[error("invalid manifest: {path}: U+{:04X} not allowed", u32::from(*codepoint))]
    ForbiddenChar {
        /// JSON path, e.g. `breaches[0].title.fr`.
        path: String,
        /// The character.
        codepoint: char,
    },
}

impl From<ForbiddenChar> for ManifestError {
    fn from(e: ForbiddenChar) -> Self {
        Self::ForbiddenChar {
            path: e.path,
            codepoint: e.codepoint,
        }
    }
}

/// Smallest and largest `range.prefix_hex_chars` (SPEC §6: a longer bucket
/// would narrow the NIR to a handful of candidates).
pub const PREFIX_HEX_CHARS: std::ops::RangeInclusive<u8> = 1..=2;
/// Largest `range.pad_lines` (SPEC §6).
pub const MAX_PAD_LINES: u32 = 4 * 1024 * 1024;

/// The bounds of SPEC §6 a client enforces before any work: KDF cost,
/// bucket length and padding. The publisher checks the same before writing.
pub fn check_bounds(kdf: &KdfParams, range: &RangeParams) -> Result<(), ManifestError> {
    let within = |field: &'static str, value: u64, min: u64, max: u64| {
        if (min..=max).contains(&value) {
            Ok(())
        } else {
            Err(ManifestError::OutOfBounds {
                field,
                value,
                min,
                max,
            })
        }
    };
    within(
        "kdf.memory_kib",
        kdf.memory_kib.into(),
        1,
        MAX_MEMORY_KIB.into(),
    )?;
    within(
        "kdf.iterations",
        kdf.iterations.into(),
        1,
        MAX_ITERATIONS.into(),
    )?;
    within(
        "kdf.parallelism",
        kdf.parallelism.into(),
        1,
        MAX_PARALLELISM.into(),
    )?;
    within(
        "range.prefix_hex_chars",
        range.prefix_hex_chars.into(),
        (*PREFIX_HEX_CHARS.start()).into(),
        (*PREFIX_HEX_CHARS.end()).into(),
    )?;
    within(
        "range.pad_lines",
        range.pad_lines.into(),
        1,
        MAX_PAD_LINES.into(),
    )
}

/// Largest `sequence` (2^53 − 1, the largest integer every JSON reader
/// keeps exactly).
pub const MAX_SEQUENCE: u64 = (1 << 53) - 1;

/// Seconds since the Unix epoch of an RFC 3339 UTC time
/// (`YYYY-MM-DDTHH:MM:SS`, optional fraction, then `Z` or `+00:00`;
/// `T`/`Z` in either case); `None` for anything else, another offset
/// included. A leap second (`:60`) counts as `:59`.
pub fn parse_utc(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't'))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    let mut rest = b.get(19..)?;
    if let Some(frac) = rest.strip_prefix(b".") {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = &frac[digits..];
    }
    if !matches!(rest, b"Z" | b"z" | b"+00:00") {
        return None;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let max_day = *month_days.get(usize::try_from(month.checked_sub(1)?).ok()?)?;
    if !(1..=max_day).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second.min(59))
}

/// The `kdf` object as written in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfJson {
    /// Always `argon2id`.
    pub algorithm: String,
    /// Always 19 (0x13).
    pub version: u32,
    /// Memory cost in KiB.
    pub memory_kib: u32,
    /// Passes.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
    /// Hex salt, 32 characters or more.
    pub salt: String,
}

/// The only `range.scheme` (SPEC v1.1 §6, §7.1): range answers keyed by
/// the bucket of the NIR.
pub const RANGE_SCHEME: &str = "nir-bucket";

/// The `range` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeParams {
    /// How range answers are keyed: [`RANGE_SCHEME`]. Absent or another
    /// value: the publication cannot be checked online
    /// ([`RangeParams::check_scheme`]); offline checks do not need it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// Hex characters of a bucket, 1 or 2 ([`PREFIX_HEX_CHARS`]).
    pub prefix_hex_chars: u8,
    /// Lines in every range response.
    pub pad_lines: u32,
    /// Required: for every bucket in numeric order (16^P entries), the
    /// first 16 bytes of the SHA-256 of its range answer (with `\n` line
    /// ends), 32 lowercase hex characters — so that every range answer is
    /// covered by the manifest's signature.
    pub bucket_digests: Vec<String>,
}

impl RangeParams {
    /// Refuse a manifest whose range answers are not keyed by the NIR
    /// bucket (SPEC v1.1 §6): what an online check requires.
    pub fn check_scheme(&self) -> Result<(), ManifestError> {
        match self.scheme.as_deref() {
            Some(RANGE_SCHEME) => Ok(()),
            Some(other) => Err(ManifestError::Field {
                field: "range.scheme",
                reason: format!("`{other}` is not supported (expected `{RANGE_SCHEME}`)"),
            }),
            None => Err(ManifestError::Field {
                field: "range.scheme",
                reason: format!("missing (expected `{RANGE_SCHEME}`)"),
            }),
        }
    }
}

/// The `oprf` object of an OPRF publication (SPEC §11), as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct OprfJson {
    suite: String,
    mode: String,
    public_key: String,
    endpoint: String,
    batch: u64,
}

/// Longest `oprf.endpoint`, in bytes (SPEC §11 gives no bound; documented
/// in `docs/protocol.md`).
pub const MAX_OPRF_ENDPOINT_BYTES: usize = 256;

/// The `oprf` object of an OPRF publication (SPEC §11), validated: its
/// lookups come from the VOPRF output under `public_key`'s secret half.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OprfParams {
    /// `pkS`, which every answer's proof must verify against.
    pub public_key: crate::oprf::OprfPublicKey,
    /// Relative path of the evaluation endpoint (e.g. `v1/oprf`), resolved
    /// against the publication's base URL ([`check_oprf_endpoint`]).
    pub endpoint: String,
    /// Exactly this many blinded elements per request, 1–8.
    pub batch: u8,
}

impl OprfParams {
    fn from_json(raw: OprfJson) -> Result<Self, ManifestError> {
        let field = |field: &'static str, reason: String| ManifestError::Field { field, reason };
        if raw.suite != crate::oprf::SUITE {
            return Err(field(
                "oprf.suite",
                format!(
                    "`{}` is not supported (expected `{}`)",
                    raw.suite,
                    crate::oprf::SUITE
                ),
            ));
        }
        if raw.mode != crate::oprf::MODE {
            return Err(field(
                "oprf.mode",
                format!(
                    "`{}` is not supported (expected `{}`)",
                    raw.mode,
                    crate::oprf::MODE
                ),
            ));
        }
        let public_key = crate::oprf::OprfPublicKey::from_hex(&raw.public_key)
            .map_err(|e| field("oprf.public_key", e.to_string()))?;
        check_oprf_endpoint(&raw.endpoint)?;
        let (min, max) = (crate::oprf::MIN_BATCH as u64, crate::oprf::MAX_BATCH as u64);
        let batch = u8::try_from(raw.batch)
            .ok()
            .filter(|_| (min..=max).contains(&raw.batch))
            .ok_or(ManifestError::OutOfBounds {
                field: "oprf.batch",
                value: raw.batch,
                min,
                max,
            })?;
        Ok(Self {
            public_key,
            endpoint: raw.endpoint,
            batch,
        })
    }

    fn to_json(&self) -> OprfJson {
        OprfJson {
            suite: crate::oprf::SUITE.to_owned(),
            mode: crate::oprf::MODE.to_owned(),
            public_key: self.public_key.to_hex(),
            endpoint: self.endpoint.clone(),
            batch: self.batch.into(),
        }
    }
}

/// SPEC §11: `oprf.endpoint` is a relative path — no scheme, no host, no
/// `..`. Made precise (`docs/protocol.md`): 1–[`MAX_OPRF_ENDPOINT_BYTES`]
/// bytes of `A–Z a–z 0–9 - . _ ~ /`, not starting or ending with `/`, no
/// empty, `.` or `..` segment.
pub fn check_oprf_endpoint(endpoint: &str) -> Result<(), ManifestError> {
    let err = |reason: &str| ManifestError::Field {
        field: "oprf.endpoint",
        reason: reason.to_owned(),
    };
    if endpoint.is_empty() || endpoint.len() > MAX_OPRF_ENDPOINT_BYTES {
        return Err(err("must be 1 to 256 bytes long"));
    }
    if !endpoint
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~' | b'/'))
    {
        return Err(err(
            "must be a relative path of letters, digits and - . _ ~ / (no scheme, host, query)",
        ));
    }
    if endpoint
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err(err(
            "must be a relative path with no empty, `.` or `..` segment",
        ));
    }
    Ok(())
}

/// Hex characters of a [`RangeParams::bucket_digests`] entry.
pub const BUCKET_DIGEST_HEX: usize = 32;

/// A breach's offline set file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetInfo {
    /// Path relative to `v1/`, e.g. `sets/<id>.fcset`.
    pub path: String,
    /// Lowercase hex SHA-256 of the file.
    pub sha256: String,
    /// File size.
    pub bytes: u64,
    /// Entries in the set.
    pub entries: u64,
}

/// A breach as published: its description plus its set file, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedBreach {
    /// The description (SPEC §5).
    pub breach: Breach,
    /// The set file, absent when only the range API offers it.
    pub set: Option<SetInfo>,
}

/// A parsed, validated manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// Who published it.
    pub publisher: String,
    /// RFC 3339 UTC time of the signing ([`parse_utc`] reads it).
    pub generated_at: String,
    /// Raised by one at every signing (SPEC §6): a client refuses a lower
    /// one than it already accepted for the same key (rollback). 0 only in
    /// the publisher's unsigned working copy after `init`.
    pub sequence: u64,
    /// RFC 3339 UTC time past which the list may be out of date.
    pub expires: Option<String>,
    /// Declared as demonstration data.
    pub demo: bool,
    /// KDF parameters.
    pub kdf: KdfParams,
    /// Range API parameters.
    pub range: RangeParams,
    /// Present in an OPRF publication (SPEC §11): its lookups need one
    /// request to the publisher.
    pub oprf: Option<OprfParams>,
    /// The breaches.
    pub breaches: Vec<PublishedBreach>,
}

#[derive(Deserialize)]
struct RawManifest {
    format: String,
    publisher: String,
    generated_at: String,
    sequence: u64,
    #[serde(default)]
    expires: Option<String>,
    demo: bool,
    kdf: KdfJson,
    range: RangeParams,
    #[serde(default)]
    oprf: Option<OprfJson>,
    breaches: Vec<serde_json::Value>,
}

impl Manifest {
    /// Parse and validate the exact bytes of `manifest.json` (after its
    /// signature was checked).
    pub fn from_json(bytes: &[u8]) -> Result<Self, ManifestError> {
        // Every string, unknown fields included, before anything else (and
        // before serde could quote one in an error message). The typed
        // parse below still reads the bytes, so that a duplicate field
        // stays an error.
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| ManifestError::Json(e.to_string()))?;
        crate::text::check_json(&value)?;
        drop(value);
        let raw: RawManifest =
            serde_json::from_slice(bytes).map_err(|e| ManifestError::Json(e.to_string()))?;
        let field = |field: &'static str, reason: String| ManifestError::Field { field, reason };
        if raw.format != FORMAT {
            return Err(field(
                "format",
                format!("`{}` is not supported (expected `{FORMAT}`)", raw.format),
            ));
        }
        if parse_utc(&raw.generated_at).is_none() {
            return Err(field(
                "generated_at",
                format!("`{}` is not an RFC 3339 UTC time", raw.generated_at),
            ));
        }
        if raw.sequence > MAX_SEQUENCE {
            return Err(ManifestError::OutOfBounds {
                field: "sequence",
                value: raw.sequence,
                min: 0,
                max: MAX_SEQUENCE,
            });
        }
        if let Some(expires) = &raw.expires
            && parse_utc(expires).is_none()
        {
            return Err(field(
                "expires",
                format!("`{expires}` is not an RFC 3339 UTC time"),
            ));
        }
        if raw.kdf.algorithm != "argon2id" {
            return Err(field(
                "kdf.algorithm",
                format!("`{}` is not argon2id", raw.kdf.algorithm),
            ));
        }
        if raw.kdf.version != 19 {
            return Err(field(
                "kdf.version",
                format!("{} is not 19", raw.kdf.version),
            ));
        }
        let salt =
            hex::decode(&raw.kdf.salt).map_err(|e| field("kdf.salt", format!("not hex: {e}")))?;
        let kdf = KdfParams {
            memory_kib: raw.kdf.memory_kib,
            iterations: raw.kdf.iterations,
            parallelism: raw.kdf.parallelism,
            salt,
        };
        check_bounds(&kdf, &raw.range)?;
        kdf.validate(raw.demo)?;
        {
            let d = &raw.range.bucket_digests;
            let want = crate::bucket::bucket_count(raw.range.prefix_hex_chars) as usize;
            if d.len() != want {
                return Err(field(
                    "range.bucket_digests",
                    format!("{} entries, {want} expected (one per bucket)", d.len()),
                ));
            }
            if let Some(i) = d.iter().position(|x| {
                x.len() != BUCKET_DIGEST_HEX
                    || !x
                        .bytes()
                        .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
            }) {
                return Err(field(
                    "range.bucket_digests",
                    format!("entry {i} is not {BUCKET_DIGEST_HEX} lowercase hex characters"),
                ));
            }
        }
        let oprf = raw.oprf.map(OprfParams::from_json).transpose()?;
        let mut breaches = Vec::new();
        for (breach, value) in parse_breaches(raw.breaches)? {
            let set = match value.get("set") {
                None | Some(serde_json::Value::Null) => None,
                Some(v) => {
                    let set = SetInfo::deserialize(v).map_err(|e| CatalogueError::Breach {
                        breach: format!("`{}`", breach.id),
                        reason: format!("field `set`: {e}"),
                    })?;
                    validate_set(&breach.id, &set)?;
                    Some(set)
                }
            };
            breaches.push(PublishedBreach { breach, set });
        }
        Ok(Self {
            publisher: raw.publisher,
            generated_at: raw.generated_at,
            sequence: raw.sequence,
            expires: raw.expires,
            demo: raw.demo,
            kdf,
            range: raw.range,
            oprf,
            breaches,
        })
    }

    /// [`Manifest::from_json`] for a manifest whose signature verified:
    /// also refuses `sequence` 0, which only an unsigned working copy
    /// carries (SPEC §6: ≥ 1 in any signed manifest).
    pub fn from_signed_json(bytes: &[u8]) -> Result<Self, ManifestError> {
        let m = Self::from_json(bytes)?;
        if m.sequence == 0 {
            return Err(ManifestError::OutOfBounds {
                field: "sequence",
                value: 0,
                min: 1,
                max: MAX_SEQUENCE,
            });
        }
        Ok(m)
    }

    /// `generated_at` in seconds since the Unix epoch (validated by
    /// [`Manifest::from_json`]).
    pub fn generated_at_unix(&self) -> i64 {
        parse_utc(&self.generated_at).unwrap_or(0)
    }

    /// `expires` in seconds since the Unix epoch, when present.
    pub fn expires_unix(&self) -> Option<i64> {
        self.expires.as_deref().and_then(parse_utc)
    }

    /// Serialize (publisher side). Deterministic for a given manifest.
    pub fn to_json_pretty(&self) -> String {
        let breaches: Vec<serde_json::Value> = self
            .breaches
            .iter()
            .map(|pb| {
                let mut v = serde_json::to_value(&pb.breach).unwrap_or_default();
                if let (Some(set), Some(obj)) = (&pb.set, v.as_object_mut()) {
                    obj.insert(
                        "set".to_owned(),
                        serde_json::to_value(set).unwrap_or_default(),
                    );
                }
                v
            })
            .collect();
        let mut v = serde_json::json!({
            "format": FORMAT,
            "publisher": self.publisher,
            "generated_at": self.generated_at,
            "sequence": self.sequence,
            "demo": self.demo,
            "kdf": KdfJson {
                algorithm: "argon2id".to_owned(),
                version: 19,
                memory_kib: self.kdf.memory_kib,
                iterations: self.kdf.iterations,
                parallelism: self.kdf.parallelism,
                salt: hex::encode(&self.kdf.salt),
            },
            "range": self.range,
            "breaches": breaches,
        });
        if let (Some(expires), Some(obj)) = (&self.expires, v.as_object_mut()) {
            obj.insert("expires".to_owned(), expires.clone().into());
        }
        if let (Some(oprf), Some(obj)) = (&self.oprf, v.as_object_mut()) {
            obj.insert(
                "oprf".to_owned(),
                serde_json::to_value(oprf.to_json()).unwrap_or_default(),
            );
        }
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Find a breach by code.
    pub fn breach_by_code(&self, code: u16) -> Option<&PublishedBreach> {
        self.breaches.iter().find(|b| b.breach.code == code)
    }

    /// Find a breach by id.
    pub fn breach(&self, id: &str) -> Option<&PublishedBreach> {
        self.breaches.iter().find(|b| b.breach.id == id)
    }
}

fn validate_set(id: &str, set: &SetInfo) -> Result<(), CatalogueError> {
    let err = |reason: &str| CatalogueError::Field {
        breach: format!("`{id}`"),
        field: "set".to_owned(),
        reason: reason.to_owned(),
    };
    // A relative path inside `v1/sets/`, no traversal.
    let name = set
        .path
        .strip_prefix("sets/")
        .ok_or_else(|| err("path must be sets/<name>.fcset"))?;
    if name.is_empty()
        || !name.ends_with(".fcset")
        || !name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        || name.starts_with('.')
    {
        return Err(err("path must be sets/<name>.fcset with a plain file name"));
    }
    if set.sha256.len() != 64 || !set.sha256.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(err("sha256 must be 64 hex characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample(demo: bool, m: u32, t: u32) -> String {
        format!(
            r#"{{
  "format": "fuitecheck-manifest/1", "publisher": "Mutuelle Exemple",
  "generated_at": "2026-11-22T10:00:00Z", "sequence": 7, "demo": {demo},
  "kdf": {{"algorithm": "argon2id", "version": 19, "memory_kib": {m},
          "iterations": {t}, "parallelism": 1, "salt": "00112233445566778899aabbccddeeff"}},
  "range": {{"scheme": "nir-bucket", "prefix_hex_chars": 2, "pad_lines": 4096,
            "bucket_digests": [{digests}]}},
  "breaches": [{{"id": "b", "code": 2, "title": {{"fr": "B", "en": "B"}},
     "organisation": "O", "breach_date": "2024-01", "disclosed_date": "2024-02-07",
     "people": 3, "categories": ["identity", "birth_date", "nir"],
     "description": {{"fr": "d", "en": "d"}}, "sensitive": false,
     "sources": ["https://example.org"],
     "set": {{"path": "sets/b.fcset", "sha256": "{sha}", "bytes": 123, "entries": 456}}}}]
}}"#,
            sha = "ab".repeat(32),
            digests = (0..256)
                .map(|i| format!("\"{i:032x}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    #[test]
    fn parses_spec_example() {
        let m = Manifest::from_json(sample(false, 65536, 3).as_bytes()).unwrap();
        assert_eq!(m.publisher, "Mutuelle Exemple");
        assert_eq!(m.range.prefix_hex_chars, 2);
        let b = m.breach_by_code(2).unwrap();
        assert_eq!(b.set.as_ref().unwrap().entries, 456);
        // Round trip through our serializer.
        let again = Manifest::from_json(m.to_json_pretty().as_bytes()).unwrap();
        assert_eq!(again, m);
    }

    #[test]
    fn kdf_floor_applies_to_real_publications_only() {
        let e = Manifest::from_json(sample(false, 64, 1).as_bytes()).unwrap_err();
        assert!(e.to_string().contains("too low"), "{e}");
        assert!(Manifest::from_json(sample(true, 64, 1).as_bytes()).is_ok());
    }

    #[test]
    fn field_errors() {
        let s = sample(false, 65536, 3);
        let e = Manifest::from_json(s.replace("manifest/1", "manifest/2").as_bytes()).unwrap_err();
        assert!(e.to_string().contains("`format`"), "{e}");
        let e =
            Manifest::from_json(s.replace("sets/b.fcset", "../b.fcset").as_bytes()).unwrap_err();
        assert!(
            e.to_string().contains("`b`") && e.to_string().contains("`set`"),
            "{e}"
        );
        let e = Manifest::from_json(
            s.replace("\"prefix_hex_chars\": 2", "\"prefix_hex_chars\": 5")
                .as_bytes(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("prefix_hex_chars"), "{e}");
        let e = Manifest::from_json(s.replace("0011223344", "zz11223344").as_bytes()).unwrap_err();
        assert!(e.to_string().contains("kdf.salt"), "{e}");
        let e = Manifest::from_json(s.replace("\"entries\": 456", "\"entries\": -1").as_bytes())
            .unwrap_err();
        assert!(e.to_string().contains("`set`"), "{e}");
    }

    #[test]
    fn sequence_expires_and_generated_at() {
        let s = sample(false, 65536, 3);
        let m = Manifest::from_json(s.as_bytes()).unwrap();
        assert_eq!(m.sequence, 7);
        assert_eq!(m.expires, None);
        assert_eq!(m.generated_at_unix(), 1_795_341_600);
        // Required.
        let e = Manifest::from_json(s.replace("\"sequence\": 7, ", "").as_bytes()).unwrap_err();
        assert!(e.to_string().contains("sequence"), "{e}");
        // Bounded, and ≥ 1 once signed.
        let e = Manifest::from_json(
            s.replace("\"sequence\": 7", "\"sequence\": 9007199254740992")
                .as_bytes(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("`sequence`"), "{e}");
        let zero = s.replace("\"sequence\": 7", "\"sequence\": 0");
        assert!(Manifest::from_json(zero.as_bytes()).is_ok());
        let e = Manifest::from_signed_json(zero.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("`sequence`: 0 is outside 1"), "{e}");
        // Times are RFC 3339 UTC.
        let e = Manifest::from_json(s.replace("2026-11-22T10:00:00Z", "22/11/2026").as_bytes())
            .unwrap_err();
        assert!(e.to_string().contains("`generated_at`"), "{e}");
        let with = |expires: &str| {
            s.replace(
                "\"sequence\": 7,",
                &format!("\"sequence\": 7, \"expires\": \"{expires}\","),
            )
        };
        let m = Manifest::from_json(with("2027-11-22T00:00:00Z").as_bytes()).unwrap();
        assert_eq!(m.expires_unix(), Some(1_826_841_600));
        // Written back the same.
        let again = Manifest::from_json(m.to_json_pretty().as_bytes()).unwrap();
        assert_eq!(again, m);
        let e = Manifest::from_json(with("2027-11-22T00:00:00+01:00").as_bytes()).unwrap_err();
        assert!(e.to_string().contains("`expires`"), "{e}");
    }

    #[test]
    fn parse_utc_refuses_what_is_not_utc_rfc3339() {
        assert_eq!(parse_utc("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_utc("2024-02-29t23:59:60.5z"), Some(1_709_251_199));
        for bad in [
            "2026-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-22 10:00:00Z",
            "2026-11-22T10:00:00",
            "2026-11-22T10:00:00+01:00",
            "2026-11-22T24:00:00Z",
            "2026-11-22T10:00:00.Z",
            "+026-11-22T10:00:00Z",
            "2026-11-22T10:00:00Zjunk",
            "",
        ] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
    }

    /// SPEC §6 bounds, each refused with an error naming the field, the
    /// value and the bounds, whether demo or not.
    #[test]
    fn bounds_are_enforced_naming_the_field() {
        let s = sample(true, 1024, 1);
        let refused = |from: &str, to: &str| {
            let text = s.replacen(from, to, 1);
            assert_ne!(text, s, "{from}");
            let e = Manifest::from_json(text.as_bytes()).unwrap_err();
            assert!(matches!(e, ManifestError::OutOfBounds { .. }), "{e:?}");
            e.to_string()
        };
        let accepted = |from: &str, to: &str| {
            let text = s.replacen(from, to, 1);
            assert_ne!(text, s, "{from}");
            Manifest::from_json(text.as_bytes()).unwrap()
        };
        assert_eq!(
            refused("\"memory_kib\": 1024", "\"memory_kib\": 4194305"),
            "invalid manifest field `kdf.memory_kib`: 4194305 is outside 1–4194304"
        );
        assert_eq!(
            refused("\"iterations\": 1", "\"iterations\": 17"),
            "invalid manifest field `kdf.iterations`: 17 is outside 1–16"
        );
        assert_eq!(
            refused("\"parallelism\": 1", "\"parallelism\": 17"),
            "invalid manifest field `kdf.parallelism`: 17 is outside 1–16"
        );
        for p in ["0", "3", "4", "5"] {
            assert_eq!(
                refused(
                    "\"prefix_hex_chars\": 2",
                    &format!("\"prefix_hex_chars\": {p}")
                ),
                format!("invalid manifest field `range.prefix_hex_chars`: {p} is outside 1–2")
            );
        }
        assert_eq!(
            refused("\"pad_lines\": 4096", "\"pad_lines\": 4194305"),
            "invalid manifest field `range.pad_lines`: 4194305 is outside 1–4194304"
        );
        assert!(refused("\"pad_lines\": 4096", "\"pad_lines\": 0").contains("range.pad_lines"));
        // The bounds themselves are accepted (no Argon2 runs here).
        accepted("\"iterations\": 1", "\"iterations\": 16");
        let m = accepted("\"parallelism\": 1", "\"parallelism\": 16");
        assert_eq!(m.kdf.parallelism, 16);
        // P = 1 with its 16 digests.
        let p1 = s.replacen("\"prefix_hex_chars\": 2", "\"prefix_hex_chars\": 1", 1);
        let start = p1.find("\"bucket_digests\": [").unwrap() + "\"bucket_digests\": [".len();
        let end = p1[start..].find(']').unwrap() + start;
        let sixteen = (0..16)
            .map(|i| format!("\"{i:032x}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let p1 = format!("{}{sixteen}{}", &p1[..start], &p1[end..]);
        assert_eq!(
            Manifest::from_json(p1.as_bytes())
                .unwrap()
                .range
                .prefix_hex_chars,
            1
        );
        accepted("\"pad_lines\": 4096", "\"pad_lines\": 4194304");
        accepted("\"memory_kib\": 1024", "\"memory_kib\": 4194304");
    }

    /// SPEC §6: no control, line separator or bidirectional control in any
    /// string of the manifest, embedded breaches and unknown fields
    /// included; the error names the JSON path and the code point.
    #[test]
    fn forbidden_characters_are_refused_with_their_path() {
        let s = sample(false, 65536, 3);
        let refused = |from: &str, to: &str| {
            let text = s.replacen(from, to, 1);
            assert_ne!(text, s, "{from}");
            let e = Manifest::from_json(text.as_bytes()).unwrap_err();
            assert!(matches!(e, ManifestError::ForbiddenChar { .. }), "{e:?}");
            e.to_string()
        };
        assert_eq!(
            refused("Mutuelle Exemple", r"Mutuelle\u001b[2K\u001b[1A"),
            "invalid manifest: publisher: U+001B not allowed"
        );
        assert_eq!(
            refused("Mutuelle Exemple", r"Mutuelle \u202eelpmexE"),
            "invalid manifest: publisher: U+202E not allowed"
        );
        assert_eq!(
            refused(r#""fr": "B""#, r#""fr": "B\u2069""#),
            "invalid manifest: breaches[0].title.fr: U+2069 not allowed"
        );
        assert_eq!(
            refused(r#""fr": "d""#, r#""fr": "d\u007f""#),
            "invalid manifest: breaches[0].description.fr: U+007F not allowed"
        );
        assert_eq!(
            refused(
                r#""format":"#,
                r#""future": {"note": ["a", "b\u009b"]}, "format":"#
            ),
            "invalid manifest: future.note[1]: U+009B not allowed"
        );
        assert_eq!(
            refused("2026-11-22T10:00:00Z", r"2026-11-22T10:00:00Z\r"),
            "invalid manifest: generated_at: U+000D not allowed"
        );
        assert_eq!(
            refused("sets/b.fcset", r"sets/b\u2028.fcset"),
            "invalid manifest: breaches[0].set.path: U+2028 not allowed"
        );
        // A newline is allowed in a description, not in a title.
        let m = Manifest::from_json(s.replacen(r#""fr": "d""#, r#""fr": "d\nd""#, 1).as_bytes())
            .unwrap();
        assert_eq!(m.breaches[0].breach.description.fr, "d\nd");
        assert!(refused(r#""fr": "B""#, r#""fr": "B\nB""#).contains("U+000A"));
    }

    /// The embedded demo publication passes every check of SPEC §6.
    #[test]
    fn embedded_demo_manifest_passes() {
        let m = Manifest::from_json(crate::demo::EMBEDDED_MANIFEST).unwrap();
        assert!(m.demo);
        assert!(PREFIX_HEX_CHARS.contains(&m.range.prefix_hex_chars));
    }

    /// Bucket digests: required, one per bucket, 32 lowercase hex
    /// characters; round-trips. `range.scheme`: required for online use.
    #[test]
    fn bucket_digests_and_scheme() {
        let s = sample(false, 65536, 3);
        let m = Manifest::from_json(s.as_bytes()).unwrap();
        assert_eq!(m.range.bucket_digests.len(), 256);
        assert_eq!(m.range.scheme.as_deref(), Some(RANGE_SCHEME));
        m.range.check_scheme().unwrap();
        let with = |digests: Vec<String>| {
            let mut m = m.clone();
            m.range.bucket_digests = digests;
            Manifest::from_json(m.to_json_pretty().as_bytes())
        };
        let good: Vec<String> = (0..256).map(|i| format!("{i:032x}")).collect();
        let back = with(good.clone()).unwrap();
        assert_eq!(back.range.bucket_digests, good);
        let e = with(good[..255].to_vec()).unwrap_err();
        assert!(e.to_string().contains("range.bucket_digests"), "{e}");
        let e = with(Vec::new()).unwrap_err();
        assert!(e.to_string().contains("range.bucket_digests"), "{e}");
        let mut upper = good.clone();
        upper[7] = "A".repeat(32);
        let e = with(upper).unwrap_err();
        assert!(e.to_string().contains("entry 7"), "{e}");
        let mut short = good.clone();
        short[0].pop();
        assert!(with(short).is_err());
        // Absent: refused at parse time.
        let start = s.find("\"bucket_digests\"").unwrap();
        let comma = s[..start].rfind(',').unwrap();
        let end = s[start..].find(']').unwrap() + start + 1;
        let without = format!("{}{}", &s[..comma], &s[end..]);
        let e = Manifest::from_json(without.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("bucket_digests"), "{e}");
        // P = 1: 16 digests.
        let mut one = m.clone();
        one.range.prefix_hex_chars = 1;
        one.range.bucket_digests = good[..16].to_vec();
        Manifest::from_json(one.to_json_pretty().as_bytes()).unwrap();
        // Another scheme, or none: parsed (offline use), refused online.
        let other =
            Manifest::from_json(s.replace("nir-bucket", "lookup-prefix").as_bytes()).unwrap();
        assert_eq!(
            other.range.check_scheme().unwrap_err().to_string(),
            "invalid manifest field `range.scheme`: `lookup-prefix` is not supported \
             (expected `nir-bucket`)"
        );
        let none =
            Manifest::from_json(s.replace("\"scheme\": \"nir-bucket\", ", "").as_bytes()).unwrap();
        assert_eq!(none.range.scheme, None);
        assert!(!none.to_json_pretty().contains("scheme"));
        assert!(
            none.range
                .check_scheme()
                .unwrap_err()
                .to_string()
                .contains("range.scheme")
        );
    }

    const PKS: &str = "82e033620e668c96ddaa6a6e14751c966ac73d273c90985ec1f1441b7d56132c";

    fn with_oprf(oprf: &str) -> String {
        sample(true, 1024, 1).replacen(
            "\"breaches\":",
            &format!("\"oprf\": {oprf},\n  \"breaches\":"),
            1,
        )
    }

    fn oprf_object(public_key: &str, endpoint: &str, batch: &str) -> String {
        format!(
            r#"{{"suite": "ristretto255-SHA512", "mode": "voprf", "public_key": "{public_key}",
                "endpoint": "{endpoint}", "batch": {batch}}}"#
        )
    }

    /// SPEC §11's `oprf` object: parsed, round-tripped, and every field
    /// checked, naming it.
    #[test]
    fn oprf_object_is_parsed_and_checked() {
        let m =
            Manifest::from_json(with_oprf(&oprf_object(PKS, "v1/oprf", "2")).as_bytes()).unwrap();
        let o = m.oprf.as_ref().unwrap();
        assert_eq!(o.public_key.to_hex(), PKS);
        assert_eq!(o.endpoint, "v1/oprf");
        assert_eq!(o.batch, 2);
        let again = Manifest::from_json(m.to_json_pretty().as_bytes()).unwrap();
        assert_eq!(again, m);
        assert!(
            m.to_json_pretty()
                .contains("\"suite\": \"ristretto255-SHA512\"")
        );
        // No `oprf` object: an ordinary publication, and none is written.
        let plain = Manifest::from_json(sample(true, 1024, 1).as_bytes()).unwrap();
        assert_eq!(plain.oprf, None);
        assert!(!plain.to_json_pretty().contains("oprf"));

        let refused = |oprf: &str| {
            Manifest::from_json(with_oprf(oprf).as_bytes())
                .unwrap_err()
                .to_string()
        };
        let field = |oprf: &str, name: &str| {
            let e = refused(oprf);
            assert!(e.contains(&format!("`{name}`")), "{name}: {e}");
        };
        let good = oprf_object(PKS, "v1/oprf", "2");
        field(
            &good.replace("ristretto255-SHA512", "P256-SHA256"),
            "oprf.suite",
        );
        field(&good.replace("\"voprf\"", "\"oprf\""), "oprf.mode");
        field(&oprf_object(&PKS[..62], "v1/oprf", "2"), "oprf.public_key");
        field(
            &oprf_object(&"zz".repeat(32), "v1/oprf", "2"),
            "oprf.public_key",
        );
        field(
            &oprf_object(&"00".repeat(32), "v1/oprf", "2"),
            "oprf.public_key",
        );
        field(
            &oprf_object(&"ff".repeat(32), "v1/oprf", "2"),
            "oprf.public_key",
        );
        for endpoint in [
            "",
            "/v1/oprf",
            "v1/oprf/",
            "https://evil.example/oprf",
            "//evil.example/oprf",
            "v1/../oprf",
            "..",
            "v1/./oprf",
            "v1//oprf",
            "v1/oprf?x=1",
            "v1/oprf#x",
            "v1/%2e%2e/oprf",
            "v1\\\\oprf",
        ] {
            field(&oprf_object(PKS, endpoint, "2"), "oprf.endpoint");
        }
        field(&oprf_object(PKS, &"a".repeat(257), "2"), "oprf.endpoint");
        assert!(
            Manifest::from_json(with_oprf(&oprf_object(PKS, &"a".repeat(256), "2")).as_bytes())
                .is_ok()
        );
        for batch in ["0", "9", "256", "18446744073709551615"] {
            assert_eq!(
                refused(&oprf_object(PKS, "v1/oprf", batch)),
                format!("invalid manifest field `oprf.batch`: {batch} is outside 1–8")
            );
        }
        for batch in ["1", "8"] {
            assert!(
                Manifest::from_json(with_oprf(&oprf_object(PKS, "v1/oprf", batch)).as_bytes())
                    .is_ok()
            );
        }
        // Missing fields, wrong types, not an object: the JSON error.
        for bad in [
            r#"{"suite": "ristretto255-SHA512", "mode": "voprf", "endpoint": "v1/oprf", "batch": 2}"#,
            &oprf_object(PKS, "v1/oprf", "\"2\""),
            &oprf_object(PKS, "v1/oprf", "-1"),
            "\"v1/oprf\"",
            "[]",
        ] {
            assert!(
                matches!(
                    Manifest::from_json(with_oprf(bad).as_bytes()).unwrap_err(),
                    ManifestError::Json(_)
                ),
                "{bad}"
            );
        }
        // The character rule covers the object too.
        let e = refused(&oprf_object(PKS, "v1/\u{202E}oprf", "2"));
        assert!(e.contains("oprf.endpoint"), "{e}");
    }
}
