//! The online source: a publication's range API (SPEC §7) over HTTPS.
//!
//! Only the signed manifest and, per check, the one range answer of the
//! person's NIR bucket (SPEC v1.1 §7.3: one request whatever the number of
//! names, nothing else derived from the person, never a set file) are
//! requested; every answer is verified (signature, then strict line format,
//! size equal to `pad_lines`, order, known breaches, and the signed bucket
//! digest). HTTPS is required except on loopback.

use std::io::Read as _;
use std::time::Duration;

use reqwest::Url;

use fuitecheck_core::bucket::NirBucket;
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
    let loopback = is_loopback(&url);
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

/// `localhost`, 127.0.0.0/8 or `::1`: the only hosts plain HTTP may reach.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Redirects followed at most (SPEC §7.3).
pub const MAX_REDIRECTS: usize = 3;

/// A redirect the client refuses to follow (SPEC §7.3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RedirectError {
    /// More than [`MAX_REDIRECTS`] redirects.
    #[error("more than {max} redirects; refused")]
    TooMany {
        /// The maximum.
        max: usize,
    },
    /// From HTTPS to plain HTTP.
    #[error("redirect from HTTPS to plain HTTP refused ({to})")]
    Downgrade {
        /// Where it led (scheme, host and port only).
        to: String,
    },
    /// To another scheme, host or port than the original request's.
    #[error("redirect to another host refused ({from} → {to})")]
    OtherHost {
        /// The original origin.
        from: String,
        /// Where it led (scheme, host and port only).
        to: String,
    },
    /// Plain HTTP to a host that is not loopback.
    #[error("redirect to plain HTTP outside loopback refused ({to})")]
    PlainHttp {
        /// Where it led (scheme, host and port only).
        to: String,
    },
}

/// `scheme://host:port` of a URL, for error messages (never a path or a
/// query, which may come from the server).
fn origin_text(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// Whether to follow a redirect from `previous` (the original request
/// first) to `next`: at most [`MAX_REDIRECTS`], never from HTTPS to HTTP,
/// never to another scheme, host or port, plain HTTP on loopback only.
pub fn check_redirect(previous: &[Url], next: &Url) -> Result<(), RedirectError> {
    if previous.len() > MAX_REDIRECTS {
        return Err(RedirectError::TooMany { max: MAX_REDIRECTS });
    }
    let to = || origin_text(next);
    let Some(first) = previous.first() else {
        return Err(RedirectError::TooMany { max: MAX_REDIRECTS });
    };
    if previous.iter().any(|u| u.scheme() == "https") && next.scheme() != "https" {
        return Err(RedirectError::Downgrade { to: to() });
    }
    if next.scheme() != first.scheme()
        || next.host() != first.host()
        || next.port_or_known_default() != first.port_or_known_default()
    {
        return Err(RedirectError::OtherHost {
            from: origin_text(first),
            to: to(),
        });
    }
    if next.scheme() != "https" && !is_loopback(next) {
        return Err(RedirectError::PlainHttp { to: to() });
    }
    Ok(())
}

/// An HTTP client with the project's timeouts and the transport rules of
/// SPEC §7.3: redirects by [`check_redirect`] only, no cookies (reqwest's
/// `cookies` feature is off, so there is no cookie store), no
/// `Accept-Encoding` (compression is off, and turned off explicitly in
/// case a dependency enables a reqwest compression feature), no `Referer`.
pub fn http_client_with(opts: &ClientOptions) -> Result<reqwest::blocking::Client, SourceError> {
    // rustls's process-wide crypto provider (*ring*), installed once; on
    // Windows TLS is the system's (native-tls).
    #[cfg(not(windows))]
    {
        static PROVIDER: std::sync::Once = std::sync::Once::new();
        PROVIDER.call_once(|| {
            // Err only if another provider is already installed: then that
            // one is used, which is as good.
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
    }
    reqwest::blocking::Client::builder()
        .connect_timeout(opts.connect_timeout)
        // In the blocking client this bounds each step (the response head,
        // then every read of the body), not the whole transfer.
        .timeout(opts.io_timeout)
        .user_agent(concat!("fuitecheck/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::custom(
            |attempt| match check_redirect(attempt.previous(), attempt.url()) {
                Ok(()) => attempt.follow(),
                Err(e) => attempt.error(e),
            },
        ))
        .referer(false)
        .no_gzip()
        .no_brotli()
        .no_deflate()
        .no_zstd()
        .build()
        .map_err(|e| SourceError::Network(e.to_string()))
}

/// The [`RedirectError`] behind a reqwest error, if any.
fn redirect_error(e: &reqwest::Error) -> Option<&RedirectError> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<RedirectError>() {
            return Some(r);
        }
        source = s.source();
    }
    None
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
            // A refused redirect is the server's answer: not retried.
            Err(e) if e.is_redirect() => {
                return Err(SourceError::Network(format!(
                    "{what}: {}",
                    redirect_error(&e).map_or_else(|| e.to_string(), ToString::to_string)
                )));
            }
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
    let manifest =
        Manifest::from_signed_json(&bytes).map_err(|e| SourceError::Invalid(e.to_string()))?;
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
        // Range answers keyed by anything but the NIR bucket would reveal
        // more than a bucket: refused before any check (SPEC v1.1 §6).
        manifest
            .range
            .check_scheme()
            .map_err(|e| SourceError::Invalid(e.to_string()))?;
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

    fn signer(&self) -> Option<&TrustedKey> {
        Some(&self.signer)
    }

    fn lookup(&self, bucket: NirBucket, lookups: &[Lookup]) -> Result<Vec<Vec<Hit>>, SourceError> {
        let p = self.manifest.range.prefix_hex_chars;
        let v = bucket.number(p);
        // Generous bound: CRLF lines are one byte longer.
        let limit = u64::from(self.manifest.range.pad_lines) * (range::LINE_LEN as u64 + 1);
        let url = self
            .base
            .join(&format!("v1/range/{}", bucket.text(p)))
            .map_err(|e| SourceError::Other(e.to_string()))?;
        // One request for the person's bucket, whatever the number of
        // lookups (names); the lines are compared locally.
        let body = get_bytes_with(&self.client, &url, limit, "range response", &self.options)?;
        let hits = match range::parse_response_for(&body, &self.manifest, v, lookups) {
            // A response of another size, naming a breach the manifest
            // no longer lists, or not matching its bucket digest, is most
            // likely a cache (CDN) still holding the previous
            // publication's bucket: ask once for a fresh copy (caches
            // bypassed) before refusing it.
            Err(
                range::RangeError::WrongSize { .. }
                | range::RangeError::UnknownBreach { .. }
                | range::RangeError::DigestMismatch,
            ) => {
                let body = get_bytes_inner(
                    &self.client,
                    &url,
                    limit,
                    "range response",
                    &self.options,
                    true,
                )?;
                range::parse_response_for(&body, &self.manifest, v, lookups)
            }
            other => other,
        }
        .map_err(|e| SourceError::Invalid(e.to_string()))?;
        // parse_response_for refused any line naming a breach the signed
        // manifest does not list, or categories that breach does not
        // declare, anywhere in the answer (rather than dropping or
        // clipping it).
        Ok(hits)
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

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn redirect_rules() {
        let https = [u("https://example.org/pub/v1/manifest.json")];
        assert_eq!(
            check_redirect(&https, &u("https://example.org/other")),
            Ok(())
        );
        assert_eq!(
            check_redirect(&https, &u("https://example.org:443/x")),
            Ok(())
        );
        assert_eq!(
            check_redirect(&https, &u("http://example.org/x")),
            Err(RedirectError::Downgrade {
                to: "http://example.org".into()
            })
        );
        assert!(matches!(
            check_redirect(&https, &u("https://cdn.example.net/x")),
            Err(RedirectError::OtherHost { .. })
        ));
        assert!(matches!(
            check_redirect(&https, &u("https://example.org:8443/x")),
            Err(RedirectError::OtherHost { .. })
        ));
        let local = [u("http://127.0.0.1:8080/v1/manifest.json")];
        assert_eq!(
            check_redirect(&local, &u("http://127.0.0.1:8080/y")),
            Ok(())
        );
        // Not even an upgrade changes the origin.
        assert!(matches!(
            check_redirect(&local, &u("https://127.0.0.1:8080/y")),
            Err(RedirectError::OtherHost { .. })
        ));
        assert!(matches!(
            check_redirect(&local, &u("http://localhost:8080/y")),
            Err(RedirectError::OtherHost { .. })
        ));
        // Plain HTTP stays on loopback at every hop (a base URL outside
        // loopback is refused before any request; this is the last guard).
        let plain = [u("http://example.org/")];
        assert_eq!(
            check_redirect(&plain, &u("http://example.org/x")),
            Err(RedirectError::PlainHttp {
                to: "http://example.org".into()
            })
        );
        let hops: Vec<Url> = (0..4)
            .map(|i| u(&format!("https://example.org/{i}")))
            .collect();
        assert_eq!(
            check_redirect(&hops[..3], &u("https://example.org/x")),
            Ok(())
        );
        assert_eq!(
            check_redirect(&hops, &u("https://example.org/x")),
            Err(RedirectError::TooMany { max: 3 })
        );
        assert_eq!(
            RedirectError::OtherHost {
                from: "http://127.0.0.1:1".into(),
                to: "http://localhost:1".into()
            }
            .to_string(),
            "redirect to another host refused (http://127.0.0.1:1 → http://localhost:1)"
        );
    }

    /// A loopback HTTP server that records every request head byte for
    /// byte. `/hop/N` redirects to `/hop/N-1` (with a `Set-Cookie`),
    /// `/hop/0` answers `ok`, `/away` redirects to the same port on
    /// `localhost` (another host), `/port` to another port.
    struct RawServer {
        addr: std::net::SocketAddr,
        heads: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    }

    fn raw_server() -> RawServer {
        use std::io::{BufRead as _, BufReader, Write as _};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let other = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let other_port = other.local_addr().unwrap().port();
        let heads = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = std::sync::Arc::clone(&heads);
        std::thread::spawn(move || {
            let _other = other;
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = String::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    head.push_str(&line);
                }
                let path = head.split(' ').nth(1).unwrap_or("").to_owned();
                log.lock().unwrap().push(head);
                let redirect = |to: String| {
                    format!(
                        "HTTP/1.1 302 Found\r\nLocation: {to}\r\nSet-Cookie: session=1; Path=/\r\n\
                         Content-Length: 0\r\nConnection: close\r\n\r\n"
                    )
                };
                let answer = match path.strip_prefix("/hop/").map(str::parse::<u32>) {
                    Some(Ok(0)) => {
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                            .to_owned()
                    }
                    Some(Ok(n)) => redirect(format!("/hop/{}", n - 1)),
                    _ if path == "/away" => {
                        redirect(format!("http://localhost:{}/hop/0", addr.port()))
                    }
                    _ if path == "/port" => {
                        redirect(format!("http://127.0.0.1:{other_port}/hop/0"))
                    }
                    _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .to_owned(),
                };
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        RawServer { addr, heads }
    }

    fn fetch(server: &RawServer, path: &str) -> Result<Vec<u8>, SourceError> {
        let opts = ClientOptions {
            attempts: 3,
            backoff: Duration::from_millis(1),
            ..ClientOptions::default()
        };
        let client = http_client_with(&opts).unwrap();
        let url = u(&format!("http://{}{path}", server.addr));
        get_bytes_with(&client, &url, 1024, "manifest", &opts)
    }

    fn paths(server: &RawServer) -> Vec<String> {
        server
            .heads
            .lock()
            .unwrap()
            .iter()
            .map(|h| h.split(' ').nth(1).unwrap_or("").to_owned())
            .collect()
    }

    #[test]
    fn three_same_host_redirects_are_followed() {
        let server = raw_server();
        assert_eq!(fetch(&server, "/hop/3").unwrap(), b"ok");
        assert_eq!(paths(&server), ["/hop/3", "/hop/2", "/hop/1", "/hop/0"]);
    }

    #[test]
    fn a_fourth_redirect_is_refused() {
        let server = raw_server();
        let e = fetch(&server, "/hop/4").unwrap_err();
        assert_eq!(
            e.to_string(),
            "network error: manifest: more than 3 redirects; refused"
        );
        // Not followed, and not retried.
        assert_eq!(paths(&server), ["/hop/4", "/hop/3", "/hop/2", "/hop/1"]);
    }

    #[test]
    fn a_redirect_to_another_host_or_port_is_refused() {
        let server = raw_server();
        let e = fetch(&server, "/away").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "network error: manifest: redirect to another host refused \
                 (http://{0} → http://localhost:{1})",
                server.addr,
                server.addr.port()
            )
        );
        let e = fetch(&server, "/port").unwrap_err();
        assert!(
            e.to_string().contains("redirect to another host refused"),
            "{e}"
        );
        // Each asked once: a refused redirect is not retried.
        assert_eq!(paths(&server), ["/away", "/port"]);
    }

    /// SPEC §7.3: no `Accept-Encoding` (answers keep their fixed size) and
    /// no cookies, even after a server set one; checked on the raw bytes
    /// of every request head, so that a dependency turning a reqwest
    /// compression or cookie feature on fails this test.
    #[test]
    fn requests_carry_no_accept_encoding_and_no_cookie() {
        let server = raw_server();
        assert_eq!(fetch(&server, "/hop/2").unwrap(), b"ok");
        let heads = server.heads.lock().unwrap().clone();
        assert_eq!(heads.len(), 3);
        for head in &heads {
            let lower = head.to_ascii_lowercase();
            assert!(lower.starts_with("get /hop/"), "{head}");
            assert!(!lower.contains("accept-encoding"), "{head}");
            assert!(!lower.contains("\ncookie:"), "{head}");
            assert!(!lower.contains("referer"), "{head}");
            assert!(lower.contains("\nuser-agent: fuitecheck/"), "{head}");
        }
    }
}
