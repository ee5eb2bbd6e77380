//! Surname canonicalization, SPEC §2.2.
//!
//! `Le Gall-Dupont` → `LEGALLDUPONT`, `N'Diaye` → `NDIAYE`,
//! `Œuvray` → `OEUVRAY`, `Müller-Straße` → `MULLERSTRASSE`.
//!
//! A `Surname` is personal data: redacted `Debug`, no `Display`, zeroized on
//! drop.

use std::fmt;

use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Why a surname cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SurnameError {
    /// Nothing of A–Z is left once canonicalized.
    #[error("the surname has no Latin letter")]
    Empty,
}

/// A canonical surname: one or more of `A`–`Z`.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Surname(String);

impl fmt::Debug for Surname {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Surname(<redacted>)")
    }
}

/// The step-3 mappings of SPEC §2.2, applied after NFKD and mark removal.
fn map_special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "SS",
        'æ' | 'Æ' => "AE",
        'œ' | 'Œ' => "OE",
        'ø' | 'Ø' => "O",
        'đ' | 'Đ' | 'ð' | 'Ð' => "D",
        'ł' | 'Ł' => "L",
        'ı' => "I",
        'þ' | 'Þ' => "TH",
        _ => return None,
    })
}

impl Surname {
    /// Canonicalize a typed surname.
    pub fn parse(input: &str) -> Result<Self, SurnameError> {
        let mut out = String::with_capacity(input.len());
        // Intermediate text is personal data too.
        let mut mapped = Zeroizing::new(String::with_capacity(input.len()));
        for c in input.nfkd() {
            // Step 2 drops general category Mn. Every mark is dropped by
            // step 5 anyway, so dropping all combining marks here is
            // equivalent and keeps the steps readable.
            if is_combining_mark(c) {
                continue;
            }
            match map_special(c) {
                Some(s) => mapped.push_str(s),
                None => mapped.push(c),
            }
        }
        for c in mapped.chars().flat_map(char::to_uppercase) {
            if c.is_ascii_uppercase() {
                out.push(c);
            }
        }
        if out.is_empty() {
            return Err(SurnameError::Empty);
        }
        Ok(Self(out))
    }

    /// The canonical form (`A`–`Z` only). Handle with care.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        Surname::parse(s).unwrap().as_str().to_owned()
    }

    #[test]
    fn spec_examples() {
        assert_eq!(canon("Lefèvre"), "LEFEVRE");
        assert_eq!(canon("N'Diaye"), "NDIAYE");
        assert_eq!(canon("Le Gall-Dupont"), "LEGALLDUPONT");
        assert_eq!(canon("Œuvray"), "OEUVRAY");
        assert_eq!(canon("Müller-Straße"), "MULLERSTRASSE");
    }

    #[test]
    fn mappings_and_oddities() {
        assert_eq!(canon("Læticia ÆRØ"), "LAETICIAAERO");
        assert_eq!(canon("Đorđević"), "DORDEVIC");
        assert_eq!(canon("Łukasz"), "LUKASZ");
        assert_eq!(canon("Yıldız"), "YILDIZ");
        assert_eq!(canon("Þórsdóttir"), "THORSDOTTIR");
        assert_eq!(canon("ẞTRAẞE"), "SSTRASSE");
        assert_eq!(canon("  d'Artagnan (1611) "), "DARTAGNAN");
        assert_eq!(canon("ＤＵＰＯＮＴ"), "DUPONT");
        assert_eq!(canon("ﬁﬂeur"), "FIFLEUR");
        assert_eq!(canon("Nguyễn"), "NGUYEN");
        assert_eq!(canon("Ærøskøbing"), "AEROSKOBING");
        assert_eq!(canon("Çağlar"), "CAGLAR");
    }

    #[test]
    fn empty_is_invalid() {
        for s in ["", "   ", "-'", "王", "Ωμέγα", "1234"] {
            assert_eq!(Surname::parse(s), Err(SurnameError::Empty), "{s:?}");
        }
    }

    #[test]
    fn debug_is_redacted() {
        let s = Surname::parse("Lefèvre").unwrap();
        assert_eq!(format!("{s:?}"), "Surname(<redacted>)");
    }
}
