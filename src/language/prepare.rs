//! Text preparation: the bounded, cleaned sample of title and body that the models read.

use regex::Regex;
use unicode_script::{Script, UnicodeScript};

use super::script::{self, ScriptProfile};
use crate::charclass;

/// What the models read, and the script profile of the text it came from.
#[derive(Debug, Clone)]
pub struct Sample {
    /// One line: title and body prefix without URLs, e-mail addresses or (in non-Latin text) Latin runs.
    pub text: String,
    /// Writing systems of the sample before Latin runs were dropped.
    pub profile: ScriptProfile,
}

/// Builds samples; holds the compiled patterns.
#[derive(Debug, Clone)]
pub struct Preparer {
    noise: Regex,
    prefix_chars: usize,
}

impl Preparer {
    /// Compiles the patterns once, at startup.
    pub fn new(prefix_chars: usize) -> Result<Self, regex::Error> {
        // URLs, bare domains with a path and e-mail addresses are Latin letters in every language: left in, they
        // pull short non-English texts towards English.
        let noise =
            Regex::new(r"(?i)\b(?:https?://|ftp://|www\.)\S+|\S+@\S+\.\w+|\b[\w.-]+\.(?:com|org|net)(?:/\S*)?")?;
        Ok(Self { noise, prefix_chars: prefix_chars.max(1) })
    }

    /// The sample of a title and a body: at most `prefix_chars` characters, title first.
    pub fn sample(&self, title: Option<&str>, body: &str) -> Sample {
        let cleaned = self.cleaned(title, body);
        let profile = script::profile(&cleaned);
        let drop_latin = profile.non_latin_dominant();
        Sample { text: one_line(&cleaned, drop_latin), profile }
    }

    /// The same sample read as a text in its minority script, Latin runs dropped, when a Latin-dominated text
    /// holds at least `min_share` of its letters in another script (a Hebrew sentence around an English journal
    /// title, an Urdu headline after a row of English share buttons).
    pub fn minority_sample(&self, title: Option<&str>, body: &str, min_share: f32) -> Option<Sample> {
        let cleaned = self.cleaned(title, body);
        let profile = script::profile(&cleaned).minority_as_content(min_share)?;
        Some(Sample { text: one_line(&cleaned, true), profile })
    }

    /// Title and body prefix joined, bounded and without URLs and addresses.
    fn cleaned(&self, title: Option<&str>, body: &str) -> String {
        let mut joined = String::with_capacity(self.prefix_chars.min(body.len() + 128));
        if let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) {
            joined.push_str(title);
            // A title rarely ends in a full stop; one keeps its last word apart from the body's first.
            joined.push_str(". ");
        }
        // Only the prefix is read, so only the prefix is copied: bodies can run to megabytes.
        joined.push_str(body.char_indices().nth(self.prefix_chars + 1).map_or(body, |(cut, _)| &body[..cut]));
        let cut = truncate_at_word(&joined, self.prefix_chars).len();
        joined.truncate(cut);
        // The regex needs its Unicode word boundaries checked by the backtracker (6% of a text article): run
        // it only when the sample holds something it could match.
        if may_hold_noise(&joined) {
            self.noise.replace_all(&joined, " ").into_owned()
        } else {
            joined
        }
    }
}

/// False only when the noise pattern cannot match: every alternative needs `://`, `@`, `www.` or a `.com`,
/// `.org`, `.net` ending (ASCII letters, which have no non-ASCII case variants, so ASCII case folding is exact).
fn may_hold_noise(text: &str) -> bool {
    let b = text.as_bytes();
    if memchr::memchr(b'@', b).is_some() || memchr::memmem::find(b, b"://").is_some() {
        return true;
    }
    memchr::memchr_iter(b'.', b).any(|i| {
        let before = i >= 3 && b[i - 3..i].eq_ignore_ascii_case(b"www");
        let after = b.get(i + 1..i + 4).is_some_and(|t| {
            t.eq_ignore_ascii_case(b"com") || t.eq_ignore_ascii_case(b"org") || t.eq_ignore_ascii_case(b"net")
        });
        before || after
    })
}

/// The longest prefix of at most `max_chars` characters that does not cut a word in two.
fn truncate_at_word(text: &str, max_chars: usize) -> &str {
    let Some((cut, _)) = text.char_indices().nth(max_chars) else {
        return text;
    };
    let head = &text[..cut];
    match head.rfind(char::is_whitespace) {
        // A text without spaces (Chinese, Japanese) is cut at the character limit.
        Some(space) if space > cut / 2 => &head[..space],
        _ => head,
    }
}

/// Collapses whitespace and control characters into single spaces (fastText reads one line; a NUL would end the
/// C string). In text whose letters are mostly of another script, Latin letters go too: they are names, code,
/// share buttons or cookie notices, and fastText would otherwise weigh them as English.
fn one_line(text: &str, drop_latin: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        let blank = charclass::is_whitespace(c)
            || charclass::is_control(c)
            || (drop_latin && charclass::is_alphabetic(c) && c.script() == Script::Latin);
        if blank {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_prefilter_never_hides_a_match(text in "(\\PC|[ .@:/]|www|WwW|com|ORG|Net|https?://|ſ){0,30}") {
            let noise = preparer(1000).noise;
            if noise.is_match(&text) {
                proptest::prop_assert!(may_hold_noise(&text));
            }
        }
    }

    fn preparer(prefix: usize) -> Preparer {
        Preparer::new(prefix).unwrap()
    }

    #[test]
    fn joins_title_and_body_on_one_line() {
        let s = preparer(1000).sample(Some(" Wahlen in Berlin "), "Die Stimmen\n\nwerden\tgezählt.");
        assert_eq!(s.text, "Wahlen in Berlin. Die Stimmen werden gezählt.");
        assert_eq!(s.profile.code, "Latn");
    }

    #[test]
    fn bounds_the_sample_without_cutting_words() {
        let s = preparer(12).sample(None, "alpha beta gamma delta");
        assert_eq!(s.text, "alpha beta");
        let s = preparer(3).sample(None, "中华人民共和国");
        assert_eq!(s.text, "中华人");
    }

    #[test]
    fn drops_urls_and_addresses() {
        let s = preparer(1000).sample(None, "Voir https://example.org/page?id=3 ou écrire à redaction@journal.fr");
        assert_eq!(s.text, "Voir ou écrire à");
    }

    #[test]
    fn drops_latin_runs_inside_arabic_text() {
        let s =
            preparer(1000).sample(Some("وزير الخارجية يزور القاهرة"), "Read more: قال الوزير إن الزيارة ناجحة Share");
        assert_eq!(s.text, "وزير الخارجية يزور القاهرة. : قال الوزير إن الزيارة ناجحة");
        assert_eq!(s.profile.code, "Arab");
    }

    #[test]
    fn reads_a_latin_dominated_text_in_its_minority_script() {
        let p = preparer(1000);
        let body = "Share on Facebook Share on Twitter Read more הממשלה אישרה";
        assert_eq!(p.sample(None, body).profile.code, "Latn");
        let s = p.minority_sample(None, body, 0.1).unwrap();
        assert_eq!((s.text.as_str(), s.profile.code), ("הממשלה אישרה", "Hebr"));
        assert!(p.minority_sample(None, "Le président a parlé", 0.1).is_none());
    }

    #[test]
    fn keeps_latin_text_whole() {
        let s = preparer(1000).sample(None, "Le président a parlé de l'Ukraine");
        assert_eq!(s.text, "Le président a parlé de l'Ukraine");
    }
}
