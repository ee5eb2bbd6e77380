//! Minisign signatures of manifests (SPEC §6).
//!
//! Verification uses `minisign-verify`, which accepts the stock `minisign`
//! tool's default pre-hashed (`ED`) signatures; legacy ones are refused.
//! Signing and key generation are the publisher's (`fuitecheck_publish::signing`).

use std::path::Path;

/// The project's demo public key: a publication it signs is always shown as
/// demonstration data.
pub const DEMO_PUBLIC_KEY: &str = include_str!("../../../assets/demo/demo.pub");

/// Errors about keys and signatures.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// A public key file that cannot be read or parsed.
    #[error("invalid public key {origin}: {reason}")]
    BadPublicKey {
        /// Where it came from.
        origin: String,
        /// Why.
        reason: String,
    },
    /// The `.minisig` file is malformed.
    #[error("malformed signature file: {0}")]
    BadSignature(String),
    /// No trusted key verifies the signature.
    #[error(
        "the manifest signature does not verify with any trusted key \
         (signed by key id {key_id}; {trusted} key(s) trusted)"
    )]
    Untrusted {
        /// The key id named by the signature.
        key_id: String,
        /// How many keys were tried.
        trusted: usize,
    },
    /// Reading or writing failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A trusted public key.
#[derive(Clone)]
pub struct TrustedKey {
    key: minisign_verify::PublicKey,
    /// Its 16-hex-character key id, as minisign prints it.
    pub key_id: String,
    /// Whether it is the project's demo key.
    pub demo: bool,
}

impl std::fmt::Debug for TrustedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "TrustedKey({}{})",
            self.key_id,
            if self.demo { ", demo" } else { "" }
        )
    }
}

/// The key id of a minisign public key or signature blob: bytes 2..10,
/// little-endian, printed as uppercase hex like minisign does.
fn key_id_of(decoded: &[u8]) -> String {
    decoded
        .get(2..10)
        .map(|id| id.iter().rev().map(|b| format!("{b:02X}")).collect())
        .unwrap_or_else(|| "?".to_owned())
}

fn base64_line(text: &str) -> Option<&str> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
}

/// Decode one line of minisign's standard base64 (shared with the
/// publisher's key loader).
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    use ct_codecs::Decoder as _;
    ct_codecs::Base64::decode_to_vec(s, None).ok()
}

impl TrustedKey {
    /// Parse a minisign public key, either a `.pub` file's text or its bare
    /// base64 line.
    pub fn from_text(text: &str, origin: &str) -> Result<Self, SignatureError> {
        let bad = |reason: String| SignatureError::BadPublicKey {
            origin: origin.to_owned(),
            reason,
        };
        let line = base64_line(text).ok_or_else(|| bad("empty".to_owned()))?;
        let key = minisign_verify::PublicKey::from_base64(line).map_err(|e| bad(e.to_string()))?;
        let key_id = decode_base64(line)
            .map(|d| key_id_of(&d))
            .unwrap_or_default();
        Ok(Self {
            key,
            key_id,
            demo: false,
        })
    }

    /// Read a `.pub` file.
    pub fn from_file(path: &Path) -> Result<Self, SignatureError> {
        let text = std::fs::read_to_string(path).map_err(|e| SignatureError::BadPublicKey {
            origin: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Self::from_text(&text, &path.display().to_string())
    }

    /// The project's demo key.
    pub fn demo() -> Self {
        // The shipped key is checked by a unit test.
        let mut k = Self::from_text(DEMO_PUBLIC_KEY, "demo key")
            .unwrap_or_else(|e| panic!("shipped demo key is invalid: {e}"));
        k.demo = true;
        k
    }
}

/// The keys a check trusts: the shipped ones plus those the user added.
#[derive(Debug, Clone)]
pub struct TrustStore {
    keys: Vec<TrustedKey>,
}

impl Default for TrustStore {
    fn default() -> Self {
        Self::shipped()
    }
}

impl TrustStore {
    /// Only the keys shipped with the app (today: the demo key; real
    /// publishers' keys are added here as they publish).
    pub fn shipped() -> Self {
        Self {
            keys: vec![TrustedKey::demo()],
        }
    }

    /// Add a key the user chose to trust.
    pub fn add(&mut self, key: TrustedKey) {
        self.keys.push(key);
    }

    /// The keys.
    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// Verify `data` against a `.minisig` text; returns the key that
    /// verified it.
    pub fn verify(&self, data: &[u8], minisig: &str) -> Result<&TrustedKey, SignatureError> {
        // The untrusted comment is, by design, not covered by the
        // signature; its line must still have minisign's shape.
        if !minisig.starts_with("untrusted comment: ") {
            return Err(SignatureError::BadSignature(
                "the first line must be an untrusted comment".to_owned(),
            ));
        }
        let sig = minisign_verify::Signature::decode(minisig)
            .map_err(|e| SignatureError::BadSignature(e.to_string()))?;
        let key_id = minisig
            .lines()
            .nth(1)
            .and_then(|l| decode_base64(l.trim()))
            .map(|d| key_id_of(&d))
            .unwrap_or_else(|| "?".to_owned());
        self.keys
            .iter()
            .find(|k| k.key.verify(data, &sig, false).is_ok())
            .ok_or(SignatureError::Untrusted {
                key_id,
                trusted: self.keys.len(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_key_parses() {
        let k = TrustedKey::demo();
        assert!(k.demo);
        assert_eq!(k.key_id.len(), 16);
    }
}
