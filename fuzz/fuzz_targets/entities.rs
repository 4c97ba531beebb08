//! Fuzz target `entities`: see `tests/fuzz/harness.rs` for how the input is read and what must hold.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

#[allow(dead_code)]
#[path = "../../tests/fuzz/harness.rs"]
mod harness;

/// The knowledge base and NER models, loaded once per process from the repository.
fn stage() -> &'static harness::EntityStage {
    static STAGE: OnceLock<harness::EntityStage> = OnceLock::new();
    STAGE.get_or_init(|| harness::EntityStage::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..")))
}

// Loaded before the first input (building the label automata takes seconds under the sanitizer, which would
// otherwise count against the first input's timeout).
libfuzzer_sys::fuzz_target!(init: { stage(); }, |data: &[u8]| harness::entities(stage(), data));
