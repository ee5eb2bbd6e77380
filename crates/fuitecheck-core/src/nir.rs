//! The NIR (numéro d'inscription au répertoire), SPEC §2.1.
//!
//! [`Nir::parse`] compacts and validates what a person typed; the result is
//! the canonical 15-character form. Validity is decided by shape and key
//! only; [`Nir::decode`] reports what the number encodes, with warnings for
//! semantic oddities that real registries nonetheless contain.
//!
//! A `Nir` is secret material: its `Debug` output is redacted, it has no
//! `Display`, and its bytes are zeroized when it is dropped.

use std::fmt;

use unicode_normalization::UnicodeNormalization as _;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Length of the canonical NIR (13-character body + 2-digit key).
pub const NIR_LEN: usize = 15;
/// Length of the NIR body, without the key.
pub const BODY_LEN: usize = 13;

/// Why a typed NIR is not valid.
///
/// Exhaustive on purpose: the text layer renders every variant in French
/// and English, and the compiler checks that none is forgotten.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NirError {
    /// Nothing but separators was typed.
    #[error("the NIR is empty")]
    Empty,
    /// A character that cannot stand at that position.
    #[error("invalid character {found:?} at position {position} (expected {expected})")]
    InvalidCharacter {
        /// The offending character (after compaction).
        found: char,
        /// 1-based position in the compact form.
        position: usize,
        /// What may stand there.
        expected: Expected,
    },
    /// The compact form does not have the expected number of characters.
    #[error("the NIR has {got} characters, {expected} are expected")]
    WrongLength {
        /// Characters typed (after compaction).
        got: usize,
        /// Characters expected (15, or 13 for a body).
        expected: usize,
    },
    /// The last two digits do not match the first thirteen.
    #[error("the key (last two digits) does not match the first 13 characters")]
    WrongKey,
}

/// What may stand at a position of the NIR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A digit, 0–9.
    Digit,
    /// A digit, or `2A` / `2B` (Corsica) at positions 6–7.
    DigitOrCorsica,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Digit => "a digit",
            Self::DigitOrCorsica => "a digit, or 2A/2B for Corsica",
        })
    }
}

/// A valid NIR in canonical 15-character compact form.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Nir([u8; NIR_LEN]);

impl fmt::Debug for Nir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Nir(<redacted>)")
    }
}

/// Compact a typed NIR: NFKC, drop whitespace, `.` and `-`, uppercase.
///
/// The result is zeroized on drop, like everything derived from a NIR.
pub fn compact(input: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(input.len()));
    for c in input.nfkc() {
        if c.is_whitespace() || c == '.' || c == '-' {
            continue;
        }
        for u in c.to_uppercase() {
            out.push(u);
        }
    }
    out
}

/// Check the characters of a compact NIR (15 characters or a 13-character
/// body), position by position.
fn check_characters(chars: &[char]) -> Result<(), NirError> {
    for (i, &c) in chars.iter().enumerate() {
        let position = i + 1;
        match position {
            6 | 7 => {
                let pair = (chars.get(5).copied(), chars.get(6).copied());
                let ok = c.is_ascii_digit()
                    || matches!(pair, (Some('2'), Some('A' | 'B'))) && (position == 7 || c == '2');
                if !ok {
                    return Err(NirError::InvalidCharacter {
                        found: c,
                        position,
                        expected: Expected::DigitOrCorsica,
                    });
                }
            }
            _ => {
                if !c.is_ascii_digit() {
                    return Err(NirError::InvalidCharacter {
                        found: c,
                        position,
                        expected: Expected::Digit,
                    });
                }
            }
        }
    }
    Ok(())
}

/// Compute the 2-digit key of a 13-character body (already checked).
fn key_of(body: &[u8]) -> u8 {
    debug_assert_eq!(body.len(), BODY_LEN);
    let mut n: u64 = 0;
    for (i, &b) in body.iter().enumerate() {
        // Corsica: 2A -> 19, 2B -> 18 at positions 6-7.
        let d = match (i, b) {
            (5, b'2') if matches!(body[6], b'A' | b'B') => 1,
            (6, b'A') => 9,
            (6, b'B') => 8,
            _ => u64::from(b - b'0'),
        };
        n = n * 10 + d;
    }
    // 97 - (n mod 97) is in 1..=97, so it fits in two digits.
    (97 - n % 97) as u8
}

impl Nir {
    /// Parse what a citizen typed: exactly 15 characters once compacted.
    pub fn parse(input: &str) -> Result<Self, NirError> {
        Self::parse_inner(input, false)
    }

    /// Parse a publisher's value: 15 characters, or a 13-character body
    /// whose key is then computed (SPEC §8).
    pub fn parse_allow_body(input: &str) -> Result<Self, NirError> {
        Self::parse_inner(input, true)
    }

    fn parse_inner(input: &str, allow_body: bool) -> Result<Self, NirError> {
        let compact = compact(input);
        let chars: Zeroizing<Vec<char>> = Zeroizing::new(compact.chars().collect());
        if chars.is_empty() {
            return Err(NirError::Empty);
        }
        check_characters(&chars)?;
        let len = chars.len();
        // Every character is ASCII now, so bytes and chars coincide.
        let bytes = compact.as_bytes();
        let mut out = [0u8; NIR_LEN];
        if len == NIR_LEN {
            out.copy_from_slice(bytes);
            let key = key_of(&out[..BODY_LEN]);
            let typed = (out[13] - b'0') * 10 + (out[14] - b'0');
            if typed != key {
                out.zeroize();
                return Err(NirError::WrongKey);
            }
        } else if allow_body && len == BODY_LEN {
            out[..BODY_LEN].copy_from_slice(bytes);
            let key = key_of(&out[..BODY_LEN]);
            out[13] = b'0' + key / 10;
            out[14] = b'0' + key % 10;
        } else {
            return Err(NirError::WrongLength {
                got: len,
                expected: NIR_LEN,
            });
        }
        Ok(Self(out))
    }

    /// The canonical 15-character form. Handle with care: it is the NIR.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and A/B are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The canonical bytes.
    pub fn as_bytes(&self) -> &[u8; NIR_LEN] {
        &self.0
    }

    /// The NIR grouped as on a carte Vitale: `2 85 05 78 006 084 91`.
    pub fn grouped(&self) -> Zeroizing<String> {
        group_digits(self.as_str())
    }

    /// What the number encodes.
    pub fn decode(&self) -> NirInfo {
        NirInfo::decode(self)
    }
}

/// Group a (possibly partial) compact NIR as on a carte Vitale:
/// `1 85 05 78 006 084 91`. Characters past the 15th follow in one group.
pub fn group_digits(compact: &str) -> Zeroizing<String> {
    const BREAKS: [usize; 6] = [1, 3, 5, 7, 10, 13];
    let mut out = Zeroizing::new(String::with_capacity(compact.len() + 6));
    for (i, c) in compact.chars().enumerate() {
        if i > 0 && BREAKS.contains(&i) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Sex as encoded by the first digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Odd first digit (1, 3, 7).
    Male,
    /// Even first digit (2, 4, 8).
    Female,
    /// Any other first digit.
    Unknown,
}

/// Where the person was born, as far as the NIR says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Birthplace {
    /// Metropolitan France (including Corsica): a département code.
    Departement {
        /// `01`–`95`, `2A`, `2B` or `20`.
        code: String,
        /// Its name, when known.
        name: Option<&'static str>,
        /// Commune code within the département (3 digits, COG).
        commune: String,
    },
    /// Overseas (DOM/COM): 3-character département code, 2-digit commune.
    Overseas {
        /// `971`…`989`.
        code: String,
        /// Its name, when known.
        name: Option<&'static str>,
        /// Commune code (2 digits).
        commune: String,
    },
    /// Born abroad (`99`): the INSEE code of the country.
    Abroad {
        /// Country code, 3 digits (positions 8–10).
        country_code: String,
    },
    /// A code that matches no known convention.
    Unknown {
        /// Positions 6–7.
        code: String,
        /// Positions 8–10.
        commune: String,
    },
}

/// Birth month as encoded by positions 4–5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum BirthMonth {
    /// A calendar month, 1–12.
    Known(u8),
    /// 20–99: the month was not known when the person was registered
    /// (incomplete civil record, often for people born abroad).
    Unknown(u8),
    /// 00 or 13–19: not a documented value.
    Invalid(u8),
}

/// Everything a valid NIR encodes, plus warnings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NirInfo {
    /// First digit.
    pub sex_digit: u8,
    /// Sex, from the first digit.
    pub sex: Sex,
    /// Last two digits of the birth year (the century is not encoded).
    pub birth_year_2d: u8,
    /// Birth month.
    pub birth_month: BirthMonth,
    /// Place of birth.
    pub birthplace: Birthplace,
    /// Order number (positions 11–13).
    pub order: String,
    /// Key (positions 14–15).
    pub key: String,
    /// First digit 7 or 8: a provisional number by the Assurance Maladie's
    /// convention.
    pub provisional: bool,
    /// Semantic oddities: valid, but worth a word to the person.
    pub warnings: Vec<NirWarning>,
}

/// A semantic oddity of a valid NIR. The text layer of the `fuitecheck`
/// binary says each in French and English; serialized, it is its stable
/// machine id ([`NirWarning::id`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NirWarning {
    /// First digit 3 or 4: rare (documented for people born abroad).
    RareSexDigit(u8),
    /// First digit 7 or 8: a provisional number.
    ProvisionalNumber(u8),
    /// First digit 0, 5, 6 or 9: no documented sex.
    UndocumentedSexDigit(u8),
    /// Month 20–99: the month was unknown at registration.
    BirthMonthNotRecorded(u8),
    /// Month 00 or 13–19: not a documented value.
    UndocumentedMonth(u8),
    /// A `97x`/`98x` code with no known overseas territory.
    UnknownOverseasCode(String),
    /// Code 96: born in Tunisia before independence.
    TunisiaBeforeIndependence,
    /// Code 00: not documented.
    UndocumentedDepartement(String),
    /// Code 20: Corsica, before 2A/2B existed (1976).
    CorsicaBefore1976,
    /// Codes 91–95: Île-de-France, or Algeria (91–94) / Morocco (95)
    /// before independence.
    IleDeFranceOrNorthAfrica(String),
    /// Order number 000.
    UnusualOrderNumber,
}

impl NirWarning {
    /// The stable machine id (`snake_case`), for JSON and tests.
    pub fn id(&self) -> &'static str {
        match self {
            Self::RareSexDigit(_) => "rare_sex_digit",
            Self::ProvisionalNumber(_) => "provisional_number",
            Self::UndocumentedSexDigit(_) => "undocumented_sex_digit",
            Self::BirthMonthNotRecorded(_) => "birth_month_not_recorded",
            Self::UndocumentedMonth(_) => "undocumented_month",
            Self::UnknownOverseasCode(_) => "unknown_overseas_code",
            Self::TunisiaBeforeIndependence => "tunisia_before_independence",
            Self::UndocumentedDepartement(_) => "undocumented_departement",
            Self::CorsicaBefore1976 => "corsica_before_1976",
            Self::IleDeFranceOrNorthAfrica(_) => "ile_de_france_or_north_africa",
            Self::UnusualOrderNumber => "unusual_order_number",
        }
    }
}

impl serde::Serialize for NirWarning {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// A decoded NIR says as much as the NIR: its bytes are wiped when it is
/// dropped.
impl zeroize::Zeroize for NirInfo {
    fn zeroize(&mut self) {
        self.sex_digit.zeroize();
        self.birth_year_2d.zeroize();
        self.provisional.zeroize();
        self.sex = Sex::Unknown;
        match &mut self.birth_month {
            BirthMonth::Known(m) | BirthMonth::Unknown(m) | BirthMonth::Invalid(m) => m.zeroize(),
        }
        match &mut self.birthplace {
            Birthplace::Departement { code, commune, .. }
            | Birthplace::Overseas { code, commune, .. }
            | Birthplace::Unknown { code, commune } => {
                code.zeroize();
                commune.zeroize();
            }
            Birthplace::Abroad { country_code } => country_code.zeroize(),
        }
        self.order.zeroize();
        self.key.zeroize();
        for w in &mut self.warnings {
            match w {
                NirWarning::RareSexDigit(d)
                | NirWarning::ProvisionalNumber(d)
                | NirWarning::UndocumentedSexDigit(d)
                | NirWarning::BirthMonthNotRecorded(d)
                | NirWarning::UndocumentedMonth(d) => d.zeroize(),
                NirWarning::UnknownOverseasCode(c)
                | NirWarning::UndocumentedDepartement(c)
                | NirWarning::IleDeFranceOrNorthAfrica(c) => c.zeroize(),
                NirWarning::TunisiaBeforeIndependence
                | NirWarning::CorsicaBefore1976
                | NirWarning::UnusualOrderNumber => {}
            }
        }
        self.warnings.clear();
    }
}

impl Drop for NirInfo {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(self);
    }
}

impl NirInfo {
    fn decode(nir: &Nir) -> Self {
        let s = nir.as_str();
        let digit = |i: usize| s.as_bytes()[i] - b'0';
        let two = |i: usize| digit(i) * 10 + digit(i + 1);
        let mut warnings = Vec::new();

        let sex_digit = digit(0);
        let sex = match sex_digit {
            1 | 3 | 7 => Sex::Male,
            2 | 4 | 8 => Sex::Female,
            _ => Sex::Unknown,
        };
        match sex_digit {
            1 | 2 => {}
            3 | 4 => warnings.push(NirWarning::RareSexDigit(sex_digit)),
            7 | 8 => warnings.push(NirWarning::ProvisionalNumber(sex_digit)),
            d => warnings.push(NirWarning::UndocumentedSexDigit(d)),
        }

        let month = two(3);
        let birth_month = match month {
            1..=12 => BirthMonth::Known(month),
            20..=99 => {
                warnings.push(NirWarning::BirthMonthNotRecorded(month));
                BirthMonth::Unknown(month)
            }
            _ => {
                warnings.push(NirWarning::UndocumentedMonth(month));
                BirthMonth::Invalid(month)
            }
        };

        let dept = &s[5..7];
        let birthplace = match dept {
            "2A" | "2B" => Birthplace::Departement {
                code: dept.to_owned(),
                name: departement_name(dept),
                commune: s[7..10].to_owned(),
            },
            "99" => Birthplace::Abroad {
                country_code: s[7..10].to_owned(),
            },
            "97" | "98" => {
                let code = &s[5..8];
                let name = departement_name(code);
                if name.is_none() {
                    warnings.push(NirWarning::UnknownOverseasCode(code.to_owned()));
                }
                Birthplace::Overseas {
                    code: code.to_owned(),
                    name,
                    commune: s[8..10].to_owned(),
                }
            }
            "00" | "96" => {
                if dept == "96" {
                    warnings.push(NirWarning::TunisiaBeforeIndependence);
                } else {
                    warnings.push(NirWarning::UndocumentedDepartement(dept.to_owned()));
                }
                Birthplace::Unknown {
                    code: dept.to_owned(),
                    commune: s[7..10].to_owned(),
                }
            }
            _ => {
                if dept == "20" {
                    warnings.push(NirWarning::CorsicaBefore1976);
                }
                if matches!(dept, "91" | "92" | "93" | "94" | "95") {
                    warnings.push(NirWarning::IleDeFranceOrNorthAfrica(dept.to_owned()));
                }
                Birthplace::Departement {
                    code: dept.to_owned(),
                    name: departement_name(dept),
                    commune: s[7..10].to_owned(),
                }
            }
        };

        let order = s[10..13].to_owned();
        if order == "000" {
            warnings.push(NirWarning::UnusualOrderNumber);
        }

        Self {
            sex_digit,
            sex,
            birth_year_2d: two(1),
            birth_month,
            birthplace,
            order,
            key: s[13..15].to_owned(),
            provisional: matches!(sex_digit, 7 | 8),
            warnings,
        }
    }

    /// The most likely full birth year, given the current year: the century
    /// is not encoded, so `yy` is read as 20yy when that is not in the
    /// future, else 19yy.
    pub fn probable_birth_year(&self, current_year: u16) -> u16 {
        let yy = u16::from(self.birth_year_2d);
        if 2000 + yy <= current_year {
            2000 + yy
        } else {
            1900 + yy
        }
    }
}

/// The name of a French département (2 characters, or 3 for overseas).
pub fn departement_name(code: &str) -> Option<&'static str> {
    DEPARTEMENTS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
}

/// Code officiel géographique: départements and overseas collectivities.
const DEPARTEMENTS: &[(&str, &str)] = &[
    ("01", "Ain"),
    ("02", "Aisne"),
    ("03", "Allier"),
    ("04", "Alpes-de-Haute-Provence"),
    ("05", "Hautes-Alpes"),
    ("06", "Alpes-Maritimes"),
    ("07", "Ardèche"),
    ("08", "Ardennes"),
    ("09", "Ariège"),
    ("10", "Aube"),
    ("11", "Aude"),
    ("12", "Aveyron"),
    ("13", "Bouches-du-Rhône"),
    ("14", "Calvados"),
    ("15", "Cantal"),
    ("16", "Charente"),
    ("17", "Charente-Maritime"),
    ("18", "Cher"),
    ("19", "Corrèze"),
    ("20", "Corse"),
    ("2A", "Corse-du-Sud"),
    ("2B", "Haute-Corse"),
    ("21", "Côte-d'Or"),
    ("22", "Côtes-d'Armor"),
    ("23", "Creuse"),
    ("24", "Dordogne"),
    ("25", "Doubs"),
    ("26", "Drôme"),
    ("27", "Eure"),
    ("28", "Eure-et-Loir"),
    ("29", "Finistère"),
    ("30", "Gard"),
    ("31", "Haute-Garonne"),
    ("32", "Gers"),
    ("33", "Gironde"),
    ("34", "Hérault"),
    ("35", "Ille-et-Vilaine"),
    ("36", "Indre"),
    ("37", "Indre-et-Loire"),
    ("38", "Isère"),
    ("39", "Jura"),
    ("40", "Landes"),
    ("41", "Loir-et-Cher"),
    ("42", "Loire"),
    ("43", "Haute-Loire"),
    ("44", "Loire-Atlantique"),
    ("45", "Loiret"),
    ("46", "Lot"),
    ("47", "Lot-et-Garonne"),
    ("48", "Lozère"),
    ("49", "Maine-et-Loire"),
    ("50", "Manche"),
    ("51", "Marne"),
    ("52", "Haute-Marne"),
    ("53", "Mayenne"),
    ("54", "Meurthe-et-Moselle"),
    ("55", "Meuse"),
    ("56", "Morbihan"),
    ("57", "Moselle"),
    ("58", "Nièvre"),
    ("59", "Nord"),
    ("60", "Oise"),
    ("61", "Orne"),
    ("62", "Pas-de-Calais"),
    ("63", "Puy-de-Dôme"),
    ("64", "Pyrénées-Atlantiques"),
    ("65", "Hautes-Pyrénées"),
    ("66", "Pyrénées-Orientales"),
    ("67", "Bas-Rhin"),
    ("68", "Haut-Rhin"),
    ("69", "Rhône"),
    ("70", "Haute-Saône"),
    ("71", "Saône-et-Loire"),
    ("72", "Sarthe"),
    ("73", "Savoie"),
    ("74", "Haute-Savoie"),
    ("75", "Paris"),
    ("76", "Seine-Maritime"),
    ("77", "Seine-et-Marne"),
    ("78", "Yvelines"),
    ("79", "Deux-Sèvres"),
    ("80", "Somme"),
    ("81", "Tarn"),
    ("82", "Tarn-et-Garonne"),
    ("83", "Var"),
    ("84", "Vaucluse"),
    ("85", "Vendée"),
    ("86", "Vienne"),
    ("87", "Haute-Vienne"),
    ("88", "Vosges"),
    ("89", "Yonne"),
    ("90", "Territoire de Belfort"),
    ("91", "Essonne"),
    ("92", "Hauts-de-Seine"),
    ("93", "Seine-Saint-Denis"),
    ("94", "Val-de-Marne"),
    ("95", "Val-d'Oise"),
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("975", "Saint-Pierre-et-Miquelon"),
    ("976", "Mayotte"),
    ("977", "Saint-Barthélemy"),
    ("978", "Saint-Martin"),
    ("986", "Wallis-et-Futuna"),
    ("987", "Polynésie française"),
    ("988", "Nouvelle-Calédonie"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_canonical_forms() {
        for (input, canonical) in [
            ("1 85 05 78 006 084 91", "185057800608491"),
            ("293027505600111", "293027505600111"),
            ("253072B07300470", "253072B07300470"),
            ("2.53.07.2A.073.004.43", "253072A07300443"),
            ("171019913504204", "171019913504204"),
        ] {
            assert_eq!(Nir::parse(input).unwrap().as_str(), canonical, "{input}");
        }
    }

    #[test]
    fn spec_invalid_examples() {
        assert_eq!(Nir::parse("185057800608492"), Err(NirError::WrongKey));
        assert!(matches!(
            Nir::parse("253072C07300443"),
            Err(NirError::InvalidCharacter {
                found: 'C',
                position: 7,
                ..
            })
        ));
        assert_eq!(
            Nir::parse("18505780060849"),
            Err(NirError::WrongLength {
                got: 14,
                expected: 15
            })
        );
    }

    #[test]
    fn domain_worked_examples() {
        assert_eq!(
            Nir::parse_allow_body("1 85 05 78 646 123")
                .unwrap()
                .as_str(),
            "185057864612358"
        );
        assert_eq!(
            Nir::parse_allow_body("2 76 12 2A 004 017")
                .unwrap()
                .as_str(),
            "276122A00401783"
        );
        assert_eq!(
            Nir::parse_allow_body("1900399350042").unwrap().as_str(),
            "190039935004227"
        );
        assert_eq!(Nir::parse_allow_body("190012A001001").unwrap().key(), "56");
        assert_eq!(Nir::parse_allow_body("190012B001001").unwrap().key(), "83");
        assert_eq!(Nir::parse_allow_body("2940375120005").unwrap().key(), "91");
        assert!(Nir::parse("2 95 10 99 126 111 93").is_ok());
        assert!(Nir::parse("284057512003697").is_ok());
        // The citizen must type all 15 characters.
        assert_eq!(
            Nir::parse("1900399350042"),
            Err(NirError::WrongLength {
                got: 13,
                expected: 15
            })
        );
    }

    impl Nir {
        fn key(&self) -> &str {
            &self.as_str()[13..]
        }
    }

    #[test]
    fn lenient_input_forms() {
        let canonical = "253072A07300443";
        for input in [
            "2 53 07 2a 073 004 43",
            "253072a07300443\n",
            "\u{a0}2\u{a0}53 07 2A-073-004-43 ",
            "２５３０７２Ａ０７３００４４３",
            "2.53.07.2A.073.004.43",
        ] {
            assert_eq!(Nir::parse(input).unwrap().as_str(), canonical, "{input:?}");
        }
    }

    #[test]
    fn precise_errors() {
        assert_eq!(Nir::parse(" .- "), Err(NirError::Empty));
        assert!(matches!(
            Nir::parse("1 85 O5 78 006 084 91"),
            Err(NirError::InvalidCharacter {
                found: 'O',
                position: 4,
                ..
            })
        ));
        assert!(matches!(
            Nir::parse("1850578A0608491"),
            Err(NirError::InvalidCharacter { position: 8, .. })
        ));
        assert!(matches!(
            Nir::parse("185053A00608491"),
            Err(NirError::InvalidCharacter {
                found: 'A',
                position: 7,
                ..
            })
        ));
        assert!(matches!(
            Nir::parse("18505A200608491"),
            Err(NirError::InvalidCharacter {
                found: 'A',
                position: 6,
                ..
            })
        ));
        assert_eq!(
            Nir::parse("1850578006084911"),
            Err(NirError::WrongLength {
                got: 16,
                expected: 15
            })
        );
    }

    #[test]
    fn decode_fields() {
        let info = Nir::parse("2 85 05 78 006 084 ").err();
        assert!(info.is_some());
        let nir = Nir::parse_allow_body("2850578006084").unwrap();
        let info = nir.decode();
        assert_eq!(info.sex, Sex::Female);
        assert_eq!(info.birth_year_2d, 85);
        assert_eq!(info.birth_month, BirthMonth::Known(5));
        assert_eq!(
            info.birthplace,
            Birthplace::Departement {
                code: "78".into(),
                name: Some("Yvelines"),
                commune: "006".into()
            }
        );
        assert_eq!(info.order, "084");
        assert!(info.warnings.is_empty());

        let abroad = Nir::parse("1 90 03 99 350 042 27").unwrap().decode();
        assert_eq!(
            abroad.birthplace,
            Birthplace::Abroad {
                country_code: "350".into()
            }
        );
        let overseas = Nir::parse_allow_body("1850397412345").unwrap().decode();
        assert_eq!(
            overseas.birthplace,
            Birthplace::Overseas {
                code: "974".into(),
                name: Some("La Réunion"),
                commune: "12".into()
            }
        );
        let odd = Nir::parse_allow_body("5852578006084").unwrap().decode();
        assert_eq!(odd.sex, Sex::Unknown);
        assert_eq!(odd.birth_month, BirthMonth::Unknown(25));
        assert_eq!(
            odd.warnings,
            [
                NirWarning::UndocumentedSexDigit(5),
                NirWarning::BirthMonthNotRecorded(25)
            ]
        );
        let prov = Nir::parse_allow_body("8851578006084").unwrap().decode();
        assert!(prov.provisional);
        assert_eq!(prov.birth_month, BirthMonth::Invalid(15));
        assert_eq!(
            prov.warnings,
            [
                NirWarning::ProvisionalNumber(8),
                NirWarning::UndocumentedMonth(15)
            ]
        );
        assert_eq!(prov.probable_birth_year(2026), 1985);
        let young = Nir::parse_allow_body("1050578006084").unwrap().decode();
        assert_eq!(young.probable_birth_year(2026), 2005);
    }

    #[test]
    fn grouping_and_redaction() {
        let nir = Nir::parse("185057800608491").unwrap();
        assert_eq!(nir.grouped().as_str(), "1 85 05 78 006 084 91");
        assert_eq!(group_digits("18505").as_str(), "1 85 05");
        assert_eq!(format!("{nir:?}"), "Nir(<redacted>)");
    }
}
