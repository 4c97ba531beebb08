//! Script detection: the ISO 15924 writing system of a text, judged from its letters alone.
//!
//! Hand-written over `unicode-script` (which gives each character's Script property): no crate decides the
//! script of a whole text, and the rules here (Japanese and Korean mixing Han, simplified vs traditional Han,
//! weighting) are specific to language identification.

use unicode_script::{Script, UnicodeScript};

/// How many letters of each writing system a text holds, and which one dominates.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptProfile {
    /// ISO 15924 code of the text's writing system (`Latn`, `Arab`, `Jpan`, `Kore`, `Hans`, ...); `Zyyy` when
    /// the text has no letters.
    pub code: &'static str,
    /// Weighted letter count of the dominant writing system.
    pub dominant: f32,
    /// Weighted letter count over all writing systems.
    pub total: f32,
    /// Weighted count of Latin letters, which boilerplate, URLs and names bring into any article.
    pub latin: f32,
    /// In a text where Latin dominates, the strongest other writing system and its weighted letter count: the
    /// content script of a short text whose Latin letters are share buttons, names or a journal title.
    pub minority: Option<(&'static str, f32)>,
}

impl ScriptProfile {
    /// Whether the text has no letter at all (digits, punctuation, symbols, emoji only).
    pub fn is_empty(&self) -> bool {
        self.total == 0.0
    }

    /// Share of letters in the dominant writing system, 0 to 1.
    pub fn dominance(&self) -> f32 {
        if self.total == 0.0 {
            0.0
        } else {
            self.dominant / self.total
        }
    }

    /// Whether the text is written in a script other than Latin, so Latin runs are quotes, names or furniture.
    pub fn non_latin_dominant(&self) -> bool {
        !self.is_empty() && self.code != "Latn"
    }

    /// The profile of the same text read as written in its minority script (Latin runs dropped), when that
    /// script holds at least `min_share` of the letters.
    pub fn minority_as_content(&self, min_share: f32) -> Option<ScriptProfile> {
        let (code, count) = self.minority?;
        (self.code == "Latn" && count >= min_share * self.total).then_some(ScriptProfile {
            code,
            dominant: count,
            total: self.total - self.latin,
            latin: 0.0,
            minority: None,
        })
    }
}

/// Counts letters per writing system and picks the text's own: the one with most letters, except that a
/// non-Latin script holding [`CONTENT_SHARE`] of them wins over Latin.
///
/// A Han, kana or Hangul character carries about as much text as three Latin or Arabic letters (news in Chinese
/// runs about a third as many characters as its English translation has letters), so CJK characters weigh
/// [`CJK_WEIGHT`]: a Chinese article followed by an English cookie notice of the same length still counts as
/// Chinese.
pub fn profile(text: &str) -> ScriptProfile {
    let mut counts = Counts::default();
    for c in text.chars() {
        if !crate::charclass::is_alphabetic(c) {
            continue;
        }
        match c.script() {
            Script::Han => {
                counts.han += 1.0;
                counts.simplified += i32::from(is_simplified_only(c));
                counts.traditional += i32::from(is_traditional_only(c));
            }
            Script::Hiragana | Script::Katakana => counts.kana += 1.0,
            Script::Hangul => counts.hangul += 1.0,
            // Common and Inherited letters (a few marks, the prolonged-sound mark) belong to no writing system.
            Script::Common | Script::Inherited | Script::Unknown => {}
            script => counts.add(script),
        }
    }
    counts.finish()
}

/// Weight of one CJK character against one alphabetic letter.
const CJK_WEIGHT: f32 = 3.0;

/// Share of (weighted) letters from which a non-Latin script is the text's own even when Latin letters are more.
const CONTENT_SHARE: f32 = 0.3;

#[derive(Default)]
struct Counts {
    han: f32,
    kana: f32,
    hangul: f32,
    simplified: i32,
    traditional: i32,
    /// Other scripts, few per text: a short vector beats a map.
    other: Vec<(Script, f32)>,
}

impl Counts {
    fn add(&mut self, script: Script) {
        match self.other.iter_mut().find(|(s, _)| *s == script) {
            Some((_, n)) => *n += 1.0,
            None => self.other.push((script, 1.0)),
        }
    }

    fn finish(self) -> ScriptProfile {
        let cjk = (self.han + self.kana + self.hangul) * CJK_WEIGHT;
        let latin = self.other.iter().find(|(s, _)| *s == Script::Latin).map_or(0.0, |(_, n)| *n);
        let total = cjk + self.other.iter().map(|(_, n)| n).sum::<f32>();
        let mut systems: Vec<(&'static str, f32)> = self.other.iter().map(|(s, n)| (iso15924(*s), *n)).collect();
        if cjk > 0.0 {
            systems.push((self.cjk_code(), cjk));
        }
        let best_other = systems.iter().copied().filter(|(code, _)| *code != "Latn").max_by(|a, b| a.1.total_cmp(&b.1));
        let (code, dominant, minority) = match best_other {
            // Latin is what page furniture, URLs, brands and code are written in, on pages in every language; a
            // text with a sizeable share in another script is a text in that script with Latin around it.
            Some((code, n)) if n >= latin || n >= CONTENT_SHARE * total => (code, n, None),
            _ if latin > 0.0 => ("Latn", latin, best_other),
            _ => ("Zyyy", 0.0, None),
        };
        ScriptProfile { code, dominant, total, latin, minority }
    }

    /// Japanese mixes kana into Han and Korean mixes Hangul with the odd Han character; a tenth of the CJK
    /// characters is far above what a Chinese text quoting a Japanese or Korean name holds.
    fn cjk_code(&self) -> &'static str {
        let cjk = self.han + self.kana + self.hangul;
        if self.hangul * 10.0 >= cjk && self.hangul >= self.kana {
            "Kore"
        } else if self.kana * 10.0 >= cjk {
            "Jpan"
        } else if self.simplified > self.traditional {
            "Hans"
        } else if self.traditional > self.simplified {
            "Hant"
        } else {
            "Hani"
        }
    }
}

fn iso15924(script: Script) -> &'static str {
    script.short_name()
}

/// Frequent characters that exist only in simplified Chinese, paired by position with their traditional forms
/// below. A few dozen of the most frequent differing characters decide any sentence of news prose; a full
/// conversion table (thousands of pairs) would add nothing to a yes/no between two variants.
const SIMPLIFIED: &str =
    "这个们说为国会时来对发后经过还进动学问长开关东车门见现两实应与业务机区记报电马华亚书产岁万无从样种总头\
    们级线员义间问题设边该让给没观认论应结统状质议";
const TRADITIONAL: &str =
    "這個們說為國會時來對發後經過還進動學問長開關東車門見現兩實應與業務機區記報電馬華亞書產歲萬無從樣種總頭\
    們級線員義間問題設邊該讓給沒觀認論應結統狀質議";

fn is_simplified_only(c: char) -> bool {
    SIMPLIFIED.contains(c) && !TRADITIONAL.contains(c)
}

fn is_traditional_only(c: char) -> bool {
    TRADITIONAL.contains(c) && !SIMPLIFIED.contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_script_of_the_majority_of_letters() {
        assert_eq!(profile("Breaking news from the capital").code, "Latn");
        assert_eq!(profile("Новости дня: правительство приняло решение").code, "Cyrl");
        assert_eq!(profile("الحكومة تعلن عن خطة جديدة").code, "Arab");
        assert_eq!(profile("הממשלה אישרה את התקציב").code, "Hebr");
        assert_eq!(profile("सरकार ने नई योजना की घोषणा की").code, "Deva");
        assert_eq!(profile("Η κυβέρνηση ανακοίνωσε νέο σχέδιο").code, "Grek");
        assert_eq!(profile("รัฐบาลประกาศแผนใหม่").code, "Thai");
    }

    #[test]
    fn tells_apart_the_han_writing_systems() {
        assert_eq!(profile("政府宣布了新的经济计划，这个计划将在明年实施").code, "Hans");
        assert_eq!(profile("政府宣布了新的經濟計劃，這個計劃將在明年實施").code, "Hant");
        assert_eq!(profile("政府は新しい経済計画を発表した").code, "Jpan");
        assert_eq!(profile("정부는 새로운 경제 계획을 발표했다").code, "Kore");
        assert_eq!(profile("中文").code, "Hani");
    }

    #[test]
    fn text_without_letters_has_no_script() {
        for text in ["", "2024-11-18 13:10", "+1 (555) 010-0199", "!!! ... ???", "😀🎉", "١٢٣ ٤٥٦"] {
            let p = profile(text);
            assert!(p.is_empty(), "{text:?}");
            assert_eq!(p.code, "Zyyy", "{text:?}");
        }
    }

    #[test]
    fn a_sizeable_non_latin_share_wins_over_latin_furniture() {
        let text = "Home | News | Sports | Latest Headlines from the Region | Contact us وزير الخارجية يزور القاهرة";
        assert_eq!(profile(text).code, "Arab");
        assert_eq!(profile("The word سلام means peace and is used as a greeting across the region").code, "Latn");
    }

    #[test]
    fn a_latin_text_remembers_its_strongest_other_script() {
        let p = profile("Share on Facebook Share on Twitter Read more הממשלה אישרה");
        assert_eq!(p.code, "Latn");
        assert_eq!(p.minority, Some(("Hebr", 11.0)));
        let content = p.minority_as_content(0.1).unwrap();
        assert_eq!((content.code, content.dominance()), ("Hebr", 1.0));
        assert!(p.minority_as_content(0.5).is_none());
        assert_eq!(profile("Breaking news from the capital").minority, None);
        assert!(profile("الحكومة تعلن عن خطة جديدة").minority_as_content(0.0).is_none());
    }

    #[test]
    fn latin_furniture_does_not_outweigh_an_arabic_body() {
        let text = "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل في العاصمة Share on Facebook Twitter";
        let p = profile(text);
        assert_eq!(p.code, "Arab");
        assert!(p.non_latin_dominant());
    }
}
