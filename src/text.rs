//! The one text layer: every sentence, label, number and date a citizen
//! reads from a library value, in French and English, shared by the CLI
//! ([`crate::cli`]) and the desktop app ([`crate::app`]).
//!
//! Library crates return typed values ([`NirWarning`], [`NirError`],
//! [`Variant`], …); this module turns them into words, so the command line
//! and the window say the same thing. Each renderer matches every variant
//! in both languages: a new variant without a rendering does not compile.
//!
//! Formatting rules (written down in `docs/architecture.md`, "Text"):
//! - numbers: French groups thousands with a no-break space U+00A0
//!   (`491 840`) and writes decimals with a comma (`2,3`); English uses
//!   commas and a point (`491,840`, `2.3`);
//! - dates: French `23 février 2021`, `1er mai 2026`, `novembre 2020`, with
//!   U+00A0 between day, month and year so a date never breaks across
//!   lines; English `23 February 2021`, `November 2020`;
//! - a number and its unit are joined by U+00A0 in French (`17 millions`).
//!
//! Letters are not rendered here: they are `fuitecheck-rights` data and use
//! its own `deadline::format_date` (plain spaces, as in a printed letter).

use fuitecheck_core::catalogue::{Answer, Lang, Reason, Verdict};
use fuitecheck_core::category::Category;
use fuitecheck_core::check::Variant;
use fuitecheck_core::freshness::{Admission, TrustError};
use fuitecheck_core::nir::{BirthMonth, Birthplace, Expected, NirError, NirInfo, NirWarning, Sex};
use fuitecheck_core::publication::EMBEDDED_LOCATION;
use fuitecheck_core::signature::SignatureError;
use fuitecheck_core::surname::SurnameError;

/// The no-break space French puts inside numbers and dates.
pub const NBSP: char = '\u{a0}';

/// The precise reason a typed NIR is invalid, as one sentence.
pub fn nir_error(e: &NirError, lang: Lang) -> String {
    match (e, lang) {
        (NirError::Empty, Lang::Fr) => "Le numéro de sécurité sociale est vide.".to_owned(),
        (NirError::Empty, Lang::En) => "The social security number is empty.".to_owned(),
        (
            NirError::InvalidCharacter {
                found,
                position,
                expected,
            },
            _,
        ) => {
            let expected = expected_label(*expected, lang);
            match lang {
                Lang::Fr => format!(
                    "Caractère « {found} » invalide en position {position} : \
                     {expected} est attendu."
                ),
                Lang::En => format!(
                    "Invalid character \"{found}\" at position {position}: {expected} is expected."
                ),
            }
        }
        (NirError::WrongLength { got, expected }, Lang::Fr) => format!(
            "Le numéro compte {got} caractère{s} ; il en faut {expected} (clé comprise).",
            s = if *got > 1 { "s" } else { "" }
        ),
        (NirError::WrongLength { got, expected }, Lang::En) => format!(
            "The number has {got} character{s}; {expected} are needed (key included).",
            s = if *got > 1 { "s" } else { "" }
        ),
        (NirError::WrongKey, Lang::Fr) => "La clé (les deux derniers chiffres) ne correspond \
                                           pas au reste du numéro : vérifiez chaque chiffre."
            .to_owned(),
        (NirError::WrongKey, Lang::En) => "The key (last two digits) does not match the rest \
                                           of the number: check each digit."
            .to_owned(),
    }
}

/// What may stand at a position, as a noun phrase.
pub fn expected_label(e: Expected, lang: Lang) -> &'static str {
    match (e, lang) {
        (Expected::Digit, Lang::Fr) => "un chiffre",
        (Expected::Digit, Lang::En) => "a digit",
        (Expected::DigitOrCorsica, Lang::Fr) => "un chiffre, ou 2A / 2B pour la Corse",
        (Expected::DigitOrCorsica, Lang::En) => "a digit, or 2A / 2B for Corsica",
    }
}

/// One decoder warning ("valid but unusual"), as one sentence.
pub fn nir_warning(w: &NirWarning, lang: Lang) -> String {
    match (w, lang) {
        (NirWarning::RareSexDigit(_), Lang::Fr) => {
            "Premier chiffre 3 ou 4 : valeur rare (documentée par l'Assurance Maladie pour des \
             personnes nées à l'étranger ; sens officiel non vérifié)."
                .to_owned()
        }
        (NirWarning::RareSexDigit(_), Lang::En) => {
            "First digit 3 or 4: a rare value (documented by the Assurance Maladie for people \
             born abroad; official meaning not verified)."
                .to_owned()
        }
        (NirWarning::ProvisionalNumber(_), Lang::Fr) => {
            "Premier chiffre 7 ou 8 : numéro provisoire selon la convention de l'Assurance \
             Maladie."
                .to_owned()
        }
        (NirWarning::ProvisionalNumber(_), Lang::En) => {
            "First digit 7 or 8: a provisional number by the Assurance Maladie's convention."
                .to_owned()
        }
        (NirWarning::UndocumentedSexDigit(d), Lang::Fr) => {
            format!("Premier chiffre {d} : ne correspond à aucun sexe documenté (1 à 4, 7, 8).")
        }
        (NirWarning::UndocumentedSexDigit(d), Lang::En) => {
            format!("First digit {d}: matches no documented sex (1 to 4, 7, 8).")
        }
        (NirWarning::BirthMonthNotRecorded(m), Lang::Fr) => format!(
            "Mois {m:02} : le mois de naissance n'était pas connu lors de l'immatriculation \
             (état civil incomplet)."
        ),
        (NirWarning::BirthMonthNotRecorded(m), Lang::En) => format!(
            "Month {m:02}: the birth month was not known at registration (incomplete civil \
             record)."
        ),
        (NirWarning::UndocumentedMonth(m), Lang::Fr) => format!(
            "Mois {m:02} : valeur non documentée (01 à 12, ou 20 à 99 si le mois est inconnu)."
        ),
        (NirWarning::UndocumentedMonth(m), Lang::En) => {
            format!("Month {m:02}: undocumented value (01 to 12, or 20 to 99 when unknown).")
        }
        (NirWarning::UnknownOverseasCode(code), Lang::Fr) => {
            format!("Code outre-mer {code} inconnu.")
        }
        (NirWarning::UnknownOverseasCode(code), Lang::En) => {
            format!("Unknown overseas code {code}.")
        }
        (NirWarning::TunisiaBeforeIndependence, Lang::Fr) => {
            "Code 96 : naissance en Tunisie avant l'indépendance.".to_owned()
        }
        (NirWarning::TunisiaBeforeIndependence, Lang::En) => {
            "Code 96: born in Tunisia before independence.".to_owned()
        }
        (NirWarning::UndocumentedDepartement(code), Lang::Fr) => {
            format!("Code de département {code} : non documenté.")
        }
        (NirWarning::UndocumentedDepartement(code), Lang::En) => {
            format!("Département code {code}: undocumented.")
        }
        (NirWarning::CorsicaBefore1976, Lang::Fr) => {
            "Code 20 : Corse, pour une naissance antérieure à la création de 2A/2B (1976)."
                .to_owned()
        }
        (NirWarning::CorsicaBefore1976, Lang::En) => {
            "Code 20: Corsica, for a birth before 2A/2B were created (1976).".to_owned()
        }
        (NirWarning::IleDeFranceOrNorthAfrica(code), Lang::Fr) => format!(
            "Code {code} : département d'Île-de-France, ou naissance en Algérie (91 à 94) ou \
             au Maroc (95) avant l'indépendance."
        ),
        (NirWarning::IleDeFranceOrNorthAfrica(code), Lang::En) => format!(
            "Code {code}: an Île-de-France département, or a birth in Algeria (91 to 94) or \
             Morocco (95) before independence."
        ),
        (NirWarning::UnusualOrderNumber, Lang::Fr) => {
            "Numéro d'ordre 000 : valeur inhabituelle.".to_owned()
        }
        (NirWarning::UnusualOrderNumber, Lang::En) => "Order number 000: unusual value.".to_owned(),
    }
}

/// "Femme, née en mai 1985, Yvelines" / "Woman, born in May 1985, Yvelines".
pub fn nir_summary(info: &NirInfo, lang: Lang, current_year: u16) -> String {
    let year = info.probable_birth_year(current_year);
    let (who, born) = match (info.sex, lang) {
        (Sex::Male, Lang::Fr) => ("Homme", "né"),
        (Sex::Female, Lang::Fr) => ("Femme", "née"),
        (Sex::Unknown, Lang::Fr) => ("Sexe non documenté", "né(e)"),
        (Sex::Male, Lang::En) => ("Man", "born"),
        (Sex::Female, Lang::En) => ("Woman", "born"),
        (Sex::Unknown, Lang::En) => ("Sex not documented", "born"),
    };
    let when = match (info.birth_month, lang) {
        (BirthMonth::Known(m), Lang::Fr) => format!("{born} en {} {year}", lang.month_name(m)),
        (BirthMonth::Known(m), Lang::En) => format!("{born} in {} {year}", lang.month_name(m)),
        (_, Lang::Fr) => format!("{born} en {year} (mois non renseigné)"),
        (_, Lang::En) => format!("{born} in {year} (month not recorded)"),
    };
    let place = match (&info.birthplace, lang) {
        (
            Birthplace::Departement { code, name, .. } | Birthplace::Overseas { code, name, .. },
            _,
        ) => name.map_or_else(|| format!("département {code}"), str::to_owned),
        (Birthplace::Abroad { country_code }, Lang::Fr) => {
            format!("à l'étranger (code pays INSEE 99{country_code})")
        }
        (Birthplace::Abroad { country_code }, Lang::En) => {
            format!("abroad (INSEE country code 99{country_code})")
        }
        (Birthplace::Unknown { code, .. }, Lang::Fr) => format!("lieu de naissance codé {code}"),
        (Birthplace::Unknown { code, .. }, Lang::En) => format!("birthplace coded {code}"),
    };
    format!("{who}, {when}, {place}")
}

/// The reason a typed surname cannot be used.
pub fn surname_error(e: &SurnameError, lang: Lang) -> &'static str {
    match (e, lang) {
        (SurnameError::Empty, Lang::Fr) => {
            "Le nom doit contenir au moins une lettre de l'alphabet latin."
        }
        (SurnameError::Empty, Lang::En) => "The name must contain at least one Latin letter.",
        // `SurnameError` is non-exhaustive: a future reason still gets words.
        (_, Lang::Fr) => "Ce nom ne peut pas être utilisé.",
        (_, Lang::En) => "This name cannot be used.",
    }
}

/// How a surname variant is called ("nom de naissance" / "birth name").
pub fn variant_label(v: Variant, lang: Lang) -> &'static str {
    match (v, lang) {
        (Variant::BirthName, Lang::Fr) => "nom de naissance",
        (Variant::BirthName, Lang::En) => "birth name",
        (Variant::UsageName, Lang::Fr) => "nom d'usage",
        (Variant::UsageName, Lang::En) => "usage name",
    }
}

/// A category's label (the protocol's table of categories, SPEC §4).
pub fn category_label(c: Category, lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => c.label_fr(),
        Lang::En => c.label_en(),
    }
}

/// The verdict of a self-assessment (SPEC §5), never as a certainty.
pub fn verdict_label(v: Verdict, lang: Lang) -> &'static str {
    match (v, lang) {
        (Verdict::Possibly, Lang::Fr) => "Vous êtes peut-être concerné(e)",
        (Verdict::Unlikely, Lang::Fr) => "Vous n'êtes probablement pas concerné(e)",
        (Verdict::Unknown, Lang::Fr) => "Impossible de se prononcer avec ces réponses",
        (Verdict::Possibly, Lang::En) => "You may be concerned",
        (Verdict::Unlikely, Lang::En) => "You are probably not concerned",
        (Verdict::Unknown, Lang::En) => "These answers do not allow a conclusion",
    }
}

/// Why a verdict was given: the answer and the question it answered
/// (`Vous avez répondu « oui » à : …`).
pub fn assessment_reason(reason: &Reason, lang: Lang) -> String {
    let said = match (reason.answer, lang) {
        (Answer::Yes, Lang::Fr) => "oui",
        (Answer::No, Lang::Fr) => "non",
        (Answer::Unknown, Lang::Fr) => "je ne sais pas",
        (Answer::Yes, Lang::En) => "yes",
        (Answer::No, Lang::En) => "no",
        (Answer::Unknown, Lang::En) => "I don't know",
    };
    match lang {
        Lang::Fr => format!("Vous avez répondu « {said} » à : {}", reason.text.fr),
        Lang::En => format!("You answered \"{said}\" to: {}", reason.text.en),
    }
}

/// Where a publication was read from: a directory or URL as is, the
/// embedded demo by name.
pub fn source_location(location: &str, lang: Lang) -> String {
    match (location, lang) {
        (EMBEDDED_LOCATION, Lang::Fr) => "démonstration intégrée".to_owned(),
        (EMBEDDED_LOCATION, Lang::En) => "built-in demonstration".to_owned(),
        (other, _) => other.to_owned(),
    }
}

/// `491840` → `491 840` (fr, U+00A0) or `491,840` (en).
pub fn format_count(n: u64, lang: Lang) -> String {
    let sep = match lang {
        Lang::Fr => NBSP,
        Lang::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A one-decimal number: `2,3` (fr) / `2.3` (en).
fn format_decimal(value: f64, lang: Lang) -> String {
    let text = format!("{value:.1}");
    match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

/// The space between a number and its unit: U+00A0 in French.
fn unit_space(lang: Lang) -> char {
    match lang {
        Lang::Fr => NBSP,
        Lang::En => ' ',
    }
}

/// A size in bytes, in words: `12 Ko`, `3,4 Mo` (fr) / `12 KB`, `3.4 MB`.
pub fn format_bytes(n: u64, lang: Lang) -> String {
    let units = match lang {
        Lang::Fr => ["o", "Ko", "Mo", "Go"],
        Lang::En => ["B", "KB", "MB", "GB"],
    };
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < 3 {
        value /= 1000.0;
        unit += 1;
    }
    let text = if unit == 0 || value >= 100.0 {
        format!("{value:.0}")
    } else {
        format_decimal(value, lang)
    };
    format!("{text}{}{}", unit_space(lang), units[unit])
}

/// `1 in n` odds in words: `17 millions`, `2,3 milliards` (fr) / `17
/// million`, `2.3 billion` (en); below a million, digits.
pub fn format_odds(n: f64, lang: Lang) -> String {
    let (million, billion) = match lang {
        Lang::Fr => ("millions", "milliards"),
        Lang::En => ("million", "billion"),
    };
    let (value, unit) = if n >= 1e9 {
        (n / 1e9, billion)
    } else if n >= 1e6 {
        (n / 1e6, million)
    } else {
        return format_count(n.round() as u64, lang);
    };
    let text = if value >= 10.0 {
        format_count(value.round() as u64, lang)
    } else {
        format_decimal(value, lang)
    };
    format!("{text}{}{unit}", unit_space(lang))
}

/// `2021-02-23` → `23 février 2021` / `23 February 2021`; day 1 is `1er`
/// in French.
pub fn format_date(date: jiff::civil::Date, lang: Lang) -> String {
    let month = month_name(date.month(), lang);
    let day = date.day();
    match lang {
        Lang::Fr if day == 1 => format!("1er{NBSP}{month}{NBSP}{}", date.year()),
        Lang::Fr => format!("{day}{NBSP}{month}{NBSP}{}", date.year()),
        Lang::En => format!("{day} {month} {}", date.year()),
    }
}

/// A catalogue or manifest date (`YYYY-MM-DD`, `YYYY-MM`, or an RFC 3339
/// timestamp whose date part is read) in words; the input itself when it
/// is none of these.
pub fn format_catalogue_date(s: &str, lang: Lang) -> String {
    let day_part = s.get(..10).unwrap_or(s);
    if let Ok(d) = day_part.parse::<jiff::civil::Date>() {
        return format_date(d, lang);
    }
    let mut parts = s.split('-');
    if let (Some(y), Some(m), None) = (parts.next(), parts.next(), parts.next())
        && let (Ok(y), Ok(m)) = (y.parse::<i16>(), m.parse::<i8>())
        && (1..=12).contains(&m)
    {
        return format!("{}{}{y}", month_name(m, lang), unit_space(lang));
    }
    s.to_owned()
}

fn month_name(month: i8, lang: Lang) -> &'static str {
    lang.month_name(u8::try_from(month).unwrap_or(1))
}

/// Why a publication was refused before any check (SPEC §6), as one
/// sentence without a final period. The English rollback and demo-key
/// sentences are SPEC's own words.
pub fn trust_error(e: &TrustError, lang: Lang) -> String {
    match (e, lang) {
        (TrustError::Rollback { .. }, Lang::Fr) => "une version plus ancienne de cette liste \
             que celle déjà vue — rejeu possible ; réessayez plus tard ou téléchargez-la à nouveau"
            .to_owned(),
        (TrustError::Rollback { .. }, Lang::En) => "an older version of this list than one \
             already seen — possible replay; try again later or download it again"
            .to_owned(),
        (TrustError::Signature(SignatureError::DemoKeyNotTrusted { .. }), Lang::Fr) => {
            "signée avec la clé publique de démonstration : n'importe qui peut fabriquer \
             une telle liste"
                .to_owned()
        }
        (TrustError::Signature(SignatureError::DemoKeyNotTrusted { .. }), Lang::En) => {
            "signed with the public demonstration key: anyone can make such a list".to_owned()
        }
        (TrustError::Unsigned, Lang::Fr) => {
            "la publication n'a pas de signature vérifiée".to_owned()
        }
        (TrustError::Unsigned, Lang::En) => "the publication has no verified signature".to_owned(),
        (other, _) => other.to_string(),
    }
}

/// An age in words: `moins d'une heure`, `3 heures`, `2 jours`, `5 mois`,
/// `1 an` (fr) / `less than an hour`, `3 hours`, … (en).
pub fn format_age(seconds: u64, lang: Lang) -> String {
    const HOUR: u64 = 3600;
    const DAY: u64 = 24 * HOUR;
    let (n, fr, en) = if seconds < HOUR {
        return match lang {
            Lang::Fr => "moins d'une heure".to_owned(),
            Lang::En => "less than an hour".to_owned(),
        };
    } else if seconds < 2 * DAY {
        (seconds / HOUR, ("heure", "heures"), ("hour", "hours"))
    } else if seconds < 61 * DAY {
        (seconds / DAY, ("jour", "jours"), ("day", "days"))
    } else if seconds < 365 * DAY {
        (seconds / (30 * DAY), ("mois", "mois"), ("month", "months"))
    } else {
        (seconds / (365 * DAY), ("an", "ans"), ("year", "years"))
    };
    let (one, many) = match lang {
        Lang::Fr => fr,
        Lang::En => en,
    };
    let unit = if n == 1 { one } else { many };
    format!("{}{}{unit}", format_count(n, lang), unit_space(lang))
}

/// Who signed a publication and when: `clé 1A2B… · générée le 23 novembre
/// 2026 (il y a 3 jours) · version 2`, with `démonstration` for demo data.
pub fn provenance(a: &Admission, lang: Lang) -> String {
    let date = format_catalogue_date(&a.generated_at, lang);
    let age = format_age(a.age_seconds, lang);
    let demo = match (a.demo, lang) {
        (false, _) => "",
        (true, Lang::Fr) => " · démonstration",
        (true, Lang::En) => " · demonstration",
    };
    match lang {
        Lang::Fr => format!(
            "signée par la clé {} · générée le {date} (il y a {age}) · version {}{demo}",
            a.key_id, a.sequence
        ),
        Lang::En => format!(
            "signed by key {} · generated on {date} ({age} ago) · version {}{demo}",
            a.key_id, a.sequence
        ),
    }
}

/// Said when a publication's `expires` is past (SPEC §6: the check still
/// runs, and says so).
pub fn expired_warning(a: &Admission, lang: Lang) -> String {
    let date = a
        .expires
        .as_deref()
        .map(|e| format_catalogue_date(e, lang))
        .unwrap_or_default();
    match lang {
        Lang::Fr => format!(
            "Cette liste a expiré le {date} : elle n'est peut-être plus à jour. Téléchargez-en \
             la dernière version. La vérification a quand même été faite avec celle-ci."
        ),
        Lang::En => format!(
            "This list expired on {date}: it may be out of date. Download its latest version. \
             The check was still run against this one."
        ),
    }
}

/// An OPRF publication (SPEC §11), which this build cannot check yet: the
/// check is refused rather than answered "not found".
pub fn oprf_unsupported(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => {
            "cette liste est une publication OPRF : la vérifier demande une requête à \
             l'organisme qui l'a publiée, ce que cette version de FuiteCheck ne sait pas \
             encore faire ; aucun résultat n'est donné"
        }
        Lang::En => {
            "this list is an OPRF publication: checking it needs a request to the \
             organisation that published it, which this version of FuiteCheck cannot make \
             yet; no result is given"
        }
    }
}

#[cfg(test)]
mod tests {
    use fuitecheck_core::catalogue::Localized;
    use fuitecheck_core::nir::Nir;

    use super::*;

    #[test]
    fn assessment_words() {
        let reason = Reason {
            question: "mail".to_owned(),
            text: Localized {
                fr: "Courrier ?".to_owned(),
                en: "Letter?".to_owned(),
            },
            answer: Answer::Yes,
        };
        assert_eq!(
            assessment_reason(&reason, Lang::Fr),
            "Vous avez répondu « oui » à : Courrier ?"
        );
        assert_eq!(
            assessment_reason(&reason, Lang::En),
            "You answered \"yes\" to: Letter?"
        );
        assert_eq!(
            verdict_label(Verdict::Unlikely, Lang::Fr),
            "Vous n'êtes probablement pas concerné(e)"
        );
    }

    #[test]
    fn trust_sentences_are_specs() {
        let rollback = TrustError::Rollback {
            key_id: "K".into(),
            sequence: 1,
            seen: 2,
        };
        assert_eq!(
            trust_error(&rollback, Lang::En),
            "an older version of this list than one already seen — possible replay; \
             try again later or download it again"
        );
        let demo = TrustError::Signature(SignatureError::DemoKeyNotTrusted { key_id: "K".into() });
        assert_eq!(
            trust_error(&demo, Lang::En),
            "signed with the public demonstration key: anyone can make such a list"
        );
        assert!(trust_error(&rollback, Lang::Fr).contains("rejeu possible"));
        assert!(trust_error(&demo, Lang::Fr).contains("clé publique de démonstration"));
    }

    #[test]
    fn ages_in_words() {
        assert_eq!(format_age(59 * 60, Lang::Fr), "moins d'une heure");
        assert_eq!(format_age(3600, Lang::Fr), format!("1{NBSP}heure"));
        assert_eq!(format_age(3 * 3600, Lang::En), "3 hours");
        assert_eq!(format_age(3 * 86_400, Lang::Fr), format!("3{NBSP}jours"));
        assert_eq!(format_age(90 * 86_400, Lang::Fr), format!("3{NBSP}mois"));
        assert_eq!(format_age(400 * 86_400, Lang::En), "1 year");
        assert_eq!(format_age(800 * 86_400, Lang::Fr), format!("2{NBSP}ans"));
    }

    #[test]
    fn numbers() {
        assert_eq!(format_count(491_840, Lang::Fr), "491\u{a0}840");
        assert_eq!(format_count(491_840, Lang::En), "491,840");
        assert_eq!(format_count(33_000_000, Lang::Fr), "33\u{a0}000\u{a0}000");
        assert_eq!(format_count(33_000_000, Lang::En), "33,000,000");
        assert_eq!(format_count(240, Lang::Fr), "240");
        assert_eq!(format_count(1000, Lang::Fr), "1\u{a0}000");
        assert_eq!(format_odds(16_777_216.0, Lang::Fr), "17\u{a0}millions");
        assert_eq!(format_odds(2.3e9, Lang::Fr), "2,3\u{a0}milliards");
        assert_eq!(format_odds(2.3e9, Lang::En), "2.3 billion");
        assert_eq!(format_odds(9.4e11, Lang::En), "940 billion");
        assert_eq!(format_odds(1.6e12, Lang::Fr), "1\u{a0}600\u{a0}milliards");
        assert_eq!(format_odds(4_500.0, Lang::Fr), "4\u{a0}500");
        assert_eq!(format_bytes(3_400_000, Lang::Fr), "3,4\u{a0}Mo");
        assert_eq!(format_bytes(3_400_000, Lang::En), "3.4 MB");
    }

    #[test]
    fn dates() {
        let d = |y, m, d| jiff::civil::date(y, m, d);
        assert_eq!(
            format_date(d(2021, 2, 23), Lang::Fr),
            "23\u{a0}février\u{a0}2021"
        );
        assert_eq!(
            format_date(d(2026, 5, 1), Lang::Fr),
            "1er\u{a0}mai\u{a0}2026"
        );
        assert_eq!(format_date(d(2021, 2, 23), Lang::En), "23 February 2021");
        assert_eq!(
            format_catalogue_date("2021-02-23", Lang::Fr),
            "23\u{a0}février\u{a0}2021"
        );
        assert_eq!(
            format_catalogue_date("2020-11", Lang::Fr),
            "novembre\u{a0}2020"
        );
        assert_eq!(format_catalogue_date("2020-11", Lang::En), "November 2020");
        assert_eq!(
            format_catalogue_date("2026-11-23T00:00:00Z", Lang::En),
            "23 November 2026"
        );
        assert_eq!(format_catalogue_date("bientôt", Lang::Fr), "bientôt");
    }

    #[test]
    fn summaries() {
        let info = Nir::parse_allow_body("2850578006084").unwrap().decode();
        assert_eq!(
            nir_summary(&info, Lang::Fr, 2026),
            "Femme, née en mai 1985, Yvelines"
        );
        assert_eq!(
            nir_summary(&info, Lang::En, 2026),
            "Woman, born in May 1985, Yvelines"
        );
        let odd = Nir::parse_allow_body("5852578006084").unwrap().decode();
        assert_eq!(
            nir_summary(&odd, Lang::Fr, 2026),
            "Sexe non documenté, né(e) en 1985 (mois non renseigné), Yvelines"
        );
    }

    #[test]
    fn errors_and_warnings() {
        assert!(nir_error(&NirError::WrongKey, Lang::Fr).contains("clé"));
        let short = Nir::parse("18505780060849").unwrap_err();
        assert!(nir_error(&short, Lang::Fr).contains("14 caractères"));
        assert!(nir_error(&short, Lang::En).contains("14 characters"));
        let corsica = Nir::parse("253072C07300443").unwrap_err();
        assert!(nir_error(&corsica, Lang::Fr).contains("2A / 2B pour la Corse"));
        let prov = Nir::parse_allow_body("8851578006084").unwrap().decode();
        let fr: Vec<String> = prov
            .warnings
            .iter()
            .map(|w| nir_warning(w, Lang::Fr))
            .collect();
        assert_eq!(
            fr,
            [
                "Premier chiffre 7 ou 8 : numéro provisoire selon la convention de l'Assurance \
                 Maladie.",
                "Mois 15 : valeur non documentée (01 à 12, ou 20 à 99 si le mois est inconnu).",
            ]
        );
        assert_eq!(
            nir_warning(&NirWarning::UnusualOrderNumber, Lang::En),
            "Order number 000: unusual value."
        );
        assert_eq!(
            source_location(EMBEDDED_LOCATION, Lang::Fr),
            "démonstration intégrée"
        );
        assert_eq!(source_location("/tmp/pub", Lang::En), "/tmp/pub");
    }
}
