//! Sanity checks of the committed models on sentences written for these tests (not from any corpus).

use super::{NerModels, NerSpan};
use crate::contract::EntityType;
use std::path::Path;
use std::sync::OnceLock;

fn models() -> &'static NerModels {
    static MODELS: OnceLock<NerModels> = OnceLock::new();
    MODELS.get_or_init(|| NerModels::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("models/ner")).unwrap())
}

fn found(text: &str, spans: &[NerSpan]) -> Vec<(String, EntityType)> {
    let chars: Vec<char> = text.chars().collect();
    spans.iter().map(|s| (chars[s.start..s.end].iter().collect(), s.entity_type)).collect()
}

fn assert_spans_valid(text: &str, spans: &[NerSpan]) {
    let n = text.chars().count();
    for w in spans.windows(2) {
        assert!(w[0].end <= w[1].start, "spans overlap or are unsorted: {spans:?}");
    }
    assert!(spans.iter().all(|s| s.start < s.end && s.end <= n));
}

#[test]
fn every_language_has_a_versioned_model() {
    let m = models();
    assert_eq!(m.languages(), ["ar", "en", "fr", "ru"]);
    assert!(m.version().starts_with("ner.ar=crf-"));
    assert!(m.tag_text("zh", "习近平在北京会见了普京。").is_none());
    assert!(m.tag_tokens("zh", &["北京"]).is_none());
}

#[test]
fn arabic_names_and_clitics() {
    let m = models();
    let text = "وقال الأمين العام للأمم المتحدة كوفي عنان في واشنطن إن الولايات المتحدة وروسيا ستعقدان محادثات.";
    let spans = m.tag_text("ar", text).unwrap();
    assert_spans_valid(text, &spans);
    let got = found(text, &spans);
    assert!(got.contains(&("واشنطن".to_string(), EntityType::Location)), "{got:?}");
    assert!(got.contains(&("روسيا".to_string(), EntityType::Location)), "{got:?}");
    assert!(got.iter().any(|(t, ty)| t.contains("عنان") && *ty == EntityType::Person), "{got:?}");
}

#[test]
fn english_people_places_organisations() {
    let m = models();
    let text = "Angela Merkel met executives of Siemens AG in Berlin on Tuesday.";
    let got = found(text, &m.tag_text("en", text).unwrap());
    assert!(got.contains(&("Angela Merkel".to_string(), EntityType::Person)), "{got:?}");
    assert!(got.contains(&("Berlin".to_string(), EntityType::Location)), "{got:?}");
    assert!(!got.iter().any(|(t, _)| t == "Tuesday" || t == "met"), "{got:?}");
}

#[test]
fn french_and_russian() {
    let m = models();
    let text = "Emmanuel Macron s'est rendu à Marseille avec le ministre.";
    let got = found(text, &m.tag_text("fr", text).unwrap());
    assert!(got.contains(&("Marseille".to_string(), EntityType::Location)), "{got:?}");
    assert!(got.iter().any(|(t, ty)| t.contains("Macron") && *ty == EntityType::Person), "{got:?}");
    let text = "Президент России Владимир Путин прибыл в Казань.";
    let got = found(text, &m.tag_text("ru", text).unwrap());
    assert!(got.iter().any(|(t, ty)| t.contains("Путин") && *ty == EntityType::Person), "{got:?}");
    assert!(got.contains(&("Казань".to_string(), EntityType::Location)), "{got:?}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn spans_are_sorted_nonempty_and_inside_the_text(
        words in proptest::collection::vec(
            "(وروسيا|بالقاهرة|الرئيس|محمد|Paris|Obama|U\\.S\\.|Москва|de|[.,«»()\\n]|\\PC{1,6})", 0..40),
        lang in "(ar|en|fr|ru)",
    ) {
        let text = words.join(" ");
        let spans = models().tag_text(&lang, &text).unwrap();
        let n = text.chars().count();
        proptest::prop_assert!(spans.iter().all(|s| s.start < s.end && s.end <= n));
        proptest::prop_assert!(spans.windows(2).all(|w| w[0].end <= w[1].start));
    }
}

#[test]
fn knowledge_base_people_and_organisations_join_the_gazetteer_in_their_language() {
    let mut m = NerModels::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("models/ner")).unwrap();
    // Invented names, in no model's training gazetteer.
    let kb = r#"{"id":"Q1","type":"PER","name":"Zorvath Quellin","labels":{"en":["Quellinova"],"ar":["زورفاثيان"]}}
{"id":"Q2","type":"ORG","name":"Brennick","labels":{"fr":["Brennickor"]}}
{"id":"Q3","type":"LOC","name":"Tarsk","labels":{"en":["Tarskovia"]}}"#;
    let entities = crate::entities::kb::parse_entities(&[crate::entities::KbSource::new("t.jsonl", kb)]).unwrap();
    let known = |m: &NerModels, lang: &str, w: &str| m.model(lang).unwrap().is_gazetteer_word(w);
    for (lang, word) in [("en", "Quellinova"), ("ar", "زورفاثيان"), ("fr", "Brennickor"), ("en", "Tarskovia")]
    {
        assert!(!known(&m, lang, word), "{word} already in the {lang} gazetteer");
    }
    m.add_kb_names(&entities);
    assert!(known(&m, "en", "Quellinova"));
    assert!(known(&m, "ar", "زورفاثيان"));
    assert!(known(&m, "fr", "Brennickor"));
    assert!(!known(&m, "ru", "Quellinova"), "a label goes only to its own language's model");
    assert!(!known(&m, "en", "Tarskovia"), "places keep the training sources' gazetteer");
}
