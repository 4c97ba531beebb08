//! The stage tools: `extract`, `detect`, `tag --conll` and `eval`, each on the same stage code the service runs.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::app::build_pipeline;
use crate::cleanup::{Cleaner, CleanupInput};
use crate::cli::EvalTarget;
use crate::entities::EntityTagger;
use crate::language::LanguageDetector;
use crate::ner::{NerModels, NerSpan};
use crate::settings::Settings;

fn read_input(path: &str) -> anyhow::Result<Box<dyn BufRead>> {
    Ok(if path == "-" {
        Box::new(BufReader::new(io::stdin()))
    } else {
        Box::new(BufReader::new(std::fs::File::open(path).with_context(|| format!("opening {path}"))?))
    })
}

/// `extract`: one page through the cleanup stage, as JSON.
pub fn extract(
    settings: &Settings,
    file: &str,
    url: Option<&str>,
    content_type: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let mut body = String::new();
    read_input(file)?.read_to_string(&mut body).context("reading the page (it must be UTF-8)")?;
    let content_type = match content_type.map(str::to_ascii_lowercase).as_deref() {
        None => None,
        Some(t) if t.starts_with("text/html") => Some(crate::contract::ContentType::Html),
        Some(t) if t.starts_with("text/plain") => Some(crate::contract::ContentType::Text),
        Some(other) => anyhow::bail!("--content-type `{other}` is neither text/html nor text/plain"),
    };
    let cleaner = Cleaner::new(&settings.cleanup)?;
    let input =
        CleanupInput { body: &body, content_type, url, title_hint: None, published_hint: None, reference_time: None };
    println!("{}", serde_json::to_string_pretty(&crate::cleanup::extract_json(&cleaner, &input))?);
    Ok(ExitCode::SUCCESS)
}

/// `detect`: `code<TAB>confidence` per input line, exactly one line out per line in.
pub fn detect(settings: &Settings, input: &str) -> anyhow::Result<ExitCode> {
    let detector = LanguageDetector::new(&settings.language)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut reader = read_input(input)?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        // A line that is not UTF-8 still gets its answer line, so output stays aligned with input.
        let text = String::from_utf8_lossy(&line);
        let language = detector.detect_one(text.trim_end_matches(['\n', '\r']));
        writeln!(out, "{}\t{:.4}", language.code, language.confidence)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `tag --conll`: each sentence's tokens joined by single spaces, through the service's entity stage.
pub fn tag_conll(settings: &Settings, lang: Option<&str>) -> anyhow::Result<ExitCode> {
    let pipeline = build_pipeline(settings)?;
    let detector = LanguageDetector::new(&settings.language)?;
    let tag_text = |text: &str| -> Vec<NerSpan> {
        let code = lang.map_or_else(|| detector.detect_one(text).code, str::to_owned);
        pipeline
            .tag_entities(None, text, &code, None)
            .entities
            .into_iter()
            .map(|e| NerSpan { start: e.start, end: e.end, entity_type: e.entity_type })
            .collect()
    };
    let stats = crate::ner::conll::tag_conll_with(
        tag_text,
        BufReader::new(io::stdin()),
        io::BufWriter::new(io::stdout().lock()),
    )?;
    eprintln!("{} sentences, {} tokens", stats.sentences, stats.tokens);
    Ok(ExitCode::SUCCESS)
}

/// `eval`: a quality report on the development data, failing below the floors.
/// `opts` (a per-page dump, half the pages) applies to the cleanup evaluation.
pub fn eval(
    settings: &Settings,
    target: EvalTarget,
    data: &Path,
    opts: &crate::cleanup::eval::EvalOptions,
) -> anyhow::Result<ExitCode> {
    let floors = match target {
        EvalTarget::Cleanup => {
            let report = crate::cleanup::eval::run_eval_with(data, &Cleaner::new(&settings.cleanup)?, opts)?;
            println!("{report}");
            report.check_floors()
        }
        EvalTarget::Langid => {
            let report = crate::language::eval::run_eval(data, &LanguageDetector::new(&settings.language)?)?;
            println!("{report}");
            report.check_floors()
        }
        EvalTarget::Ner => {
            let report = crate::ner::eval::run_eval(data, &NerModels::load(&settings.ner.model_dir)?)?;
            println!("{report}");
            report.check_floors()
        }
        EvalTarget::Linking => {
            let path = Path::new("tests/data/linking.jsonl");
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            let cases = crate::entities::eval::parse_cases(&text).map_err(anyhow::Error::msg)?;
            let r = crate::entities::eval::run_link_eval(&EntityTagger::new(&settings.entities)?, &cases);
            println!("link precision {:.3}  recall {:.3}  ({} cases)", r.precision(), r.recall(), cases.len());
            Ok(())
        }
    };
    match floors {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(failures) => {
            for f in failures {
                eprintln!("below floor: {f}");
            }
            Ok(ExitCode::FAILURE)
        }
    }
}
