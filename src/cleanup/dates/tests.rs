//! Date parsing tests on datelines written for these tests in each supported language.

use chrono::{DateTime, FixedOffset};

use super::*;

fn ctx() -> DateContext {
    DateContext::default()
}

fn at(reference: &str) -> DateContext {
    DateContext { month_first: false, reference: DateTime::<FixedOffset>::parse_from_rfc3339(reference).ok() }
}

fn line(s: &str, c: &DateContext) -> Option<String> {
    dateline(s, c).map(|d| d.render())
}

#[test]
fn arabic_datelines_with_pm_and_regional_months() {
    assert_eq!(line("الأحد، 3 مارس 2024 09:05 م", &ctx()).as_deref(), Some("2024-03-03T21:05:00"));
    assert_eq!(line("الخميس ٧ تشرين الثاني ٢٠٢٤", &ctx()).as_deref(), Some("2024-11-07"));
    assert_eq!(line("نشر في 12 نونبر 2023 على الساعة 10:30", &ctx()).as_deref(), Some("2023-11-12T10:30:00"));
    assert_eq!(line("15 جانفي 2022 - 08:00 ص", &ctx()).as_deref(), Some("2022-01-15T08:00:00"));
    assert_eq!(line("12:00 ص 1 إبريل 2021", &ctx()).as_deref(), Some("2021-04-01T00:00:00"));
}

#[test]
fn datelines_in_other_languages() {
    let c = ctx();
    assert_eq!(line("Published March 4, 2023 at 4:15 p.m.", &c).as_deref(), Some("2023-03-04T16:15:00"));
    assert_eq!(line("Publié le 5 févr. 2023 à 07h12", &c).as_deref(), Some("2023-02-05"));
    assert_eq!(line("Опубликовано 9 мая 2022 г., 14:40", &c).as_deref(), Some("2022-05-09T14:40:00"));
    assert_eq!(line("Actualizado el 2 de julio de 2021", &c).as_deref(), Some("2021-07-02"));
    assert_eq!(line("Stand: 30.06.2020, 18:30 Uhr", &c).as_deref(), Some("2020-06-30T18:30:00"));
    assert_eq!(line("Güncelleme: 14 Şubat 2019 Perşembe", &c).as_deref(), Some("2019-02-14"));
    assert_eq!(line("发布时间：2024年5月6日 下午3:20", &c).as_deref(), Some("2024-05-06T15:20:00"));
    assert_eq!(line("۱۲ نوامبر ۲۰۲۲", &c).as_deref(), Some("2022-11-12"));
}

#[test]
fn metadata_values_keep_their_offset() {
    let v = parse_value("2024-11-18T13:10:00+02:00", &ctx()).map(|d| d.render());
    assert_eq!(v.as_deref(), Some("2024-11-18T13:10:00+02:00"));
    let v = parse_value("2020-01-05T08:00:00Z", &ctx()).map(|d| d.render());
    assert_eq!(v.as_deref(), Some("2020-01-05T08:00:00Z"));
    assert_eq!(parse_value("2021-09-30", &ctx()).map(|d| d.render()).as_deref(), Some("2021-09-30"));
}

#[test]
fn ambiguous_numeric_dates_follow_the_page_convention() {
    let us = DateContext { month_first: true, reference: None };
    assert_eq!(parse_value("04/05/2022", &us).map(|d| d.render()).as_deref(), Some("2022-04-05"));
    assert_eq!(parse_value("04/05/2022", &ctx()).map(|d| d.render()).as_deref(), Some("2022-05-04"));
    assert_eq!(parse_value("25/05/2022", &us).map(|d| d.render()).as_deref(), Some("2022-05-25"));
}

#[test]
fn relative_datelines_resolve_against_the_message_time() {
    let c = at("2024-11-18T15:40:00+03:00");
    assert_eq!(line("منذ ساعتين", &c).as_deref(), Some("2024-11-18T13:40:00+03:00"));
    assert_eq!(line("منذ 3 أيام", &c).as_deref(), Some("2024-11-15"));
    assert_eq!(line("Yesterday", &c).as_deref(), Some("2024-11-17"));
    assert_eq!(line("5 часов назад", &c).as_deref(), Some("2024-11-18T10:40:00+03:00"));
    assert_eq!(line("2 saat önce", &c).as_deref(), Some("2024-11-18T13:40:00+03:00"));
    assert_eq!(line("3小时前", &c).as_deref(), Some("2024-11-18T12:40:00+03:00"));
    // Without a message time a relative date cannot be placed: none rather than a guess.
    assert_eq!(line("منذ ساعتين", &ctx()), None);
}

#[test]
fn running_text_is_not_a_dateline() {
    let c = ctx();
    assert_eq!(line("The council met on 3 March 2024 to vote on the new budget for schools and roads", &c), None);
    assert_eq!(line("وقال الوزير يوم 5 مايو 2023 إن المفاوضات ستستمر حتى نهاية العام الجاري", &c), None);
    assert_eq!(line("Subscribe to our newsletter", &c), None);
    assert_eq!(line("Yesterday", &c), None);
}

#[test]
fn year_comes_from_the_reference_when_left_out() {
    let c = at("2024-01-10T09:00:00Z");
    assert_eq!(line("28 December, 10:00", &c).as_deref(), Some("2023-12-28T10:00:00"));
    assert_eq!(line("28 December", &ctx()), None);
}

#[test]
fn future_dates_are_not_publication_dates() {
    let c = at("2024-01-10T09:00:00Z");
    assert_eq!(line("15 March 2024", &c), None);
}

#[test]
fn news_leads_carry_their_own_dateline() {
    let lead = |s: &str| lead_dateline(s, &ctx()).map(|d| d.render());
    assert_eq!(lead("DHAKA, Dec 3, 2025 (BSS) - Farmers in the district have").as_deref(), Some("2025-12-03"));
    assert_eq!(lead("عمان - 5 تشرين الأول 2023: أعلنت الحكومة اليوم").as_deref(), Some("2023-10-05"));
    assert_eq!(lead("The minister said on Monday - in a long speech"), None);
}

#[test]
fn solar_hijri_datelines_become_gregorian() {
    let c = ctx();
    assert_eq!(line("۲۸ آبان ۱۴۰۳", &c).as_deref(), Some("2024-11-18"));
    assert_eq!(line("دوشنبه ۲۸ آبان ۱۴۰۳ - ۱۳:۱۰", &c).as_deref(), Some("2024-11-18T13:10:00"));
    assert_eq!(line("تاریخ انتشار: ۱۴۰۳/۰۸/۲۸", &c).as_deref(), Some("2024-11-18"));
    assert_eq!(line("۱ فروردین ۱۴۰۴", &c).as_deref(), Some("2025-03-21"));
    // Esfand 30 exists only in leap years: 1402 is not one, so nothing rather than a wrong day.
    assert_eq!(line("۳۰ اسفند ۱۴۰۲", &c), None);
    // A month name without a Solar Hijri year is an everyday word ("مهر" is also a seal).
    assert_eq!(line("۱۲ مهر", &c), None);
}

#[test]
fn relative_words_inside_other_text_date_nothing() {
    let c = at("2024-11-18T15:40:00+03:00");
    assert_eq!(line("اليوم السابع", &c), None);
    assert_eq!(line("Today's top stories", &c), None);
    assert_eq!(line("Hier soir à Paris", &c), None);
    assert_eq!(line("Read yesterday's briefing", &c), None);
    // On its own, with labels or a clock time, it is a dateline.
    assert_eq!(line("Published yesterday", &c).as_deref(), Some("2024-11-17"));
    assert_eq!(line("اليوم 10:30 ص", &c).as_deref(), Some("2024-11-18T10:30:00"));
    assert_eq!(line("Hier, 18:05", &c).as_deref(), Some("2024-11-17T18:05:00"));
}

#[test]
fn labels_tell_an_update_from_the_publication() {
    let c = ctx();
    let label = |s: &str| labelled_dateline(s, &c).map(|(_, l)| l);
    assert_eq!(label("Updated on June 18, 2025 at 12:35 PM"), Some(Label::Updated));
    assert_eq!(label("Mis à jour le 5 février 2023"), Some(Label::Updated));
    assert_eq!(label("آخر تحديث: 12 نوفمبر 2023"), Some(Label::Updated));
    assert_eq!(label("Published March 4, 2023"), Some(Label::Published));
    assert_eq!(label("March 4, 2023"), Some(Label::Published));
    assert_eq!(label("Originally published 2022. Last updated on December 20, 2024."), Some(Label::Updated));
}

proptest::proptest! {
    /// Datelines built from relative words, Solar Hijri dates and arbitrary text never panic, and a date found
    /// is never after the message time by more than the day the parser tolerates.
    #[test]
    fn labelled_datelines_never_panic(
        pre in proptest::sample::select(vec!["اليوم ", "Yesterday, ", "۲۸ آبان ۱۴۰۳ ", "منذ ساعتين ", "Updated ", ""]),
        rest in "\\PC{0,40}",
    ) {
        let c = at("2024-11-18T15:40:00+03:00");
        if let Some((d, _)) = labelled_dateline(&format!("{pre}{rest}"), &c) {
            proptest::prop_assert!(d.date <= chrono::NaiveDate::from_ymd_opt(2024, 11, 19).unwrap_or_default());
        }
    }
}

/// The early word count must agree with the tokenizer's, whatever the text: it decides which lines are parsed.
fn tokenizer_words(line: &str) -> usize {
    let folded = parse::fold_text(line.trim());
    parse::tokenize(&folded).iter().filter(|t| matches!(t.kind, Kind::Word(_))).count()
}

#[test]
fn early_word_count_matches_the_tokenizer_on_mixed_scripts() {
    let lines = [
        "الأحد، 3 نوفمبر 2024 09:15 ص",
        "Published 12 March 2023, 08:15 by the desk of the paper",
        "2024年11月18日 13:10 发布",
        "Wien,18.09.2024,16:32Uhr",
        "ب\u{200C}ت \u{064B} وَالْقَاهِرَةِ Ünïcode—test… ﻻ",
    ];
    for l in lines {
        for limit in 0..20 {
            assert_eq!(exceeds_words(l, limit), tokenizer_words(l) > limit, "{l:?} at {limit}");
        }
    }
}

proptest::proptest! {
    #[test]
    fn early_word_count_matches_the_tokenizer(line in "(\\PC|[ .,:\\-\t]|\u{200C}|\u{064E}|2024|مارس|年){0,40}") {
        let words = tokenizer_words(&line);
        for limit in [0, 1, 3, 14] {
            proptest::prop_assert_eq!(exceeds_words(&line, limit), words > limit);
        }
    }
}

#[test]
fn ordinal_days_and_citation_order() {
    let c = ctx();
    assert_eq!(line("3rd Sep 2023", &c).as_deref(), Some("2023-09-03"));
    assert_eq!(line("Publié le 1er mars 2024", &c).as_deref(), Some("2024-03-01"));
    assert_eq!(line("June 22nd, 2021", &c).as_deref(), Some("2021-06-22"));
    assert_eq!(parse_value("2019 Feb 9", &c).map(|d| d.render()).as_deref(), Some("2019-02-09"));
    // A suffix apart from the number is a word, not an ordinal.
    assert_eq!(line("3 th Sep 2023", &c), None);
}

#[test]
fn meta_rows_give_their_date_part() {
    let c = ctx();
    let row = |s: &str| meta_row(s, &c).map(|(d, label)| (d.render(), label));
    assert_eq!(row("By Tomas Berg - Apr 9, 2022"), Some(("2022-04-09".to_owned(), Label::Published)));
    assert_eq!(row("Lena Fischer | Staff Reporter | 14 June 2021"), Some(("2021-06-14".to_owned(), Label::Published)));
    assert_eq!(
        row("by Kit · Oct 2, 2020 at 9:00 pm · Two comments"),
        Some(("2020-10-02T21:00:00".to_owned(), Label::Published))
    );
    assert_eq!(
        row("By Ola Nowak ⋅ Senior Editor ⋅ Updated May 1, 2023"),
        Some(("2023-05-01".to_owned(), Label::Updated))
    );
    assert_eq!(row("Written by Ann Roe and Bo Lind March 3, 2024"), Some(("2024-03-03".to_owned(), Label::Published)));
    assert_eq!(
        row("Posted by Mira on Monday June 3, 2024 @09:15AM from the quiet-harbour dept."),
        Some(("2024-06-03T09:15:00".to_owned(), Label::Published))
    );
    // Without the publication label the same tail is too long for a byline row.
    assert_eq!(row("By Mira on Monday June 3, 2024 from the quiet harbour desk of the weekly"), None);
    // A sentence with a date, a citation, a German title beginning with a preposition: no date.
    assert_eq!(row("The council met on March 3, 2024 to vote on the plan for the harbour"), None);
    assert_eq!(row("In: Nature; Vol. 12, pp. 20 - 31, 5. März 2021, DOI 10.1000/abc"), None);
    assert_eq!(row("Neubau von Wohnungen am Hafen 08.10.2021 - 15:33"), None);
    assert_eq!(row("Read the full guide to rivers and lakes | Travel | May 3, 2022"), None);
}

#[test]
fn glued_inline_elements_are_read_apart() {
    let c = ctx();
    let row = |s: &str| meta_row(s, &c).map(|(d, label)| (d.render(), label));
    // A category, the publication and the update, printed in three spans with no space between them.
    assert_eq!(row("Garden TipsMARCH 2, 2021Updated: MAY 5, 2024"), Some(("2021-03-02".to_owned(), Label::Published)));
    assert_eq!(row("ReviewsOctober 9, 2019"), Some(("2019-10-09".to_owned(), Label::Published)));
}

#[test]
fn a_byline_after_the_date_is_a_meta_row() {
    let c = ctx();
    let row = |s: &str| meta_row(s, &c).map(|(d, _)| d.render());
    assert_eq!(row("June 4, 2022 By Nora Vik In").as_deref(), Some("2022-06-04"));
    assert_eq!(row("4 June 2022 by Nora Vik and Ole Dahl").as_deref(), Some("2022-06-04"));
    // Words before the date, or a sentence after the opener, make it running text.
    assert_eq!(row("Seen June 4, 2022 by Nora Vik").as_deref(), None);
    assert_eq!(row("June 4, 2022 by the river the old mill burned down at night").as_deref(), None);
}

#[test]
fn a_year_glued_to_the_next_element_is_read() {
    let c = ctx();
    assert_eq!(line("Aug 14, 20247 mins", &c).as_deref(), Some("2024-08-14"));
    assert_eq!(line("14 August 202311:05 AM", &c).as_deref(), Some("2023-08-14"));
    // Five digits alone are a number, not a year.
    assert_eq!(line("Aug 14, 20247", &c).as_deref(), None);
}

#[test]
fn a_line_with_publication_and_revision_gives_the_publication() {
    let c = ctx();
    let row = |s: &str| meta_row(s, &c).map(|(d, label)| (d.render(), label));
    assert_eq!(
        row("Updated May 2, 2021 9:10 AM ET Originally published April 30, 2021 7:00 AM ET"),
        Some(("2021-04-30T07:00:00".to_owned(), Label::Published))
    );
    assert_eq!(row("April 30, 2021. Updated: May 2, 2021"), Some(("2021-04-30".to_owned(), Label::Published)));
    // Only an update.
    assert_eq!(row("Last updated: May 2, 2021"), Some(("2021-05-02".to_owned(), Label::Updated)));
}

#[test]
fn of_two_unlabelled_dates_side_by_side_the_earlier_is_the_publication() {
    let c = ctx();
    assert_eq!(line("June 30, 2024July 2, 2023 by Ann", &c).as_deref(), Some("2023-07-02"));
    assert_eq!(line("July 2, 2023 June 30, 2024", &c).as_deref(), Some("2023-07-02"));
}

#[test]
fn validity_and_event_dates_are_not_datelines() {
    let c = ctx();
    assert_eq!(line("Effective beginning 6/2/2025:", &c), None);
    assert_eq!(line("Valid until May 3, 2024", &c), None);
    assert_eq!(line("Gültig bis 3. Mai 2024", &c), None);
    assert_eq!(line("Termin: 21.02.2020, 19 Uhr", &c), None);
    assert_eq!(meta_row("Termin: 21.02.2020, 19 Uhr", &c), None);
    assert_eq!(line("Published May 3, 2024", &c).as_deref(), Some("2024-05-03"));
}

#[test]
fn a_revision_line_naming_the_publication_is_told_apart() {
    assert!(names_publication("Originally published in March 2022. Last updated on December 20, 2024."));
    assert!(!names_publication("Last updated on December 20, 2024."));
}

#[test]
fn a_period_is_not_a_dateline() {
    let c = ctx();
    assert_eq!(line("DATE: 2025-12-12 - 2025-12-17", &c), None);
    assert_eq!(meta_row("DATE: 2025-12-12 - 2025-12-17", &c), None);
    assert_eq!(line("May 3, 2024 – May 5, 2024", &c), None);
}
