//! libFuzzer entry for [`retouch_engine_fuzz::decode_heif`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| retouch_engine_fuzz::decode_heif(data));
