//! Layered loading: built-in defaults, then an optional file, then `NEWS_ENRICHER__SECTION__KEY` variables.
//!
//! The environment is passed in as a map, so tests never touch the process environment.

use std::collections::HashMap;
use std::path::Path;

use config::{Config, Environment, File, FileFormat};

use super::Settings;

/// Prefix of environment variables that override settings.
pub const ENV_PREFIX: &str = "NEWS_ENRICHER";

/// The defaults, compiled in so the binary runs anywhere; `config/default.toml` is the same file.
const DEFAULTS: &str = include_str!("../../config/default.toml");

/// Why the configuration could not be used. Each message names the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A layer could not be read or a value has the wrong type or an unknown key.
    #[error("configuration error: {0}")]
    Load(#[from] config::ConfigError),
    /// Values that parse but break a rule.
    #[error("invalid configuration:\n  {}", .0.join("\n  "))]
    Invalid(Vec<String>),
}

/// Loads settings from the defaults, `file` and the process environment, then validates them.
pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
    load_from(file, std::env::vars().collect())
}

/// Loads settings from the defaults, `file` and the given environment, then validates them.
pub fn load_from(file: Option<&Path>, env: HashMap<String, String>) -> Result<Settings, ConfigError> {
    let mut builder = Config::builder().add_source(File::from_str(DEFAULTS, FileFormat::Toml));
    if let Some(path) = file {
        builder = builder.add_source(File::from(path).required(true));
    }
    let env: HashMap<String, String> =
        env.into_iter().filter(|(k, _)| k.starts_with(&format!("{ENV_PREFIX}__"))).collect();
    let builder = builder.add_source(
        Environment::with_prefix(ENV_PREFIX)
            .prefix_separator("__")
            .separator("__")
            .list_separator(",")
            .with_list_parse_key("language.expected_languages")
            .with_list_parse_key("entities.extra_kb_files")
            .try_parsing(true)
            .source(Some(env)),
    );
    let settings: Settings = builder.build()?.try_deserialize()?;
    settings.validate()?;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn defaults_load_and_validate() {
        let settings = load_from(None, HashMap::new()).unwrap();
        assert_eq!(settings.kafka.input_topics(), ["articles.raw"]);
        assert_eq!(settings.pipeline.drain_timeout.as_secs(), 20);
    }

    #[test]
    fn environment_overrides_nested_keys() {
        let settings = load_from(
            None,
            env(&[
                ("NEWS_ENRICHER__KAFKA__BROKERS", "b1:9092,b2:9092"),
                ("NEWS_ENRICHER__KAFKA__INPUT_TOPIC", "a, b"),
                ("NEWS_ENRICHER__HTTP__LISTEN_ADDR", "127.0.0.1:0"),
                ("NEWS_ENRICHER__PIPELINE__MAX_IN_FLIGHT_BYTES", "8MiB"),
                ("NEWS_ENRICHER__KAFKA__CONSUMER_OPTIONS__FETCH_WAIT_MAX_MS", "50"),
                ("UNRELATED", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(settings.kafka.brokers, "b1:9092,b2:9092");
        assert_eq!(settings.kafka.input_topics(), ["a", "b"]);
        assert_eq!(settings.pipeline.max_in_flight_bytes.as_u64(), 8 * 1024 * 1024);
        assert_eq!(settings.kafka.consumer_options.get("fetch_wait_max_ms").map(String::as_str), Some("50"));
    }

    #[test]
    fn unknown_key_is_rejected_by_name() {
        let err = load_from(None, env(&[("NEWS_ENRICHER__KAFKA__BROKER", "x")])).unwrap_err().to_string();
        assert!(err.contains("broker"), "{err}");
    }

    #[test]
    fn bad_value_names_the_key() {
        let err = load_from(None, env(&[("NEWS_ENRICHER__PIPELINE__DRAIN_TIMEOUT", "soon")])).unwrap_err();
        assert!(err.to_string().contains("drain_timeout"), "{err}");
    }

    #[test]
    fn a_session_timeout_over_the_poll_interval_is_refused_with_our_key_names() {
        let err = load_from(
            None,
            env(&[
                ("NEWS_ENRICHER__KAFKA__SESSION_TIMEOUT", "30s"),
                ("NEWS_ENRICHER__KAFKA__MAX_POLL_INTERVAL", "12s"),
            ]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("kafka.max_poll_interval") && err.contains("kafka.session_timeout"), "{err}");
    }

    #[test]
    fn the_consumer_fetches_the_largest_accepted_message_from_one_partition() {
        let settings = load_from(None, env(&[("NEWS_ENRICHER__PIPELINE__MAX_MESSAGE_BYTES", "10MiB")])).unwrap();
        let config = settings.kafka.consumer_config(settings.pipeline.max_message_bytes.as_u64());
        let fetch: u64 = config.get("max.partition.fetch.bytes").unwrap().parse().unwrap();
        assert!(fetch > 10 * 1024 * 1024, "{fetch}");
        // Never below librdkafka's own default for small limits.
        let small = load_from(None, env(&[("NEWS_ENRICHER__PIPELINE__MAX_MESSAGE_BYTES", "64KiB")])).unwrap();
        let config = small.kafka.consumer_config(small.pipeline.max_message_bytes.as_u64());
        assert_eq!(config.get("max.partition.fetch.bytes"), Some("1048576"));
    }

    #[test]
    fn file_layer_sits_between_defaults_and_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "[kafka]\ngroup_id = \"from-file\"\noutput_topic = \"o-file\"\n").unwrap();
        let settings = load_from(Some(&path), env(&[("NEWS_ENRICHER__KAFKA__OUTPUT_TOPIC", "o-env")])).unwrap();
        assert_eq!(settings.kafka.group_id, "from-file");
        assert_eq!(settings.kafka.output_topic, "o-env");
        assert!(load_from(Some(&dir.path().join("missing.toml")), HashMap::new()).is_err());
    }

    #[test]
    fn stages_stay_on_unless_switched_off_for_the_plumbing_benchmark() {
        assert!(load_from(None, HashMap::new()).unwrap().pipeline.stages_enabled);
        let off = load_from(None, env(&[("NEWS_ENRICHER__PIPELINE__STAGES_ENABLED", "false")])).unwrap();
        assert!(!off.pipeline.stages_enabled);
    }
}
