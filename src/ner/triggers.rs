//! Trigger words: titles, organisation and place heads that announce the class of a neighbouring name.
//!
//! Hand-written because no crate lists them; kept short and high-precision (the CRF learns how much each
//! one counts, and the context window carries them to the names around them).

use super::hash::hash_str;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// What a trigger word announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Trigger {
    /// A title or role placed next to a person's name.
    Person = 1,
    /// A word heading or closing an organisation's name.
    Org = 2,
    /// A word heading a place name.
    Loc = 3,
}

const PERSON: &[&str] = &[
    // Arabic (normalised: alef and teh marbuta folded).
    "الرئيس",
    "رئيس",
    "الملك",
    "الامير",
    "الشيخ",
    "السيد",
    "السيده",
    "الوزير",
    "وزير",
    "الدكتور",
    "د",
    "النائب",
    "المتحدث",
    "الجنرال",
    "العقيد",
    "اللواء",
    "الرئيسه",
    "المستشار",
    "قال",
    "صرح",
    "اكد",
    "الاستاذ",
    "البابا",
    // English.
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "president",
    "minister",
    "sir",
    "king",
    "queen",
    "prince",
    "senator",
    "gen.",
    "general",
    "chancellor",
    "pope",
    "said",
    "says",
    "ceo",
    "secretary",
    // French.
    "m.",
    "mme",
    "président",
    "présidente",
    "ministre",
    "général",
    "roi",
    "reine",
    "a",
    "déclaré",
    // Russian.
    "президент",
    "министр",
    "господин",
    "глава",
    "премьер",
    "губернатор",
    "мэр",
    "сказал",
    "заявил",
    "директор",
];

const ORG: &[&str] = &[
    "شركه",
    "وزاره",
    "حزب",
    "جامعه",
    "منظمه",
    "مجلس",
    "بنك",
    "وكاله",
    "هيئه",
    "حركه",
    "جمعيه",
    "اتحاد",
    "مؤسسه",
    "inc.",
    "inc",
    "corp.",
    "corp",
    "ltd",
    "ltd.",
    "llc",
    "co.",
    "party",
    "university",
    "company",
    "bank",
    "ministry",
    "council",
    "agency",
    "association",
    "union",
    "fc",
    "group",
    "société",
    "parti",
    "université",
    "banque",
    "ministère",
    "conseil",
    "sa",
    "компания",
    "партия",
    "министерство",
    "университет",
    "банк",
    "ооо",
    "оао",
    "зао",
    "пао",
    "агентство",
    "совет",
    "фонд",
    "союз",
];

const LOC: &[&str] = &[
    "مدينه",
    "محافظه",
    "ولايه",
    "جمهوريه",
    "دوله",
    "منطقه",
    "نهر",
    "جبل",
    "عاصمه",
    "شمال",
    "جنوب",
    "شرق",
    "غرب",
    "city",
    "river",
    "mount",
    "lake",
    "province",
    "county",
    "north",
    "south",
    "state",
    "ville",
    "rue",
    "fleuve",
    "город",
    "области",
    "область",
    "республика",
    "река",
    "улица",
    "страна",
    "районе",
    "край",
];

/// Trigger classes keyed by the hash of the normalised word, so the lookup reuses the word feature's hash.
pub fn table() -> &'static FxHashMap<u64, Trigger> {
    static TABLE: OnceLock<FxHashMap<u64, Trigger>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = FxHashMap::default();
        // Earlier lists win: a word in two lists keeps its first class.
        for (words, class) in [(LOC, Trigger::Loc), (ORG, Trigger::Org), (PERSON, Trigger::Person)] {
            for w in words {
                map.insert(hash_str(w), class);
            }
        }
        map
    })
}
