//! What to do about a Kafka error: retry, dead-letter the message, or stop.

use rdkafka::error::{KafkaError, RDKafkaErrorCode};

/// The action an error calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Transient: try again (the record stays in flight; its offset is not stored).
    Retry,
    /// This record can never be written (too large, invalid): dead-letter it and move on.
    DeadLetter,
    /// Nothing will succeed until an operator acts (authorisation, missing topic, fatal client state).
    Fatal,
}

/// Classifies a produce or delivery error.
pub fn classify(error: &KafkaError) -> Action {
    let Some(code) = error.rdkafka_error_code() else {
        return Action::Retry;
    };
    match code {
        RDKafkaErrorCode::MessageSizeTooLarge
        | RDKafkaErrorCode::InvalidMessageSize
        | RDKafkaErrorCode::InvalidMessage
        | RDKafkaErrorCode::InvalidRecord => Action::DeadLetter,
        RDKafkaErrorCode::TopicAuthorizationFailed
        | RDKafkaErrorCode::ClusterAuthorizationFailed
        | RDKafkaErrorCode::TransactionalIdAuthorizationFailed
        | RDKafkaErrorCode::SaslAuthenticationFailed
        | RDKafkaErrorCode::Authentication
        | RDKafkaErrorCode::UnknownTopic
        | RDKafkaErrorCode::UnknownTopicOrPartition
        | RDKafkaErrorCode::Fatal
        | RDKafkaErrorCode::InvalidArgument
        | RDKafkaErrorCode::UnsupportedForMessageFormat
        | RDKafkaErrorCode::InvalidRequiredAcks => Action::Fatal,
        _ => Action::Retry,
    }
}

/// A short label for metrics.
pub fn kind_label(action: Action) -> &'static str {
    match action {
        Action::Retry => "retried",
        Action::DeadLetter => "dead_lettered",
        Action::Fatal => "fatal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_what_to_do() {
        let produce = |code| KafkaError::MessageProduction(code);
        assert_eq!(classify(&produce(RDKafkaErrorCode::MessageSizeTooLarge)), Action::DeadLetter);
        assert_eq!(classify(&produce(RDKafkaErrorCode::TopicAuthorizationFailed)), Action::Fatal);
        assert_eq!(classify(&produce(RDKafkaErrorCode::MessageTimedOut)), Action::Retry);
        assert_eq!(classify(&produce(RDKafkaErrorCode::QueueFull)), Action::Retry);
        assert_eq!(classify(&produce(RDKafkaErrorCode::NotEnoughReplicas)), Action::Retry);
    }
}
