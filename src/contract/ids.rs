//! Stable ids and content hashes: deterministic so a replay writes the same keys as the live run.

use sha2::{Digest, Sha256};

/// The canonical form of a URL for identity: scheme and host lower-cased (the `url` crate does this), default
/// port, fragment and tracking parameters (`utm_*`, `fbclid`, `gclid`) removed, remaining query kept in order.
/// Returns `None` when the string is not an absolute URL.
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut url = url::Url::parse(raw.trim()).ok()?;
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !(k.starts_with("utm_") || k == "fbclid" || k == "gclid")
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Some(url.to_string())
}

/// The record id: the producer's own id when given, else a hash of the canonical URL, else of the body.
pub fn derive_id(given: Option<&str>, url: Option<&str>, body: &str) -> String {
    if let Some(id) = given.map(str::trim).filter(|s| !s.is_empty()) {
        return id.to_owned();
    }
    match url.and_then(canonical_url) {
        Some(canonical) => format!("url:{}", sha256_hex(canonical.as_bytes())),
        None => format!("body:{}", sha256_hex(body.as_bytes())),
    }
}

/// `sha256:<hex>` of the title and text, for de-duplicating the same story seen twice.
pub fn content_hash(title: Option<&str>, text: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(title.unwrap_or_default().as_bytes());
    hasher.update([0u8]);
    hasher.update(text.as_bytes());
    format!("sha256:{}", hex::encode(hasher.finalize()))
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_url_drops_tracking_and_fragment() {
        assert_eq!(
            canonical_url("HTTPS://Example.COM:443/a?b=1&utm_source=x#top").as_deref(),
            Some("https://example.com/a?b=1")
        );
        assert_eq!(canonical_url("not a url"), None);
    }

    #[test]
    fn id_prefers_given_then_url_then_body() {
        assert_eq!(derive_id(Some(" a1 "), Some("https://x.org/"), "b"), "a1");
        let by_url = derive_id(None, Some("https://x.org/p?utm_medium=m"), "b");
        assert_eq!(by_url, derive_id(Some(""), Some("https://X.org/p"), "other body"));
        assert!(by_url.starts_with("url:"));
        assert!(derive_id(None, None, "b").starts_with("body:"));
    }
}
