//! The online source: a publication's range API (SPEC §7) over HTTPS.
//!
//! Only the signed manifest and `P`-hex-character prefixes are requested;
//! every answer is verified (signature, then strict line format, size equal
//! to `pad_lines`, order). HTTPS is required except on loopback.

use std::collections::HashMap;
use std::io::Read as _;
use std::time::Duration;

use reqwest::Url;

use fuitecheck_core::check::{Hit, Source, SourceError, SourceInfo, SourceKind};
use fuitecheck_core::fingerprint::Lookup;
use fuitecheck_core::manifest::Manifest;
use fuitecheck_core::publication::{MANIFEST_FILE, SIGNATURE_FILE};
use fuitecheck_core::range;
use fuitecheck_core::signature::{TrustStore, TrustedKey};

/// The largest manifest or signature accepted (bytes).
const MAX_MANIFEST: u64 = 16 << 20;

/// Timeouts and retries of the HTTP client. [`Default`] gives the values
/// the app uses; tests shorten them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOptions {
    /// Time to establish a TCP (and TLS) connection.
    pub connect_timeout: std::time::Duration,
    /// Time any single step may take: sending the request and receiving
    /// the response head, then each read of the body. A server that
    /// stalls for longer is given up on (and retried).
    pub io_timeout: std::time::Duration,
    /// Attempts for a request that fails transiently (connection lost,
    /// timeout, 5xx), at least 1.
    pub attempts: u32,
    /// Wait before the first retry; it doubles before each further one.
    pub backoff: std::time::Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            io_timeout: Duration::from_secs(60),
            attempts: 3,
            backoff: Duration::from_millis(500),
        }
    }
}

impl ClientOptions {
    /// The wait before attempt number `attempt` (0-based; 0 waits nothing).
    pub fn delay_before(&self, attempt: u32) -> Duration {
        match attempt {
            0 => Duration::ZERO,
            n => self.backoff.saturating_mul(1 << (n - 1).min(16)),
        }
    }
}

/// Parse and check a publication base URL: `https://…`, or `http://` on a
/// loopback address only. The result ends with `/`.
pub fn parse_base_url(base: &str) -> Result<Url, SourceError> {
    let mut url = Url::parse(base.trim())
        .map_err(|e| SourceError::Other(format!("invalid URL {base:?}: {e}")))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(SourceError::Other(
                "HTTPS is required (plain HTTP is accepted only on this machine's loopback)"
                    .to_owned(),
            ));
        }
        other => {
            return Err(SourceError::Other(format!(
                "unsupported URL scheme `{other}`"
            )));
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(SourceError::Other(
            "the URL must not have a query or fragment".to_owned(),
        ));
    }
    if !url.path().ends_with('/') {
        let p = format!("{}/", url.path());
        url.set_path(&p);
    }
    Ok(url)
}

/// An HTTP client with the project's timeouts and no cookies or redirects
/// to other schemes.
pub fn http_client_with(opts: &ClientOptions) -> Result<reqwest::blocking::Client, SourceError> {
    reqwest::blocking::Client::builder()
        .connect_timeout(opts.connect_timeout)
        // In the blocking client this bounds each step (the response head,
        // then every read of the body), not the whole transfer.
        .timeout(opts.io_timeout)
        .user_agent(concat!("fuitecheck/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
        .map_err(|e| SourceError::Network(e.to_string()))
}

/// GET a URL into memory, at most `limit` bytes, retrying transient
/// failures with back-off (by default 0.5 s, then 1 s).
pub(crate) fn get_bytes_with(
    client: &reqwest::blocking::Client,
    url: &Url,
    limit: u64,
    what: &str,
    opts: &ClientOptions,
) -> Result<Vec<u8>, SourceError> {
    get_bytes_inner(client, url, limit, what, opts, false)
}

/// [`get_bytes_with`], asking caches on the way for a fresh copy when
/// `no_cache` (`Cache-Control: no-cache`).
fn get_bytes_inner(
    client: &reqwest::blocking::Client,
    url: &Url,
    limit: u64,
    what: &str,
    opts: &ClientOptions,
    no_cache: bool,
) -> Result<Vec<u8>, SourceError> {
    let mut last = String::new();
    for attempt in 0..opts.attempts.max(1) {
        std::thread::sleep(opts.delay_before(attempt));
        let mut req = client.get(url.clone());
        if no_cache {
            req = req
                .header(reqwest::header::CACHE_CONTROL, "no-cache")
                .header(reqwest::header::PRAGMA, "no-cache");
        }
        let resp = match req.send() {
            Ok(r) => r,
            Err(e) => {
                last = format!("{what}: {}", describe(&e));
                continue;
            }
        };
        let status = resp.status();
        if status.is_server_error() {
            last = format!("{what}: the server answered HTTP {status}");
            continue;
        }
        if !status.is_success() {
            return Err(SourceError::Network(format!(
                "{what}: the server answered HTTP {status}"
            )));
        }
        let mut body = Vec::new();
        match resp.take(limit + 1).read_to_end(&mut body) {
            Ok(_) if body.len() as u64 > limit => {
                return Err(SourceError::Invalid(format!(
                    "{what}: larger than {limit} bytes"
                )));
            }
            Ok(_) => return Ok(body),
            Err(e) => last = format!("{what}: connection lost while reading ({e})"),
        }
    }
    Err(SourceError::Network(last))
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_connect() {
        "cannot connect to the server".to_owned()
    } else {
        e.to_string()
    }
}

/// Fetch and verify a publication's manifest: (manifest bytes, signature
/// text, parsed manifest, signing key).
pub fn fetch_manifest(
    client: &reqwest::blocking::Client,
    base: &Url,
    trust: &TrustStore,
) -> Result<(Vec<u8>, String, Manifest, TrustedKey), SourceError> {
    fetch_manifest_with(client, base, trust, &ClientOptions::default())
}

/// [`fetch_manifest`] with explicit retries.
pub fn fetch_manifest_with(
    client: &reqwest::blocking::Client,
    base: &Url,
    trust: &TrustStore,
    opts: &ClientOptions,
) -> Result<(Vec<u8>, String, Manifest, TrustedKey), SourceError> {
    let join = |p: &str| {
        base.join(p)
            .map_err(|e| SourceError::Other(format!("bad URL: {e}")))
    };
    let bytes = get_bytes_with(
        client,
        &join(&format!("v1/{MANIFEST_FILE}"))?,
        MAX_MANIFEST,
        "manifest",
        opts,
    )?;
    let sig = get_bytes_with(
        client,
        &join(&format!("v1/{SIGNATURE_FILE}"))?,
        64 * 1024,
        "signature",
        opts,
    )?;
    let sig = String::from_utf8(sig)
        .map_err(|_| SourceError::Invalid("the signature file is not text".to_owned()))?;
    let key = trust
        .verify(&bytes, &sig)
        .map_err(|e| SourceError::Invalid(e.to_string()))?
        .clone();
    let manifest = Manifest::from_json(&bytes).map_err(|e| SourceError::Invalid(e.to_string()))?;
    Ok((bytes, sig, manifest, key))
}

/// A publication checked through its range API.
#[derive(Debug)]
pub struct RangeSource {
    base: Url,
    client: reqwest::blocking::Client,
    manifest: Manifest,
    signer: TrustedKey,
    options: ClientOptions,
}

impl RangeSource {
    /// Fetch and verify the manifest of the publication at `base`.
    pub fn connect(base: &str, trust: &TrustStore) -> Result<Self, SourceError> {
        Self::connect_with(base, trust, ClientOptions::default())
    }

    /// [`RangeSource::connect`] with explicit timeouts and retries.
    pub fn connect_with(
        base: &str,
        trust: &TrustStore,
        options: ClientOptions,
    ) -> Result<Self, SourceError> {
        let base = parse_base_url(base)?;
        let client = http_client_with(&options)?;
        let (_, _, manifest, signer) = fetch_manifest_with(&client, &base, trust, &options)?;
        Ok(Self {
            base,
            client,
            manifest,
            signer,
            options,
        })
    }

    /// The key that signed the manifest.
    pub fn signer(&self) -> &TrustedKey {
        &self.signer
    }
}

impl Source for RangeSource {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            kind: SourceKind::Online,
            location: self.base.to_string(),
            publisher: self.manifest.publisher.clone(),
            demo: self.manifest.demo || self.signer.demo,
        }
    }

    fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    fn lookup(&self, lookups: &[Lookup]) -> Result<Vec<Vec<Hit>>, SourceError> {
        let p = self.manifest.range.prefix_hex_chars;
        let pad = self.manifest.range.pad_lines;
        // Generous bound: CRLF lines are one byte longer.
        let limit = u64::from(pad) * (range::line_len(p) as u64 + 1);
        let mut bodies: HashMap<String, Vec<u8>> = HashMap::new();
        let mut out = Vec::with_capacity(lookups.len());
        for &l in lookups {
            let prefix = l.prefix_hex(p);
            if !bodies.contains_key(&prefix) {
                let url = self
                    .base
                    .join(&format!("v1/range/{prefix}"))
                    .map_err(|e| SourceError::Other(e.to_string()))?;
                let body =
                    get_bytes_with(&self.client, &url, limit, "range response", &self.options)?;
                bodies.insert(prefix.clone(), body);
            }
            let hits = match range::parse_response_for(&bodies[&prefix], &self.manifest, l) {
                // A response of another size, naming a breach the manifest
                // no longer lists, or not matching its bucket digest, is
                // most likely a cache (CDN) still holding the previous
                // publication's bucket: ask once for a fresh copy (caches
                // bypassed) before refusing it.
                Err(
                    range::RangeError::WrongSize { .. }
                    | range::RangeError::UnknownBreach { .. }
                    | range::RangeError::DigestMismatch,
                ) => {
                    let url = self
                        .base
                        .join(&format!("v1/range/{prefix}"))
                        .map_err(|e| SourceError::Other(e.to_string()))?;
                    let body = get_bytes_inner(
                        &self.client,
                        &url,
                        limit,
                        "range response",
                        &self.options,
                        true,
                    )?;
                    bodies.insert(prefix.clone(), body);
                    range::parse_response_for(&bodies[&prefix], &self.manifest, l)
                }
                other => other,
            }
            .map_err(|e| SourceError::Invalid(e.to_string()))?;
            // As for a set file: a line for a breach the signed manifest
            // does not list, or with categories that breach does not
            // declare, refuses the answer (rather than dropping or
            // clipping it).
            for h in &hits {
                let Some(pb) = self.manifest.breach_by_code(h.code) else {
                    return Err(SourceError::Invalid(format!(
                        "the range response names breach code {:04X}, which the manifest does not list",
                        h.code
                    )));
                };
                if !h.mask.is_subset(pb.breach.mask()) {
                    return Err(SourceError::Invalid(format!(
                        "the range response gives breach `{}` categories it does not declare",
                        pb.breach.id
                    )));
                }
            }
            out.push(hits);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            parse_base_url("https://example.org/pub").unwrap().as_str(),
            "https://example.org/pub/"
        );
        assert!(parse_base_url("http://127.0.0.1:8080").is_ok());
        assert!(parse_base_url("http://localhost:8080/").is_ok());
        assert!(parse_base_url("http://[::1]:8080/").is_ok());
        assert!(parse_base_url("http://example.org/").is_err());
        assert!(parse_base_url("http://10.0.0.1/").is_err());
        assert!(parse_base_url("ftp://example.org/").is_err());
        assert!(parse_base_url("https://example.org/?q=1").is_err());
        assert!(parse_base_url("not a url").is_err());
    }
}
