//! Deadlines and French dates.
//!
//! GDPR art. 12(3): the controller answers "dans un délai d'un mois à
//! compter de la réception de la demande", extendable "de deux mois". Month
//! arithmetic is calendar arithmetic ([`jiff`]): the same day number in the
//! later month, or that month's last day when it has no such day (one
//! month after 31 January is 28 or 29 February). The extended deadline is
//! counted as three months from receipt, which is never earlier than one
//! month then two more, so the app never tells anyone to escalate too
//! early.

use jiff::ToSpan as _;
use jiff::civil::Date;

use fuitecheck_core::catalogue::Lang;

/// Which legal period a deadline follows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeadlineRule {
    /// The controller's answer: one month from receipt (GDPR art. 12(3)).
    ControllerAnswer,
    /// The controller announced an extension: three months from receipt.
    ControllerAnswerExtended,
    /// The CNIL informs the complainant of progress within three months
    /// (GDPR art. 78(2)).
    CnilProgress,
    /// A search engine answers a delisting request within one month.
    SearchEngine,
    /// FICOBA answers within one month (three if complex).
    Ficoba,
    /// Prosecution of a délit is time-barred after six years.
    Prescription,
}

impl DeadlineRule {
    /// The key used in the data files (`controller_answer`, …).
    pub fn key(self) -> &'static str {
        match self {
            Self::ControllerAnswer => "controller_answer",
            Self::ControllerAnswerExtended => "controller_answer_extended",
            Self::CnilProgress => "cnil_progress",
            Self::SearchEngine => "search_engine",
            Self::Ficoba => "ficoba",
            Self::Prescription => "prescription",
        }
    }

    /// Parse a data-file key.
    pub fn from_key(key: &str) -> Option<Self> {
        [
            Self::ControllerAnswer,
            Self::ControllerAnswerExtended,
            Self::CnilProgress,
            Self::SearchEngine,
            Self::Ficoba,
            Self::Prescription,
        ]
        .into_iter()
        .find(|r| r.key() == key)
    }

    /// The date by which the answer is due, counted from `start` (the day
    /// the request was received, or the complaint filed).
    pub fn due(self, start: Date) -> Date {
        match self {
            Self::ControllerAnswer | Self::SearchEngine | Self::Ficoba => add_months(start, 1),
            Self::ControllerAnswerExtended | Self::CnilProgress => add_months(start, 3),
            Self::Prescription => add_months(start, 72),
        }
    }
}

/// `date` plus `months` calendar months, clamped to the month's last day.
pub fn add_months(date: Date, months: i32) -> Date {
    // Clamping is jiff's documented behaviour for spans of months; the only
    // failure is overflow past year 9999, where the original date is the
    // least wrong answer.
    date.checked_add(months.months()).unwrap_or(date)
}

fn month_name(month: i8, lang: Lang) -> &'static str {
    lang.month_name(u8::try_from(month).unwrap_or(1))
}

/// "7 février 2024" / "1er mars 2024" (French) or "7 February 2024".
pub fn format_date(date: Date, lang: Lang) -> String {
    let day = date.day();
    let month = month_name(date.month(), lang);
    match lang {
        Lang::Fr if day == 1 => format!("1er {month} {}", date.year()),
        _ => format!("{day} {month} {}", date.year()),
    }
}

/// A catalogue date (`YYYY-MM-DD` or `YYYY-MM`) in words; the input itself
/// when it is neither.
pub fn format_catalogue_date(s: &str, lang: Lang) -> String {
    if let Ok(d) = s.parse::<Date>() {
        return format_date(d, lang);
    }
    let mut parts = s.split('-');
    if let (Some(y), Some(m), None) = (parts.next(), parts.next(), parts.next())
        && let (Ok(y), Ok(m)) = (y.parse::<i16>(), m.parse::<i8>())
        && (1..=12).contains(&m)
    {
        return format!("{} {y}", month_name(m, lang));
    }
    s.to_owned()
}

/// Today in the system time zone.
pub fn today() -> Date {
    jiff::Zoned::now().date()
}
