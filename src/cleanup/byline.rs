//! Bylines: recognising `By …`/`كتبت: …`/`Par …` lines and turning them into a list of author names.

use std::sync::LazyLock;

use regex::Regex;

/// Byline openers by language; the name list follows, after a colon, a dash, a space, or (`Written byAnn`,
/// as text extraction glues it) directly when the name starts with a capital.
static LOOSE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:written by|reporting by|story by|words by|posted by|published by|by|author|par|von|por|yazan|كتبت|كتبه|كتب|بقلم|نویسنده|نوشته)(\s*[:：\-–—|/]\s*|\s+)?(.+)$",
    )
    .ok()
});

/// Openers that are words of their own elsewhere ("Text", "Haber", "تقرير") need a colon or dash.
static STRICT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:text|texte|haber|автор|текст|作者|记者|文|اعداد|إعداد|تقرير)\s*[:：\-–—|/]\s*(.+)$").ok()
});

/// The names part of a byline line, without its opener.
fn after_opener(line: &str) -> Option<&str> {
    if let Some(caps) = LOOSE.as_ref().and_then(|re| re.captures(line)) {
        let rest = caps.get(2)?;
        // Glued forms need the case change that shows the seam: "byAnn", not "PARIS" or "Byron".
        let glued = line[..rest.start()].chars().next_back().is_some_and(char::is_lowercase)
            && rest.as_str().chars().next().is_some_and(char::is_uppercase);
        if caps.get(1).is_some() || glued {
            return Some(rest.as_str());
        }
    }
    STRICT.as_ref()?.captures(line)?.get(1).map(|m| m.as_str())
}

static SPLIT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\s*(?:,\s*(?:and|und|et|y|и|ve|e)\s|[,،;/&]|\s(?:and|und|et|y|и|ve|e|و)\s)\s*").ok());

/// The names on a byline line, or `None` when the line is not a byline.
pub fn parse_line(line: &str) -> Option<Vec<String>> {
    let names = split_names(after_opener(line)?);
    (!names.is_empty()).then_some(names)
}

/// One author string from structured data, as given: only a leading opener ("By ") and edges are removed.
pub fn clean_name(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let name = after_opener(raw).unwrap_or(raw);
    let name = name.trim().trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != ')');
    (name.chars().any(char::is_alphabetic)
        && name.split_whitespace().count() <= 12
        && !name.starts_with("http")
        && !is_placeholder(name))
    .then(|| name.to_owned())
}

/// Splits a list of names, drops a leading opener and anything that does not look like a name.
pub fn split_names(raw: &str) -> Vec<String> {
    let raw = after_opener(raw).unwrap_or(raw);
    // "Jane Doe | Reuters", "Jane Doe - Cairo": the name comes first.
    let raw = raw.split(['|', '–', '—']).next().unwrap_or_default();
    let raw = raw.split(" - ").next().unwrap_or_default();
    let Some(split) = SPLIT.as_ref() else { return Vec::new() };
    let mut names = Vec::new();
    for part in split.split(raw) {
        let name = part.trim().trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != ')');
        if looks_like_name(name) && !names.iter().any(|n: &String| n == name) {
            names.push(name.to_owned());
        }
    }
    if names.len() > 6 {
        return Vec::new();
    }
    names
}

fn looks_like_name(s: &str) -> bool {
    let words = s.split_whitespace().count();
    // In scripts with capitals, most words of a name have one ("Jean de la Fontaine"); a sentence that
    // happens to start with an opener ("Von dieser Regel gibt es Ausnahmen") does not.
    let cased: Vec<bool> = s
        .split_whitespace()
        .filter_map(|w| w.chars().next().filter(|c| c.is_uppercase() || c.is_lowercase()))
        .map(char::is_uppercase)
        .collect();
    let capitalised = cased.len() < 2 || cased.iter().filter(|&&up| up).count() * 2 >= cased.len();
    capitalised
        && (1..=6).contains(&words)
        && s.chars().any(char::is_alphabetic)
        && !s.chars().any(|c| c.is_ascii_digit() || c == '@' || c == ':')
        && !s.starts_with("http")
        && !is_placeholder(s)
}

/// Labels standing where a name should be. Login names (`jdoe`) are kept: sites print them as bylines.
fn is_placeholder(s: &str) -> bool {
    matches!(s.to_lowercase().as_str(), "by" | "author" | "the author" | "written by" | "posted by")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_in_several_languages() {
        assert_eq!(parse_line("كتب: محمود سامي"), Some(vec!["محمود سامي".to_owned()]));
        assert_eq!(parse_line("By Jane Roe and John Poe"), Some(vec!["Jane Roe".to_owned(), "John Poe".to_owned()]));
        assert_eq!(parse_line("Par Claire Martin, à Lyon").map(|v| v[0].clone()), Some("Claire Martin".to_owned()));
        assert_eq!(parse_line("Автор: Иван Петров"), Some(vec!["Иван Петров".to_owned()]));
        assert_eq!(parse_line("بقلم / سارة علي"), Some(vec!["سارة علي".to_owned()]));
        assert_eq!(parse_line("Byron went home"), None);
        assert_eq!(parse_line("Written byAnn Lee"), Some(vec!["Ann Lee".to_owned()]));
        assert_eq!(parse_line("By"), None);
        assert_eq!(parse_line("Authorities said"), None);
        assert_eq!(parse_line("PARIS"), None);
        assert_eq!(parse_line("كتبت: منى سعيد"), Some(vec!["منى سعيد".to_owned()]));
        assert_eq!(clean_name("The Author"), None);
        assert_eq!(parse_line("Top stories"), None);
        assert_eq!(
            parse_line("By Ann Lee, Bo Kim, and Cy Diaz"),
            Some(vec!["Ann Lee".to_owned(), "Bo Kim".to_owned(), "Cy Diaz".to_owned()])
        );
        assert_eq!(parse_line("Von dieser Regel gibt es allerdings Ausnahmen"), None);
        assert_eq!(parse_line("Par Jean de la Fontaine"), Some(vec!["Jean de la Fontaine".to_owned()]));
    }
}
