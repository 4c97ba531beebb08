//! Stage tests over the generated places plus a small test seed of people, organisations and lexicon words
//! (`tests/data/kb-seed/`), the linking test set and the shared Arabic fixture.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;

use super::eval::{parse_cases, run_link_eval};
use super::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository (as CI lays it out); `NEWS_ENRICHER_SHARED_DIR` overrides it for worktrees.
fn shared() -> PathBuf {
    std::env::var_os("NEWS_ENRICHER_SHARED_DIR").map_or_else(|| root().join("../shared"), PathBuf::from)
}

/// The shipped KB plus the test seed. The seed fills gaps only: it may extend an entity with the same id, but
/// a seed entity under another id whose canonical name the shipped KB has is left out, so curated data with a
/// different id is never doubled into ambiguity.
fn seed_input() -> KbInput {
    let seed = root().join("tests/data/kb-seed");
    let settings = EntitySettings { kb_dir: root().join("config/kb"), extra_kb_files: Vec::new() };
    let mut input = KbInput::read(&settings).unwrap();
    let shipped = kb::parse_entities(&input.entities).unwrap();
    let ids: std::collections::HashSet<&str> = shipped.iter().map(|e| e.id.as_str()).collect();
    let names: std::collections::HashSet<&str> = shipped.iter().map(|e| e.name.as_str()).collect();
    let fills_gap = |e: &kb::KbEntity| ids.contains(e.id.as_str()) || !names.contains(e.name.as_str());
    let mut seeds = Vec::new();
    for file in ["places.jsonl", "people.jsonl", "organizations.jsonl"] {
        let text = std::fs::read_to_string(seed.join(file)).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| kb::parse_entities(&[KbSource::new(file, *l)]).unwrap().iter().all(fills_gap))
            .collect();
        seeds.push(KbSource::new(file, kept.join("\n")));
    }
    input.entities.extend(seeds);
    let read = |f: &str| KbSource::new(f, std::fs::read_to_string(seed.join("lexicon").join(f)).unwrap());
    input.titles.push(read("titles.tsv"));
    input.demonyms.push(read("demonyms.tsv"));
    input
}

fn tagger() -> &'static EntityTagger {
    static TAGGER: OnceLock<EntityTagger> = OnceLock::new();
    TAGGER.get_or_init(|| EntityTagger::from_input(&seed_input()).unwrap())
}

fn links(tagged: &Tagged) -> Vec<(String, Option<String>)> {
    tagged.entities.iter().map(|e| (e.text.clone(), e.kb_id.clone())).collect()
}

fn pair(text: &str, id: &str) -> (String, Option<String>) {
    (text.to_owned(), Some(id.to_owned()))
}

#[test]
fn proclitic_is_outside_the_span() {
    let t = tagger().tag(None, "تعاون بين كوريا الشمالية وروسيا وبموسكو", "ar");
    assert_eq!(links(&t), vec![pair("كوريا الشمالية", "Q423"), pair("روسيا", "Q159"), pair("موسكو", "Q649")]);
    assert_eq!((t.entities[1].start, t.entities[1].end), (26, 31));
}

#[test]
fn later_surname_takes_the_full_names_id() {
    // A KB that lists Rutte only under his full name: the surname is linked by the document rule alone.
    let input = KbInput {
        entities: vec![KbSource::new(
            "one.jsonl",
            r#"{"id":"Q57792","type":"PER","name":"Mark Rutte","labels":{"en":["Mark Rutte"],"ar":["مارك روته"]}}"#,
        )],
        ..KbInput::default()
    };
    let one = EntityTagger::from_input(&input).unwrap();
    let t = one.tag(None, "قال مارك روته إن الحلف قوي. وأضاف روته أن الدعم مستمر.", "ar");
    assert_eq!(links(&t), vec![pair("مارك روته", "Q57792"), pair("روته", "Q57792")]);
    let t = one.tag(None, "Rutte said so. Later Mark Rutte and then Rutte left.", "en");
    assert_eq!(links(&t), vec![pair("Mark Rutte", "Q57792"), pair("Rutte", "Q57792")], "only after the full name");
}

#[test]
fn country_wins_over_its_namesake_capital_unless_context_says_otherwise() {
    let t = tagger().tag(None, "وصل الوفد إلى الجزائر ثم إلى الكويت.", "ar");
    assert_eq!(links(&t), vec![pair("الجزائر", "Q262"), pair("الكويت", "Q817")]);
}

#[test]
fn name_particles_do_not_carry_a_persons_id() {
    let input = KbInput {
        entities: vec![KbSource::new(
            "one.jsonl",
            r#"{"id":"test:a","type":"PER","name":"Abd al-Karim Haddad","labels":{"ar":["عبد الكريم حداد"]}}"#,
        )],
        ..KbInput::default()
    };
    let one = EntityTagger::from_input(&input).unwrap();
    let t = one.tag(None, "قال عبد الكريم حداد إن عبد الله وصل، وأكد حداد ذلك.", "ar");
    let got: Vec<&str> = t.entities.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(got, vec!["عبد الكريم حداد", "حداد"]);
}

#[test]
fn a_label_that_is_also_a_word_links_only_with_evidence() {
    // `مالي` is Mali and "financial". The shipped lexicon marks it; with no evidence it is no entity at all.
    let t = tagger().tag(None, "أعلنت الحكومة عن دعم مالي جديد، وقال الوزير إن العجز مالي بحت.", "ar");
    assert!(t.entities.is_empty(), "{:?}", links(&t));
    // A cue word before it (separate or glued as a proclitic) makes it the country.
    let t = tagger().tag(None, "وقال المتحدث إن الهجوم وقع في مالي، وإن الوفد وصل بمالي أمس، وفي مالي قال.", "ar");
    assert_eq!(links(&t), vec![pair("مالي", "Q912"), pair("مالي", "Q912"), pair("مالي", "Q912")]);
    // So does a place in it named elsewhere in the document; the financial reading stays out of the anchors.
    let t = tagger().tag(None, "وصل الوفد إلى باماكو. وأعلنت مالي دعما ماليا للمزارعين.", "ar");
    assert!(links(&t).contains(&pair("مالي", "Q912")), "{:?}", links(&t));
    let t = tagger().tag(None, "أقر البرلمان دعم مالي للمزارعين ودعم مالي آخر للصيادين.", "ar");
    assert!(t.entities.is_empty(), "{:?}", links(&t));
}

#[test]
fn ordinary_words_inside_full_names_are_not_partial_names() {
    // `علي` folds as the preposition `على`, `حتي` as `حتى` "until"; `الله`, a regnal ordinal and the honorific
    // `سعادة` close or open many names. None is a person alone.
    let input = KbInput {
        entities: vec![KbSource::new(
            "one.jsonl",
            concat!(
                r#"{"id":"test:k","type":"PER","name":"King Test II","labels":{"ar":["عبد الله الثاني"]}}"#,
                "\n",
                r#"{"id":"test:a","type":"PER","name":"Ali Test","labels":{"ar":["علي كرمانشاهي"]}}"#,
                "\n",
                r#"{"id":"test:h","type":"PER","name":"Hitti Test","labels":{"ar":["ناصيف حتي"]}}"#,
                "\n",
                r#"{"id":"test:s","type":"PER","name":"Saadeh Test","labels":{"ar":["سعادة الشامي"]}}"#,
            ),
        )],
        ..KbInput::default()
    };
    let one = EntityTagger::from_input(&input).unwrap();
    let text = "استقبل عبد الله الثاني وعلي كرمانشاهي الوفد. وأكد على أن الاجتماع الثاني سيعقد إن شاء الله، وقال كرمانشاهي ذلك. \
                ثم التقى ناصيف حتي وسعادة الشامي، وقال حتى الآن إن سعادة السفير وصل.";
    let t = one.tag(None, text, "ar");
    let got: Vec<&str> = t.entities.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(got, vec!["عبد الله الثاني", "علي كرمانشاهي", "كرمانشاهي", "ناصيف حتي", "سعادة الشامي"]);
}

#[test]
fn weak_surname_alias_needs_evidence() {
    // George Washington's surname alone is the capital unless the full name came first.
    let t = tagger().tag(None, "The talks in Washington ended.", "en");
    assert_eq!(links(&t), vec![pair("Washington", "Q61")]);
}

#[test]
fn title_and_demonym_mark_a_person() {
    let t = tagger().tag(None, "وقالت وزيرة الخارجية الكورية الشمالية تشوي سون هوي إن", "ar");
    let e = t.entities.iter().find(|e| e.text == "تشوي سون هوي").unwrap();
    assert_eq!(e.entity_type, EntityType::Person);
    assert_eq!(e.name, "Choe Son-hui");
}

#[test]
fn office_title_links_to_the_holder_on_the_articles_date_only() {
    let text = "وقال الرئيس الروسي إن الاتفاق تاريخي، وأكد الرئيس الروسي فلاديمير بوتين ذلك.";
    let dated = tagger().tag_dated(None, text, "ar", Some("2024-11-18T13:10:00+02:00"));
    assert_eq!(
        links(&dated),
        vec![pair("الرئيس الروسي", "Q7747"), pair("فلاديمير بوتين", "Q7747")],
        "the second title is followed by the name and left to it"
    );
    // In 2010 someone else held the office (the seed does not know who; a curated KB may); undated, nothing.
    let earlier = tagger().tag_dated(None, text, "ar", Some("2010-01-01"));
    assert!(earlier.entities.iter().all(|e| e.text != "الرئيس الروسي" || e.kb_id.as_deref() != Some("Q7747")));
    assert_eq!(links(&tagger().tag(None, text, "ar")), vec![pair("فلاديمير بوتين", "Q7747")]);
}

#[test]
fn case_must_match_for_cased_labels() {
    let t = tagger().tag(None, "Nice weather; it is nice in nice. Visit nato or NATO.", "en");
    assert_eq!(links(&t), vec![pair("NATO", "Q7184")]);
}

/// GeoNames lists ordinary words among cities' alternate names (`یوميا` "daily" for Umeå, `الباب` "the door"
/// for Al-Bab, `كبيرا` "big" read as Beira after a stripped proclitic); the KB build drops those it measures as words in running text.
#[test]
fn ordinary_words_listed_as_city_names_are_not_places() {
    let cases = [
        ("ar", "يرتفع عدد الزوار يوميا، وقد فتح الحارس الباب للزوار منذ الصباح.", "يوميا الباب"),
        ("ar", "وقال إن المشروع كان كبيرا وإن العمارة الجديدة ستكتمل، وإنه سيعود دوما إلى أهله.", "كبيرا العمارة دوما"),
        ("ar", "وقد فوجئ السكان بقرار سلطات المدينة بشأن سلالة جديدة من الفيروس.", "فوجئ سلطات سلالة"),
    ];
    let mut wrong = Vec::new();
    for (lang, text, words) in cases {
        let t = tagger().tag(None, text, lang);
        for word in words.split(' ') {
            let hits = t.entities.iter().filter(|e| e.text.contains(word) || word.contains(e.text.as_str()));
            wrong.extend(hits.map(|e| format!("{word} -> {} ({:?})", e.name, e.kb_id)));
        }
    }
    assert!(wrong.is_empty(), "ordinary words tagged: {wrong:?}");
    // Real names that are also in the labelled corpora's vocabulary stay: big places need strong evidence.
    let t = tagger().tag(None, "وصل الوفد إلى الموصل ثم توجه إلى مسقط ومنها إلى الطائف.", "ar");
    let names: Vec<&str> = t.entities.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Mosul", "Muscat", "Ta’if"]);
}

#[test]
fn russian_case_endings_are_part_of_the_mention() {
    let t = tagger().tag(None, "Встреча Путина и Лаврова в Москве.", "ru");
    let got: Vec<(&str, &str, bool)> =
        t.entities.iter().map(|e| (e.text.as_str(), e.name.as_str(), e.kb_id.is_some())).collect();
    assert_eq!(
        got,
        vec![("Путина", "Vladimir Putin", true), ("Лаврова", "Sergey Lavrov", true), ("Москве", "Moscow", true)]
    );
}

#[test]
fn title_entities_come_first_and_name_is_canonical() {
    let t = tagger().tag(Some("Путин в Москве"), "Putin visited Moscow.", "en");
    let fields: Vec<Field> = t.entities.iter().map(|e| e.field).collect();
    assert_eq!(fields, vec![Field::Title, Field::Title, Field::Text, Field::Text]);
    assert!(t.entities.iter().all(|e| e.name == "Vladimir Putin" || e.name == "Moscow"));
    assert_eq!(t.warnings, vec!["entities_kb_only".to_owned()]);
}

#[test]
fn tagger_spans_merge_and_take_partial_names() {
    let text = "Ivan Petrovsky met Putin. Later Petrovsky left.";
    let spans = [
        TaggerSpan { start: 0, end: 14, entity_type: EntityType::Person },
        TaggerSpan { start: 19, end: 26, entity_type: EntityType::Organization },
    ];
    let t = tagger().tag_with_spans(None, text, "en", None, &[], &spans);
    let got: Vec<(&str, EntityType, Option<&str>)> =
        t.entities.iter().map(|e| (e.text.as_str(), e.entity_type, e.kb_id.as_deref())).collect();
    assert_eq!(
        got,
        vec![("Ivan Petrovsky", EntityType::Person, None), ("Putin", EntityType::Person, Some("Q7747")),],
        "unknown people are not propagated without a KB id"
    );
}

#[test]
fn extra_kb_file_overrides_and_adds_without_rebuild() {
    let mut input = seed_input();
    input.entities.push(KbSource::new(
        "user.jsonl",
        r#"{"id":"Q99999999","type":"ORG","name":"Acme Widgets","labels":{"en":["Acme Widgets"]}}"#,
    ));
    let t = EntityTagger::from_input(&input).unwrap();
    assert_ne!(t.kb_version(), tagger().kb_version());
    assert_eq!(links(&t.tag(None, "Shares of Acme Widgets rose.", "en")), vec![pair("Acme Widgets", "Q99999999")]);
}

#[test]
fn settings_reject_unknown_keys_and_default_to_config_kb() {
    let s: EntitySettings = serde_json::from_str("{}").unwrap();
    assert_eq!(s.kb_dir, Path::new("config/kb"));
    assert!(serde_json::from_str::<EntitySettings>(r#"{"kb_dri":"x"}"#).is_err());
    let missing = EntitySettings { kb_dir: root().join("no/such/dir"), extra_kb_files: Vec::new() };
    assert!(matches!(EntityTagger::new(&missing), Err(EntityError::Io { .. })));
}

#[test]
fn linking_test_set_precision_and_recall() {
    let text = std::fs::read_to_string(root().join("tests/data/linking.jsonl")).unwrap();
    let cases = parse_cases(&text).unwrap();
    let eval = run_link_eval(tagger(), &cases);
    // Floors just under what this version measures (1.000/1.000): precision is what dashboards rely on.
    assert!(eval.precision() >= 0.98, "precision {:.3}", eval.precision());
    assert!(eval.recall() >= 0.97, "recall {:.3}", eval.recall());
}

#[test]
fn holdout_linking_set_precision_and_recall() {
    let text = std::fs::read_to_string(root().join("tests/data/linking-holdout.jsonl")).unwrap();
    let eval = run_link_eval(tagger(), &parse_cases(&text).unwrap());
    // Measured 0.978/0.957 with this version's KB and the test seed.
    assert!(eval.precision() >= 0.95, "precision {:.3}", eval.precision());
    assert!(eval.recall() >= 0.93, "recall {:.3}", eval.recall());
}

#[test]
fn shared_arabic_fixture_is_tagged_and_linked() {
    let path = shared().join("fixtures/article-ar-north-korea-russia.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not present", path.display());
        return;
    };
    let t = tagger().tag(None, &text, "ar");
    let ids: Vec<&str> = t.entities.iter().filter_map(|e| e.kb_id.as_deref()).collect();
    for id in [
        "Q7747", "Q56226", "Q57792", "Q159", "Q423", "Q884", "Q212", "Q649", "Q18808", "Q1899", "Q8684", "Q61",
        "Q3178", "Q7184", "Q11209", "Q183475", "Q58217",
    ] {
        assert!(ids.contains(&id), "{id} not linked");
    }
    for name in ["Bloomberg", "Russia-1", "Choe Son-hui", "Sergey Lavrov"] {
        assert!(t.entities.iter().any(|e| e.name == name), "{name} not tagged");
    }
    // Every mention of Pyongyang, in both spellings, is one entity.
    let pyongyang = t.entities.iter().filter(|e| e.text.contains("يانج") || e.text.contains("يانغ"));
    assert!(pyongyang.clone().count() >= 10 && pyongyang.clone().all(|e| e.kb_id.as_deref() == Some("Q18808")));
    check_spans(&t, None, &text);
}

fn check_spans(t: &Tagged, title: Option<&str>, text: &str) {
    let mut prev: Option<(Field, usize)> = None;
    for e in &t.entities {
        let field = if e.field == Field::Title { title.unwrap_or_default() } else { text };
        let chars: Vec<char> = field.chars().collect();
        assert!(e.start < e.end && e.end <= chars.len(), "{e:?}");
        assert_eq!(chars[e.start..e.end].iter().collect::<String>(), e.text);
        if let Some((f, end)) = prev {
            assert!(f < e.field || (f == e.field && end <= e.start), "unsorted or overlapping at {e:?}");
        }
        prev = Some((e.field, e.end));
    }
}

fn text_strategy() -> impl Strategy<Value = String> {
    // Names, clitics, marks, case-changing letters and separators, glued in any order.
    const PIECES: &str =
        "بوتين|وروسيا|بيونغ يانغ|للناتو|الرئيس الروسي|فلاديمير بوتين|ـ|\u{64E}|\u{64B}|كييف|Putin|Mark Rutte|\
        Rutte|Москве|普京|莫斯科|NATO| |\n\n|.|-|'|ما|كان|x|é|İ|ß|١٢|Ё|لل|و|Washington|George Washington";
    let pieces: Vec<&'static str> = PIECES.split('|').collect();
    prop::collection::vec(prop::sample::select(pieces), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn spans_are_sorted_inside_and_equal_their_text(title in prop::option::of(text_strategy()), text in text_strategy()) {
        let t = tagger().tag(title.as_deref(), &text, "ar");
        check_spans(&t, title.as_deref(), &text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]
    #[test]
    fn merged_tagger_spans_keep_the_span_invariants(
        text in text_strategy(),
        raw in prop::collection::vec((0usize..200, 1usize..20, 0u8..4), 0..8),
    ) {
        let types = [EntityType::Person, EntityType::Organization, EntityType::Location, EntityType::Misc];
        let len = text.chars().count();
        let spans: Vec<TaggerSpan> = raw
            .iter()
            .map(|&(s, l, t)| TaggerSpan { start: s.min(len), end: (s + l).min(len + 1), entity_type: types[t as usize] })
            .collect();
        let t = tagger().tag_with_spans(None, &text, "ar", Some("2024-11-18"), &[], &spans);
        check_spans(&t, None, &text);
    }
}
