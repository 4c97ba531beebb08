//! The reliability suite: the real binary against a real broker process under faults (SIGTERM, kill -9, a
//! replica joining and leaving, a broker restart, an output topic rejecting records) and load (a large corpus
//! with junk of every kind, a burst far faster than processing). After every scenario it audits the topics:
//! every input id is in the output or the dead-letter topic, none is missing, and duplicates stay within what
//! at-least-once allows at the fault. Ignored by a plain `cargo test`; `make reliability` (part of `make test`)
//! runs the quick profile, `make soak` the heavy one. Fault points come from a seeded generator: the seed is
//! printed, and `NEWS_ENRICHER_RELIABILITY_SEED` replays it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed expectation is a failed test

mod audit;
#[path = "../common/mod.rs"]
mod common;
mod harness;

mod broker;
mod group;
mod load;
mod output;
mod signals;
