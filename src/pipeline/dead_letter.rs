//! Building the dead-letter record for a message the pipeline rejected.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;

use crate::contract::{DeadLetterHeader, DeadLetterRecord, SourcePosition, SCHEMA_VERSION};

use super::Failure;

/// Room kept for the record's other fields when deciding how much of the value fits.
const ENVELOPE_ALLOWANCE: usize = 2048;

/// The original message, as the dead-letter record carries it.
#[derive(Debug, Clone, Copy)]
pub struct Original<'a> {
    /// Message key.
    pub key: Option<&'a [u8]>,
    /// Message value.
    pub value: Option<&'a [u8]>,
    /// Message headers.
    pub headers: &'a [(String, Option<Vec<u8>>)],
    /// Kafka position, `None` offline.
    pub source: Option<&'a SourcePosition>,
}

/// The dead-letter record for `original`, with the value truncated when the whole record would exceed
/// `max_bytes` (base64 makes bytes a third larger).
pub fn dead_letter_record(original: &Original<'_>, failure: &Failure, max_bytes: usize) -> DeadLetterRecord {
    let headers: Vec<DeadLetterHeader> = original
        .headers
        .iter()
        .map(|(key, value)| DeadLetterHeader { key: key.clone(), value: value.as_deref().map(|v| BASE64.encode(v)) })
        .collect();
    let fixed: usize = ENVELOPE_ALLOWANCE
        + failure.message.len()
        + original.key.map_or(0, |k| k.len() * 4 / 3 + 4)
        + headers.iter().map(|h| h.key.len() + h.value.as_ref().map_or(0, String::len) + 32).sum::<usize>();
    let room = max_bytes.saturating_sub(fixed) / 4 * 3;
    let value_size = original.value.map_or(0, <[u8]>::len);
    let value_truncated = value_size > room;
    DeadLetterRecord {
        schema_version: SCHEMA_VERSION,
        key: original.key.map(|k| BASE64.encode(k)),
        value: original.value.map(|v| BASE64.encode(&v[..v.len().min(room)])),
        value_size,
        value_truncated,
        headers,
        source: original.source.cloned(),
        error: failure.to_info(),
        pipeline_version: crate::VERSION.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{ErrorKind, Stage};

    fn failure() -> Failure {
        Failure::new(Stage::Decode, ErrorKind::InvalidJson, "bad")
    }

    #[test]
    fn keeps_original_bytes_when_they_fit() {
        let value = [0xff_u8, 0x00, 0x7b];
        let headers = vec![("h".to_owned(), Some(b"v".to_vec()))];
        let original = Original { key: Some(b"k"), value: Some(&value), headers: &headers, source: None };
        let record = dead_letter_record(&original, &failure(), 1 << 20);
        assert!(!record.value_truncated);
        assert_eq!(BASE64.decode(record.value.unwrap()).unwrap(), value);
        assert_eq!(record.error.kind, "invalid_json");
        assert_eq!(record.headers[0].value.as_deref(), Some("dg=="));
    }

    #[test]
    fn truncates_values_that_would_not_fit() {
        let value = vec![b'a'; 100_000];
        let original = Original { key: None, value: Some(&value), headers: &[], source: None };
        let record = dead_letter_record(&original, &failure(), 16 * 1024);
        assert!(record.value_truncated);
        assert_eq!(record.value_size, 100_000);
        assert!(serde_json::to_vec(&record).unwrap().len() <= 16 * 1024);
    }
}
