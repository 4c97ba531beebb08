//! Runs `tag --conll` with the statistical tagger alone until the CLI wires the full entity stage:
//! `ner_tag_conll LANG [models/ner] < in.conll > out.conll`.

use news_enricher::ner::{conll, NerModels};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let lang = args.get(1).map_or("en", String::as_str);
    let models = NerModels::load(&PathBuf::from(args.get(2).map_or("models/ner", String::as_str)))?;
    if models.model(lang).is_none() {
        eprintln!("no NER model for {lang}: every token is tagged O");
    }
    let stats = conll::tag_conll(&models, lang, std::io::stdin().lock(), std::io::stdout().lock())?;
    eprintln!("{} sentences, {} tokens", stats.sentences, stats.tokens);
    Ok(())
}
