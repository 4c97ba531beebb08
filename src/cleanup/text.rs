//! `text/plain` bodies: text already pulled off a page, with its headline, dateline, byline and widgets
//! still in it. Lines are classified by shape and vocabulary; nothing here knows any one site.

use std::collections::HashMap;

use super::dates::{self, DateContext, PubDate};
use super::furniture::{ends_sentence, is_furniture, is_read_also, word_count};
use super::{byline, normalize};

/// What a text dump yields.
#[derive(Debug, Default)]
pub struct Extracted {
    /// Headline, once.
    pub title: Option<String>,
    /// Story paragraphs separated by `\n\n`.
    pub text: String,
    /// Names from the byline.
    pub authors: Vec<String>,
    /// Date from the dateline.
    pub published: Option<PubDate>,
}

/// Lines the story is surely made of: sentence-shaped and not short, or very long. Headlines can run to
/// thirty words but do not end like a sentence.
fn is_story_line(line: &str) -> bool {
    let words = word_count(line);
    words >= 45 || (words >= 10 && ends_sentence(line))
}

/// Cleans a text dump.
pub fn clean(body: &str, ctx: &DateContext) -> Extracted {
    let decoded = normalize::decode_entities(body);
    let lines: Vec<String> = decoded.lines().map(normalize::inline).filter(|l| !l.is_empty()).collect();
    let mut keep = vec![true; lines.len()];
    let mut out = Extracted::default();

    let mut counts: HashMap<&str, usize> = HashMap::new();
    for line in &lines {
        *counts.entry(line.as_str()).or_default() += 1;
    }
    // The header is everything before the first story line: headline, dateline, byline, widgets.
    let header_end = lines.iter().position(|l| is_story_line(l)).unwrap_or(lines.len());

    // The first dateline or byline: the headline is the nearest line above it (navigation comes earlier).
    let mut anchor: Option<usize> = None;
    for i in 0..header_end {
        if out.published.is_none() {
            if let Some(date) = dates::dateline(&lines[i], ctx) {
                out.published = Some(date);
                anchor.get_or_insert(i);
                keep[i] = false;
                continue;
            }
        }
        if out.authors.is_empty() && word_count(&lines[i]) <= 10 {
            if let Some(names) = byline::parse_line(&lines[i]) {
                out.authors = names;
                anchor.get_or_insert(i);
                keep[i] = false;
            }
        }
    }

    let headline_like = |i: usize| keep[i] && !is_furniture(&lines[i]) && word_count(&lines[i]) >= 2;
    let title_at = anchor
        .and_then(|a| (0..a).rev().find(|&i| headline_like(i)))
        .or_else(|| (0..header_end).find(|&i| headline_like(i)));
    if let Some(t) = title_at {
        let mut title = lines[t].clone();
        // The headline often comes twice, once with a caption or kicker fragment run on: keep the shorter.
        for (j, other) in lines.iter().enumerate().take(header_end) {
            if j != t && keep[j] && title.starts_with(other.as_str()) && word_count(other) >= 3 {
                title = other.clone();
            }
        }
        for (j, line) in lines.iter().enumerate() {
            if line.starts_with(title.as_str()) && word_count(&line[title.len()..]) <= 6 {
                keep[j] = false;
            }
        }
        keep[t] = false;
        out.title = Some(title);
    }

    for (i, line) in lines.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        let repeated = counts.get(line.as_str()).copied().unwrap_or(0) >= 2 && word_count(line) <= 12;
        // Counters and separators: lines without a single letter.
        let no_letters = !line.chars().any(crate::charclass::is_alphabetic);
        if is_furniture(line) || repeated || no_letters || dates::dateline(line, ctx).is_some() {
            keep[i] = false;
        }
        // A bare "Read also" line points at the headline on the next line.
        if word_count(line) <= 3 && is_read_also(line) && lines.get(i + 1).is_some_and(|n| !ends_sentence(n)) {
            keep[i + 1] = false;
        }
    }

    // Agency copy dates itself in the lead: "CAIRO, Nov. 18, 2024 (Reuters) - ...".
    if out.published.is_none() {
        out.published = lines.get(header_end).and_then(|l| dates::lead_dateline(l, ctx));
    }

    // Short lines that are not sentences at either edge of the story are leftovers of page chrome.
    let edge = |l: &str| is_story_line(l) || (ends_sentence(l) && word_count(l) >= 5);
    let first = (0..lines.len()).find(|&i| keep[i] && edge(&lines[i]));
    let last = (0..lines.len()).rev().find(|&i| keep[i] && edge(&lines[i]));
    if let (Some(first), Some(last)) = (first, last) {
        let body: Vec<&str> = (first..=last).filter(|&i| keep[i]).map(|i| lines[i].as_str()).collect();
        out.text = body.join("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_dump_with_widgets() {
        let body = "Storm closes ports along the coast\n\nPublished 12 March 2023, 08:15\nBy Anna Lee\n\nShare\n\
            Comments (3)\n\nThe storm that reached the coast on Sunday night closed four ports and cut power to \
            thousands of homes, officials said.\n\nRepairs will take several days, the utility said in a \
            statement on Monday morning.\n\nBack to top\nShare\nRelated stories\n";
        let out = clean(body, &DateContext::default());
        assert_eq!(out.title.as_deref(), Some("Storm closes ports along the coast"));
        assert_eq!(out.authors, vec!["Anna Lee".to_owned()]);
        assert_eq!(out.published.map(|d| d.render()).as_deref(), Some("2023-03-12T08:15:00"));
        assert_eq!(out.text.split("\n\n").count(), 2, "{}", out.text);
        assert!(out.text.starts_with("The storm that reached"));
    }

    #[test]
    fn french_dump_keeps_subheadings_inside_the_story() {
        let body = "La ville vote son budget\nPar Louise Bernard\nPartager\n\nLe conseil municipal a adopté \
            mardi soir un budget en hausse de trois pour cent, après quatre heures de débat.\nLes travaux\n\
            Les premiers chantiers commenceront au printemps dans les quartiers du nord, selon la mairie.\n\
            Lire aussi\nVoir aussi";
        let out = clean(body, &DateContext::default());
        assert_eq!(out.title.as_deref(), Some("La ville vote son budget"));
        assert_eq!(out.authors, vec!["Louise Bernard".to_owned()]);
        assert_eq!(out.published, None);
        assert_eq!(out.text.split("\n\n").collect::<Vec<_>>()[1], "Les travaux");
        assert!(out.text.ends_with("selon la mairie."));
    }

    #[test]
    fn agency_lead_dates_a_dump_without_dateline() {
        let body = "Rains flood the valley\nLIMA, March 9, 2021 (AP) - Heavy rains flooded the valley overnight, \
            forcing hundreds of families to leave their homes.";
        let out = clean(body, &DateContext::default());
        assert_eq!(out.published.map(|d| d.render()).as_deref(), Some("2021-03-09"));
        assert!(out.text.starts_with("LIMA, March 9, 2021 (AP) - Heavy rains"));
    }

    #[test]
    fn read_also_links_counters_and_captions_leave_the_body() {
        let body = "ارتفاع أسعار الذهب في الأسواق المحلية\nكتب - أحمد سمير\nصورة أرشيفية\n1532\n\
            ارتفعت أسعار الذهب اليوم في الأسواق المحلية بنسبة اثنين بالمئة مع زيادة الطلب قبل موسم الأعياد.\n\
            اقرأ أيضا\nالبنك المركزي يثبت أسعار الفائدة للمرة الثالثة\n\
            وقال تجار إن الطلب على السبائك الصغيرة زاد بشكل ملحوظ خلال الأسبوع الماضي في معظم المحافظات.\n\
            اقرأ أيضاً: الحكومة تعلن خطة جديدة لدعم صغار المستثمرين في قطاع المعادن الثمينة هذا العام";
        let out = clean(body, &DateContext::default());
        assert_eq!(out.authors, vec!["أحمد سمير".to_owned()]);
        let paragraphs: Vec<&str> = out.text.split("\n\n").collect();
        assert_eq!(paragraphs.len(), 2, "{}", out.text);
        assert!(paragraphs[0].starts_with("ارتفعت") && paragraphs[1].starts_with("وقال"));
    }

    #[test]
    fn navigation_above_the_headline_is_not_the_title() {
        let body = "World News\nLocal Sports\nBridge reopens after two years of repairs\nBy Ola Berg\n\
            The city bridge reopened to traffic on Friday after two years of repairs that cost twice the estimate.";
        let out = clean(body, &DateContext::default());
        assert_eq!(out.title.as_deref(), Some("Bridge reopens after two years of repairs"));
        assert!(out.text.starts_with("The city bridge"), "{}", out.text);
    }

    #[test]
    fn a_dump_without_header_has_no_title() {
        let body = "Прошлой ночью в городе выпал первый снег, и коммунальные службы работали до самого утра, \
            расчищая дороги.\n\nПоделиться";
        let out = clean(body, &DateContext::default());
        assert_eq!(out.title, None);
        assert!(out.text.ends_with("дороги."));
    }
}
