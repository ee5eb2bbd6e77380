//! Signing manifests and generating keys (SPEC §6), with the `minisign`
//! crate, whose files the stock `minisign` tool reads. Verification is the
//! client's, in `fuitecheck_core::signature`.

use std::path::Path;

/// Errors about secret keys.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SigningError {
    /// A secret key that cannot be loaded or used.
    #[error("cannot use secret key: {0}")]
    SecretKey(String),
    /// Reading the key failed.
    #[error("cannot read secret key: {0}")]
    Io(#[from] std::io::Error),
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
    pub fn from_file(path: &Path, password: Option<String>) -> Result<Self, SigningError> {
        let text = std::fs::read_to_string(path)?;
        Self::from_text(&text, password)
    }

    /// Parse a secret key file's text.
    pub fn from_text(text: &str, password: Option<String>) -> Result<Self, SigningError> {
        let sk_box = minisign::SecretKeyBox::from_string(text)
            .map_err(|e| SigningError::SecretKey(e.to_string()))?;
        // An unencrypted key (minisign -W) needs no password.
        if let Ok(sk) = sk_box.clone().into_unencrypted_secret_key() {
            return Ok(Self { sk });
        }
        if let Some(sk) = stock_unencrypted_key(text) {
            return Ok(Self { sk });
        }
        let Some(password) = password else {
            return Err(SigningError::SecretKey(
                "the key is password-protected and no password was given".to_owned(),
            ));
        };
        let sk = sk_box
            .into_secret_key(Some(password))
            .map_err(|e| SigningError::SecretKey(format!("{e} (wrong password?)")))?;
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
    pub fn sign(&self, data: &[u8], trusted_comment: &str) -> Result<String, SigningError> {
        let sig = minisign::sign(
            None,
            &self.sk,
            std::io::Cursor::new(data),
            Some(trusted_comment),
            Some("signature from fuitecheck-publish"),
        )
        .map_err(|e| SigningError::SecretKey(e.to_string()))?;
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
    let bytes = zeroize::Zeroizing::new(fuitecheck_core::signature::decode_base64(line)?);
    if bytes.len() != LEN || bytes[2..4] != [0, 0] || bytes[LEN - 32..].iter().any(|&b| b != 0) {
        return None;
    }
    minisign::SecretKey::from_bytes(&bytes).ok()
}

/// Generate a key pair: returns (secret key file text, public key file text).
/// With a non-empty password the secret key is encrypted as minisign does.
pub fn generate_keypair(password: Option<String>) -> Result<(String, String), SigningError> {
    let kp = match password.filter(|p| !p.is_empty()) {
        Some(pw) => minisign::KeyPair::generate_encrypted_keypair(Some(pw)),
        None => minisign::KeyPair::generate_unencrypted_keypair(),
    }
    .map_err(|e| SigningError::SecretKey(e.to_string()))?;
    let sk = kp
        .sk
        .to_box(Some("fuitecheck-publish secret key"))
        .map_err(|e| SigningError::SecretKey(e.to_string()))?
        .into_string();
    let pk = kp
        .pk
        .to_box()
        .map_err(|e| SigningError::SecretKey(e.to_string()))?
        .into_string();
    Ok((sk, pk))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fuitecheck_core::signature::{SignatureError, TrustStore, TrustedKey};

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
