//! HTML pages: main text by `dom_smoothie` (Readability-style scoring), metadata from structured data first,
//! then line-level furniture removal and output normalisation shared with text dumps.
//!
//! `dom_smoothie` 0.19 was chosen over `rs-trafilatura` 0.2.2 by measurement (docs/QUALITY.md): near the same
//! F1 at several times the speed, and a well-kept crate with a small dependency tree.

mod meta;
mod pubdate;
mod visible;

use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};

use super::dates::{DateContext, PubDate};
use super::furniture::{is_furniture, word_count};
use super::{byline, normalize, text};

/// What an HTML page yields.
#[derive(Debug, Default)]
pub struct Extracted {
    /// Headline.
    pub title: Option<String>,
    /// Main text, paragraphs separated by `\n\n`.
    pub text: String,
    /// Author names.
    pub authors: Vec<String>,
    /// Publication date.
    pub published: Option<PubDate>,
    /// Where the date came from (for the eval's per-page dump).
    pub date_source: Option<String>,
    /// The page's declared language.
    pub lang: Option<String>,
}

/// Extracts one page. `max_elements` bounds the parser's work on huge pages (0: no bound);
/// `hidden_dates` accepts a metadata date on a page that shows no dateline near its headline.
pub fn clean(html: &str, url: Option<&str>, ctx: &DateContext, max_elements: usize, hidden_dates: bool) -> Extracted {
    let doc = Document::from(html);
    let mut ctx = *ctx;
    let lang = doc.try_select("html").and_then(|s| s.attr("lang")).map(|l| l.trim().to_lowercase());
    // US English pages write 04/05/2022 month first; everyone else day first.
    ctx.month_first = lang.as_deref().is_some_and(|l| l == "en-us" || l == "en");
    let meta = meta::read(&doc, url, &ctx);
    let titles: Vec<&str> = meta.declared_titles.iter().map(String::as_str).collect();
    let mut seen = visible::read(&doc, &titles, &ctx);
    let (seen_title, seen_authors) = (seen.title.take(), std::mem::take(&mut seen.authors));

    let absolute_url = url.filter(|u| url::Url::parse(u).is_ok());
    let cfg = Config { text_mode: TextMode::Formatted, max_elements_to_parse: max_elements, ..Config::default() };
    let article = Readability::with_document(doc, absolute_url, Some(cfg)).and_then(|mut r| r.parse());

    let mut out = Extracted { lang: meta.lang.or(lang), ..Extracted::default() };
    let prints = |d| seen.prints(d, &ctx);
    let stated = || seen.stated_publication(&ctx);
    let mut evidence = pubdate::Evidence {
        near: &seen.near,
        prints: Some(&prints),
        stated: Some(&stated),
        anchored: seen.anchored,
        front_page: absolute_url
            .and_then(|u| url::Url::parse(u).ok())
            .is_some_and(|u| u.path().trim_matches('/').is_empty() && u.query().is_none()),
        meta: meta.dates,
        extractor: None,
    };
    let declared = seen_title.or(meta.title).or_else(|| meta.declared_titles.first().map(|t| strip_site_name(t)));
    match article {
        Ok(article) => {
            out.text = main_text(&article.text_content);
            if let Some(fuller) = fuller_block(html, &out.text) {
                out.text = fuller;
            }
            out.title = declared.or_else(|| Some(strip_site_name(&article.title)));
            out.authors = if seen_authors.is_empty() { meta.authors } else { seen_authors };
            if out.authors.is_empty() {
                out.authors = article.byline.as_deref().map(byline::split_names).unwrap_or_default();
            }
            evidence.extractor = article.published_time.as_deref().and_then(|t| super::dates::parse_value(t, &ctx));
        }
        Err(_) => {
            // No main block found: read the page's visible text as a dump, which drops the furniture lines.
            let doc = Document::from(html);
            if let Some(body) = doc.try_select("body") {
                body.select("script, style, noscript, template, svg").remove();
                let dump = text::clean(&body.formatted_text(), &ctx);
                out.text = dump.text;
                out.title = declared.or(dump.title);
                out.authors =
                    [seen_authors, meta.authors, dump.authors].into_iter().find(|a| !a.is_empty()).unwrap_or_default();
                out.published = dump.published;
                out.date_source = dump.published.map(|_| "page-text".to_owned());
            }
        }
    }
    if let Some((date, source)) = pubdate::choose_with_source(&evidence, hidden_dates) {
        let anchored = if evidence.anchored { "" } else { " (no headline)" };
        let ld = match source {
            pubdate::Source::Declared | pubdate::Source::BeforeUpdate if evidence.meta.published_ld => " ld",
            pubdate::Source::Declared | pubdate::Source::BeforeUpdate => " meta",
            _ => "",
        };
        out.published = Some(date);
        out.date_source = Some(format!("{}{ld}{anchored}", source.as_str()));
    }
    if out.published.is_none() {
        out.published = out.text.split("\n\n").next().and_then(|p| super::dates::lead_dateline(p, &ctx));
        out.date_source = out.published.map(|_| "lead-dateline".to_owned());
    }
    out.title = out.title.map(|t| normalize::inline(&normalize::decode_entities(&t))).filter(|t| !t.is_empty());
    out.authors = out.authors.iter().map(|a| normalize::inline(&normalize::decode_entities(a))).collect();
    out
}

/// `Headline | Site`, `Headline - Site`: the headline is the first part when it is long enough to be one.
pub(super) fn strip_site_name(title: &str) -> String {
    for sep in [" | ", " – ", " — ", " - ", " • ", " :: ", " « ", " » "] {
        if let Some((head, _)) = title.split_once(sep) {
            if head.split_whitespace().count() >= 3 {
                return head.trim().to_owned();
            }
        }
    }
    title.trim().to_owned()
}

/// Extracted text this short may be one block of an article split across sibling containers (page builders
/// wrap every paragraph group in its own widget), where the scorer keeps only the best-scored block.
const SHORT_WORDS: usize = 400;

/// The text of the page's own article container (`<article>`, `<main>`, `itemprop=articleBody`) when the
/// scorer's text is short and the container holds several times more, navigation and asides removed.
fn fuller_block(html: &str, extracted: &str) -> Option<String> {
    let words = word_count(extracted);
    if words >= SHORT_WORDS {
        return None;
    }
    let doc = Document::from(html);
    doc.select("script, style, noscript, template, svg, nav, aside, footer, header, form, button").remove();
    let blocks = doc.select("article, main, [itemprop='articleBody']");
    let containers = blocks.iter().map(|b| main_text(&b.formatted_text()));
    // Pages with no such container: the element holding the most paragraph text, where a story's <p>s sit
    // side by side (the same signal Readability scores, taken whole instead of per scored block).
    let densest = densest_paragraph_parent(&doc).map(|n| main_text(&n.formatted_text()));
    // Unlike the page's own containers, the bulk is found by counting alone: it must hold what the scorer chose,
    // or it is some other mass of text (comments, a forum thread, a listing).
    let bulk = paragraph_bulk(&doc)
        .map(|n| main_text(&n.formatted_text()))
        .filter(|b| word_count(b) >= BULK_MARGIN * words.max(1) && holds_most_of(b, extracted));
    let best = containers.chain(densest).chain(bulk).max_by_key(|t| word_count(t))?;
    let best_words = word_count(&best);
    (best_words >= 3 * words.max(1) && best_words >= SHORT_WORDS).then_some(best)
}

/// How many times the extract's words the bulk must hold: more than a container's three, as it is found by
/// counting alone (measured: 3× also took in boilerplate around short news stories on the trafilatura set).
const BULK_MARGIN: usize = 4;

/// Share of the page's paragraph words (3 in 5) that the element holding the bulk of them must hold. Above a
/// half, the elements holding that much form one chain from the root, and the deepest is the story's container.
const BULK_SHARE: (usize, usize) = (3, 5);

/// The smallest element holding most of the page's `<p>` words: the story when its paragraphs sit in many
/// sibling blocks (a guide of a hundred entries, a page builder's sections), which no single parent holds.
fn paragraph_bulk(doc: &Document) -> Option<dom_query::NodeRef<'_>> {
    let mut held: std::collections::HashMap<dom_query::NodeId, (usize, usize, dom_query::NodeRef<'_>)> =
        std::collections::HashMap::new();
    let mut total = 0;
    for p in doc.select("p").nodes() {
        let words = word_count(&p.text());
        if words == 0 {
            continue;
        }
        total += words;
        let ancestors: Vec<dom_query::NodeRef<'_>> = std::iter::successors(p.parent(), |n| n.parent()).collect();
        let depth = ancestors.len();
        for (k, node) in ancestors.into_iter().enumerate() {
            held.entry(node.id).or_insert((0, depth - k, node)).0 += words;
        }
    }
    let needed = (total * BULK_SHARE.0).div_ceil(BULK_SHARE.1);
    held.into_values().filter(|(w, ..)| *w >= needed.max(1)).max_by_key(|(_, depth, _)| *depth).map(|(.., n)| n)
}

/// Whether most (four in five) of `part`'s words occur in `whole`.
fn holds_most_of(whole: &str, part: &str) -> bool {
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let have: std::collections::HashSet<String> = words(whole).into_iter().collect();
    let part = words(part);
    let found = part.iter().filter(|w| have.contains(*w)).count();
    found * 5 >= part.len() * 4
}

/// The element whose `<p>` children hold the most words (the first such in document order on a tie).
fn densest_paragraph_parent(doc: &Document) -> Option<dom_query::NodeRef<'_>> {
    let mut index = std::collections::HashMap::new();
    let mut parents: Vec<(usize, dom_query::NodeRef<'_>)> = Vec::new();
    for p in doc.select("p").nodes() {
        if let Some(parent) = p.parent() {
            let k = *index.entry(parent.id).or_insert_with(|| {
                parents.push((0, parent));
                parents.len() - 1
            });
            parents[k].0 += word_count(&p.text());
        }
    }
    let most = parents.iter().map(|(n, _)| *n).max()?;
    parents.into_iter().find(|(n, _)| *n == most).map(|(_, node)| node)
}

/// Normalises extracted text into paragraphs and trims interface lines the scorer let through: runs of them
/// at either end (share bars, tags, "related" headings), and very short ones anywhere. Longer vocabulary lines
/// inside the story are kept: there they are more often text than chrome (measured on the dev sets).
fn main_text(raw: &str) -> String {
    let paragraphs = normalize::paragraphs(raw);
    let parts: Vec<&str> = paragraphs.split("\n\n").collect();
    let first = parts.iter().position(|p| !is_furniture(p)).unwrap_or(parts.len());
    let last = parts.iter().rposition(|p| !is_furniture(p)).map_or(first, |i| i + 1);
    let kept: Vec<&str> =
        parts[first..last.max(first)].iter().filter(|p| !(word_count(p) <= 3 && is_furniture(p))).copied().collect();
    kept.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(topic: &str) -> String {
        format!(
            "<p>The {topic} report describes how the river authority rebuilt the old weirs, moved the footpath \
             away from the bank, planted willows along the meadows and asked farmers to leave wider margins so \
             that floods spread slowly instead of rushing into the town.</p>"
        )
    }

    #[test]
    fn a_short_extract_gives_way_to_the_article_container() {
        let widgets: String =
            (0..12).map(|i| format!("<div class='widget'>{}</div>", paragraph(&i.to_string()))).collect();
        let html = format!(
            "<html><body><nav>Home | News | Sport</nav><article>{widgets}<aside>Related: other floods</aside>\
             </article><footer>Contact us</footer></body></html>"
        );
        let short = "The 3 report describes how the river authority rebuilt the old weirs.";
        let fuller = fuller_block(&html, short).unwrap_or_default();
        assert_eq!(fuller.split("\n\n").count(), 12, "{fuller}");
        assert!(!fuller.contains("Related") && !fuller.contains("Home"));
        // A long extract is the scorer's considered choice and stays.
        let long = fuller.clone();
        assert_eq!(fuller_block(&html, &long), None);
    }

    #[test]
    fn paragraphs_spread_over_many_blocks_are_taken_whole_when_they_hold_the_extract() {
        let entries: String = (0..12)
            .map(|i| {
                format!(
                    "<div class='entry'><h3>Entry {i}</h3><div class='body'>{}</div></div>",
                    paragraph(&i.to_string())
                )
            })
            .collect();
        let html = format!(
            "<html><body><div class='menu'><p>Home</p></div><div class='list'>{entries}</div>\
             <div class='foot'><p>Subscribe to our letter</p></div></body></html>"
        );
        let first = main_text(&paragraph("0").replace("<p>", "").replace("</p>", ""));
        let fuller = fuller_block(&html, &first).unwrap_or_default();
        assert_eq!(fuller.matches("river authority").count(), 12, "{fuller}");
        assert!(!fuller.contains("Subscribe"));
        // A bulk that does not hold what the scorer chose is some other mass of text.
        assert_eq!(fuller_block(&html, "A short note about a different matter entirely, with other words."), None);
    }

    #[test]
    fn without_a_container_the_densest_paragraph_block_is_the_fuller_text() {
        let story: String = (0..12).map(|i| paragraph(&i.to_string())).collect();
        let html = format!(
            "<html><body><div class='menu'><p>Home</p><p>About</p></div><div class='x1'>{story}</div>\
             <div class='x2'><p>Subscribe to our letter</p><p>All rights reserved.</p></div></body></html>"
        );
        let short = "Subscribe to our letter\n\nAll rights reserved.";
        let fuller = fuller_block(&html, short).unwrap_or_default();
        assert_eq!(fuller.split("\n\n").count(), 12, "{fuller}");
        assert!(!fuller.contains("Subscribe"));
    }
}
