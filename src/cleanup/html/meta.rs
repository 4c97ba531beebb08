//! Page metadata: title, authors and publication date from JSON-LD, Open Graph and other `<meta>` tags,
//! `<time>` elements and the URL, strongest source first.

use std::collections::HashMap;

use dom_query::Document;
use serde_json::Value;

use crate::cleanup::dates::{self, DateContext, PubDate};

/// What the page says about itself.
#[derive(Debug, Default)]
pub struct Meta {
    /// Headline from structured data.
    pub title: Option<String>,
    /// Author names from structured data or meta tags.
    pub authors: Vec<String>,
    /// What the page's markup claims about its dates.
    pub dates: MetaDates,

    /// `lang` of the root element.
    pub lang: Option<String>,
    /// Every title the page declares (JSON-LD, Open Graph, Twitter card, `<title>`), for telling the
    /// article's `<h1>` apart.
    pub declared_titles: Vec<String>,
}

/// Dates the markup declares, by source; [`super::pubdate`] decides which to believe.
#[derive(Debug, Default, Clone, Copy)]
pub struct MetaDates {
    /// JSON-LD `datePublished` of an article type, else `article:published_time` or `itemprop=datePublished`.
    pub published: Option<PubDate>,
    /// Whether `published` comes from JSON-LD (else from a meta tag or `itemprop`).
    pub published_ld: bool,
    /// A date declared for the page as a whole: `datePublished` of a JSON-LD `WebPage` (SEO plugins put one on
    /// every page, article or not) or a generic tag (`date`, `dc.date`, `created`).
    pub page_date: Option<PubDate>,
    /// A `<time>` marked as the publication time (class, itemprop or `pubdate`).
    pub time_published: Option<PubDate>,
    /// The first `<time>` with a date, marked or not.
    pub time: Option<PubDate>,
    /// `/2024/11/18/` in the URL: a last resort.
    pub url: Option<PubDate>,
}

/// Schema.org types whose `datePublished` and `author` describe the article itself.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
    "LiveBlogPosting",
    "Recipe",
    "HowTo",
    "WebPage",
    "SocialMediaPosting",
];

/// How many of [`DATE_META`] (the first) date the article itself rather than the page: the Open Graph and
/// schema.org publication properties, and tags whose name says "published" (news CMSs and Parse.ly set them per
/// article), unlike the generic `date`, `dc.date` or `created` a site may put on every page.
const ARTICLE_DATE_META: usize = 11;

/// Date meta tags, most specific first (`property` or `name` or `itemprop`).
const DATE_META: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published-date",
    "published",
    "article.published",
    "parsely-pub-date",
    "date",
    "dc.date.issued",
    "DC.date.issued",
    "dcterms.created",
    "DC.date",
    "dc.date",
    "sailthru.date",
    "release_date",
    "citation_date",
    "citation_publication_date",
    "created",
];

/// Reads the metadata of a parsed page.
pub fn read(doc: &Document, url: Option<&str>, ctx: &DateContext) -> Meta {
    let tags = MetaTags::read(doc);
    let mut meta = Meta { lang: attr(doc, "html", "lang"), ..Meta::default() };
    let mut ld_date = None;
    let mut ld_page_date = None;
    for node in doc.try_select("script[type='application/ld+json']").iter().flat_map(|s| s.iter()) {
        let Ok(value) = serde_json::from_str::<Value>(node.text().trim()) else { continue };
        visit_ld(&value, &mut |obj| {
            if !is_article(obj) {
                return;
            }
            if meta.title.is_none() {
                meta.title = obj.get("headline").and_then(Value::as_str).map(str::to_owned);
            }
            if meta.authors.is_empty() {
                meta.authors = ld_authors(obj.get("author"));
            }
            let date = || obj.get("datePublished").and_then(Value::as_str).and_then(|s| dates::parse_value(s, ctx));
            if is_page_only(obj) {
                ld_page_date = ld_page_date.or_else(date);
            } else {
                ld_date = ld_date.or_else(date);
            }
        });
    }
    let tag =
        |names: &[&str]| names.iter().find_map(|name| tags.content(name).and_then(|v| dates::parse_value(&v, ctx)));
    let times = time_elements(doc, ctx);
    meta.dates = MetaDates {
        published: ld_date.or_else(|| tag(&DATE_META[..ARTICLE_DATE_META])),
        published_ld: ld_date.is_some(),
        page_date: ld_page_date.or_else(|| tag(&DATE_META[ARTICLE_DATE_META..])),
        time_published: times.marked,
        time: times.marked.or(times.first),
        url: url.and_then(|u| url_date(u, ctx)),
    };
    meta.declared_titles = [
        meta.title.clone(),
        tags.content("og:title"),
        tags.content("twitter:title"),
        doc.try_select("head title").map(|t| t.text().trim().to_owned()),
    ]
    .into_iter()
    .flatten()
    .filter(|t| !t.is_empty())
    .collect();
    if meta.authors.is_empty() {
        if let Some(author) = tags.content("author").filter(|a| !a.starts_with("http")) {
            meta.authors = crate::cleanup::byline::clean_name(&author).into_iter().collect();
        }
    }
    meta
}

fn attr(doc: &Document, selector: &str, name: &str) -> Option<String> {
    doc.try_select(selector)?.attr(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The page's `<meta>` and `itemprop` values, gathered in one walk each. Asking the document a selector per
/// name walks the whole tree every time, and the date names alone made about a hundred such walks per page
/// (a third of an HTML page's instructions in the profile).
struct MetaTags {
    /// Per attribute of [`META_KEYS`], in that order: the first `<meta>` per value, its trimmed `content`.
    meta: [HashMap<String, Option<String>>; 3],
    /// First element per `itemprop` value: its trimmed `datetime`, else its trimmed `content`.
    itemprop: HashMap<String, Option<String>>,
}

const META_KEYS: [&str; 3] = ["property", "name", "itemprop"];

/// An attribute value trimmed, `None` when missing or blank.
fn trim_attr(value: Option<impl AsRef<str>>) -> Option<String> {
    value.map(|v| v.as_ref().trim().to_owned()).filter(|v| !v.is_empty())
}

impl MetaTags {
    fn read(doc: &Document) -> Self {
        let mut meta: [HashMap<String, Option<String>>; 3] = Default::default();
        for node in doc.select("meta").iter() {
            for (key, map) in META_KEYS.iter().zip(&mut meta) {
                if let Some(value) = node.attr(key) {
                    map.entry(value.to_string()).or_insert_with(|| trim_attr(node.attr("content")));
                }
            }
        }
        let mut itemprop = HashMap::new();
        for node in doc.select("[itemprop]").iter() {
            if let Some(value) = node.attr("itemprop") {
                itemprop
                    .entry(value.to_string())
                    .or_insert_with(|| trim_attr(node.attr("datetime")).or_else(|| trim_attr(node.attr("content"))));
            }
        }
        Self { meta, itemprop }
    }

    /// The `content` of the first `<meta property=…>`, else `<meta name=…>`, else `<meta itemprop=…>` named
    /// `name`, else the `datetime` or `content` of the first element with that `itemprop`.
    fn content(&self, name: &str) -> Option<String> {
        self.meta
            .iter()
            .find_map(|map| map.get(name).cloned().flatten())
            .or_else(|| self.itemprop.get(name).cloned().flatten())
    }
}

/// The page's `<time>` elements (revisions aside): the first marked as the publication and the first of any
/// kind, in one walk.
struct Times {
    marked: Option<PubDate>,
    first: Option<PubDate>,
}

fn time_elements(doc: &Document, ctx: &DateContext) -> Times {
    let mut out = Times { marked: None, first: None };
    let Some(times) = doc.try_select("time") else { return out };
    for node in times.iter() {
        let value = node.attr("datetime").map(|v| v.to_string()).unwrap_or_else(|| node.text().to_string());
        let Some(date) = dates::parse_value(&value, ctx) else { continue };
        let hints = format!(
            "{} {} {}",
            node.attr("class").unwrap_or_default(),
            node.attr("itemprop").unwrap_or_default(),
            node.attr("pubdate").map(|_| "pubdate").unwrap_or_default()
        )
        .to_lowercase();
        // A revision time is not the publication, whatever else its class says.
        if hints.contains("modif") || hints.contains("updated") {
            continue;
        }
        let marked = hints.contains("publish") || hints.contains("pubdate") || hints.contains("post-date");
        if marked && out.marked.is_none() {
            out.marked = Some(date);
        }
        out.first.get_or_insert(date);
    }
    out
}

/// `/2024/11/18/` or `/2024-11-18` in the URL path.
fn url_date(url: &str, ctx: &DateContext) -> Option<PubDate> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let parts: Vec<&str> = path.split(['/', '-', '_']).collect();
    parts.windows(3).find_map(|w| {
        let (y, m, d) = (w[0].parse::<i32>().ok()?, w[1].parse::<u32>().ok()?, w[2].parse::<u32>().ok()?);
        if w[0].len() != 4 || w[1].len() > 2 || w[2].len() > 2 || !(1990..=2100).contains(&y) {
            return None;
        }
        let date = chrono::NaiveDate::from_ymd_opt(y, m, d)?;
        dates::parse_value(&date.format("%Y-%m-%d").to_string(), ctx)
    })
}

fn visit_ld(value: &Value, f: &mut impl FnMut(&serde_json::Map<String, Value>)) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| visit_ld(v, f)),
        Value::Object(obj) => {
            f(obj);
            if let Some(graph) = obj.get("@graph") {
                visit_ld(graph, f);
            }
            if let Some(main) = obj.get("mainEntity") {
                visit_ld(main, f);
            }
        }
        _ => {}
    }
}

/// A JSON-LD node typed `WebPage` (or a subtype of it) and nothing more specific.
fn is_page_only(obj: &serde_json::Map<String, Value>) -> bool {
    let page = |t: &Value| t.as_str().is_some_and(|t| t.ends_with("Page"));
    match obj.get("@type") {
        Some(Value::Array(types)) => types.iter().all(page),
        Some(t) => page(t),
        None => false,
    }
}

fn is_article(obj: &serde_json::Map<String, Value>) -> bool {
    let matches = |t: &Value| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t));
    match obj.get("@type") {
        Some(Value::Array(types)) => types.iter().any(matches),
        Some(t) => matches(t),
        None => false,
    }
}

fn ld_authors(value: Option<&Value>) -> Vec<String> {
    let mut names = Vec::new();
    let mut push = |v: &Value| {
        let name = match v {
            Value::String(s) => Some(s.as_str()),
            // A publisher standing in as author is not a byline.
            Value::Object(o) if o.get("@type").and_then(Value::as_str) == Some("Organization") => None,
            Value::Object(o) => o.get("name").and_then(Value::as_str),
            _ => None,
        };
        if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty() && !n.starts_with("http")) {
            if let Some(n) = crate::cleanup::byline::clean_name(name) {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
    };
    match value {
        Some(Value::Array(items)) => items.iter().for_each(&mut push),
        Some(v) => push(v),
        None => {}
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates_of(head: &str) -> MetaDates {
        let doc = Document::from(format!("<html><head>{head}</head><body><p>Text</p></body></html>").as_str());
        read(&doc, None, &DateContext::default()).dates
    }

    #[test]
    fn a_tag_named_for_the_publication_dates_the_article_a_generic_one_the_page() {
        let day = |s: &str| s.parse::<chrono::NaiveDate>().ok();
        let named = dates_of(r#"<meta name="published" content="July 17, 2025">"#);
        assert_eq!(named.published.map(|d| d.date), day("2025-07-17"));
        let named = dates_of(r#"<meta name="publish-date" content="2021-02-16">"#);
        assert_eq!(named.published.map(|d| d.date), day("2021-02-16"));
        let generic = dates_of(r#"<meta name="date" content="2021-02-16">"#);
        assert_eq!((generic.published, generic.page_date.map(|d| d.date)), (None, day("2021-02-16")));
    }

    #[test]
    fn meta_values_follow_attribute_order_then_document_order_then_itemprop() {
        let doc = Document::from(
            r#"<html><head>
            <meta name="og:title" content="By name">
            <meta property="og:title" content="  By property  ">
            <meta property="og:title" content="Second by property">
            <meta property="author" content=" ">
            <meta name="author" content="Jane Roe">
            </head><body>
            <span itemprop="headline" content="From content">x</span>
            <time itemprop="headline" datetime="2024-01-02">y</time>
            <span itemprop="dateline" datetime=" " content="From content, datetime blank">z</span>
            <p>Text</p></body></html>"#,
        );
        let tags = MetaTags::read(&doc);
        // `property` wins over `name`; the first element wins; values are trimmed.
        assert_eq!(tags.content("og:title").as_deref(), Some("By property"));
        // A blank value on the stronger attribute falls through to the next one.
        assert_eq!(tags.content("author").as_deref(), Some("Jane Roe"));
        // Any element's `itemprop`: the first one, its `datetime`, else its `content`.
        assert_eq!(tags.content("headline").as_deref(), Some("From content"));
        assert_eq!(tags.content("dateline").as_deref(), Some("From content, datetime blank"));
        assert_eq!(tags.content("missing"), None);
    }
}
