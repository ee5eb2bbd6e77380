//! The publisher's OPRF secret key file (`oprf-keygen`, SPEC §11): stored
//! like the signing key — written 0600, optionally sealed with a password.
//!
//! Text, one field a line:
//! ```text
//! fuitecheck-oprf-key/1
//! public_key <64 hex: pkS>
//! secret <64 hex: skS, little-endian>                       (no password)
//! ```
//! or, with a password,
//! ```text
//! fuitecheck-oprf-key/1
//! public_key <64 hex>
//! argon2id m=65536 t=3 p=1 salt=<32 hex>
//! sealed <24 hex nonce><96 hex ChaCha20-Poly1305 of skS, tag included>
//! ```
//! The sealing key is Argon2id(password, salt) (32 bytes); the public key
//! line is the associated data, so a file whose public key was edited does
//! not open.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use fuitecheck_core::oprf::{OprfPublicKey, OprfSecretKey, SECRET_KEY_BYTES};
use zeroize::Zeroizing;

/// First line of the file.
pub const HEADER: &str = "fuitecheck-oprf-key/1";
/// Argon2id cost of the password (RFC 9106's second recommendation).
const M_KIB: u32 = 65536;
const T: u32 = 3;
const P: u32 = 1;
const SALT_BYTES: usize = 16;
const NONCE_BYTES: usize = 12;

/// An OPRF key file that cannot be written or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OprfKeyError {
    /// Not a key file of this format.
    #[error("not a FuiteCheck OPRF key file ({0})")]
    Format(&'static str),
    /// The file is sealed and no password was given.
    #[error(
        "the OPRF key is protected by a password: set FUITECHECK_KEY_PASSWORD or run in a terminal"
    )]
    PasswordNeeded,
    /// The password is wrong, or the file was altered.
    #[error("wrong password for the OPRF key, or the key file was altered")]
    WrongPassword,
    /// The key itself is unusable, or its public half does not match.
    #[error("OPRF key: {0}")]
    Key(#[from] fuitecheck_core::oprf::OprfError),
    /// The secret does not give the public key the file states.
    #[error("the OPRF key file's public key does not match its secret key")]
    Mismatch,
    /// Argon2 or randomness failed.
    #[error("OPRF key sealing failed: {0}")]
    Crypto(String),
}

fn sealing_key(
    password: &str,
    salt: &[u8],
    m: u32,
    t: u32,
    p: u32,
) -> Result<Zeroizing<[u8; 32]>, OprfKeyError> {
    let params =
        argon2::Params::new(m, t, p, Some(32)).map_err(|e| OprfKeyError::Crypto(e.to_string()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password.as_bytes(), salt, out.as_mut())
        .map_err(|e| OprfKeyError::Crypto(e.to_string()))?;
    Ok(out)
}

/// The file's text for `key`, sealed when `password` is a non-empty string.
pub fn to_text(
    key: &OprfSecretKey,
    password: Option<&str>,
) -> Result<Zeroizing<String>, OprfKeyError> {
    let public = key.public_key().to_hex();
    let secret = key.to_bytes();
    let body = match password.filter(|p| !p.is_empty()) {
        None => format!("secret {}\n", hex::encode(secret.as_ref())),
        Some(password) => {
            let mut salt = [0u8; SALT_BYTES];
            let mut nonce = [0u8; NONCE_BYTES];
            getrandom::fill(&mut salt).map_err(|e| OprfKeyError::Crypto(e.to_string()))?;
            getrandom::fill(&mut nonce).map_err(|e| OprfKeyError::Crypto(e.to_string()))?;
            let k = sealing_key(password, &salt, M_KIB, T, P)?;
            let cipher = ChaCha20Poly1305::new(k.as_ref().into());
            let sealed = cipher
                .encrypt(
                    Nonce::from_slice(&nonce),
                    Payload {
                        msg: secret.as_ref(),
                        aad: public.as_bytes(),
                    },
                )
                .map_err(|e| OprfKeyError::Crypto(e.to_string()))?;
            format!(
                "argon2id m={M_KIB} t={T} p={P} salt={}\nsealed {}{}\n",
                hex::encode(salt),
                hex::encode(nonce),
                hex::encode(sealed)
            )
        }
    };
    Ok(Zeroizing::new(format!(
        "{HEADER}\npublic_key {public}\n{body}"
    )))
}

/// Whether the file's text is sealed (needs a password).
pub fn is_sealed(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("sealed "))
}

/// The public key the file states, without opening it.
pub fn public_key(text: &str) -> Result<OprfPublicKey, OprfKeyError> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Err(OprfKeyError::Format("first line"));
    }
    let hex = lines
        .next()
        .and_then(|l| l.strip_prefix("public_key "))
        .ok_or(OprfKeyError::Format("public_key line"))?;
    Ok(OprfPublicKey::from_hex(hex)?)
}

/// Open the file's text (`password` for a sealed one).
pub fn from_text(text: &str, password: Option<&str>) -> Result<OprfSecretKey, OprfKeyError> {
    let public = public_key(text)?;
    let rest: Vec<&str> = text.lines().skip(2).collect();
    let secret: Zeroizing<Vec<u8>> = match rest.as_slice() {
        [line] => {
            let hex = line
                .strip_prefix("secret ")
                .ok_or(OprfKeyError::Format("secret line"))?;
            Zeroizing::new(hex::decode(hex).map_err(|_| OprfKeyError::Format("secret is not hex"))?)
        }
        [kdf, sealed] => {
            let password = password.ok_or(OprfKeyError::PasswordNeeded)?;
            let (m, t, p, salt) = parse_kdf(kdf)?;
            let sealed = sealed
                .strip_prefix("sealed ")
                .and_then(|h| hex::decode(h).ok())
                .filter(|b| b.len() == NONCE_BYTES + SECRET_KEY_BYTES + 16)
                .ok_or(OprfKeyError::Format("sealed line"))?;
            let k = sealing_key(password, &salt, m, t, p)?;
            let cipher = ChaCha20Poly1305::new(k.as_ref().into());
            let (nonce, ct) = sealed.split_at(NONCE_BYTES);
            let public_hex = public.to_hex();
            Zeroizing::new(
                cipher
                    .decrypt(
                        Nonce::from_slice(nonce),
                        Payload {
                            msg: ct,
                            aad: public_hex.as_bytes(),
                        },
                    )
                    .map_err(|_| OprfKeyError::WrongPassword)?,
            )
        }
        _ => return Err(OprfKeyError::Format("number of lines")),
    };
    let key = OprfSecretKey::from_bytes(&secret)?;
    if key.public_key() != &public {
        return Err(OprfKeyError::Mismatch);
    }
    Ok(key)
}

fn parse_kdf(line: &str) -> Result<(u32, u32, u32, Vec<u8>), OprfKeyError> {
    let bad = OprfKeyError::Format("argon2id line");
    let mut fields = line.split(' ');
    if fields.next() != Some("argon2id") {
        return Err(bad);
    }
    let mut get = |name: &str| {
        fields
            .next()
            .and_then(|f| f.strip_prefix(name))
            .map(str::to_owned)
    };
    let num = |v: Option<String>| v.and_then(|s| s.parse::<u32>().ok());
    let m = num(get("m="));
    let t = num(get("t="));
    let p = num(get("p="));
    let salt = get("salt=").and_then(|s| hex::decode(s).ok());
    match (m, t, p, salt) {
        // Bounded like a manifest's KDF (SPEC §6), so a crafted file
        // cannot ask for more than a citizen's machine could give.
        (Some(m), Some(t), Some(p), Some(salt))
            if m <= fuitecheck_core::fingerprint::MAX_MEMORY_KIB
                && (1..=fuitecheck_core::fingerprint::MAX_ITERATIONS).contains(&t)
                && (1..=fuitecheck_core::fingerprint::MAX_PARALLELISM).contains(&p)
                && salt.len() >= 8 =>
        {
            Ok((m, t, p, salt))
        }
        _ => Err(bad),
    }
}

#[cfg(test)]
mod tests {
    // A test reports failure by panicking: unwrap/expect are its asserts.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn plain_and_sealed_files_round_trip() {
        let key = OprfSecretKey::derive(&[0x5A; 32], b"fuitecheck/v1 test oprf key").unwrap();
        let plain = to_text(&key, None).unwrap();
        assert!(!is_sealed(&plain));
        assert_eq!(
            plain.as_str(),
            "fuitecheck-oprf-key/1\n\
             public_key 82e033620e668c96ddaa6a6e14751c966ac73d273c90985ec1f1441b7d56132c\n\
             secret 63bfa9b12d8493db97ab1e0defa75b7f9b914ea269dece43505c3072864f9f05\n"
        );
        assert_eq!(
            from_text(&plain, None).unwrap().public_key(),
            key.public_key()
        );
        // An empty password means none.
        assert!(!is_sealed(&to_text(&key, Some("")).unwrap()));

        let sealed = to_text(&key, Some("s3cret")).unwrap();
        assert!(is_sealed(&sealed));
        assert!(!sealed.contains("63bfa9b1"));
        assert_eq!(public_key(&sealed).unwrap(), *key.public_key());
        assert_eq!(
            from_text(&sealed, Some("s3cret")).unwrap().to_bytes(),
            key.to_bytes()
        );
        assert!(matches!(
            from_text(&sealed, None),
            Err(OprfKeyError::PasswordNeeded)
        ));
        assert!(matches!(
            from_text(&sealed, Some("other")),
            Err(OprfKeyError::WrongPassword)
        ));
        // The public key is bound to the sealed secret.
        let other = OprfSecretKey::derive(b"other", b"").unwrap();
        let edited = sealed.replace(&key.public_key().to_hex(), &other.public_key().to_hex());
        assert!(matches!(
            from_text(&edited, Some("s3cret")),
            Err(OprfKeyError::WrongPassword)
        ));
        let edited = plain.replace(&key.public_key().to_hex(), &other.public_key().to_hex());
        assert!(matches!(
            from_text(&edited, None),
            Err(OprfKeyError::Mismatch)
        ));
        assert!(matches!(
            from_text("minisign\n", None),
            Err(OprfKeyError::Format(_))
        ));
        let greedy = sealed.replace("m=65536", "m=4194305");
        assert!(matches!(
            from_text(&greedy, Some("s3cret")),
            Err(OprfKeyError::Format(_))
        ));
    }
}
