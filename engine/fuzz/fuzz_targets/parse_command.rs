//! libFuzzer entry for [`retouch_engine_fuzz::parse_command`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| retouch_engine_fuzz::parse_command(data));
