//! Exports for `run.mjs`: the input is copied into a buffer this module owns (no unsafe), then
//! each export runs one stage so Node can time it.

use std::ops::ControlFlow;
use std::sync::Mutex;

use retouch_engine::codec::{decode, encode, Limits};
use retouch_engine::contract::{parse_tool_calls, Format, Quality};
use retouch_engine::pipeline::{ImageInput, Job};

static INPUT: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static FRAME: Mutex<Option<image::DynamicImage>> = Mutex::new(None);

/// Makes the input buffer `len` bytes long and returns where Node should write the file.
#[no_mangle]
pub extern "C" fn input_buffer(len: usize) -> *mut u8 {
    let mut input = INPUT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    input.clear();
    input.resize(len, 0);
    input.as_mut_ptr()
}

/// Decode only; keeps the upright frame, returns its width (0 on error).
#[no_mangle]
pub extern "C" fn decode_only() -> u32 {
    let input = INPUT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match decode(&input, &Limits::default()) {
        Ok(d) => {
            let w = d.frame.width();
            *FRAME
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(d.frame);
            w
        }
        Err(_) => 0,
    }
}

/// Encode the kept frame as WebP at `quality`; returns the size in bytes (0 on error).
#[no_mangle]
pub extern "C" fn encode_webp(quality: u32) -> u32 {
    encode_kept(Format::Webp, quality)
}

/// Encode the kept frame as JPEG at `quality`; returns the size in bytes (0 on error).
#[no_mangle]
pub extern "C" fn encode_jpeg(quality: u32) -> u32 {
    encode_kept(Format::Jpg, quality)
}

fn encode_kept(format: Format, quality: u32) -> u32 {
    let frame = FRAME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let q = Quality::new(quality.min(100) as u8).unwrap_or(Quality::saturating(80));
    match frame.as_ref().map(|f| encode(f, format, q)) {
        Some(Ok(bytes)) => bytes.len() as u32,
        _ => 0,
    }
}

/// The whole W4 job through the pipeline; returns the output size in bytes (0 on error).
#[no_mangle]
pub extern "C" fn w4() -> u32 {
    let Ok(calls) = parse_tool_calls(
        r#"[{"tool":"rotate","params":{"degrees":90}},{"tool":"convert_format","params":{"format":"webp","quality":80}}]"#,
    ) else {
        return 0;
    };
    let job = Job {
        tool_calls: calls,
        ..Job::default()
    };
    let input = INPUT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let image = ImageInput {
        bytes: &input,
        name: "bench.jpg",
        id: None,
        tags: &[],
    };
    match job.run(&image, &mut |_| ControlFlow::Continue(())) {
        Ok(out) => out.bytes.len() as u32,
        Err(_) => 0,
    }
}
