//! Minisign signatures of manifests (SPEC §6).
//!
//! Verification uses `minisign-verify`, which accepts the stock `minisign`
//! tool's default pre-hashed (`ED`) signatures as well as legacy ones are
//! refused. Signing and key generation use the `minisign` crate, whose files
//! the stock tool reads.

use std::path::Path;

/// The project's demo public key: a publication it signs is always shown as
/// demonstration data.
pub const DEMO_PUBLIC_KEY: &str = include_str!("../assets/demo/demo.pub");

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
    /// A secret key that cannot be loaded or used.
    #[error("cannot use secret key: {0}")]
    SecretKey(String),
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

fn decode_b64(s: &str) -> Option<Vec<u8>> {
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
        let key_id = decode_b64(line).map(|d| key_id_of(&d)).unwrap_or_default();
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
            .and_then(|l| decode_b64(l.trim()))
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

/// A loaded secret key, for publishers.
pub struct SigningKey {
    sk: minisign::SecretKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

impl SigningKey {
    /// Load a minisign secret key file (ours or one from `minisign -G`).
    /// `password` is needed when the key is encrypted.
    pub fn from_file(path: &Path, password: Option<String>) -> Result<Self, SignatureError> {
        let text = std::fs::read_to_string(path)?;
        Self::from_text(&text, password)
    }

    /// Parse a secret key file's text.
    pub fn from_text(text: &str, password: Option<String>) -> Result<Self, SignatureError> {
        let sk_box = minisign::SecretKeyBox::from_string(text)
            .map_err(|e| SignatureError::SecretKey(e.to_string()))?;
        // An unencrypted key (minisign -W) needs no password.
        if let Ok(sk) = sk_box.clone().into_unencrypted_secret_key() {
            return Ok(Self { sk });
        }
        if let Some(sk) = stock_unencrypted_key(text) {
            return Ok(Self { sk });
        }
        let Some(password) = password else {
            return Err(SignatureError::SecretKey(
                "the key is password-protected and no password was given".to_owned(),
            ));
        };
        let sk = sk_box
            .into_secret_key(Some(password))
            .map_err(|e| SignatureError::SecretKey(format!("{e} (wrong password?)")))?;
        Ok(Self { sk })
    }

    /// Whether a secret key file's text is password-protected.
    pub fn is_encrypted(text: &str) -> bool {
        minisign::SecretKeyBox::from_string(text)
            .and_then(|b| b.into_unencrypted_secret_key())
            .is_err()
    }

    /// Sign `data`; returns the `.minisig` text (pre-hashed, as the stock
    /// tool does by default).
    pub fn sign(&self, data: &[u8], trusted_comment: &str) -> Result<String, SignatureError> {
        let sig = minisign::sign(
            None,
            &self.sk,
            std::io::Cursor::new(data),
            Some(trusted_comment),
            Some("signature from fuitecheck-publish"),
        )
        .map_err(|e| SignatureError::SecretKey(e.to_string()))?;
        Ok(sig.into_string())
    }
}

/// The stock `minisign -G -W` (0.11) writes unencrypted secret keys with
/// an all-zero checksum, which the `minisign` crate refuses as corrupted.
/// Accept exactly that shape: KDF "none" and a zero checksum.
fn stock_unencrypted_key(text: &str) -> Option<minisign::SecretKey> {
    // sig_alg(2) kdf_alg(2) chk_alg(2) salt(32) ops(8) mem(8) keynum(8)
    // sk(64) chk(32)
    const LEN: usize = 2 + 2 + 2 + 32 + 8 + 8 + 8 + 64 + 32;
    let line = text.lines().nth(1)?.trim();
    let bytes = zeroize::Zeroizing::new(decode_b64(line)?);
    if bytes.len() != LEN || bytes[2..4] != [0, 0] || bytes[LEN - 32..].iter().any(|&b| b != 0) {
        return None;
    }
    minisign::SecretKey::from_bytes(&bytes).ok()
}

/// Generate a key pair: returns (secret key file text, public key file text).
/// With a non-empty password the secret key is encrypted as minisign does.
pub fn generate_keypair(password: Option<String>) -> Result<(String, String), SignatureError> {
    let kp = match password.filter(|p| !p.is_empty()) {
        Some(pw) => minisign::KeyPair::generate_encrypted_keypair(Some(pw)),
        None => minisign::KeyPair::generate_unencrypted_keypair(),
    }
    .map_err(|e| SignatureError::SecretKey(e.to_string()))?;
    let sk = kp
        .sk
        .to_box(Some("fuitecheck-publish secret key"))
        .map_err(|e| SignatureError::SecretKey(e.to_string()))?
        .into_string();
    let pk = kp
        .pk
        .to_box()
        .map_err(|e| SignatureError::SecretKey(e.to_string()))?
        .into_string();
    Ok((sk, pk))
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

    #[test]
    fn sign_verify_round_trip_and_tamper() {
        let (sk, pk) = generate_keypair(Some("pw".into())).unwrap();
        assert!(SigningKey::is_encrypted(&sk));
        assert!(SigningKey::from_text(&sk, Some("wrong".into())).is_err());
        let signer = SigningKey::from_text(&sk, Some("pw".into())).unwrap();
        let sig = signer.sign(b"hello", "manifest").unwrap();
        let mut store = TrustStore::shipped();
        assert!(matches!(
            store.verify(b"hello", &sig),
            Err(SignatureError::Untrusted { .. })
        ));
        let key = TrustedKey::from_text(&pk, "test").unwrap();
        let id = key.key_id.clone();
        store.add(key);
        assert_eq!(store.verify(b"hello", &sig).unwrap().key_id, id);
        assert!(store.verify(b"hellO", &sig).is_err());
        assert!(matches!(
            store.verify(b"hello", "garbage"),
            Err(SignatureError::BadSignature(_))
        ));
    }

    #[test]
    fn unencrypted_keys_work() {
        let (sk, _pk) = generate_keypair(None).unwrap();
        assert!(!SigningKey::is_encrypted(&sk));
        assert!(SigningKey::from_text(&sk, None).is_ok());
    }
}
