//! `fuitecheck-publish notice` (SPEC §9): the GDPR art. 34 communication to
//! the people a breach affected, from the breach's entry in the signed
//! publication and the controller's details file. The text itself is built
//! by [`fuitecheck_rights::notice`] (shared wording, sources and risk texts
//! with the citizen's app).

use std::io::{IsTerminal as _, Write as _};

use anyhow::Context as _;

use fuitecheck_core::catalogue::Lang;
use fuitecheck_core::publication::SIGNATURE_FILE;
use fuitecheck_rights::notice::{self, Format, NoticeDetails, PublicationInfo};

use crate::cli::{NoticeFormat, NoticeLang, NoticeOpts};

/// Input the publisher must fix (exit status 1, SPEC §9): a missing or
/// malformed detail, an unknown breach, an unsigned publication.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(
    /// What to fix.
    pub String,
);

/// The minisign key id (16 uppercase hex, as minisign prints it) named by
/// a `.minisig` text: bytes 2..10 of its second line, little-endian.
pub fn signature_key_id(minisig: &str) -> Option<String> {
    let line = minisig.lines().nth(1)?.trim();
    let raw = fuitecheck_core::signature::decode_base64(line)?;
    let id = raw.get(2..10)?;
    Some(id.iter().rev().map(|b| format!("{b:02X}")).collect())
}

/// Today's date (UTC), or that of `SOURCE_DATE_EPOCH` (reproducible runs).
fn today() -> jiff::civil::Date {
    let stamp = crate::cli::now_rfc3339();
    stamp
        .get(..10)
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| {
            jiff::Timestamp::now()
                .to_zoned(jiff::tz::TimeZone::UTC)
                .date()
        })
}

/// Run `notice`.
pub fn run(a: &NoticeOpts) -> anyhow::Result<()> {
    let manifest = crate::publish::load_manifest(&a.dir)
        .with_context(|| format!("{} is not an initialised publication", a.dir.display()))?;
    let Some(published) = manifest.breach(&a.breach) else {
        let ids: Vec<&str> = manifest
            .breaches
            .iter()
            .map(|b| b.breach.id.as_str())
            .collect();
        return Err(InvalidInput(format!(
            "breach `{}` is not in the publication (its breaches: {})",
            a.breach,
            if ids.is_empty() {
                "none yet".to_owned()
            } else {
                ids.join(", ")
            }
        ))
        .into());
    };
    let sig_path = a.dir.join("v1").join(SIGNATURE_FILE);
    let key_id = match std::fs::read_to_string(&sig_path) {
        Ok(text) => signature_key_id(&text).ok_or_else(|| {
            InvalidInput(format!(
                "{} is not a minisign signature",
                sig_path.display()
            ))
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(InvalidInput(format!(
                "the publication is not signed yet ({} is missing): run `add` first",
                sig_path.display()
            ))
            .into());
        }
        Err(e) => return Err(e).context(format!("cannot read {}", sig_path.display())),
    };
    let text = std::fs::read_to_string(&a.details)
        .with_context(|| format!("cannot read {}", a.details.display()))?;
    let mut details = NoticeDetails::from_toml(&text)
        .map_err(|e| InvalidInput(format!("{}: {e}", a.details.display())))?;
    if let Some(c) = &a.record_categories {
        details.record_categories = Some(c.clone());
    }
    let langs: &[Lang] = match a.lang {
        NoticeLang::Both => &[Lang::Fr, Lang::En],
        NoticeLang::Fr => &[Lang::Fr],
        NoticeLang::En => &[Lang::En],
    };
    let publication = PublicationInfo {
        publisher: manifest.publisher.clone(),
        key_id,
        demo: manifest.demo,
    };
    let notices = notice::build(&published.breach, &publication, &details, langs, today())
        .map_err(|e| {
            if matches!(e, notice::NoticeError::Content(_)) {
                anyhow::Error::new(e)
            } else {
                InvalidInput(format!("{}: {e}", a.details.display())).into()
            }
        })?;
    let format = match a.format {
        NoticeFormat::Txt => Format::Txt,
        NoticeFormat::Html => Format::Html,
        NoticeFormat::Pdf => Format::Pdf,
    };
    let bytes = notice::render(&notices, format);
    match a.out.as_deref() {
        Some(path) => {
            fuitecheck_core::fsutil::atomic_write(path, &bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "Art. 34 notice for `{}` written to {} ({} bytes). Review it with your DPO \
                 before sending it to each person concerned.",
                a.breach,
                path.display(),
                bytes.len()
            );
        }
        None => {
            if format == Format::Pdf && std::io::stdout().is_terminal() {
                return Err(InvalidInput(
                    "a PDF is not written to a terminal: pass --out FILE".to_owned(),
                )
                .into());
            }
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_id_of_the_demo_signature() {
        let sig = include_str!("../../../assets/demo/publication/v1/manifest.json.minisig");
        let demo = fuitecheck_core::signature::TrustedKey::demo();
        assert_eq!(signature_key_id(sig).as_deref(), Some(demo.key_id.as_str()));
        assert_eq!(signature_key_id("untrusted comment: x\n!!!\n"), None);
    }
}
