//! What each fuzz target does with one input, shared by the cargo-fuzz targets (`fuzz/fuzz_targets/`, coverage
//! guided) and the stable suite (`tests/fuzz/main.rs`: proptest input, the seeds and every crash reproducer).
//!
//! An input is raw bytes: the first one or two are flags choosing the variant (content type, URL, reference time,
//! limits, language), the rest is the text, read as lossy UTF-8 so every input reaches the stage. A broken
//! invariant panics, which libFuzzer records as a crash and a test reports as a failure.

use std::path::Path;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime};
use icu_normalizer::ComposingNormalizerBorrowed;
use news_enricher::cleanup::dates::{self, DateContext};
use news_enricher::cleanup::{extract_json, Cleaner, CleanupInput, CleanupSettings};
use news_enricher::contract::{self, ContentType, Entity, Field};
use news_enricher::entities::{EntitySettings, EntityTagger, KbInput};
use news_enricher::ner::NerModels;
use news_enricher::pipeline::{self, DecodeLimits, ErrorKind, Original};

/// The targets, named as in `fuzz/Cargo.toml` and as the seed folders.
pub const TARGETS: [&str; 4] = ["decode", "extract", "dates", "entities"];

/// The languages the entity target cycles through: with a NER model (ar, en, fr, ru), KB only, undetermined.
const LANGS: [&str; 10] = ["en", "ar", "fr", "ru", "de", "es", "tr", "fa", "zh", "und"];

/// A fixed message time for the variants that resolve relative dates.
fn reference() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2024-11-20T08:00:00+02:00").unwrap()
}

/// The first `N` bytes as flags (zero when the input is shorter) and the rest as text.
fn split<const N: usize>(data: &[u8]) -> ([u8; N], String) {
    let mut flags = [0u8; N];
    let n = data.len().min(N);
    flags[..n].copy_from_slice(&data[..n]);
    (flags, String::from_utf8_lossy(&data[n..]).into_owned())
}

/// The first line of `s` and the rest.
fn first_line(s: &str) -> (&str, &str) {
    s.split_once('\n').unwrap_or((s, ""))
}

/// Message decoding on raw bytes: any value decodes or fails with a reason, the size limit holds, a success
/// yields a usable id, and a failure yields a dead-letter record that carries the value within its limit.
pub fn decode(data: &[u8]) {
    let limits = DecodeLimits { max_message_bytes: 8 * 1024 };
    match pipeline::decode(Some(data), &limits) {
        Ok(decoded) => {
            assert!(data.len() <= limits.max_message_bytes, "a {}-byte value passed the limit", data.len());
            let article = &decoded.article;
            assert!(!article.body.trim().is_empty(), "an empty body was accepted");
            assert_eq!(decoded.content_type.is_some(), article.content_type.is_some());
            let id = contract::derive_id(article.id.as_deref(), article.url.as_deref(), &article.body);
            assert!(!id.trim().is_empty(), "empty id");
        }
        Err(failure) => {
            if data.len() > limits.max_message_bytes {
                assert_eq!(failure.kind, ErrorKind::Oversized);
            }
            let original =
                Original { key: Some(&data[..data.len().min(16)]), value: Some(data), headers: &[], source: None };
            let max_bytes = 4096;
            let record = pipeline::dead_letter_record(&original, &failure, max_bytes);
            assert_eq!(record.value_size, data.len());
            let json = serde_json::to_vec(&record).unwrap();
            assert!(json.len() <= max_bytes || !record.value_truncated, "dead-letter record over its limit");
        }
    }
}

/// Cleanup (`extract`) on any body. Flags, byte 0: bits 0-1 content type (sniff, HTML, text, HTML); bit 2 the URL is
/// the text's first line, else bit 3 picks a fixed URL or none; bit 4 a message time; bit 5 a 300-byte body limit;
/// bit 6 hidden dates; bit 7 a 50-element scoring bound. Byte 1: bit 0 the next line is the scraper's date, bit 1
/// the next line is the scraper's title.
pub fn extract(data: &[u8]) {
    let ([f, g], text) = split::<2>(data);
    let mut rest = text.as_str();
    let mut take_line = |on: bool| {
        on.then(|| {
            let (line, after) = first_line(rest);
            rest = after;
            line
        })
    };
    let url = take_line(f & 4 != 0).or((f & 8 != 0).then_some("https://News.Example/world/a?utm_source=x#top"));
    let published_hint = take_line(g & 1 != 0);
    let title_hint = take_line(g & 2 != 0);
    let content_type = match f & 3 {
        0 => None,
        2 => Some(ContentType::Text),
        _ => Some(ContentType::Html),
    };
    let reference_time = (f & 16 != 0).then(reference);
    let settings = CleanupSettings {
        max_body_bytes: if f & 32 != 0 { 300 } else { CleanupSettings::default().max_body_bytes },
        max_html_elements: if f & 128 != 0 { 50 } else { 0 },
        hidden_dates: f & 64 != 0,
        ..CleanupSettings::default()
    };
    let cleaner = Cleaner::new(&settings).unwrap();
    let input = CleanupInput { body: rest, content_type, url, title_hint, published_hint, reference_time };
    let out = extract_json(&cleaner, &input);

    let body_text = out["text"].as_str().unwrap();
    assert_eq!(body_text, body_text.trim(), "text has surrounding whitespace");
    assert!(!body_text.contains("\n\n\n"), "paragraphs separated by more than one blank line");
    check_normalised(body_text);
    if let Some(title) = out["title"].as_str() {
        assert!(!title.trim().is_empty() && !title.contains('\n'), "title {title:?}");
        check_normalised(title);
    }
    for author in out["authors"].as_array().unwrap() {
        assert!(!author.as_str().unwrap().trim().is_empty(), "empty author");
    }
    if let Some(published) = out["published_at"].as_str() {
        check_rendered_date(published, reference_time);
    }
    let truncated = out["warnings"].as_array().unwrap().iter().any(|w| w == "body_truncated");
    assert_eq!(truncated, rest.len() > settings.max_body_bytes);
}

/// Output text is NFC, without control characters (but line breaks) or invisible direction and zero-width marks.
fn check_normalised(s: &str) {
    assert!(ComposingNormalizerBorrowed::new_nfc().is_normalized(s), "not NFC: {s:?}");
    let junk = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    };
    assert!(!s.chars().any(junk), "invisible or control characters left in {s:?}");
}

/// Date parsing on any value and line. Byte 0: bit 0 month first; bits 1-2 the message time: none, fixed, or from
/// bytes 1-5 (seconds after 2000-01-01 and a UTC offset). The whole text is read as a value and as a dateline,
/// and each line as a dateline.
pub fn dates(data: &[u8]) {
    let ([f, a, b, c, d, o], text) = split::<6>(data);
    let reference = match (f >> 1) & 3 {
        0 => None,
        1 => Some(reference()),
        _ => {
            let seconds = i64::from(u32::from_le_bytes([a, b, c, d]));
            let offset = FixedOffset::east_opt((i32::from(o % 57) - 28) * 1800).unwrap();
            DateTime::from_timestamp(946_684_800 + seconds, 0).map(|t| t.with_timezone(&offset))
        }
    };
    let ctx = DateContext { month_first: f & 1 != 0, reference };
    let found = [dates::parse_value(&text, &ctx), dates::dateline(&text, &ctx)];
    let lines = text.lines().take(64).map(|line| dates::dateline(line, &ctx));
    for date in found.into_iter().chain(lines).flatten() {
        check_rendered_date(&date.render(), reference);
    }
}

/// A rendered date is one of the record's three forms, with a four-digit year, and never days after the message.
fn check_rendered_date(s: &str, reference: Option<DateTime<FixedOffset>>) {
    let b = s.as_bytes();
    assert!(b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-', "date {s:?}");
    let valid = match s.len() {
        10 => NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
        19 => NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").is_ok(),
        _ => DateTime::parse_from_rfc3339(s).is_ok(),
    };
    assert!(valid, "date {s:?} is none of the record's forms");
    if let Some(r) = reference {
        let day = NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").unwrap();
        assert!(day <= r.date_naive() + Duration::days(1), "date {s} after the message time {r}");
    }
}

/// The entity stage as the service builds it: the project's knowledge base and NER models.
pub struct EntityStage {
    tagger: EntityTagger,
    ner: NerModels,
}

impl EntityStage {
    /// Loads `config/kb` and `models/ner` under the repository root.
    pub fn load(root: &Path) -> Self {
        let settings = EntitySettings { kb_dir: root.join("config/kb"), extra_kb_files: Vec::new() };
        let tagger = EntityTagger::from_input(&KbInput::read(&settings).unwrap()).unwrap();
        let ner = NerModels::load(&root.join("models/ner")).unwrap();
        Self { tagger, ner }
    }
}

/// The entity stage on any title and text. Byte 0: the language (`LANGS`); bit 7 the first line is the title.
/// Byte 1: the publication date (none, a day, a timestamp, junk). NER spans and entities must lie inside their
/// field on char boundaries, equal the text they cover, and come sorted without overlap.
pub fn entities(stage: &EntityStage, data: &[u8]) {
    let ([f, g], text) = split::<2>(data);
    let lang = LANGS[usize::from(f & 0x7f) % LANGS.len()];
    let (title, body) = if f & 0x80 != 0 { first_line(&text) } else { ("", text.as_str()) };
    let title = (f & 0x80 != 0).then_some(title);
    let published =
        [None, Some("2024-11-18"), Some("2019-05-01T10:00:00+03:00"), Some("2024-1x-18")][usize::from(g % 4)];

    for field in title.iter().chain([&body]) {
        let len = field.chars().count();
        for s in stage.ner.tag_text(lang, field).unwrap_or_default() {
            assert!(s.start < s.end && s.end <= len, "NER span {s:?} outside a {len}-char field");
        }
    }
    let tagged = pipeline::tag_entities(&stage.tagger, Some(&stage.ner), title, body, lang, published);
    let mut previous: Option<&Entity> = None;
    for e in &tagged.entities {
        let field = match e.field {
            Field::Title => title.expect("a title entity without a title"),
            Field::Text => body,
        };
        assert!(e.start < e.end, "empty entity {e:?}");
        let bytes = |chars: usize| field.char_indices().map(|(i, _)| i).chain([field.len()]).nth(chars);
        let (start, end) = (bytes(e.start), bytes(e.end));
        let slice = start.zip(end).and_then(|(s, t)| field.get(s..t));
        assert_eq!(slice, Some(e.text.as_str()), "entity {e:?} is not the text at its offsets");
        assert!(!e.name.trim().is_empty(), "entity {e:?} without a name");
        if let Some(id) = &e.kb_id {
            let digits = id.strip_prefix('Q').unwrap_or_default();
            assert!(!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()), "kb_id {id:?}");
        }
        if let Some(p) = previous {
            assert!(p.field < e.field || (p.field == e.field && p.end <= e.start), "{p:?} then {e:?}");
        }
        previous = Some(e);
    }
}
