//! `tag --conll`: token-per-line files in, the same lines with a predicted IOB2 tag appended out.
//!
//! Each sentence's tokens are joined with single spaces and tagged as text, exactly as the service tags an
//! article, then spans are mapped back onto the tokens.

use super::tag::Tag;
use super::{NerModels, NerSpan};
use std::io::{BufRead, Write};

/// Why a CoNLL stream could not be tagged.
#[derive(Debug, thiserror::Error)]
pub enum ConllError {
    /// Reading or writing failed.
    #[error("conll i/o: {0}")]
    Io(#[from] std::io::Error),
}

/// What was tagged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConllStats {
    /// Sentences read.
    pub sentences: usize,
    /// Tokens read.
    pub tokens: usize,
}

/// Tags with the statistical tagger alone (`O` everywhere when `lang` has no model).
pub fn tag_conll(
    models: &NerModels,
    lang: &str,
    reader: impl BufRead,
    writer: impl Write,
) -> Result<ConllStats, ConllError> {
    tag_conll_with(|text| models.tag_text(lang, text).unwrap_or_default(), reader, writer)
}

/// Tags with any text tagger (the full entity stage, in the CLI).
pub fn tag_conll_with(
    mut tag_text: impl FnMut(&str) -> Vec<NerSpan>,
    reader: impl BufRead,
    mut writer: impl Write,
) -> Result<ConllStats, ConllError> {
    let mut stats = ConllStats::default();
    let mut lines: Vec<String> = Vec::new();
    let mut flush = |lines: &mut Vec<String>, w: &mut dyn Write, stats: &mut ConllStats| -> std::io::Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let tokens: Vec<&str> = lines.iter().map(|l| l.split_whitespace().next().unwrap_or("")).collect();
        let text = tokens.join(" ");
        let tags = spans_to_tags(&tokens, &tag_text(&text));
        for (line, tag) in lines.iter().zip(tags) {
            writeln!(w, "{line}{}{tag}", separator(line))?;
        }
        stats.sentences += 1;
        stats.tokens += lines.len();
        lines.clear();
        Ok(())
    };
    for line in reader.lines() {
        let line = line?;
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed.trim().is_empty() {
            flush(&mut lines, &mut writer, &mut stats)?;
            writeln!(writer)?;
        } else if trimmed.starts_with("-DOCSTART-") {
            flush(&mut lines, &mut writer, &mut stats)?;
            writeln!(writer, "{trimmed}{}O", separator(trimmed))?;
        } else {
            lines.push(trimmed.to_string());
        }
    }
    flush(&mut lines, &mut writer, &mut stats)?;
    writer.flush()?;
    Ok(stats)
}

/// Tab-separated files keep tabs; anything else gets a space.
fn separator(line: &str) -> &'static str {
    if line.contains('\t') {
        "\t"
    } else {
        " "
    }
}

/// IOB2 tags of tokens joined by single spaces, from char spans over that text: a token overlapping a span
/// is inside it, the first such token begins it (a span may start inside a token after clitic trimming).
pub fn spans_to_tags(tokens: &[&str], spans: &[NerSpan]) -> Vec<Tag> {
    let mut tags = vec![Tag::O; tokens.len()];
    let mut starts = Vec::with_capacity(tokens.len());
    let mut pos = 0;
    for t in tokens {
        let len = t.chars().count();
        starts.push((pos, pos + len));
        pos += len + 1;
    }
    for span in spans {
        let mut first = true;
        for (k, (s, e)) in starts.iter().enumerate() {
            if *e <= span.start || *s >= span.end || tags[k] != Tag::O {
                continue;
            }
            tags[k] = if first { Tag::B(span.entity_type) } else { Tag::I(span.entity_type) };
            first = false;
        }
    }
    tags
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::contract::EntityType;

    #[test]
    fn round_trip_keeps_every_line_and_appends_one_column() {
        let input = "-DOCSTART- -X- O\n\nAnna NNP\nlives VBZ\nin IN\nNew NNP\nYork NNP\n\nHi\tUH\n";
        // A fake tagger: `Anna` is a person, `New York` a place, found by their char offsets.
        let tagger = |text: &str| {
            let mut spans = Vec::new();
            if let Some(b) = text.find("Anna") {
                spans.push(NerSpan { start: b, end: b + 4, entity_type: EntityType::Person });
            }
            if let Some(b) = text.find("New York") {
                spans.push(NerSpan { start: b, end: b + 8, entity_type: EntityType::Location });
            }
            spans
        };
        let mut out = Vec::new();
        let stats = tag_conll_with(tagger, input.as_bytes(), &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "-DOCSTART- -X- O O\n\nAnna NNP B-PER\nlives VBZ O\nin IN O\nNew NNP B-LOC\nYork NNP I-LOC\n\nHi\tUH\tO\n"
        );
        assert_eq!(stats, ConllStats { sentences: 2, tokens: 6 });
    }

    #[test]
    fn span_starting_inside_a_token_tags_that_token() {
        let tags =
            spans_to_tags(&["قال", "وروسيا"], &[NerSpan { start: 5, end: 10, entity_type: EntityType::Location }]);
        assert_eq!(tags, [Tag::O, Tag::B(EntityType::Location)]);
    }
}
