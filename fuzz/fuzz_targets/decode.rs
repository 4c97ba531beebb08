//! Fuzz target `decode`: see `tests/fuzz/harness.rs` for how the input is read and what must hold.
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::decode(data));
