//! Range API responses, SPEC §7.
//!
//! `GET {base}/v1/range/{PREFIX}` answers one line per (fingerprint,
//! breach) pair whose lookup starts with PREFIX, `SUFFIX:CODE:MASK\n`, padded
//! to exactly `pad_lines` lines with CODE `0000` lines, all sorted by suffix
//! then code. [`build_response`] produces it from a publication's set files
//! (server and `export-static` alike, byte for byte); [`parse_response`] is
//! the client's strict reader.
//!
//! Padding suffixes are pseudo-random but deterministic — SHA-256 of the
//! publication's salt, the prefix and a counter — so that a static export
//! and the live server answer the same bytes and caches stay valid. They
//! carry no information: anyone can tell a padding line by its CODE.

use sha2::{Digest as _, Sha256};

use crate::category::CategoryMask;
use crate::check::Hit;
use crate::fingerprint::Lookup;
use crate::manifest::Manifest;
use crate::setfile::SetFile;

/// A prefix that is not P hex characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("prefix must be exactly {expected} hexadecimal characters")]
pub struct BadPrefix {
    /// P.
    pub expected: u8,
}

/// Parse a request prefix (case-insensitive): its numeric value.
pub fn parse_prefix(prefix: &str, p: u8) -> Result<u32, BadPrefix> {
    let bad = BadPrefix { expected: p };
    if prefix.len() != usize::from(p) || !prefix.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad);
    }
    u32::from_str_radix(prefix, 16).map_err(|_| bad)
}

/// The canonical (uppercase) text of prefix value `v` with `p` characters.
pub fn prefix_text(v: u32, p: u8) -> String {
    format!("{v:0width$X}", width = usize::from(p))
}

/// Length of one line including `\n`: (16 − P) + 1 + 4 + 1 + 8 + 1.
pub fn line_len(p: u8) -> usize {
    16 - usize::from(p) + 15
}

/// One line of a bucket, before formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Line {
    suffix: u64,
    code: u16,
    mask: u32,
}

/// Entries of `set` whose lookup starts with the `p`-hex-character prefix
/// `v`: a binary search for the first, then a scan.
fn bucket_entries(
    set: &SetFile,
    v: u32,
    p: u8,
) -> impl Iterator<Item = (Lookup, CategoryMask)> + '_ {
    let shift = 64 - 4 * u32::from(p);
    let lo = u64::from(v) << shift;
    set.entries_from(Lookup(lo))
        .take_while(move |(l, _)| l.0 >> shift == u64::from(v))
}

/// The full response body for prefix value `v`.
///
/// Fails when the bucket holds more lines than `pad_lines` (the manifest
/// and the sets disagree: the publisher must re-run `add`).
pub fn build_response(
    manifest: &Manifest,
    sets: &[(u16, SetFile)],
    v: u32,
) -> Result<Vec<u8>, String> {
    let p = manifest.range.prefix_hex_chars;
    let pad = manifest.range.pad_lines as usize;
    let suffix_bits = 64 - 4 * u32::from(p);
    let suffix_mask = if suffix_bits == 64 {
        u64::MAX
    } else {
        (1u64 << suffix_bits) - 1
    };
    let mut lines: Vec<Line> = Vec::with_capacity(pad);
    for (code, set) in sets {
        for (l, m) in bucket_entries(set, v, p) {
            lines.push(Line {
                suffix: l.0 & suffix_mask,
                code: *code,
                mask: m.bits(),
            });
        }
    }
    if lines.len() > pad {
        return Err(format!(
            "bucket {} holds {} lines but pad_lines is {pad}",
            prefix_text(v, p),
            lines.len()
        ));
    }
    let mut counter = 0u64;
    while lines.len() < pad {
        let mut h = Sha256::new();
        h.update(b"fuitecheck/v1/pad");
        h.update(&manifest.kdf.salt);
        h.update(v.to_be_bytes());
        h.update(counter.to_be_bytes());
        counter += 1;
        let d = h.finalize();
        let mut b = [0u8; 8];
        b.copy_from_slice(&d[..8]);
        lines.push(Line {
            suffix: u64::from_be_bytes(b) & suffix_mask,
            code: 0,
            mask: 0,
        });
    }
    lines.sort_unstable();
    let width = 16 - usize::from(p);
    let mut body = Vec::with_capacity(pad * line_len(p));
    for l in &lines {
        use std::io::Write as _;
        // Writing to a Vec cannot fail.
        let _ = writeln!(body, "{:0width$X}:{:04X}:{:08X}", l.suffix, l.code, l.mask);
    }
    Ok(body)
}

/// Why a range response is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RangeError {
    /// A line that is not `SUFFIX:CODE:MASK`.
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

/// Parse a response body strictly and return the hits for `lookup` (CODE
/// 0000 padding ignored). `\n` and `\r\n` line ends are accepted.
pub fn parse_response(
    body: &[u8],
    p: u8,
    pad_lines: u32,
    lookup: Lookup,
) -> Result<Vec<Hit>, RangeError> {
    parse_checked(body, p, pad_lines, lookup, &|_, _| true)
}

/// The bucket digest of a response body (FuiteCheck extension, see
/// [`crate::manifest::RangeParams::bucket_digests`]): the first 16 bytes
/// of SHA-256, lowercase hex, over the body with `\n` line ends.
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

/// [`parse_response`] that also checks every line, not only ours, against
/// the signed manifest: each CODE other than 0000 must be a breach it lists
/// and each MASK a subset of that breach's categories; and, when the
/// manifest carries bucket digests, the whole body against its digest.
/// What the client uses: a response altered anywhere in its codes or
/// masks is refused, and with digests, altered anywhere at all.
pub fn parse_response_for(
    body: &[u8],
    manifest: &Manifest,
    lookup: Lookup,
) -> Result<Vec<Hit>, RangeError> {
    let hits = parse_checked(
        body,
        manifest.range.prefix_hex_chars,
        manifest.range.pad_lines,
        lookup,
        &|code, mask| {
            manifest
                .breach_by_code(code)
                .is_some_and(|b| mask.is_subset(b.breach.mask()))
        },
    )?;
    if let Some(digests) = &manifest.range.bucket_digests {
        let p = u32::from(manifest.range.prefix_hex_chars);
        let v = (lookup.0 >> (64 - 4 * p)) as usize;
        if digests.get(v).map(String::as_str) != Some(bucket_digest(body).as_str()) {
            return Err(RangeError::DigestMismatch);
        }
    }
    Ok(hits)
}

fn parse_checked(
    body: &[u8],
    p: u8,
    pad_lines: u32,
    lookup: Lookup,
    known: &dyn Fn(u16, CategoryMask) -> bool,
) -> Result<Vec<Hit>, RangeError> {
    let text = std::str::from_utf8(body).map_err(|_| RangeError::NotText)?;
    let width = 16 - usize::from(p);
    let want_suffix = lookup.suffix_hex(p);
    let mut hits = Vec::new();
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
        if b.len() != width + 14 || b[width] != b':' || b[width + 5] != b':' {
            return Err(bad);
        }
        let upper_hex = |s: &[u8]| {
            s.iter()
                .all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(c))
        };
        let (suffix, code, mask) = (&b[..width], &b[width + 1..width + 5], &b[width + 6..]);
        if !upper_hex(suffix) || !upper_hex(code) || !upper_hex(mask) {
            return Err(bad);
        }
        let parse = |s: &str| u64::from_str_radix(s, 16).map_err(|_| bad.clone());
        let suffix_v = parse(&line[..width])?;
        let code_v = parse(&line[width + 1..width + 5])? as u16;
        let mask_v = parse(&line[width + 6..])? as u32;
        // Sorted by (suffix, code); a real line never repeats.
        if prev.is_some_and(|p| p > (suffix_v, code_v) || (p == (suffix_v, code_v) && code_v != 0))
        {
            return Err(RangeError::Unsorted { line: line_no });
        }
        prev = Some((suffix_v, code_v));
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
        if code_v != 0 && line[..width] == *want_suffix {
            hits.push(Hit { code: code_v, mask });
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

    #[test]
    fn prefixes() {
        assert_eq!(parse_prefix("d8", 2), Ok(0xD8));
        assert_eq!(parse_prefix("D8", 2), Ok(0xD8));
        assert!(parse_prefix("D", 2).is_err());
        assert!(parse_prefix("D8F", 2).is_err());
        assert!(parse_prefix("G8", 2).is_err());
        assert!(parse_prefix("+8", 2).is_err());
        assert_eq!(prefix_text(0xD8, 2), "D8");
        assert_eq!(prefix_text(0xA, 4), "000A");
        assert_eq!(line_len(2), 29);
    }

    /// SPEC §10: the range line of the first m=64 vector, breach code 2,
    /// mask 7, P = 2, served under prefix D8.
    #[test]
    fn spec_vector_line() {
        let body = b"7D1BC8D86FC802:0002:00000007\n";
        let l = Lookup(0xD87D_1BC8_D86F_C802);
        assert_eq!(l.prefix_hex(2), "D8");
        let hits = parse_response(body, 2, 1, l).unwrap();
        assert_eq!(
            hits,
            vec![Hit {
                code: 2,
                mask: CategoryMask::from_bits(7).unwrap()
            }]
        );
    }

    #[test]
    fn strict_parsing() {
        let l = Lookup(0xD87D_1BC8_D86F_C802);
        let good = "0000000000000A:0000:00000000\n7D1BC8D86FC802:0002:00000007\n";
        assert_eq!(parse_response(good.as_bytes(), 2, 2, l).unwrap().len(), 1);
        let crlf = good.replace('\n', "\r\n");
        assert_eq!(parse_response(crlf.as_bytes(), 2, 2, l).unwrap().len(), 1);
        assert!(matches!(
            parse_response(good.as_bytes(), 2, 3, l),
            Err(RangeError::WrongSize {
                got: 2,
                expected: 3
            })
        ));
        let swapped = "7D1BC8D86FC802:0002:00000007\n0000000000000A:0000:00000000\n";
        assert!(matches!(
            parse_response(swapped.as_bytes(), 2, 2, l),
            Err(RangeError::Unsorted { line: 2 })
        ));
        for bad in [
            "7d1bc8d86fc802:0002:00000007\n",
            "7D1BC8D86FC802:0002:0000007\n",
            "7D1BC8D86FC802;0002:00000007\n",
            "7D1BC8D86FC802:0002:00000007",
            "7D1BC8D86FC802:0002:00000007 \n",
            "\n",
            "7D1BC8D86FC80Z:0002:00000007\n",
        ] {
            assert!(
                matches!(
                    parse_response(bad.as_bytes(), 2, 1, l),
                    Err(RangeError::BadLine { .. })
                ),
                "{bad:?}"
            );
        }
        assert!(matches!(
            parse_response(b"7D1BC8D86FC802:0002:00020000\n", 2, 1, l),
            Err(RangeError::ReservedBits { line: 1 })
        ));
        assert!(matches!(
            parse_response(b"\xff\n", 2, 1, l),
            Err(RangeError::NotText)
        ));
    }
}
