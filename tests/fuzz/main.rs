//! Fuzzing on stable: proptest drives message decoding, cleanup and date parsing with arbitrary and
//! structured-random input; none may panic, and the limits they promise must hold. A plain `cargo test` runs a
//! short smoke (proptest's default case count); `make fuzz` runs many more cases (`PROPTEST_CASES`).
//! cargo-fuzz would need a nightly compiler, which the build does not use.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed expectation is a failed test

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
