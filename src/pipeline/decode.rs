//! Decoding a message value into a [`RawArticle`]: size, UTF-8, JSON, required fields, content type.

use crate::contract::{ContentType, RawArticle};

use super::failure::{ErrorKind, Failure, Stage};

/// Limits applied before any parsing.
#[derive(Debug, Clone, Copy)]
pub struct DecodeLimits {
    /// Largest accepted message value in bytes.
    pub max_message_bytes: usize,
}

/// A decoded article with its resolved content type (`None`: let cleanup sniff).
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The article.
    pub article: RawArticle,
    /// Declared content type, normalised.
    pub content_type: Option<ContentType>,
}

fn fail(kind: ErrorKind, message: impl Into<String>) -> Failure {
    Failure::new(Stage::Decode, kind, message)
}

/// Decodes a message value. Every failure is deterministic, so the message can go to the dead-letter topic.
pub fn decode(value: Option<&[u8]>, limits: &DecodeLimits) -> Result<Decoded, Failure> {
    let bytes = value.ok_or_else(|| fail(ErrorKind::NoValue, "message has no value (tombstone)"))?;
    if bytes.len() > limits.max_message_bytes {
        return Err(fail(
            ErrorKind::Oversized,
            format!("value is {} bytes, over the limit of {} bytes", bytes.len(), limits.max_message_bytes),
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| fail(ErrorKind::InvalidUtf8, format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| fail(ErrorKind::InvalidJson, format!("invalid JSON: {e}")))?;
    let object = match value {
        serde_json::Value::Object(map) => map,
        other => {
            return Err(fail(ErrorKind::NotAnObject, format!("expected a JSON object, got {}", json_kind(&other))))
        }
    };
    match object.get("body") {
        None | Some(serde_json::Value::Null) => {
            return Err(fail(ErrorKind::MissingBody, "required field `body` is missing"))
        }
        Some(serde_json::Value::String(_)) => {}
        Some(other) => {
            return Err(fail(
                ErrorKind::InvalidField,
                format!("field `body` must be a string, got {}", json_kind(other)),
            ))
        }
    }
    let article: RawArticle = serde_json::from_value(serde_json::Value::Object(object))
        .map_err(|e| fail(ErrorKind::InvalidField, format!("invalid field: {e}")))?;
    if article.body.trim().is_empty() {
        return Err(fail(ErrorKind::EmptyBody, "field `body` is empty"));
    }
    let content_type = match article.content_type.as_deref() {
        None => None,
        Some(declared) => Some(parse_content_type(declared)?),
    };
    Ok(Decoded { article, content_type })
}

fn parse_content_type(declared: &str) -> Result<ContentType, Failure> {
    let essence = declared.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        "text/html" | "application/xhtml+xml" | "html" => Ok(ContentType::Html),
        "text/plain" | "text" | "" => Ok(ContentType::Text),
        _ => Err(fail(
            ErrorKind::UnsupportedContentType,
            format!("content_type `{declared}` is neither text/html nor text/plain"),
        )),
    }
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LIMITS: DecodeLimits = DecodeLimits { max_message_bytes: 1024 };

    fn kind(value: &[u8]) -> ErrorKind {
        match decode(Some(value), &LIMITS) {
            Ok(_) => panic!("expected a failure for {:?}", String::from_utf8_lossy(value)),
            Err(failure) => failure.kind,
        }
    }

    #[test]
    fn every_bad_input_kind_has_its_reason() {
        assert_eq!(decode(None, &LIMITS).map(|_| ()).unwrap_err().kind, ErrorKind::NoValue);
        assert_eq!(kind(&[b'x'; 2000]), ErrorKind::Oversized);
        assert_eq!(kind(b"{\"body\": \"\xff\"}"), ErrorKind::InvalidUtf8);
        assert_eq!(kind(b"{\"body\": "), ErrorKind::InvalidJson);
        assert_eq!(kind(b"[1,2]"), ErrorKind::NotAnObject);
        assert_eq!(kind(b"{\"title\": \"t\"}"), ErrorKind::MissingBody);
        assert_eq!(kind(b"{\"body\": 3}"), ErrorKind::InvalidField);
        assert_eq!(kind(b"{\"body\": \"x\", \"url\": 5}"), ErrorKind::InvalidField);
        assert_eq!(kind(b"{\"body\": \"  \\n \"}"), ErrorKind::EmptyBody);
        assert_eq!(kind(b"{\"body\": \"x\", \"content_type\": \"image/png\"}"), ErrorKind::UnsupportedContentType);
        let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
        let big = DecodeLimits { max_message_bytes: 1 << 20 };
        assert_eq!(decode(Some(deep.as_bytes()), &big).unwrap_err().kind, ErrorKind::InvalidJson);
    }

    #[test]
    fn unknown_fields_are_kept_and_content_type_parameters_ignored() {
        let decoded = decode(
            Some(br#"{"body":"hi","content_type":"text/html; charset=utf-8","lang_guess":"ar","n":1}"#),
            &LIMITS,
        )
        .unwrap();
        assert_eq!(decoded.content_type, Some(ContentType::Html));
        assert_eq!(decoded.article.extra.len(), 2);
        assert_eq!(decoded.article.extra["lang_guess"], "ar");
    }

    proptest! {
        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = decode(Some(&bytes), &LIMITS);
        }

        #[test]
        fn any_string_body_round_trips(body in "\\PC{1,40}") {
            let value = serde_json::json!({ "body": body }).to_string();
            match decode(Some(value.as_bytes()), &DecodeLimits { max_message_bytes: 1 << 20 }) {
                Ok(d) => prop_assert_eq!(d.article.body, body),
                Err(f) => prop_assert_eq!(f.kind, ErrorKind::EmptyBody),
            }
        }
    }
}
