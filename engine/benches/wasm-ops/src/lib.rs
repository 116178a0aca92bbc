//! Exports for `run.mjs`: a frame is made (synthetic, or decoded from a file Node copies into a
//! buffer this module owns), then each export runs one operation on a copy of it so Node can
//! time it. `copy_only` times the copy alone.

use std::sync::Mutex;

use image::{DynamicImage, RgbImage};
use retouch_engine::codec::{decode, Limits};
use retouch_engine::contract::parse_tool_calls;
use retouch_engine::ops;

static INPUT: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static FRAME: Mutex<Option<DynamicImage>> = Mutex::new(None);

/// The operations `apply(index)` runs.
const OPS: [&str; 7] = [
    r#"{"tool":"apply_filter","params":{"filter":"blur","sigma":5}}"#,
    r#"{"tool":"apply_filter","params":{"filter":"blur","sigma":20}}"#,
    r#"{"tool":"apply_filter","params":{"filter":"sharpen"}}"#,
    r#"{"tool":"rotate","params":{"degrees":90}}"#,
    r#"{"tool":"rotate","params":{"degrees":10}}"#,
    r#"{"tool":"apply_filter","params":{"filter":"grayscale"}}"#,
    r#"{"tool":"adjust","params":{"brightness":10,"saturation":30}}"#,
];

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Makes the input buffer `len` bytes long and returns where Node should write the file.
#[no_mangle]
pub extern "C" fn input_buffer(len: usize) -> *mut u8 {
    let mut input = lock(&INPUT);
    input.clear();
    input.resize(len, 0);
    input.as_mut_ptr()
}

/// Decodes the input and keeps the frame; returns its width (0 on error).
#[no_mangle]
pub extern "C" fn decode_input() -> u32 {
    let input = lock(&INPUT);
    match decode(&input, &Limits::default()) {
        Ok(d) => {
            let w = d.frame.width();
            *lock(&FRAME) = Some(d.frame);
            w
        }
        Err(_) => 0,
    }
}

/// Keeps a synthetic `width` × `height` RGB frame with gradients and texture.
#[no_mangle]
pub extern "C" fn synthetic(width: u32, height: u32) -> u32 {
    let img = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x / 22) as u8, (y / 13) as u8, ((x ^ y) & 0xff) as u8])
    });
    *lock(&FRAME) = Some(DynamicImage::ImageRgb8(img));
    width
}

/// Number of operations.
#[no_mangle]
pub extern "C" fn op_count() -> u32 {
    OPS.len() as u32
}

/// Copies the kept frame only; returns its width.
#[no_mangle]
pub extern "C" fn copy_only() -> u32 {
    lock(&FRAME).clone().map_or(0, |f| f.width())
}

/// Runs operation `index` on a copy of the kept frame; returns the output width (0 on error).
#[no_mangle]
pub extern "C" fn apply(index: u32) -> u32 {
    let Some(json) = OPS.get(index as usize) else {
        return 0;
    };
    let Ok(calls) = parse_tool_calls(&format!("[{json}]")) else {
        return 0;
    };
    let Some(frame) = lock(&FRAME).clone() else {
        return 0;
    };
    ops::apply(frame, &calls[0].tool).map_or(0, |f| f.width())
}
