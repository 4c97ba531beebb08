//! Benchmark inputs generated from templates: news-like English and Arabic text, and HTML pages wrapping it in
//! the furniture real sites carry (menus, scripts, related links, footers). Deterministic for a given seed.
//!
//! Written for the benchmarks (no shared data is copied): sentence frames filled from small lists of people,
//! organisations and places the knowledge base knows, so the entity stage does its real work.

#![allow(dead_code)] // each including target uses a different part

/// A small deterministic generator (xorshift64*): benchmark inputs must be the same on every run, and a
/// dependency for ten lines of arithmetic is not worth it.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Article language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ar,
}

const EN_PEOPLE: &[&str] = &[
    "Vladimir Putin",
    "Kim Jong Un",
    "Emmanuel Macron",
    "Olaf Scholz",
    "Recep Tayyip Erdogan",
    "Antony Blinken",
    "Sergei Lavrov",
    "Xi Jinping",
    "Narendra Modi",
    "Volodymyr Zelensky",
    "Ursula von der Leyen",
    "Joe Biden",
];
const EN_ORGS: &[&str] = &[
    "the United Nations",
    "NATO",
    "the European Union",
    "the World Health Organization",
    "the Kremlin",
    "the International Monetary Fund",
    "Reuters",
    "the World Bank",
    "OPEC",
    "the African Union",
];
const EN_PLACES: &[&str] = &[
    "Moscow",
    "Pyongyang",
    "Paris",
    "Berlin",
    "Ankara",
    "Washington",
    "Beijing",
    "New Delhi",
    "Kyiv",
    "Cairo",
    "Riyadh",
    "Tehran",
    "London",
    "Brussels",
    "Damascus",
    "Baghdad",
];
const EN_FRAMES: &[&str] = &[
    "{P} met officials in {L} on {D} to discuss trade, energy supplies and the security of the region.",
    "According to a statement released by {O}, talks in {L} would continue for several more days.",
    "{P} told reporters in {L} that the agreement was a turning point and that {O} had been informed.",
    "Analysts said the decision by {O} reflected growing pressure from {L} and from its neighbours.",
    "The visit of {P} to {L} was the first in {N} years, officials said, and drew protests in the capital.",
    "In {L}, prices for fuel and bread rose by {N} percent last month, the statistics office reported.",
    "{O} warned that the humanitarian situation near {L} could worsen before the winter.",
    "Speaking after the meeting, {P} said {O} would send a delegation to {L} within {N} weeks.",
    "Diplomats in {L} described the talks as frank, while {P} called them constructive and necessary.",
    "The ministry said {N} people had been evacuated from areas around {L} after the floods.",
];
const AR_PEOPLE: &[&str] = &[
    "فلاديمير بوتين",
    "كيم جونغ أون",
    "إيمانويل ماكرون",
    "رجب طيب أردوغان",
    "سيرغي لافروف",
    "شي جين بينغ",
    "أنتوني بلينكن",
    "فولوديمير زيلينسكي",
    "جو بايدن",
    "ناريندرا مودي",
];
const AR_ORGS: &[&str] = &[
    "الأمم المتحدة",
    "حلف شمال الأطلسي",
    "الاتحاد الأوروبي",
    "منظمة الصحة العالمية",
    "صندوق النقد الدولي",
    "جامعة الدول العربية",
    "البنك الدولي",
    "الاتحاد الأفريقي",
];
const AR_PLACES: &[&str] = &[
    "موسكو",
    "بيونغ يانغ",
    "باريس",
    "برلين",
    "أنقرة",
    "واشنطن",
    "بكين",
    "القاهرة",
    "الرياض",
    "طهران",
    "دمشق",
    "بغداد",
    "بيروت",
    "عمان",
    "الدوحة",
    "كييف",
];
const AR_FRAMES: &[&str] = &[
    "التقى {P} مسؤولين في {L} يوم {D} لبحث ملفات التجارة والطاقة وأمن المنطقة.",
    "وذكر بيان صادر عن {O} أن المحادثات في {L} ستستمر عدة أيام أخرى.",
    "وقال {P} للصحفيين في {L} إن الاتفاق يمثل نقطة تحول، وإن {O} أُبلغت بتفاصيله.",
    "ورأى محللون أن قرار {O} يعكس ضغوطا متزايدة من {L} ومن الدول المجاورة.",
    "وتعد زيارة {P} إلى {L} الأولى منذ {N} سنوات، بحسب مسؤولين، وقد أثارت احتجاجات في العاصمة.",
    "وفي {L}، ارتفعت أسعار الوقود والخبز بنسبة {N} في المئة الشهر الماضي، وفقا لمكتب الإحصاء.",
    "وحذرت {O} من أن الوضع الإنساني قرب {L} قد يتدهور قبل حلول الشتاء.",
    "وأضاف {P} بعد الاجتماع أن {O} سترسل وفدا إلى {L} خلال {N} أسابيع.",
    "ووصف دبلوماسيون في {L} المحادثات بأنها صريحة، فيما اعتبرها {P} بناءة وضرورية.",
    "وأعلنت الوزارة إجلاء {N} شخصا من المناطق المحيطة بـ{L} بعد الفيضانات.",
];
const EN_DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const AR_DAYS: &[&str] = &["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"];

fn fill(rng: &mut Rng, lang: Lang) -> String {
    let (frames, people, orgs, places, days) = match lang {
        Lang::En => (EN_FRAMES, EN_PEOPLE, EN_ORGS, EN_PLACES, EN_DAYS),
        Lang::Ar => (AR_FRAMES, AR_PEOPLE, AR_ORGS, AR_PLACES, AR_DAYS),
    };
    let frame = rng.pick(frames);
    let n = (2 + rng.below(97)).to_string();
    frame
        .replace("{P}", rng.pick(people))
        .replace("{O}", rng.pick(orgs))
        .replace("{L}", rng.pick(places))
        .replace("{D}", rng.pick(days))
        .replace("{N}", &n)
}

/// A headline (one filled frame, without its final stop).
pub fn headline(rng: &mut Rng, lang: Lang) -> String {
    fill(rng, lang).trim_end_matches('.').to_owned()
}

/// Article text of about `target_bytes` UTF-8 bytes: paragraphs of 2-5 sentences separated by blank lines.
pub fn article_text(rng: &mut Rng, lang: Lang, target_bytes: usize) -> String {
    let mut text = String::with_capacity(target_bytes + 512);
    while text.len() < target_bytes {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        for i in 0..2 + rng.below(4) {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&fill(rng, lang));
        }
    }
    text
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// An HTML page of about `target_bytes`: the article (headline, byline, date, paragraphs) inside the furniture
/// of a news site: head with inline CSS and JSON-LD, menus, share bars, related links, comments, footer, scripts.
pub fn html_page(rng: &mut Rng, lang: Lang, article_bytes: usize, target_bytes: usize) -> String {
    let title = headline(rng, lang);
    let body = article_text(rng, lang, article_bytes);
    let dir = if lang == Lang::Ar { "rtl" } else { "ltr" };
    let code = if lang == Lang::Ar { "ar" } else { "en" };
    let day = 1 + rng.below(28);
    let mut page = String::with_capacity(target_bytes + 4096);
    page.push_str(&format!(
        "<!DOCTYPE html><html lang=\"{code}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><title>{t} | Daily Wire \
         Service</title><meta property=\"og:title\" content=\"{t}\"><meta name=\"author\" content=\"Staff \
         Reporter\"><meta property=\"article:published_time\" content=\"2024-11-{day:02}T09:30:00+00:00\">\
         <style>",
        t = escape(&title)
    ));
    for i in 0..40 {
        page.push_str(&format!(".c{i}{{margin:{i}px;padding:{}px;color:#{:06x}}}", i % 7, rng.next() & 0xFF_FFFF));
    }
    page.push_str("</style></head><body><header><nav class=\"menu\"><ul>");
    for section in ["World", "Politics", "Business", "Sport", "Culture", "Science", "Opinion", "Video"] {
        page.push_str(&format!("<li><a href=\"/{s}\">{section}</a></li>", s = section.to_lowercase()));
    }
    page.push_str("</ul></nav><div class=\"share\">Share on Facebook | Share on X | Email</div></header>");
    page.push_str(&format!(
        "<main><article><h1>{}</h1><p class=\"byline\">By Staff Reporter</p><time datetime=\"2024-11-{day:02}T09:\
         30:00+00:00\">November {day}, 2024</time>",
        escape(&title)
    ));
    for para in body.split("\n\n") {
        page.push_str(&format!("<p>{}</p>", escape(para)));
    }
    page.push_str("</article><aside class=\"related\"><h2>Related</h2><ul>");
    // Furniture up to the target size: link lists and tracking scripts, the bulk of a real page.
    let mut n = 0;
    while page.len() < target_bytes.saturating_sub(600) {
        n += 1;
        if n % 4 == 0 {
            page.push_str(&format!(
                "</ul><script>window.dataLayer=window.dataLayer||[];dataLayer.push({{'slot':{n},'id':'{:016x}',\
                 'ts':{}}});</script><ul>",
                rng.next(),
                rng.next() % 1_000_000
            ));
        }
        page.push_str(&format!(
            "<li class=\"c{}\"><a href=\"/news/{:x}\">{}</a></li>",
            n % 40,
            rng.next(),
            escape(&headline(rng, lang))
        ));
    }
    page.push_str(
        "</ul></aside></main><footer><p>© 2024 Daily Wire Service. All rights reserved.</p><p>Terms | Privacy | \
         Cookies | Contact</p></footer></body></html>",
    );
    page
}

/// One input message (the service's JSON input) and its key.
pub struct Message {
    pub key: String,
    pub value: Vec<u8>,
}

/// Which kind of article a run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 3-8 KB of extracted text.
    Text,
    /// 50-200 KB HTML pages.
    Html,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "text 3-8 KB",
            Kind::Html => "HTML 50-200 KB",
        }
    }
}

/// `count` messages of one kind, half English and half Arabic, sizes spread over the kind's range.
pub fn messages(kind: Kind, count: usize, seed: u64) -> Vec<Message> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|i| {
            let lang = if i % 2 == 0 { Lang::En } else { Lang::Ar };
            let key = format!("bench-{seed}-{i}");
            let article_bytes = 3_000 + rng.below(5_000);
            let value = match kind {
                Kind::Text => serde_json::json!({
                    "id": key,
                    "title": headline(&mut rng, lang),
                    "body": article_text(&mut rng, lang, article_bytes),
                    "content_type": "text/plain",
                    "url": format!("https://news.example/{i}"),
                }),
                Kind::Html => {
                    let target = 50_000 + rng.below(150_000);
                    serde_json::json!({
                        "id": key,
                        "body": html_page(&mut rng, lang, article_bytes, target),
                        "content_type": "text/html",
                        "url": format!("https://news.example/{i}"),
                    })
                }
            };
            Message { key, value: value.to_string().into_bytes() }
        })
        .collect()
}
