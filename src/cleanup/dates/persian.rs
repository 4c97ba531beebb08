//! Solar Hijri (Persian calendar) dates as Iranian and Afghan sites print them (`۲۸ آبان ۱۴۰۳`,
//! `۱۴۰۳/۰۸/۲۸`), converted to Gregorian with ICU4X's `icu_calendar` rather than hand-written arithmetic.

use chrono::NaiveDate;
use icu_calendar::{Date, Gregorian};

/// Years a Persian news dateline can carry: 1370–1479 SH is 1991–2101 CE. No Gregorian news year falls in this
/// range, so a four-digit year here marks the date as Solar Hijri.
pub(super) fn is_year(y: u32) -> bool {
    (1370..=1479).contains(&y)
}

/// The Gregorian day of a Solar Hijri date; `None` for a day that does not exist (Esfand 30 in a common year).
pub(super) fn to_gregorian(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    let (month, day) = (u8::try_from(month).ok()?, u8::try_from(day).ok()?);
    let persian = Date::try_new_persian(i32::try_from(year).ok()?, month, day).ok()?;
    let g = persian.to_calendar(Gregorian);
    NaiveDate::from_ymd_opt(g.year().extended_year(), u32::from(g.month().ordinal), u32::from(g.day_of_month().0))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Known pairs: Nowruz (1 Farvardin) of several years, the last day of leap years, month starts of 1402–1403.
    /// (Solar Hijri year, month, day) and the Gregorian day.
    type Pair = ((u32, u32, u32), (i32, u32, u32));

    const PAIRS: &[Pair] = &[
        ((1403, 1, 1), (2024, 3, 20)),
        ((1404, 1, 1), (2025, 3, 21)),
        ((1399, 1, 1), (2020, 3, 20)),
        ((1403, 8, 28), (2024, 11, 18)),
        ((1403, 12, 30), (2025, 3, 20)),
        ((1402, 10, 11), (2024, 1, 1)),
        ((1395, 12, 30), (2017, 3, 20)),
    ];

    #[test]
    fn known_pairs() {
        for &((y, m, d), (gy, gm, gd)) in PAIRS {
            assert_eq!(to_gregorian(y, m, d), NaiveDate::from_ymd_opt(gy, gm, gd), "{y}-{m}-{d}");
        }
        // 1402 is a common year: Esfand has 29 days.
        assert_eq!(to_gregorian(1402, 12, 30), None);
        assert_eq!(to_gregorian(1403, 13, 1), None);
    }

    proptest! {
        /// Consecutive Solar Hijri days are consecutive Gregorian days, and the first six months have 31 days,
        /// the next five 30: the conversion is a bijection that keeps the calendar's month lengths.
        #[test]
        fn consecutive_days_stay_consecutive(y in 1370u32..1479, m in 1u32..=12, d in 1u32..=29) {
            let today = to_gregorian(y, m, d);
            prop_assert!(today.is_some());
            let next = to_gregorian(y, m, d + 1).or_else(|| to_gregorian(y, m + 1, 1)).or_else(|| to_gregorian(y + 1, 1, 1));
            prop_assert_eq!(today.and_then(|t| t.succ_opt()), next);
            let month_len = (29..=31).rev().find(|&l| to_gregorian(y, m, l).is_some());
            let expected = match m { 1..=6 => Some(31), 7..=11 => Some(30), _ => month_len.filter(|l| (29..=30).contains(l)) };
            prop_assert_eq!(month_len, expected);
        }
    }
}
