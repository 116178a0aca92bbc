//! libFuzzer entry for [`retouch_engine_fuzz::tool_calls`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| retouch_engine_fuzz::tool_calls(data));
