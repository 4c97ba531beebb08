//! Stage-level tests: the shared Arabic fixture, samples written for these tests, and no-panic properties.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;

fn cleaner() -> Cleaner {
    Cleaner::new(&CleanupSettings::default()).unwrap_or_default()
}

fn text_input(body: &str) -> CleanupInput<'_> {
    CleanupInput {
        body,
        content_type: Some(ContentType::Text),
        url: None,
        title_hint: None,
        published_hint: None,
        reference_time: None,
    }
}

/// `shared/` sits beside the repository (CI, the main checkout); a worktree one level deeper finds it one
/// directory further up.
fn fixture(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let beside = root.join("../shared");
    let shared = if beside.is_dir() { beside } else { root.join("../../shared") };
    shared.join("fixtures").join(name)
}

#[test]
fn arabic_fixture_comes_out_exactly_right() {
    let path = fixture("article-ar-north-korea-russia.txt");
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let out = cleaner().clean(&text_input(&raw));

    let lines: Vec<String> = raw.lines().map(normalize::inline).filter(|l| !l.is_empty()).collect();
    // The headline is the first line; the same headline with a caption fragment run on comes again later.
    let headline = &lines[0];
    assert_eq!(out.title.as_deref(), Some(headline.as_str()));
    assert_eq!(raw.matches(headline.as_str()).count(), 2, "the fixture repeats its headline");
    assert_eq!(out.authors, vec!["هناء أبو العز".to_owned()]);
    assert_eq!(out.published_at.as_deref(), Some("2024-11-18T13:10:00"));

    // The story is the paragraphs that end like sentences (the headline does not); nothing else survives.
    let is_story = |l: &&String| l.ends_with('.') && l.split_whitespace().count() >= 10;
    let first = lines.iter().position(|l| is_story(&l)).unwrap_or_default();
    let last = lines.iter().rposition(|l| is_story(&l)).unwrap_or_default();
    let expected = lines[first..=last].join("\n\n");
    assert_eq!(out.text, expected);
    assert!(out.text.split("\n\n").all(|p| p.ends_with('.')));
    assert!(!out.text.contains("  "));
}

#[test]
fn persian_dump_keeps_zwnj_and_drops_widgets() {
    let body = "افزایش قیمت نان در پایتخت\n\n۱۲ نوامبر ۲۰۲۲\nنویسنده: مریم احمدی\nاشتراک گذاری\n\n\
        قیمت نان در تهران از امروز ده درصد افزایش یافت و نانوایان می\u{200C}گویند هزینه آرد بالا رفته است.\n\n\
        مطالب مرتبط\nبازگشت به بالا";
    let out = cleaner().clean(&text_input(body));
    assert_eq!(out.title.as_deref(), Some("افزایش قیمت نان در پایتخت"));
    assert_eq!(out.authors, vec!["مریم احمدی".to_owned()]);
    assert_eq!(out.published_at.as_deref(), Some("2022-11-12"));
    assert!(out.text.contains("می\u{200C}گویند"));
    assert_eq!(out.text.split("\n\n").count(), 1, "{}", out.text);
}

#[test]
fn german_dump_with_repeated_navigation() {
    let body = "Startseite\nPolitik\nRegierung plant neues Gesetz zur Mietpreisbremse\nVon Jonas Weber\n\
        Stand: 03.04.2023, 11:20 Uhr\nTeilen\nDie Bundesregierung will die Mietpreisbremse um weitere vier \
        Jahre verlängern, wie aus einem Entwurf hervorgeht.\nDer Mieterbund begrüßte den Plan, Vermieter \
        kritisierten ihn als Eingriff in den Markt.\nPolitik\nStartseite\nImpressum";
    let out = cleaner().clean(&text_input(body));
    assert_eq!(out.title.as_deref(), Some("Regierung plant neues Gesetz zur Mietpreisbremse"));
    assert_eq!(out.authors, vec!["Jonas Weber".to_owned()]);
    assert_eq!(out.published_at.as_deref(), Some("2023-04-03T11:20:00"));
    assert_eq!(out.text.split("\n\n").count(), 2, "{}", out.text);
}

#[test]
fn chinese_and_turkish_dumps() {
    let zh = "城市地铁新线路今日开通\n2024年5月6日 下午3:20\n分享到微信\n\
        新线路全长二十公里，设有十五个车站，预计每天运送乘客十万人次。市民表示出行将更加方便。\n返回顶部";
    let out = cleaner().clean(&text_input(zh));
    assert_eq!(out.title.as_deref(), Some("城市地铁新线路今日开通"));
    assert_eq!(out.published_at.as_deref(), Some("2024-05-06T15:20:00"));
    assert!(out.text.starts_with("新线路") && out.text.ends_with("方便。"), "{}", out.text);

    let tr = "Belediye yeni park projesini açıkladı\n14 Şubat 2019 Perşembe 10:05\nHaberi paylaş\n\
        Belediye başkanı, şehir merkezinde yapılacak yeni parkın iki yıl içinde tamamlanacağını söyledi ve \
        projenin maliyetini açıkladı.\nYorumlar\nBaşa dön";
    let out = cleaner().clean(&text_input(tr));
    assert_eq!(out.published_at.as_deref(), Some("2019-02-14T10:05:00"));
    assert_eq!(out.text.split("\n\n").count(), 1, "{}", out.text);
}

#[test]
fn relative_dateline_uses_the_message_time() {
    let body = "انقطاع الكهرباء عن عدة أحياء\nمنذ ساعتين\nأعلنت شركة الكهرباء انقطاع التيار عن عدة أحياء في المدينة \
        بسبب أعمال صيانة طارئة تستمر حتى المساء.";
    let reference = DateTime::parse_from_rfc3339("2024-11-18T15:40:00+02:00").ok();
    let out = cleaner().clean(&CleanupInput { reference_time: reference, ..text_input(body) });
    assert_eq!(out.published_at.as_deref(), Some("2024-11-18T13:40:00+02:00"));
}

#[test]
fn no_date_in_the_page_means_none() {
    let body = "Local team wins the cup\nThe local team won the regional cup on a late goal, and fans celebrated \
        in the streets until midnight.";
    let out = cleaner().clean(&text_input(body));
    assert_eq!(out.published_at, None);
    assert_eq!(out.title.as_deref(), Some("Local team wins the cup"));
}

#[test]
fn html_page_uses_structured_metadata_and_drops_furniture() {
    let paragraph = "The harbour authority said on Tuesday that the new quay will open next spring, doubling the \
        number of ferries that can dock at once and cutting waiting times for passengers.";
    let html = format!(
        r#"<!doctype html><html lang="en"><head><title>Quay to open | Port News</title>
        <meta property="article:published_time" content="2023-06-13T09:30:00+01:00">
        <script type="application/ld+json">{{"@type":"NewsArticle","headline":"New quay to open next spring",
        "author":{{"@type":"Person","name":"Sam Green"}}}}</script></head>
        <body><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
        <article><h1>New quay to open next spring</h1><p>{paragraph}</p><p>{paragraph}</p><p>{paragraph}</p>
        <p>Share this article</p></article><footer>All rights reserved</footer></body></html>"#
    );
    let out = cleaner().clean(&CleanupInput { content_type: None, ..text_input(&html) });
    assert_eq!(out.content_type, Some(ContentType::Html));
    assert_eq!(out.title.as_deref(), Some("New quay to open next spring"));
    assert_eq!(out.authors, vec!["Sam Green".to_owned()]);
    assert_eq!(out.published_at.as_deref(), Some("2023-06-13T09:30:00+01:00"));
    assert!(out.text.contains("harbour authority"));
    assert!(!out.text.contains("Share this article") && !out.text.contains("All rights reserved"), "{}", out.text);
    assert_eq!(out.language_hint.as_deref(), Some("en"));
}

#[test]
fn extract_json_has_the_documented_fields() {
    let value = extract_json(&cleaner(), &text_input("Title here\nA body sentence that is long enough to count."));
    for field in ["title", "text", "authors", "published_at", "language"] {
        assert!(value.get(field).is_some(), "{field}");
    }
}

#[test]
fn settings_are_validated() {
    let bad = CleanupSettings { max_body_bytes: 0, ..CleanupSettings::default() };
    assert!(Cleaner::new(&bad).is_err());
    let parsed: Result<CleanupSettings, _> = serde_json::from_str(r#"{"max_body_bytes": 10, "nope": 1}"#);
    assert!(parsed.is_err());
}

fn is_junk(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn clean_never_panics_and_outputs_nfc(body in "(?s).{0,400}", html in any::<bool>()) {
        let input = CleanupInput {
            content_type: Some(if html { ContentType::Html } else { ContentType::Text }),
            ..text_input(&body)
        };
        let out = cleaner().clean(&input);
        let nfc = icu_normalizer::ComposingNormalizerBorrowed::new_nfc();
        prop_assert!(nfc.is_normalized(&out.text));
        prop_assert!(!out.text.chars().any(is_junk));
        prop_assert!(!out.text.contains("  "));
        if let Some(t) = &out.title {
            prop_assert!(nfc.is_normalized(t) && !t.chars().any(is_junk));
        }
    }

    #[test]
    fn clean_never_panics_on_markup_soup(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("<p>".to_owned()), Just("</p>".to_owned()), Just("<div class=\"x\">".to_owned()),
                Just("<script type=\"application/ld+json\">{\"@type\":\"Article\",\"datePublished\":".to_owned()),
                Just("<time datetime=\"".to_owned()), Just("\u{200F}".to_owned()), Just("&amp;".to_owned()),
                "[\\p{Arabic}\\p{Cyrillic}a-z0-9 :/.-]{0,30}",
            ],
            0..40,
        )
    ) {
        let body = parts.concat();
        let out = cleaner().clean(&CleanupInput { content_type: None, ..text_input(&body) });
        prop_assert!(!out.text.chars().any(is_junk));
    }
}
