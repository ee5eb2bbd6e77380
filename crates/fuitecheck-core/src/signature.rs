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
    /// A directory or URL publication signed with the public demo key,
    /// which the user did not pass explicitly (SPEC §6: anyone can make
    /// such a list).
    #[error(
        "signed with the public demonstration key (key id {key_id}): anyone can make such a list"
    )]
    DemoKeyNotTrusted {
        /// The demo key's id.
        key_id: String,
    },
    /// Reading or writing failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A trusted public key, held as key material (never as a path that
/// could be swapped after it was chosen).
#[derive(Clone)]
pub struct TrustedKey {
    key: minisign_verify::PublicKey,
    /// The Ed25519 public key itself: what the rollback store is keyed by
    /// (the key id is chosen freely at key generation).
    public_key: [u8; 32],
    /// The minisign base64 line (`Ed` || key id || public key).
    base64: String,
    /// Its 16-hex-character key id, as minisign prints it.
    pub key_id: String,
    /// Whether it is the project's demo key (recognised by its public key
    /// bytes, whatever file it came from).
    pub demo: bool,
}

impl PartialEq for TrustedKey {
    fn eq(&self, other: &Self) -> bool {
        self.public_key == other.public_key
    }
}

impl Eq for TrustedKey {}

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
        let decoded = decode_base64(line).ok_or_else(|| bad("not base64".to_owned()))?;
        let public_key: [u8; 32] = decoded
            .get(10..42)
            .and_then(|k| k.try_into().ok())
            .ok_or_else(|| bad("not a minisign Ed25519 public key".to_owned()))?;
        Ok(Self {
            key,
            public_key,
            base64: line.to_owned(),
            key_id: key_id_of(&decoded),
            demo: public_key == demo_public_key_bytes(),
        })
    }

    /// The Ed25519 public key bytes.
    pub fn public_key(&self) -> &[u8; 32] {
        &self.public_key
    }

    /// The key as a minisign `.pub` file's text: what the app stores, so
    /// that swapping the file afterwards changes nothing.
    pub fn to_text(&self) -> String {
        format!(
            "untrusted comment: minisign public key {}\n{}\n",
            self.key_id, self.base64
        )
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

/// The Ed25519 bytes of [`DEMO_PUBLIC_KEY`] (all zero if it were
/// malformed, which a unit test rules out).
fn demo_public_key_bytes() -> [u8; 32] {
    base64_line(DEMO_PUBLIC_KEY)
        .and_then(decode_base64)
        .and_then(|d| d.get(10..42).and_then(|k| k.try_into().ok()))
        .unwrap_or([0; 32])
}

/// The keys a check trusts: the shipped ones plus those the user added.
///
/// The shipped demo key verifies the embedded demo publication only; a
/// directory or URL it signed is vouched for ([`TrustStore::vouch`]) only
/// when the user added the demo key explicitly (SPEC §6).
#[derive(Debug, Clone)]
pub struct TrustStore {
    keys: Vec<TrustedKey>,
    demo_explicit: bool,
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
            demo_explicit: false,
        }
    }

    /// Add a key the user chose to trust. Adding the demo key is how the
    /// user says "I know this is demonstration data" for a directory or URL.
    pub fn add(&mut self, key: TrustedKey) {
        if key.demo {
            self.demo_explicit = true;
        }
        if !self.keys.contains(&key) {
            self.keys.push(key);
        }
    }

    /// Whether the user passed the demo key explicitly.
    pub fn demo_trusted_explicitly(&self) -> bool {
        self.demo_explicit
    }

    /// Whether `signer` (which verified a manifest read from a directory or
    /// a URL, never the embedded demo) may vouch for it: any key but the
    /// demo key, and the demo key only when added explicitly.
    pub fn vouch(&self, signer: &TrustedKey) -> Result<(), SignatureError> {
        if signer.demo && !self.demo_explicit {
            return Err(SignatureError::DemoKeyNotTrusted {
                key_id: signer.key_id.clone(),
            });
        }
        Ok(())
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
        assert_ne!(demo_public_key_bytes(), [0; 32]);
    }

    #[test]
    fn demo_key_is_recognised_by_its_bytes_and_vouches_only_when_explicit() {
        // The same key from another file (another comment) is the demo key.
        let line = base64_line(DEMO_PUBLIC_KEY).unwrap();
        let k = TrustedKey::from_text(&format!("untrusted comment: mine\n{line}\n"), "x").unwrap();
        assert!(k.demo);
        let mut store = TrustStore::shipped();
        assert!(matches!(
            store.vouch(&k),
            Err(SignatureError::DemoKeyNotTrusted { .. })
        ));
        store.add(k.clone());
        assert!(store.demo_trusted_explicitly());
        assert!(store.vouch(&k).is_ok());
        assert_eq!(store.keys().len(), 1, "the demo key is not added twice");
    }

    #[test]
    fn key_text_round_trips() {
        let k = TrustedKey::demo();
        let again = TrustedKey::from_text(&k.to_text(), "stored").unwrap();
        assert_eq!(again, k);
        assert_eq!(again.key_id, k.key_id);
        assert_eq!(again.public_key(), k.public_key());
    }
}
