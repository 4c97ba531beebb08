//! Fuzzing on stable: proptest drives message decoding, cleanup, date parsing and the entity stage with arbitrary
//! and structured-random input; none may panic, and the limits they promise must hold. A plain `cargo test` runs a
//! short smoke (proptest's default case count) and replays every seed and crash reproducer of the coverage-guided
//! targets (`fuzz/`, cargo-fuzz) through the same harness; `make fuzz` runs many more cases (`PROPTEST_CASES`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed expectation is a failed test

mod harness;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use news_enricher::cleanup::dates::{dateline, parse_value, DateContext};
use news_enricher::cleanup::{Cleaner, CleanupInput, CleanupSettings};
use news_enricher::contract::ContentType;
use news_enricher::pipeline::{decode, DecodeLimits};
use proptest::prelude::*;

/// Fragments that steer random input toward the parsers' interesting paths.
fn html_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<p>".to_owned()),
        Just("</p>".to_owned()),
        Just("<script>var x = '</p>';</script>".to_owned()),
        Just("<h1>".to_owned()),
        Just("<nav>Home | World</nav>".to_owned()),
        Just("<meta property=\"article:published_time\" content=\"2024-11-18T13:10:00+02:00\">".to_owned()),
        Just("<time datetime=\"".to_owned()),
        Just("&amp;&#x1F600;&#0;&bogus;".to_owned()),
        Just("<!-- ".to_owned()),
        Just("<![CDATA[".to_owned()),
        Just("\u{200F}\u{0640}\u{FEFF}".to_owned()),
        "[a-zA-Z ]{0,20}",
        "\\PC{0,20}",
    ]
}

fn date_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2024".to_owned()),
        Just("-11-".to_owned()),
        Just("18 نوفمبر".to_owned()),
        Just("Nov 18,".to_owned()),
        Just("13:10".to_owned()),
        Just("+02:00".to_owned()),
        Just("منذ ساعتين".to_owned()),
        Just("yesterday".to_owned()),
        Just("Published".to_owned()),
        "[0-9]{1,6}",
        "[/.:, -]",
        "\\PC{0,8}",
    ]
}

fn json_value() -> impl Strategy<Value = Vec<u8>> {
    let leaf =
        prop_oneof![Just("null".to_owned()), Just("\"body\"".to_owned()), "\"[^\"\\\\]{0,30}\"", "-?[0-9]{1,5}",];
    let object =
        (prop::collection::vec((prop_oneof![Just("body"), Just("title"), Just("id"), Just("url")], leaf), 0..5))
            .prop_map(|fields| {
                let inner: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
                format!("{{{}}}", inner.join(", "))
            });
    prop_oneof![
        object.prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..400),
        (1usize..3000).prop_map(|depth| format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()),
    ]
}

proptest! {
    /// Any message value decodes to a message or a classified failure, and an oversized one is refused.
    #[test]
    fn decode_never_panics_and_enforces_the_size_limit(value in json_value(), max in 1usize..1000) {
        let limits = DecodeLimits { max_message_bytes: max };
        let result = decode(Some(&value), &limits);
        if value.len() > max {
            prop_assert!(result.is_err(), "a {}-byte value passed a {max}-byte limit", value.len());
        }
        let _ = decode(None, &limits);
    }

    /// Cleanup survives any body, declared as HTML, text or unknown.
    #[test]
    fn cleanup_never_panics(pieces in prop::collection::vec(html_piece(), 0..40), kind in 0u8..3) {
        let cleaner = Cleaner::new(&CleanupSettings::default()).unwrap();
        let body = pieces.concat();
        let content_type = match kind { 0 => Some(ContentType::Html), 1 => Some(ContentType::Text), _ => None };
        let input = CleanupInput {
            body: &body,
            content_type,
            url: Some("https://news.example/a"),
            title_hint: None,
            published_hint: None,
            reference_time: None,
        };
        let _ = cleaner.clean(&input);
    }

    /// Date parsing survives any value or line; whatever it finds renders.
    #[test]
    fn date_parsing_never_panics(pieces in prop::collection::vec(date_piece(), 0..12), month_first in any::<bool>()) {
        let text = pieces.join(" ");
        let ctx = DateContext { month_first, reference: None };
        if let Some(d) = parse_value(&text, &ctx) {
            prop_assert!(!d.render().is_empty());
        }
        if let Some(d) = dateline(&text, &ctx) {
            prop_assert!(!d.render().is_empty());
        }
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn entity_stage() -> &'static harness::EntityStage {
    static STAGE: OnceLock<harness::EntityStage> = OnceLock::new();
    STAGE.get_or_init(|| harness::EntityStage::load(root()))
}

fn run(target: &str, data: &[u8]) {
    match target {
        "decode" => harness::decode(data),
        "extract" => harness::extract(data),
        "dates" => harness::dates(data),
        "entities" => harness::entities(entity_stage(), data),
        other => panic!("unknown fuzz target {other}"),
    }
}

/// Every hand-written seed (`fuzz/seeds/<target>/`) and every input a fuzzer crashed on (`tests/fuzz/regressions/
/// <target>/`, committed with the fix) passes its target's checks.
#[test]
fn seeds_and_crash_reproducers_pass() {
    let mut ran = 0;
    for target in harness::TARGETS {
        let dirs = [root().join("fuzz/seeds").join(target), root().join("tests/fuzz/regressions").join(target)];
        let mut files: Vec<PathBuf> =
            dirs.iter().filter_map(|d| std::fs::read_dir(d).ok()).flatten().map(|e| e.unwrap().path()).collect();
        files.sort();
        assert!(!files.is_empty(), "no seeds for {target}");
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| run(target, &data));
            assert!(outcome.is_ok(), "{target} fails on {}", file.display());
            ran += 1;
        }
    }
    assert!(ran >= harness::TARGETS.len());
}

fn entity_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Vladimir Putin".to_owned()),
        Just("Putin".to_owned()),
        Just("\u{0628}\u{0648}\u{062A}\u{064A}\u{0646}".to_owned()),
        Just("Emmanuel Macron a dit".to_owned()),
        Just("Paris".to_owned()),
        Just("George Washington".to_owned()),
        Just("\u{0627}\u{0644}\u{0631}\u{0626}\u{064A}\u{0633} ".to_owned()),
        Just("e\u{0301}\u{200D}\u{1F600}\u{0640}".to_owned()),
        Just("\n".to_owned()),
        Just(". ".to_owned()),
        "[A-Z][a-z]{0,8}",
        "\\PC{0,12}",
    ]
}

proptest! {
    /// Entity spans stay inside their field, on char boundaries, equal to their text, sorted and disjoint, for
    /// any text in any of the target's languages (the stable stand-in for the `entities` cargo-fuzz target).
    #[test]
    fn entity_spans_keep_their_invariants(flags in any::<[u8; 2]>(), pieces in prop::collection::vec(entity_piece(), 0..30)) {
        let mut data = flags.to_vec();
        data.extend_from_slice(pieces.concat().as_bytes());
        harness::entities(entity_stage(), &data);
    }

    /// The extract target's flag combinations on random markup.
    #[test]
    fn extract_keeps_its_invariants(flags in any::<[u8; 2]>(), pieces in prop::collection::vec(html_piece(), 0..40)) {
        let mut data = flags.to_vec();
        data.extend_from_slice(pieces.concat().as_bytes());
        harness::extract(&data);
    }
}
