//! Fingerprint derivation and lookup values, SPEC §3.
//!
//! ```text
//! canonical = "fuitecheck/v1" || 0x00 || NIR15 || 0x00 || SURNAME
//! k         = Argon2id(v0x13, password = canonical, salt, m, t, p, 32 bytes)
//! lookup    = first 8 bytes of SHA-256("fuitecheck/v1/lookup" || k)
//! ```

use std::fmt;

use sha2::{Digest as _, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::nir::Nir;
use crate::surname::Surname;

/// Domain separator of the KDF input.
pub const CANONICAL_PREFIX: &[u8] = b"fuitecheck/v1";
/// Domain separator of the lookup hash.
pub const LOOKUP_PREFIX: &[u8] = b"fuitecheck/v1/lookup";

/// Default cost of a real publication (RFC 9106 second recommendation).
pub const DEFAULT_MEMORY_KIB: u32 = 65536;
/// Default number of passes.
pub const DEFAULT_ITERATIONS: u32 = 3;
/// Default parallelism.
pub const DEFAULT_PARALLELISM: u32 = 1;
/// Below this memory cost a non-demo publication is refused (SPEC §3).
pub const FLOOR_MEMORY_KIB: u32 = 19456;
/// Below this number of passes a non-demo publication is refused.
pub const FLOOR_ITERATIONS: u32 = 2;
/// Above this memory cost a publication is refused: it would not run on an
/// ordinary citizen's machine (4 GiB).
pub const MAX_MEMORY_KIB: u32 = 4 * 1024 * 1024;
/// Above this number of passes a publication is refused (SPEC §6).
pub const MAX_ITERATIONS: u32 = 16;
/// Above this number of lanes a publication is refused (SPEC §6).
pub const MAX_PARALLELISM: u32 = 16;
/// Minimum salt length in bytes (SPEC §6: 32 hex characters or more).
pub const MIN_SALT_BYTES: usize = 16;

/// Errors in KDF parameters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KdfError {
    /// Argon2 refuses these parameters.
    #[error(
        "invalid Argon2 parameters (m={memory_kib} KiB, t={iterations}, p={parallelism}): {reason}"
    )]
    InvalidParams {
        /// Memory cost in KiB.
        memory_kib: u32,
        /// Passes.
        iterations: u32,
        /// Lanes.
        parallelism: u32,
        /// What Argon2 said.
        reason: String,
    },
    /// A real publication below the floor of SPEC §3.
    #[error(
        "KDF cost too low for a real publication (m={memory_kib} KiB, t={iterations}; \
         at least m={FLOOR_MEMORY_KIB} KiB and t={FLOOR_ITERATIONS} are required)"
    )]
    BelowFloor {
        /// Memory cost in KiB.
        memory_kib: u32,
        /// Passes.
        iterations: u32,
    },
    /// More memory than a citizen's machine can be asked for.
    #[error(
        "KDF memory cost of {memory_kib} KiB is above the supported maximum of {MAX_MEMORY_KIB} KiB"
    )]
    TooExpensive {
        /// Memory cost in KiB.
        memory_kib: u32,
    },
    /// More passes or lanes than SPEC §6 allows.
    #[error("KDF {param} of {value} is above the supported maximum of {max}")]
    AboveMaximum {
        /// `iterations` or `parallelism`.
        param: &'static str,
        /// The value given.
        value: u32,
        /// The maximum.
        max: u32,
    },
    /// The salt is too short.
    #[error(
        "salt of {got} bytes is too short (at least {MIN_SALT_BYTES} bytes, 32 hex characters)"
    )]
    ShortSalt {
        /// Bytes given.
        got: usize,
    },
}

/// Argon2id parameters of a publication.
#[derive(Clone, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory cost in KiB.
    pub memory_kib: u32,
    /// Number of passes.
    pub iterations: u32,
    /// Number of lanes.
    pub parallelism: u32,
    /// The publication's salt.
    pub salt: Vec<u8>,
}

impl fmt::Debug for KdfParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KdfParams")
            .field("memory_kib", &self.memory_kib)
            .field("iterations", &self.iterations)
            .field("parallelism", &self.parallelism)
            .field("salt", &hex::encode(&self.salt))
            .finish()
    }
}

impl KdfParams {
    /// Check the parameters: Argon2's own limits, the salt length, the
    /// maximum cost and, unless `demo`, the floor of SPEC §3.
    pub fn validate(&self, demo: bool) -> Result<(), KdfError> {
        if self.salt.len() < MIN_SALT_BYTES {
            return Err(KdfError::ShortSalt {
                got: self.salt.len(),
            });
        }
        if self.memory_kib > MAX_MEMORY_KIB {
            return Err(KdfError::TooExpensive {
                memory_kib: self.memory_kib,
            });
        }
        for (param, value, max) in [
            ("iterations", self.iterations, MAX_ITERATIONS),
            ("parallelism", self.parallelism, MAX_PARALLELISM),
        ] {
            if value > max {
                return Err(KdfError::AboveMaximum { param, value, max });
            }
        }
        self.argon2()?;
        if !demo && (self.memory_kib < FLOOR_MEMORY_KIB || self.iterations < FLOOR_ITERATIONS) {
            return Err(KdfError::BelowFloor {
                memory_kib: self.memory_kib,
                iterations: self.iterations,
            });
        }
        Ok(())
    }

    fn argon2(&self) -> Result<argon2::Argon2<'static>, KdfError> {
        let params = argon2::Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(KEY_LEN),
        )
        .map_err(|e| KdfError::InvalidParams {
            memory_kib: self.memory_kib,
            iterations: self.iterations,
            parallelism: self.parallelism,
            reason: e.to_string(),
        })?;
        Ok(argon2::Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            params,
        ))
    }

    /// Derive `k` for one NIR and surname.
    pub fn derive(&self, nir: &Nir, surname: &Surname) -> Result<Key, KdfError> {
        let argon2 = self.argon2()?;
        let mut canonical = Zeroizing::new(Vec::with_capacity(64));
        canonical.extend_from_slice(CANONICAL_PREFIX);
        canonical.push(0);
        canonical.extend_from_slice(nir.as_bytes());
        canonical.push(0);
        canonical.extend_from_slice(surname.as_str().as_bytes());
        let mut key = Key([0; KEY_LEN]);
        argon2
            .hash_password_into(&canonical, &self.salt, &mut key.0)
            .map_err(|e| KdfError::InvalidParams {
                memory_kib: self.memory_kib,
                iterations: self.iterations,
                parallelism: self.parallelism,
                reason: e.to_string(),
            })?;
        Ok(key)
    }

    /// Derive the lookup value directly.
    pub fn lookup(&self, nir: &Nir, surname: &Surname) -> Result<Lookup, KdfError> {
        Ok(self.derive(nir, surname)?.lookup())
    }
}

const KEY_LEN: usize = 32;

/// The Argon2id output `k`: secret, zeroized on drop.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Key([u8; KEY_LEN]);

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

impl Key {
    /// Wrap raw bytes (e.g. read back from the credential store).
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// The 64-bit lookup value of this key.
    pub fn lookup(&self) -> Lookup {
        Lookup::of_hash(LOOKUP_PREFIX, &self.0)
    }
}

/// The 64-bit lookup value: what set files and range lines are made of.
///
/// Not secret by itself, but it identifies a person to anyone who knows
/// their NIR and name, so it is never logged either.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lookup(pub u64);

impl fmt::Debug for Lookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Lookup(<redacted>)")
    }
}

impl Lookup {
    /// The first 8 bytes (big-endian) of SHA-256(`prefix` || `bytes`): how
    /// a key (§3) or an OPRF output (§11) becomes a lookup.
    pub fn of_hash(prefix: &[u8], bytes: &[u8]) -> Self {
        let mut h = Sha256::new();
        h.update(prefix);
        h.update(bytes);
        let digest = h.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        Self(u64::from_be_bytes(first))
    }

    /// Uppercase hex, 16 characters.
    pub fn to_hex(self) -> String {
        format!("{:016X}", self.0)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passes_and_lanes_have_a_maximum() {
        let kdf = |iterations, parallelism| KdfParams {
            memory_kib: 1024,
            iterations,
            parallelism,
            salt: vec![0; MIN_SALT_BYTES],
        };
        assert_eq!(kdf(16, 16).validate(true), Ok(()));
        assert_eq!(
            kdf(17, 1).validate(true),
            Err(KdfError::AboveMaximum {
                param: "iterations",
                value: 17,
                max: 16
            })
        );
        assert!(
            kdf(1, 17)
                .validate(true)
                .unwrap_err()
                .to_string()
                .contains("parallelism of 17")
        );
    }

    use super::*;

    fn params(m: u32, t: u32) -> KdfParams {
        KdfParams {
            memory_kib: m,
            iterations: t,
            parallelism: 1,
            salt: hex::decode("00112233445566778899aabbccddeeff").unwrap(),
        }
    }

    fn vector(params: &KdfParams, nir: &str, surname: &str, k: &str, lookup: &str) {
        let nir = Nir::parse(nir).unwrap();
        let surname = Surname::parse(surname).unwrap();
        let key = params.derive(&nir, &surname).unwrap();
        assert_eq!(hex::encode(key.as_bytes()), k);
        assert_eq!(key.lookup().to_hex(), lookup);
    }

    /// SPEC §10, Argon2id m=64, t=1, p=1.
    #[test]
    fn spec_vectors_cheap() {
        let p = params(64, 1);
        vector(
            &p,
            "1 85 05 78 006 084 91",
            "Lefèvre",
            "afd9e8f95c83b8997d51cee80a62f99d2661b6f07facdf194d6b6fb4ba7c57ed",
            "D87D1BC8D86FC802",
        );
        vector(
            &p,
            "293027505600111",
            "N'Diaye",
            "c21a3cffa5b550846eafbb12bb871be3dc080c94951450f88cc659f97449a8ef",
            "46A8C4E6240555C5",
        );
        vector(
            &p,
            "253072B07300470",
            "Le Gall-Dupont",
            "66f1abc86dae867058db925d7e7ebb0d229d4e52a60c08fd6952a7adf735f01d",
            "C67FD6D5B987EF9D",
        );
    }

    /// SPEC §10, Argon2id at the default cost m=65536, t=3, p=1.
    #[test]
    fn spec_vector_default_cost() {
        vector(
            &params(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS),
            "185057800608491",
            "LEFEVRE",
            "ac185fdad5c066abfdf1d334d1755d6492dea944def936376db80f22b55e92bc",
            "BDDDE0DA6DC35B80",
        );
    }

    #[test]
    fn hex_and_debug() {
        let l = Lookup(0xD87D_1BC8_D86F_C802);
        assert_eq!(l.to_hex(), "D87D1BC8D86FC802");
        assert_eq!(format!("{l:?}"), "Lookup(<redacted>)");
    }

    #[test]
    fn floor_and_limits() {
        assert!(params(64, 1).validate(true).is_ok());
        assert!(matches!(
            params(64, 1).validate(false),
            Err(KdfError::BelowFloor { .. })
        ));
        assert!(
            params(FLOOR_MEMORY_KIB, FLOOR_ITERATIONS)
                .validate(false)
                .is_ok()
        );
        assert!(matches!(
            params(FLOOR_MEMORY_KIB, 1).validate(false),
            Err(KdfError::BelowFloor { .. })
        ));
        assert!(matches!(
            params(4, 1).validate(true),
            Err(KdfError::InvalidParams { .. })
        ));
        assert!(matches!(
            params(MAX_MEMORY_KIB + 1, 3).validate(false),
            Err(KdfError::TooExpensive { .. })
        ));
        let mut short = params(64, 1);
        short.salt.truncate(8);
        assert_eq!(short.validate(true), Err(KdfError::ShortSalt { got: 8 }));
    }
}
