//! The decision: fastText's 176-language opinion, combined with lingua's over the expected languages when
//! fastText is unsure, without pulling texts in other languages into the expected list.

use super::models::Scored;
use super::prepare::Sample;
use super::{neighbours, writes};

/// The rules that combine the models, from the settings.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Expected languages as record codes.
    pub expected: Vec<String>,
    /// fastText top probability from which lingua is not asked.
    pub fasttext_threshold: f32,
    /// An unlisted fastText winner stands when its probability is at least this times the expected languages'.
    pub unlisted_ratio: f32,
    /// Exponent on fastText's probabilities where they are combined with lingua's.
    pub fasttext_weight: f32,
    /// Combined confidence under which the answer is `und`, for texts of more than [`SHORT_TEXT_CHARS`].
    pub undetermined_below: f32,
    /// The same for short texts, where both models are less sure of languages they know.
    pub undetermined_below_short: f32,
    /// How many characters lingua reads at most.
    pub lingua_max_chars: usize,
    /// lingua's confidences on longer texts are tempered to the evidence of this many characters (0: never).
    pub lingua_reference_chars: usize,
}

/// What the stage concludes before codes and script are attached.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Record code of the language.
    pub code: String,
    /// Confidence, 0 to 1.
    pub confidence: f32,
    /// Other candidates, most likely first, at most [`MAX_ALTERNATIVES`].
    pub alternatives: Vec<Scored>,
}

/// Alternatives the record carries.
pub const MAX_ALTERNATIVES: usize = 3;

/// Two candidates this close are tied, and a language hint from the producer may pick between them.
const TIE_MARGIN: f32 = 0.05;

/// Texts up to this many characters are short (a headline): both models are less sure of them.
pub const SHORT_TEXT_CHARS: usize = 40;

/// What an expected language fastText gives no probability keeps in the combination, so that lingua can still
/// name it (fastText's top ten leave out languages it finds unlikely, not impossible).
const FASTTEXT_FLOOR: f32 = 1e-3;

impl Policy {
    fn is_expected(&self, code: &str) -> bool {
        self.expected.iter().any(|c| c == code)
    }

    /// Decides from fastText's ranked candidates; `lingua` is called only when fastText is unsure and an expected
    /// language is plausible; `hint` breaks ties. `None` when fastText gave nothing.
    pub fn decide(
        &self,
        fasttext: &[Scored],
        sample: &Sample,
        hint: Option<&str>,
        lingua: impl FnOnce() -> Vec<Scored>,
    ) -> Option<Decision> {
        let first = fasttext.first()?;
        let script = sample.profile.code;
        // Hangul is written by Korean alone, and kana by Japanese alone: no model should be able to outvote the
        // script (fastText sometimes calls a short kanji-and-kana headline Chinese).
        if let Some(code) = script_language(script) {
            let p = fasttext.iter().find(|s| s.code == code).map_or(0.0, |s| s.p);
            return Some(decision(code.to_owned(), p.max(sample.profile.dominance()), fasttext.iter().cloned()));
        }
        // Languages the text's script rules out leave the race; if fastText named none that fits, its own
        // ranking stands (the script table does not know every orthography).
        let fitting: Vec<Scored> = fasttext.iter().filter(|s| writes::writes_in(&s.code, script)).cloned().collect();
        let ranked = if fitting.is_empty() { fasttext.to_vec() } else { fitting };
        let top = ranked.first().unwrap_or(first);
        if script == "Deva" && top.code != "hi" && self.is_expected("hi") && neighbours::reads_as_hindi(&sample.text) {
            let pair: f32 = ranked.iter().filter(|s| s.code == "hi" || s.code == top.code).map(|s| s.p).sum();
            return Some(apply_hint(decision("hi".to_owned(), pair, ranked.iter().cloned()), hint));
        }
        if top.p >= self.fasttext_threshold || self.expected.len() < 2 {
            return Some(apply_hint(decision(top.code.clone(), top.p, ranked.iter().cloned()), hint));
        }
        let mass: f32 = ranked.iter().map(|s| s.p).sum();
        let expected_mass: f32 = ranked.iter().filter(|s| self.is_expected(&s.code)).map(|s| s.p).sum();
        // A text fastText places outside the list is left there unless the list holds comparable weight: lingua
        // only knows the expected languages and would force any text into one of them.
        if !self.is_expected(&top.code) && top.p >= self.unlisted_ratio * expected_mass {
            return Some(apply_hint(decision(top.code.clone(), top.p, ranked.iter().cloned()), hint));
        }
        let read = sample.text.chars().count().min(self.lingua_max_chars);
        let refined = temper(lingua(), read, self.lingua_reference_chars);
        if refined.is_empty() {
            return Some(apply_hint(decision(top.code.clone(), top.p, ranked.iter().cloned()), hint));
        }
        let combined = self.combine(&ranked, expected_mass, &refined);
        // P(language) = P(an expected language) x P(this one | expected): fastText supplies the first factor
        // (its mass on the list), the combination the second.
        let listed = if mass > 0.0 { (expected_mass / mass).clamp(0.0, 1.0) } else { 0.0 };
        let best = combined.first()?;
        let others = combined
            .iter()
            .map(|s| Scored { code: s.code.clone(), p: s.p * listed })
            .chain(ranked.iter().filter(|s| !self.is_expected(&s.code)).cloned());
        let chosen = apply_hint(decision(best.code.clone(), best.p * listed, others), hint);
        // Texts in languages neither model knows score low on the list everywhere; naming one of the expected
        // languages for them would be a guess.
        let floor = if sample.text.chars().count() <= SHORT_TEXT_CHARS {
            self.undetermined_below_short
        } else {
            self.undetermined_below
        };
        Some(if chosen.confidence < floor { undetermined(chosen) } else { chosen })
    }

    /// fastText's and lingua's opinions on the expected languages as one distribution, most likely first:
    /// lingua's confidence times fastText's probability (within the list) raised to `fasttext_weight`. lingua is
    /// the better judge of short texts but errs where fastText is sure (Spanish against Portuguese, Russian
    /// against Ukrainian); a product lets each overrule the other only when it is the surer one.
    fn combine(&self, fasttext: &[Scored], expected_mass: f32, lingua: &[Scored]) -> Vec<Scored> {
        let within = |code: &str| {
            let p = fasttext.iter().find(|s| s.code == code).map_or(0.0, |s| s.p);
            if expected_mass > 0.0 {
                p / expected_mass
            } else {
                0.0
            }
        };
        let mut combined: Vec<Scored> = lingua
            .iter()
            .map(|l| Scored {
                code: l.code.clone(),
                p: (within(&l.code) + FASTTEXT_FLOOR).powf(self.fasttext_weight) * l.p,
            })
            .collect();
        let total: f32 = combined.iter().map(|s| s.p).sum();
        if total > 0.0 {
            combined.iter_mut().for_each(|s| s.p /= total);
        }
        combined.sort_by(|a, b| b.p.total_cmp(&a.p));
        combined
    }
}

/// lingua's confidences as if it had read `reference` characters of a text of `chars`: each language's log
/// confidence scaled by `reference / chars`.
///
/// lingua sums the log-probabilities of every n-gram, so the gap between two languages grows with the length of
/// the text even when each character says little: on 150 characters it is certain (1.0 against 1e-6) of one of
/// the expected languages whatever the text is in, Spanish with its accents lost read as Portuguese, a sentence
/// in Xhosa read as Indonesian. Scaled to a fixed length its confidence means the same at every length, so the
/// product with fastText and the `und` floors do too. Shorter texts are left as they are.
pub fn temper(confidences: Vec<Scored>, chars: usize, reference: usize) -> Vec<Scored> {
    if reference == 0 || chars <= reference {
        return confidences;
    }
    let scale = reference as f32 / chars as f32;
    let positive = confidences.into_iter().filter(|s| s.p > 0.0);
    let logs: Vec<(String, f32)> = positive.map(|s| (s.code, s.p.ln())).collect();
    // Relative to the largest, so that the exponentials neither overflow nor all vanish.
    let max = logs.iter().map(|(_, l)| *l).fold(f32::NEG_INFINITY, f32::max);
    let mut tempered: Vec<Scored> =
        logs.into_iter().map(|(code, l)| Scored { code, p: ((l - max) * scale).exp() }).collect();
    let total: f32 = tempered.iter().map(|s| s.p).sum();
    tempered.iter_mut().for_each(|s| s.p /= total);
    tempered.sort_by(|a, b| b.p.total_cmp(&a.p));
    tempered
}

/// Lets a producer's language hint choose between candidates that are tied.
fn apply_hint(mut decision: Decision, hint: Option<&str>) -> Decision {
    let Some(hint) = hint else { return decision };
    if decision.code == hint {
        return decision;
    }
    let tied = decision.alternatives.iter().position(|a| a.code == hint && decision.confidence - a.p <= TIE_MARGIN);
    if let Some(index) = tied {
        let chosen = decision.alternatives.remove(index);
        let previous = Scored { code: std::mem::replace(&mut decision.code, chosen.code), p: decision.confidence };
        decision.confidence = chosen.p;
        decision.alternatives.insert(0, previous);
    }
    decision
}

/// Demotes a decision too weak to stand: `und`, with the guess first among the alternatives.
fn undetermined(decision: Decision) -> Decision {
    let guess = Scored { code: decision.code, p: decision.confidence };
    let mut alternatives = decision.alternatives;
    alternatives.insert(0, guess);
    alternatives.truncate(MAX_ALTERNATIVES);
    Decision { code: "und".to_owned(), confidence: decision.confidence, alternatives }
}

fn script_language(script: &str) -> Option<&'static str> {
    match script {
        "Kore" => Some("ko"),
        "Jpan" => Some("ja"),
        _ => None,
    }
}

fn decision(code: String, confidence: f32, candidates: impl Iterator<Item = Scored>) -> Decision {
    let mut alternatives: Vec<Scored> = Vec::with_capacity(MAX_ALTERNATIVES + 1);
    for candidate in candidates {
        if candidate.code == code || alternatives.iter().any(|a| a.code == candidate.code) {
            continue;
        }
        alternatives.push(Scored { code: candidate.code, p: candidate.p.clamp(0.0, 1.0) });
    }
    alternatives.sort_by(|a, b| b.p.total_cmp(&a.p));
    alternatives.retain(|a| a.p > 0.0);
    alternatives.truncate(MAX_ALTERNATIVES);
    Decision { code, confidence: confidence.clamp(0.0, 1.0), alternatives }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::script;

    fn scored(pairs: &[(&str, f32)]) -> Vec<Scored> {
        pairs.iter().map(|(c, p)| Scored { code: (*c).into(), p: *p }).collect()
    }

    fn sample(text: &str) -> Sample {
        Sample { text: text.to_owned(), profile: script::profile(text) }
    }

    fn policy() -> Policy {
        Policy {
            expected: ["es", "pt", "en", "id", "zh", "hi"].iter().map(|c| (*c).to_owned()).collect(),
            fasttext_threshold: 0.9,
            unlisted_ratio: 1.0,
            fasttext_weight: 0.3,
            undetermined_below: 0.3,
            undetermined_below_short: 0.2,
            lingua_max_chars: 400,
            lingua_reference_chars: 0,
        }
    }

    #[test]
    fn lingua_is_tempered_to_the_reference_length() {
        let sure = scored(&[("pt", 0.999_9), ("es", 1e-4)]);
        // Up to the reference length nothing changes; at four times it, the log-odds are a quarter.
        assert_eq!(temper(sure.clone(), 30, 30), sure);
        assert_eq!(temper(sure.clone(), 120, 0), sure);
        let t = temper(sure, 120, 30);
        assert_eq!(t[0].code, "pt");
        let odds = (t[0].p / t[1].p).ln();
        assert!((odds - (0.999_9f32 / 1e-4).ln() / 4.0).abs() < 1e-3, "{t:?}");
        assert!((t[0].p + t[1].p - 1.0).abs() < 1e-6);
        // Zeros drop out instead of turning into NaN.
        let t = temper(scored(&[("en", 1.0), ("fr", 0.0)]), 100, 30);
        assert_eq!(t, scored(&[("en", 1.0)]));
    }

    #[test]
    fn a_tempered_lingua_no_longer_outvotes_a_sure_fasttext_on_long_text() {
        let text = "el alcalde habló ayer con los vecinos del barrio sobre las obras de la plaza mayor y el mercado";
        let ft = scored(&[("es", 0.85), ("pt", 0.05), ("gl", 0.05)]);
        let lingua = || scored(&[("pt", 0.9), ("es", 0.1)]);
        let untempered = policy().decide(&ft, &sample(text), None, lingua).unwrap();
        assert_eq!(untempered.code, "pt");
        let tempered = Policy { lingua_reference_chars: 30, ..policy() };
        assert_eq!(tempered.decide(&ft, &sample(text), None, lingua).unwrap().code, "es");
    }

    #[test]
    fn confident_fasttext_stands_without_lingua() {
        let ft = scored(&[("es", 0.97), ("gl", 0.02)]);
        let d = policy().decide(&ft, &sample("hola"), None, || panic!("lingua asked")).unwrap();
        assert_eq!(d.code, "es");
        assert_eq!(d.alternatives, scored(&[("gl", 0.02)]));
    }

    #[test]
    fn unsure_fasttext_is_combined_with_lingua_within_the_list() {
        let ft = scored(&[("gl", 0.4), ("es", 0.35), ("pt", 0.2)]);
        let d = policy().decide(&ft, &sample("hola"), None, || scored(&[("es", 0.8), ("pt", 0.2)])).unwrap();
        assert_eq!(d.code, "es");
        // Within the list fastText says es 0.35/0.55, pt 0.2/0.55; lingua 0.8 and 0.2; the product, normalised,
        // times fastText's share on the list (0.55 of 0.95).
        let es = (0.35f32 / 0.55 + FASTTEXT_FLOOR).powf(0.3) * 0.8;
        let pt = (0.2f32 / 0.55 + FASTTEXT_FLOOR).powf(0.3) * 0.2;
        assert!((d.confidence - es / (es + pt) * 0.55 / 0.95).abs() < 1e-4, "{d:?}");
        assert_eq!(d.alternatives[0].code, "gl");
    }

    #[test]
    fn a_sure_fasttext_outweighs_a_hesitant_lingua() {
        // lingua leans to Portuguese by a little, fastText to Spanish by a lot: the product follows fastText.
        let ft = scored(&[("es", 0.85), ("pt", 0.03), ("gl", 0.05)]);
        let d = policy()
            .decide(&ft, &sample("el alcalde habló con los vecinos"), None, || scored(&[("pt", 0.52), ("es", 0.48)]));
        assert_eq!(d.unwrap().code, "es");
    }

    #[test]
    fn an_unlisted_language_is_not_forced_into_the_list() {
        let ft = scored(&[("sv", 0.6), ("da", 0.2), ("en", 0.1)]);
        let d = policy().decide(&ft, &sample("hej"), None, || panic!("lingua asked")).unwrap();
        assert_eq!(d.code, "sv");
        assert!((d.confidence - 0.6).abs() < 1e-6);
    }

    #[test]
    fn little_weight_on_the_list_is_undetermined() {
        let ft = scored(&[("en", 0.05), ("sw", 0.07), ("so", 0.06), ("yo", 0.05)]);
        let d = policy().decide(&ft, &sample("Umntwana uyadlala ngaphandle kwendlu yakhe"), None, || {
            scored(&[("en", 0.4), ("id", 0.35), ("es", 0.25)])
        });
        let d = d.unwrap();
        assert_eq!(d.code, "und", "{d:?}");
        assert_eq!(d.alternatives[0].code, "en");
    }

    #[test]
    fn the_script_settles_korean_and_japanese() {
        let ft = scored(&[("zh", 0.5), ("ko", 0.3)]);
        let d = policy().decide(&ft, &sample("정부 발표"), None, Vec::new).unwrap();
        assert_eq!(d.code, "ko");
    }

    #[test]
    fn languages_the_script_rules_out_cannot_win() {
        // A short Chinese sentence scored as Serbian and Japanese (no kana: not Japanese).
        let ft = scored(&[("sr", 0.6), ("ja", 0.3), ("zh", 0.05), ("wuu", 0.03)]);
        let d = policy().decide(&ft, &sample("医生今天给病人做了检查"), None, || scored(&[("zh", 1.0)])).unwrap();
        assert_eq!(d.code, "zh");
        assert!(d.alternatives.iter().all(|a| a.code != "sr" && a.code != "ja"), "{d:?}");
    }

    #[test]
    fn hindi_function_words_overrule_a_marathi_guess() {
        let ft = scored(&[("mr", 0.95), ("hi", 0.03)]);
        let d = policy().decide(&ft, &sample("मैं आज बाजार नहीं गया था"), None, || panic!("lingua asked"));
        assert_eq!(d.unwrap().code, "hi");
        let d = policy().decide(&ft, &sample("मी घरी जात आहे"), None, || panic!("lingua asked"));
        assert_eq!(d.unwrap().code, "mr");
    }

    #[test]
    fn a_hint_breaks_ties_only() {
        let d = Decision { code: "id".into(), confidence: 0.5, alternatives: scored(&[("ms", 0.47), ("jv", 0.02)]) };
        let tied = apply_hint(d.clone(), Some("ms"));
        assert_eq!((tied.code.as_str(), tied.alternatives[0].code.as_str()), ("ms", "id"));
        assert_eq!(apply_hint(d.clone(), Some("jv")), d);
        assert_eq!(apply_hint(d.clone(), None), d);
    }
}
