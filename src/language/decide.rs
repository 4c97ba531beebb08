//! The decision: fastText's 176-language opinion, settled by lingua over the expected languages when fastText
//! is unsure, without pulling texts in other languages into the expected list.

use super::models::Scored;
use super::script::ScriptProfile;

/// The rules that combine the models, from the settings.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Expected languages as record codes.
    pub expected: Vec<String>,
    /// fastText top probability from which lingua is not asked.
    pub fasttext_threshold: f32,
    /// An unlisted fastText winner stands when its probability is at least this times the expected languages'.
    pub unlisted_ratio: f32,
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

impl Policy {
    fn is_expected(&self, code: &str) -> bool {
        self.expected.iter().any(|c| c == code)
    }

    /// Decides from fastText's ranked candidates; `lingua` is called only when fastText is unsure and an expected
    /// language is plausible. `None` when fastText gave nothing.
    pub fn decide(
        &self,
        fasttext: &[Scored],
        profile: &ScriptProfile,
        lingua: impl FnOnce() -> Vec<Scored>,
    ) -> Option<Decision> {
        let top = fasttext.first()?;
        // Hangul is written by Korean alone, and kana by Japanese alone: no model should be able to outvote the
        // script (fastText sometimes calls a short kanji-and-kana headline Chinese).
        if let Some(code) = script_language(profile.code) {
            let p = fasttext.iter().find(|s| s.code == code).map_or(0.0, |s| s.p);
            return Some(decision(code.to_owned(), p.max(profile.dominance()), fasttext.iter().cloned()));
        }
        if top.p >= self.fasttext_threshold || self.expected.len() < 2 {
            return Some(decision(top.code.clone(), top.p, fasttext.iter().cloned()));
        }
        let mass: f32 = fasttext.iter().map(|s| s.p).sum();
        let expected_mass: f32 = fasttext.iter().filter(|s| self.is_expected(&s.code)).map(|s| s.p).sum();
        // A text fastText places outside the list is left there unless the list holds comparable weight: lingua
        // only knows the expected languages and would force any text into one of them.
        if !self.is_expected(&top.code) && top.p >= self.unlisted_ratio * expected_mass {
            return Some(decision(top.code.clone(), top.p, fasttext.iter().cloned()));
        }
        let refined = lingua();
        let Some(best) = refined.first() else {
            return Some(decision(top.code.clone(), top.p, fasttext.iter().cloned()));
        };
        // P(language) = P(an expected language) x P(this one | expected): fastText supplies the first factor
        // (its mass on the list), lingua the second, which it knows better on short texts.
        let listed = if mass > 0.0 { (expected_mass / mass).clamp(0.0, 1.0) } else { 0.0 };
        let others = refined
            .iter()
            .map(|s| Scored { code: s.code.clone(), p: s.p * listed })
            .chain(fasttext.iter().filter(|s| !self.is_expected(&s.code)).cloned());
        Some(decision(best.code.clone(), best.p * listed, others))
    }
}

/// Lets a producer's language hint choose between candidates that are tied.
pub fn apply_hint(mut decision: Decision, hint: Option<&str>) -> Decision {
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
pub fn undetermined(decision: Decision) -> Decision {
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

    fn policy() -> Policy {
        Policy {
            expected: ["es", "pt", "en", "id"].iter().map(|c| (*c).to_owned()).collect(),
            fasttext_threshold: 0.9,
            unlisted_ratio: 1.0,
        }
    }

    #[test]
    fn confident_fasttext_stands_without_lingua() {
        let profile = script::profile("hola");
        let d = policy().decide(&scored(&[("es", 0.97), ("gl", 0.02)]), &profile, || panic!("lingua asked")).unwrap();
        assert_eq!(d.code, "es");
        assert_eq!(d.alternatives, scored(&[("gl", 0.02)]));
    }

    #[test]
    fn unsure_fasttext_defers_to_lingua_within_the_list() {
        let profile = script::profile("hola");
        let ft = scored(&[("gl", 0.4), ("es", 0.35), ("pt", 0.2)]);
        let d = policy().decide(&ft, &profile, || scored(&[("es", 0.8), ("pt", 0.2)])).unwrap();
        assert_eq!(d.code, "es");
        // fastText puts 0.55 of 0.95 on the list; lingua 0.8 of that.
        assert!((d.confidence - 0.8 * 0.55 / 0.95).abs() < 1e-4);
        assert_eq!(d.alternatives[0].code, "gl");
    }

    #[test]
    fn an_unlisted_language_is_not_forced_into_the_list() {
        let profile = script::profile("hej");
        let ft = scored(&[("sv", 0.6), ("da", 0.2), ("en", 0.1)]);
        let d = policy().decide(&ft, &profile, || panic!("lingua asked")).unwrap();
        assert_eq!(d.code, "sv");
        assert!((d.confidence - 0.6).abs() < 1e-6);
    }

    #[test]
    fn the_script_settles_korean_and_japanese() {
        let profile = script::profile("정부 발표");
        let d = policy().decide(&scored(&[("zh", 0.5), ("ko", 0.3)]), &profile, Vec::new).unwrap();
        assert_eq!(d.code, "ko");
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
