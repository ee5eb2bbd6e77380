//! NIR buckets (`docs/protocol.md` §5, SPEC v1.1 §7.1).
//!
//! Every record of a publication belongs to the bucket of its NIR:
//!
//! ```text
//! bucket = first P uppercase hex characters of SHA-256("fuitecheck/v1/bucket" || 0x00 || NIR15)
//! ```
//!
//! The bucket depends on the NIR alone — not the surname, the salt or the
//! publication — so all variants of a person share one bucket, and a
//! person's bucket is the same in every publication. P is 1 or 2
//! (`manifest::PREFIX_HEX_CHARS`), so the first byte of the hash is all a
//! bucket can ever need: [`NirBucket`] keeps that byte and nothing else
//! (8 bits of the NIR, what an online check reveals anyway).

use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

use crate::nir::Nir;

/// Domain separation string of the bucket hash.
pub const BUCKET_DOMAIN: &[u8] = b"fuitecheck/v1/bucket";

/// The bucket of a NIR at P = 2 (the first byte of its bucket hash); the
/// bucket at P = 1 is its high nibble.
///
/// Not secret by itself (an online check sends it), but derived from the
/// NIR: never logged.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NirBucket(u8);

impl std::fmt::Debug for NirBucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NirBucket(<redacted>)")
    }
}

impl NirBucket {
    /// The bucket of `nir`.
    pub fn of(nir: &Nir) -> Self {
        let mut input = Zeroizing::new(Vec::with_capacity(BUCKET_DOMAIN.len() + 16));
        input.extend_from_slice(BUCKET_DOMAIN);
        input.push(0);
        input.extend_from_slice(nir.as_bytes());
        let digest = Sha256::digest(input.as_slice());
        Self(digest[0])
    }

    /// A bucket byte read back from a publisher's file.
    pub fn from_byte(byte: u8) -> Self {
        Self(byte)
    }

    /// The byte: the bucket number at P = 2.
    pub fn byte(self) -> u8 {
        self.0
    }

    /// The bucket number (`0 … 16^P − 1`) at `p` hex characters. P is 1 or
    /// 2 ([`crate::manifest::PREFIX_HEX_CHARS`], checked whenever a
    /// manifest is read or written); any other value is read as 2, the
    /// longest bucket one byte can give.
    pub fn number(self, p: u8) -> u32 {
        match p {
            1 => u32::from(self.0 >> 4),
            _ => u32::from(self.0),
        }
    }

    /// The bucket as it appears in a range path: `p` uppercase hex
    /// characters.
    pub fn text(self, p: u8) -> String {
        bucket_text(self.number(p), p)
    }
}

/// `bucket(NIR15, P)` of the protocol: the bucket number of `nir` at `p`
/// hex characters.
pub fn bucket(nir: &Nir, p: u8) -> u32 {
    NirBucket::of(nir).number(p)
}

/// The canonical (uppercase) text of bucket number `v` with `p`
/// characters.
pub fn bucket_text(v: u32, p: u8) -> String {
    format!("{v:0width$X}", width = usize::from(p))
}

/// Number of buckets at `p` hex characters: 16^P.
pub fn bucket_count(p: u8) -> u32 {
    1u32 << (4 * u32::from(p.min(2)))
}

/// A bucket that is not P hex characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bucket must be exactly {expected} hexadecimal characters")]
pub struct BadBucket {
    /// P.
    pub expected: u8,
}

/// Parse a requested bucket (case-insensitive): its number.
pub fn parse_bucket(text: &str, p: u8) -> Result<u32, BadBucket> {
    let bad = BadBucket { expected: p };
    if text.len() != usize::from(p) || !text.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad);
    }
    u32::from_str_radix(text, 16).map_err(|_| bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SPEC v1.1 §10: buckets at P = 2, and the first 4 hex characters of
    /// the hash (whose first character is the bucket at P = 1).
    #[test]
    fn spec_vectors() {
        for (nir, b2, first4) in [
            ("185057800608491", "15", "15C0"),
            ("293027505600111", "67", "672D"),
            ("253072B07300470", "DF", "DF9A"),
            ("253072A07300443", "AF", "AFE1"),
            ("171019913504204", "DA", "DACA"),
        ] {
            let n = Nir::parse(nir).unwrap();
            assert_eq!(NirBucket::of(&n).text(2), b2, "{nir}");
            assert_eq!(NirBucket::of(&n).text(1), &first4[..1], "{nir}");
            assert_eq!(bucket(&n, 2), u32::from_str_radix(b2, 16).unwrap());
            let mut h = Sha256::new();
            h.update(b"fuitecheck/v1/bucket\0");
            h.update(nir.as_bytes());
            assert_eq!(hex::encode_upper(&h.finalize()[..2]), first4);
        }
    }

    #[test]
    fn parsing_and_text() {
        assert_eq!(parse_bucket("d8", 2), Ok(0xD8));
        assert_eq!(parse_bucket("D8", 2), Ok(0xD8));
        assert_eq!(parse_bucket("a", 1), Ok(0xA));
        assert!(parse_bucket("D", 2).is_err());
        assert!(parse_bucket("D8F", 2).is_err());
        assert!(parse_bucket("G8", 2).is_err());
        assert!(parse_bucket("+8", 2).is_err());
        assert!(parse_bucket("", 1).is_err());
        assert_eq!(bucket_text(0xD8, 2), "D8");
        assert_eq!(bucket_text(0xA, 2), "0A");
        assert_eq!(bucket_text(0xA, 1), "A");
        assert_eq!(bucket_count(1), 16);
        assert_eq!(bucket_count(2), 256);
        assert_eq!(NirBucket::from_byte(0xAF).number(1), 0xA);
        assert_eq!(NirBucket::from_byte(0xAF).number(2), 0xAF);
        assert_eq!(
            format!("{:?}", NirBucket::from_byte(1)),
            "NirBucket(<redacted>)"
        );
    }
}
