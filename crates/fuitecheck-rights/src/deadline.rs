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
//!
//! GDPR periods are counted as Regulation (EEC, Euratom) No 1182/71 says
//! (art. 3(2)(c) for months, art. 3(4) for the last day): a period that
//! would end on a Saturday, a Sunday or a French public holiday ends at the
//! end of the next working day ([`next_working_day`]). The period runs from
//! the **receipt** of the request; when only the sending date is known the
//! app adds [`POSTAL_DELAY_WORKING_DAYS`] and says the end date is
//! approximate ([`Start`]). An extension to three months counts only when
//! the controller announced it within the first month ([`answer_due`]).

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
    /// the request was received, or the complaint filed). GDPR periods
    /// (art. 12(3), 78(2)) that end on a Saturday, Sunday or French public
    /// holiday move to the next working day (Regulation 1182/71, art. 3(4)).
    pub fn due(self, start: Date) -> Date {
        match self {
            Self::ControllerAnswer | Self::SearchEngine => next_working_day(add_months(start, 1)),
            Self::ControllerAnswerExtended | Self::CnilProgress => {
                next_working_day(add_months(start, 3))
            }
            Self::Ficoba => add_months(start, 1),
            Self::Prescription => add_months(start, 72),
        }
    }
}

/// Working days added to a sending date when the date of receipt (avis de
/// réception) is unknown. The result is an estimate and is always said to
/// be one.
pub const POSTAL_DELAY_WORKING_DAYS: u8 = 3;

/// Where a period starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Start {
    /// The day the period runs from.
    pub date: Date,
    /// `true` when `date` is estimated from the sending date.
    pub approximate: bool,
}

impl Start {
    /// From the avis de réception when known, otherwise from the sending
    /// date plus [`POSTAL_DELAY_WORKING_DAYS`] working days (approximate).
    pub fn of_request(sent: Date, received: Option<Date>) -> Self {
        match received {
            Some(date) => Self {
                date,
                approximate: false,
            },
            None => {
                let mut date = sent;
                for _ in 0..POSTAL_DELAY_WORKING_DAYS {
                    date = next_working_day(date.tomorrow().unwrap_or(date));
                }
                Self {
                    date,
                    approximate: true,
                }
            }
        }
    }
}

/// The controller's deadline for an access request received on `received`:
/// three months (then the next working day) if an extension was announced
/// on a day within the first month, else one month. An announcement after
/// the first month does not extend anything (GDPR art. 12(3)).
pub fn answer_due(received: Date, extension_announced: Option<Date>) -> (DeadlineRule, Date) {
    if extension_is_valid(received, extension_announced) {
        let rule = DeadlineRule::ControllerAnswerExtended;
        (rule, rule.due(received))
    } else {
        let rule = DeadlineRule::ControllerAnswer;
        (rule, rule.due(received))
    }
}

/// Whether an extension announced on `announced` counts: on or after the
/// receipt and no later than the last day of the first month.
pub fn extension_is_valid(received: Date, announced: Option<Date>) -> bool {
    announced.is_some_and(|a| a >= received && a <= DeadlineRule::ControllerAnswer.due(received))
}

/// Easter Sunday of `year` (Gregorian calendar; anonymous algorithm of
/// Meeus/Jones/Butcher).
pub fn easter(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // month is 3 or 4 and day 1..=31 by construction.
    Date::new(year, month as i8, day as i8).unwrap_or(Date::constant(2000, 4, 23))
}

/// French public holidays (jours fériés) of
/// metropolitan France: 1 January, Easter Monday, 1 May, 8 May, Ascension,
/// Whit Monday, 14 July, 15 August, 1 November, 11 November, 25 December.
pub fn is_public_holiday(date: Date) -> bool {
    let fixed = matches!(
        (date.month(), date.day()),
        (1, 1) | (5, 1) | (5, 8) | (7, 14) | (8, 15) | (11, 1) | (11, 11) | (12, 25)
    );
    if fixed {
        return true;
    }
    let e = easter(date.year());
    [1, 39, 50]
        .into_iter()
        .any(|d| e.checked_add(d.days()).is_ok_and(|x| x == date))
}

/// `date` itself when it is a working day, else the next working day (not
/// a Saturday, Sunday or public holiday).
pub fn next_working_day(mut date: Date) -> Date {
    use jiff::civil::Weekday;
    for _ in 0..10 {
        let weekend = matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday);
        if !weekend && !is_public_holiday(date) {
            break;
        }
        match date.tomorrow() {
            Ok(d) => date = d,
            Err(_) => break,
        }
    }
    date
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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn easter_dates() {
        // Known Easter Sundays.
        assert_eq!(easter(2024), date(2024, 3, 31));
        assert_eq!(easter(2025), date(2025, 4, 20));
        assert_eq!(easter(2026), date(2026, 4, 5));
        assert_eq!(easter(2027), date(2027, 3, 28));
        assert_eq!(easter(2019), date(2019, 4, 21));
        assert_eq!(easter(2000), date(2000, 4, 23));
        assert_eq!(easter(2038), date(2038, 4, 25));
    }

    #[test]
    fn holidays() {
        for d in [
            date(2026, 1, 1),
            date(2026, 4, 6), // Easter Monday
            date(2026, 5, 1),
            date(2026, 5, 8),
            date(2026, 5, 14), // Ascension
            date(2026, 5, 25), // Whit Monday
            date(2026, 7, 14),
            date(2026, 8, 15),
            date(2026, 11, 1),
            date(2026, 11, 11),
            date(2026, 12, 25),
            date(2024, 4, 1), // Easter Monday 2024
        ] {
            assert!(is_public_holiday(d), "{d}");
        }
        for d in [
            date(2026, 4, 5),
            date(2026, 4, 7),
            date(2026, 12, 26),
            date(2026, 7, 13),
        ] {
            assert!(!is_public_holiday(d), "{d}");
        }
    }

    #[test]
    fn month_end_and_leap_years() {
        let r = DeadlineRule::ControllerAnswer;
        // 31 Jan 2025 -> 28 Feb 2025 (a Friday).
        assert_eq!(r.due(date(2025, 1, 31)), date(2025, 2, 28));
        // 31 Jan 2024 -> 29 Feb 2024 (leap year, a Thursday).
        assert_eq!(r.due(date(2024, 1, 31)), date(2024, 2, 29));
        // 30 Mar 2026 -> 30 Apr 2026 (Thursday).
        assert_eq!(r.due(date(2026, 3, 30)), date(2026, 4, 30));
        // 31 Aug 2026 -> 30 Sep 2026 (Wednesday).
        assert_eq!(r.due(date(2026, 8, 31)), date(2026, 9, 30));
        // 31 Jan 2026 -> 28 Feb 2026 is a Saturday -> Monday 2 March.
        assert_eq!(r.due(date(2026, 1, 31)), date(2026, 3, 2));
        // Three months from 30 Nov 2027 -> 29 Feb 2028 (leap, a Tuesday).
        assert_eq!(
            DeadlineRule::ControllerAnswerExtended.due(date(2027, 11, 30)),
            date(2028, 2, 29)
        );
    }

    #[test]
    fn weekends_and_holidays_move_to_the_next_working_day() {
        let r = DeadlineRule::ControllerAnswer;
        // 1 May 2026 is a Friday (holiday) -> Monday 4 May.
        assert_eq!(r.due(date(2026, 4, 1)), date(2026, 5, 4));
        // 14 July 2026 is a Tuesday -> Wednesday 15 July.
        assert_eq!(r.due(date(2026, 6, 14)), date(2026, 7, 15));
        // Easter Monday 6 April 2026 -> Tuesday 7 April.
        assert_eq!(r.due(date(2026, 3, 6)), date(2026, 4, 7));
        // 8 May 2027 is a Saturday, 9 a Sunday -> Monday 10 May.
        assert_eq!(r.due(date(2027, 4, 8)), date(2027, 5, 10));
        // Ascension 2026 (Thu 14 May), then an ordinary Friday.
        assert_eq!(r.due(date(2026, 4, 14)), date(2026, 5, 15));
        // 25 Dec 2026 (Fri) -> Mon 28 Dec.
        assert_eq!(r.due(date(2026, 11, 25)), date(2026, 12, 28));
        // 1 Jan 2028 is a Saturday -> Monday 3 January.
        assert_eq!(r.due(date(2027, 12, 1)), date(2028, 1, 3));
        // An ordinary weekday stays.
        assert_eq!(r.due(date(2026, 2, 10)), date(2026, 3, 10));
        // Prescription is not a GDPR period: no shift.
        assert_eq!(
            DeadlineRule::Prescription.due(date(2020, 3, 8)),
            date(2026, 3, 8)
        );
    }

    #[test]
    fn start_from_receipt_or_estimated() {
        let s = Start::of_request(date(2026, 3, 2), Some(date(2026, 3, 5)));
        assert_eq!(
            s,
            Start {
                date: date(2026, 3, 5),
                approximate: false
            }
        );
        // Sent Thursday 30 April 2026: 1 May (holiday) and the weekend do
        // not count -> Mon 4, Tue 5, Wed 6 May.
        let s = Start::of_request(date(2026, 4, 30), None);
        assert_eq!(
            s,
            Start {
                date: date(2026, 5, 6),
                approximate: true
            }
        );
    }

    #[test]
    fn extension_counts_only_within_the_first_month() {
        let received = date(2026, 2, 10);
        // No extension.
        assert_eq!(
            answer_due(received, None),
            (DeadlineRule::ControllerAnswer, date(2026, 3, 10))
        );
        // Announced on the last day of the first month: counts.
        assert_eq!(
            answer_due(received, Some(date(2026, 3, 10))),
            (DeadlineRule::ControllerAnswerExtended, date(2026, 5, 11))
        );
        // Announced the day after: does not extend.
        assert_eq!(
            answer_due(received, Some(date(2026, 3, 11))),
            (DeadlineRule::ControllerAnswer, date(2026, 3, 10))
        );
        // Before receipt: not an announcement about this request.
        assert!(!extension_is_valid(received, Some(date(2026, 2, 9))));
        // The first month itself moved to Monday: an announcement on that
        // Monday still counts.
        let r = date(2026, 1, 31); // due Mon 2 March 2026
        assert!(extension_is_valid(r, Some(date(2026, 3, 2))));
        assert!(!extension_is_valid(r, Some(date(2026, 3, 3))));
    }
}
