//! Per-stage speed (criterion): cleanup of text and HTML, language detection of a headline and an article, the
//! entity stage on 10 KB of Arabic and of English, record serialisation, and the whole pipeline per message.
//!
//! `cargo bench --bench stages` (or `make bench`); `cargo test --bench stages` runs each once (the smoke run).
//! Inputs come from `support/corpus.rs` (generated); `BENCH_SHARED_PAGE=path` adds a real page read in place.

#![allow(clippy::unwrap_used, clippy::expect_used)] // benchmark setup: a failure should stop the run loudly

#[path = "support/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use news_enricher::cleanup::{Cleaner, CleanupInput};
use news_enricher::contract::ContentType;
use news_enricher::language::LanguageDetector;
use news_enricher::pipeline::{Envelope, Pipeline};

use corpus::{Lang, Rng};

struct Inputs {
    text_en: String,
    text_ar: String,
    html: String,
    headline: String,
    text_message: Vec<u8>,
    html_message: Vec<u8>,
}

fn inputs() -> Inputs {
    let mut rng = Rng::new(11);
    let text_en = corpus::article_text(&mut rng, Lang::En, 10_240);
    let text_ar = corpus::article_text(&mut rng, Lang::Ar, 10_240);
    let html = corpus::html_page(&mut rng, Lang::En, 5_000, 100_000);
    let headline = corpus::headline(&mut rng, Lang::En);
    let text_message = corpus::messages(corpus::Kind::Text, 1, 3).remove(0).value;
    let html_message = corpus::messages(corpus::Kind::Html, 1, 4).remove(0).value;
    Inputs { text_en, text_ar, html, headline, text_message, html_message }
}

fn cleanup_input(body: &str, content_type: ContentType) -> CleanupInput<'_> {
    CleanupInput {
        body,
        content_type: Some(content_type),
        url: Some("https://news.example/a"),
        title_hint: None,
        published_hint: None,
        reference_time: None,
    }
}

fn settings() -> news_enricher::settings::Settings {
    news_enricher::settings::load(None).expect("default settings")
}

fn stages(c: &mut Criterion) {
    let inputs = inputs();
    let settings = settings();
    let cleaner = Cleaner::new(&settings.cleanup).unwrap();
    let detector = LanguageDetector::new(&settings.language).expect("language models (run `make models`)");
    let pipeline: Pipeline = news_enricher::app::build_pipeline(&settings).expect("pipeline");

    let mut group = c.benchmark_group("cleanup");
    group.throughput(Throughput::Bytes(inputs.text_en.len() as u64));
    group.bench_function("text 10KB", |b| {
        b.iter(|| cleaner.clean(black_box(&cleanup_input(&inputs.text_en, ContentType::Text))))
    });
    group.throughput(Throughput::Bytes(inputs.html.len() as u64));
    group.bench_function("html 100KB", |b| {
        b.iter(|| cleaner.clean(black_box(&cleanup_input(&inputs.html, ContentType::Html))))
    });
    if let Some(page) = shared_page() {
        group.throughput(Throughput::Bytes(page.len() as u64));
        group.bench_function("html shared page", |b| {
            b.iter(|| cleaner.clean(black_box(&cleanup_input(&page, ContentType::Html))))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("language");
    group.throughput(Throughput::Bytes(inputs.headline.len() as u64));
    group.bench_function("headline", |b| b.iter(|| detector.detect_one(black_box(&inputs.headline))));
    group.throughput(Throughput::Bytes(inputs.text_en.len() as u64));
    group.bench_function("article 10KB", |b| {
        b.iter(|| detector.detect(Some(&inputs.headline), black_box(&inputs.text_en), None))
    });
    group.finish();

    let mut group = c.benchmark_group("entities");
    for (name, text, lang) in [("arabic 10KB", &inputs.text_ar, "ar"), ("english 10KB", &inputs.text_en, "en")] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| b.iter(|| pipeline.tag_entities(None, black_box(text), lang, None)));
    }
    group.finish();

    let mut group = c.benchmark_group("pipeline");
    for (name, message) in [("text message", &inputs.text_message), ("html message", &inputs.html_message)] {
        let envelope = Envelope { value: Some(message), source: None, timestamp_ms: None };
        group.throughput(Throughput::Bytes(message.len() as u64));
        group.bench_function(name, |b| b.iter(|| pipeline.process(black_box(&envelope)).unwrap()));
        let record = pipeline.process(&envelope).unwrap().record;
        let bytes = serde_json::to_vec(&record).unwrap();
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(format!("serialise record of {name}"), |b| {
            b.iter(|| serde_json::to_vec(black_box(&record)).unwrap())
        });
    }
    group.finish();
}

/// A real page from the shared development data, read in place when asked for (never copied).
fn shared_page() -> Option<String> {
    let path = std::env::var_os("BENCH_SHARED_PAGE")?;
    let bytes = std::fs::read(&path).ok()?;
    if path.to_string_lossy().ends_with(".gz") {
        use std::io::Read;
        let mut out = String::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut out).ok()?;
        Some(out)
    } else {
        String::from_utf8(bytes).ok()
    }
}

fn config() -> Criterion {
    // Short windows: 2 shared cores and a 15-minute budget for the whole `make bench`.
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
}

criterion_group! { name = benches; config = config(); targets = stages }
criterion_main!(benches);
