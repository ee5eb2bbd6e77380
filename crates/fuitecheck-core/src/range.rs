//! Range API answers (`docs/protocol.md` §7, SPEC v1.1 §7).
//!
//! `GET {base}/v1/range/{BUCKET}` answers one line per (fingerprint,
//! breach) pair of the records whose NIR is in that bucket
//! ([`crate::bucket`]), `LOOKUP:CODE:MASK\n` with the whole 16-hex-character
//! lookup, padded to exactly `pad_lines` lines with CODE `0000` lines, all
//! sorted by lookup then code. Every line is [`LINE_LEN`] = 31 bytes,
//! whatever P. [`build_response`] produces a body from the bucket's real
//! lines (server and `export-static` alike, byte for byte);
//! [`parse_response_for`] is the client's strict reader.
//!
//! Padding lookups are pseudo-random but deterministic — SHA-256 of the
//! publication's salt, the bucket number and a counter — so that a static
//! export and the live server answer the same bytes, and the publisher can
//! sign every body's digest. They carry no information: anyone can tell a
//! padding line by its CODE.

use sha2::{Digest as _, Sha256};

pub use crate::bucket::{BadBucket, bucket_count, bucket_text, parse_bucket};
use crate::category::CategoryMask;
use crate::check::Hit;
use crate::fingerprint::Lookup;
use crate::manifest::Manifest;

/// Length of one line including `\n`: 16 + 1 + 4 + 1 + 8 + 1.
pub const LINE_LEN: usize = 31;

/// Domain separation string of padding lookups.
pub const PAD_DOMAIN: &[u8] = b"fuitecheck/v1/pad";

/// Padding lookup number `j` of bucket number `v` (`docs/protocol.md`
/// §7.3): the first 8 bytes of SHA-256("fuitecheck/v1/pad" || salt ||
/// u32be(v) || u64be(j)).
pub fn pad_lookup(salt: &[u8], v: u32, j: u64) -> Lookup {
    let mut h = Sha256::new();
    h.update(PAD_DOMAIN);
    h.update(salt);
    h.update(v.to_be_bytes());
    h.update(j.to_be_bytes());
    let d = h.finalize();
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    Lookup(u64::from_be_bytes(b))
}

/// One real line of a bucket: a lookup, its breach code (≠ 0) and the
/// record's categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RangeLine {
    /// The whole lookup.
    pub lookup: Lookup,
    /// The breach's code.
    pub code: u16,
    /// The record's categories.
    pub mask: CategoryMask,
}

/// The full response body for bucket number `v`, from the real lines of
/// that bucket (any order; a (lookup, code) pair given twice is written
/// once with the union of its masks).
///
/// Fails when the bucket holds more lines than `pad_lines` (the manifest
/// and the sets disagree: the publisher must re-run `add`).
pub fn build_response(
    manifest: &Manifest,
    v: u32,
    real: impl IntoIterator<Item = RangeLine>,
) -> Result<Vec<u8>, String> {
    let p = manifest.range.prefix_hex_chars;
    let pad = manifest.range.pad_lines as usize;
    let mut lines: Vec<(u64, u16, u32)> = real
        .into_iter()
        .map(|l| (l.lookup.0, l.code, l.mask.bits()))
        .collect();
    lines.sort_unstable();
    // One line per (lookup, code), masks united.
    let mut w = 0usize;
    for r in 0..lines.len() {
        if w > 0 && (lines[w - 1].0, lines[w - 1].1) == (lines[r].0, lines[r].1) {
            lines[w - 1].2 |= lines[r].2;
        } else {
            lines[w] = lines[r];
            w += 1;
        }
    }
    lines.truncate(w);
    if lines.len() > pad {
        return Err(format!(
            "bucket {} holds {} lines but pad_lines is {pad}",
            bucket_text(v, p),
            lines.len()
        ));
    }
    let real_count = lines.len();
    for j in 0..(pad - real_count) as u64 {
        lines.push((pad_lookup(&manifest.kdf.salt, v, j).0, 0, 0));
    }
    lines.sort_unstable();
    let mut body = Vec::with_capacity(pad * LINE_LEN);
    for (lookup, code, mask) in &lines {
        use std::io::Write as _;
        // Writing to a Vec cannot fail.
        let _ = writeln!(body, "{lookup:016X}:{code:04X}:{mask:08X}");
    }
    Ok(body)
}
/// Why a range response is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RangeError {
    /// A line that is not `LOOKUP:CODE:MASK`.
    #[error("line {line} of the range response is malformed")]
    BadLine {
        /// 1-based.
        line: usize,
    },
    /// Wrong number of lines.
    #[error("the range response has {got} lines, the manifest says {expected}")]
    WrongSize {
        /// Lines received.
        got: usize,
        /// pad_lines.
        expected: usize,
    },
    /// Lines out of order.
    #[error("line {line} of the range response is out of order")]
    Unsorted {
        /// 1-based.
        line: usize,
    },
    /// A mask with reserved bits.
    #[error("line {line} of the range response has reserved category bits")]
    ReservedBits {
        /// 1-based.
        line: usize,
    },
    /// Not UTF-8 / ASCII.
    #[error("the range response is not text")]
    NotText,
    /// A padding line (CODE 0000) with a non-zero MASK.
    #[error("line {line} of the range response is padding with categories")]
    BadPadding {
        /// 1-based.
        line: usize,
    },
    /// The response is well-formed but not the one the signed manifest's
    /// bucket digest describes (altered, or a cache holding another
    /// publication's).
    #[error("the range response does not match the digest in the signed manifest")]
    DigestMismatch,
    /// A line for a breach the manifest does not list, or with categories
    /// that breach does not declare.
    #[error(
        "line {line} of the range response names breach code {code:04X}, which the manifest does not list with those categories"
    )]
    UnknownBreach {
        /// 1-based.
        line: usize,
        /// The code.
        code: u16,
    },
}

/// Parse a response body strictly and return, for each of `lookups`, the
/// hits on its lines (CODE 0000 padding ignored; all 64 bits compared).
/// `\n` and `\r\n` line ends are accepted. No breach or digest check: see
/// [`parse_response_for`].
pub fn parse_response(
    body: &[u8],
    pad_lines: u32,
    lookups: &[Lookup],
) -> Result<Vec<Vec<Hit>>, RangeError> {
    parse_checked(body, pad_lines, lookups, &|_, _| true)
}

/// The bucket digest of a response body (`range.bucket_digests`): the
/// first 16 bytes of SHA-256, lowercase hex, over the body with `\n` line
/// ends.
pub fn bucket_digest(body: &[u8]) -> String {
    let digest = if body.contains(&b'\r') {
        let mut lf = Vec::with_capacity(body.len());
        let mut i = 0;
        while i < body.len() {
            if body[i] == b'\r' && body.get(i + 1) == Some(&b'\n') {
                i += 1;
                continue;
            }
            lf.push(body[i]);
            i += 1;
        }
        Sha256::digest(&lf)
    } else {
        Sha256::digest(body)
    };
    hex::encode(&digest[..16])
}

/// What the client uses: [`parse_response`] that also checks every line,
/// not only the person's, against the signed manifest — each CODE other
/// than 0000 must be a breach it lists and each MASK a subset of that
/// breach's categories — and the whole body against
/// `range.bucket_digests[bucket]`. A response altered anywhere is refused.
pub fn parse_response_for(
    body: &[u8],
    manifest: &Manifest,
    bucket: u32,
    lookups: &[Lookup],
) -> Result<Vec<Vec<Hit>>, RangeError> {
    let hits = parse_checked(body, manifest.range.pad_lines, lookups, &|code, mask| {
        manifest
            .breach_by_code(code)
            .is_some_and(|b| mask.is_subset(b.breach.mask()))
    })?;
    let want = manifest.range.bucket_digests.get(bucket as usize);
    if want.map(String::as_str) != Some(bucket_digest(body).as_str()) {
        return Err(RangeError::DigestMismatch);
    }
    Ok(hits)
}

fn parse_checked(
    body: &[u8],
    pad_lines: u32,
    lookups: &[Lookup],
    known: &dyn Fn(u16, CategoryMask) -> bool,
) -> Result<Vec<Vec<Hit>>, RangeError> {
    let text = std::str::from_utf8(body).map_err(|_| RangeError::NotText)?;
    let mut hits = vec![Vec::new(); lookups.len()];
    let mut count = 0usize;
    let mut prev: Option<(u64, u16)> = None;
    let mut rest = text;
    while !rest.is_empty() {
        count += 1;
        let line_no = count;
        let (line, next) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            // The last line must end with a newline too.
            None => return Err(RangeError::BadLine { line: line_no }),
        };
        rest = next;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let bad = RangeError::BadLine { line: line_no };
        let b = line.as_bytes();
        if b.len() != LINE_LEN - 1 || b[16] != b':' || b[21] != b':' {
            return Err(bad);
        }
        let upper_hex = |s: &[u8]| {
            s.iter()
                .all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(c))
        };
        if !upper_hex(&b[..16]) || !upper_hex(&b[17..21]) || !upper_hex(&b[22..]) {
            return Err(bad);
        }
        let parse = |s: &str| u64::from_str_radix(s, 16).map_err(|_| bad.clone());
        let lookup_v = parse(&line[..16])?;
        let code_v = parse(&line[17..21])? as u16;
        let mask_v = parse(&line[22..])? as u32;
        // Sorted by (lookup, code); a real line never repeats.
        if prev.is_some_and(|p| p > (lookup_v, code_v) || (p == (lookup_v, code_v) && code_v != 0))
        {
            return Err(RangeError::Unsorted { line: line_no });
        }
        prev = Some((lookup_v, code_v));
        let mask = CategoryMask::from_bits(mask_v)
            .map_err(|_| RangeError::ReservedBits { line: line_no })?;
        if code_v == 0 && mask_v != 0 {
            return Err(RangeError::BadPadding { line: line_no });
        }
        if code_v != 0 && !known(code_v, mask) {
            return Err(RangeError::UnknownBreach {
                line: line_no,
                code: code_v,
            });
        }
        if code_v != 0 {
            for (i, l) in lookups.iter().enumerate() {
                if l.0 == lookup_v {
                    hits[i].push(Hit { code: code_v, mask });
                }
            }
        }
    }
    if count != pad_lines as usize {
        return Err(RangeError::WrongSize {
            got: count,
            expected: pad_lines as usize,
        });
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Lookup = Lookup(0xD87D_1BC8_D86F_C802);

    /// SPEC v1.1 §10: the range line of the first m=64 vector, breach code
    /// 2, mask 7 — the whole lookup, 31 bytes.
    #[test]
    fn spec_vector_line() {
        let body = b"D87D1BC8D86FC802:0002:00000007\n";
        assert_eq!(body.len(), LINE_LEN);
        let hits = parse_response(body, 1, &[L]).unwrap();
        assert_eq!(
            hits,
            vec![vec![Hit {
                code: 2,
                mask: CategoryMask::from_bits(7).unwrap()
            }]]
        );
        // All 64 bits are compared: a lookup differing in its last bit, or
        // in its first (another v1 "prefix"), does not match.
        let near = [Lookup(L.0 ^ 1), Lookup(L.0 ^ (1 << 63))];
        assert_eq!(
            parse_response(body, 1, &near).unwrap(),
            vec![vec![], vec![]]
        );
    }

    /// Several lookups (the variants of one person) in one answer.
    #[test]
    fn several_lookups_at_once() {
        let body = "0000000000000A00:0000:00000000\n\
                    46A8C4E6240555C5:0001:00000001\n\
                    D87D1BC8D86FC802:0002:00000007\n\
                    D87D1BC8D86FC802:0003:00000001\n";
        let other = Lookup(0x46A8_C4E6_2405_55C5);
        let absent = Lookup(0x0000_0000_0000_0A00);
        let hits = parse_response(body.as_bytes(), 4, &[L, other, absent]).unwrap();
        assert_eq!(hits[0].len(), 2);
        assert_eq!(hits[1].len(), 1);
        assert!(hits[2].is_empty(), "padding never matches");
    }

    #[test]
    fn strict_parsing() {
        let good = "000000000000000A:0000:00000000\nD87D1BC8D86FC802:0002:00000007\n";
        assert_eq!(
            parse_response(good.as_bytes(), 2, &[L]).unwrap()[0].len(),
            1
        );
        let crlf = good.replace('\n', "\r\n");
        assert_eq!(
            parse_response(crlf.as_bytes(), 2, &[L]).unwrap()[0].len(),
            1
        );
        assert!(matches!(
            parse_response(good.as_bytes(), 3, &[L]),
            Err(RangeError::WrongSize {
                got: 2,
                expected: 3
            })
        ));
        assert!(matches!(
            parse_response(good.as_bytes(), 1, &[L]),
            Err(RangeError::WrongSize {
                got: 2,
                expected: 1
            })
        ));
        let swapped = "D87D1BC8D86FC802:0002:00000007\n000000000000000A:0000:00000000\n";
        assert!(matches!(
            parse_response(swapped.as_bytes(), 2, &[L]),
            Err(RangeError::Unsorted { line: 2 })
        ));
        let twice = "D87D1BC8D86FC802:0002:00000007\nD87D1BC8D86FC802:0002:00000007\n";
        assert!(matches!(
            parse_response(twice.as_bytes(), 2, &[L]),
            Err(RangeError::Unsorted { line: 2 })
        ));
        for bad in [
            "d87d1bc8d86fc802:0002:00000007\n",
            "D87D1BC8D86FC802:0002:0000007\n",
            "D87D1BC8D86FC802;0002:00000007\n",
            "D87D1BC8D86FC802:0002:00000007",
            "D87D1BC8D86FC802:0002:00000007 \n",
            "7D1BC8D86FC802:0002:00000007\n",
            "\n",
            "D87D1BC8D86FC80Z:0002:00000007\n",
        ] {
            assert!(
                matches!(
                    parse_response(bad.as_bytes(), 1, &[L]),
                    Err(RangeError::BadLine { .. })
                ),
                "{bad:?}"
            );
        }
        assert!(matches!(
            parse_response(b"D87D1BC8D86FC802:0002:00020000\n", 1, &[L]),
            Err(RangeError::ReservedBits { line: 1 })
        ));
        assert!(matches!(
            parse_response(b"D87D1BC8D86FC802:0000:00000001\n", 1, &[L]),
            Err(RangeError::BadPadding { line: 1 })
        ));
        assert!(matches!(
            parse_response(b"\xff\n", 1, &[L]),
            Err(RangeError::NotText)
        ));
    }

    #[test]
    fn pad_lookups_follow_the_documented_derivation() {
        let salt = hex::decode("00112233445566778899aabbccddeeff").unwrap();
        assert_eq!(pad_lookup(&salt, 0x15, 0).to_hex(), "1E0A7E6627FE87D1");
        assert_eq!(pad_lookup(&salt, 0x15, 1).to_hex(), "CFE56A036C01CC45");
        assert_eq!(pad_lookup(&salt, 0x15, 2).to_hex(), "E90B3D9E2C6125DE");
    }
}
