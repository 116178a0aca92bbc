//! libFuzzer entry for [`retouch_engine_fuzz::decode_pipeline`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| retouch_engine_fuzz::decode_pipeline(data));
