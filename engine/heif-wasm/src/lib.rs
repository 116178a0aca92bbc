//! The HEIF module of `@retouch/engine`: HEIC/HEIF files in, decoded frames out.
//!
//! The base engine module has no HEVC decoder (most people never drop a HEIC, and it would cost
//! every page load). The package's JS loads this module the first time a file's signature says
//! HEIF, and then:
//!
//! 1. [`probe`] gives a header-only frame, which the base module's `inspect` reads: size and
//!    limits are checked by the engine itself, before anything is decoded;
//! 2. [`decode`] gives the decoded frame (upright 8-bit pixels, ICC, EXIF, XMP and what is
//!    wrong with the file, if anything), which the base module's `process` edits in place of the
//!    file.
//!
//! Errors are JS `Error`s named `RetouchError` with the engine's `kind`s and sentences.

use std::sync::Once;

use js_sys::Uint8Array;
use retouch_heif::Error;
use wasm_bindgen::prelude::*;

/// Makes a panic (a decoder bug) log itself and schedule a fresh instance for the next call, as
/// the base module does: the call traps, the package's JS reports the file as undecodable.
fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error(&format!(
                "@retouch/engine HEIF module: internal error, it will be re-initialised: {info}"
            ));
            wasm_bindgen::handler::schedule_reinit();
        }));
    });
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// The module's version (the engine's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

fn js_error(kind: &str, message: &str) -> JsValue {
    let js = js_sys::Error::new(message);
    js.set_name("RetouchError");
    let _ = js_sys::Reflect::set(&js, &"kind".into(), &kind.into());
    js.into()
}

/// An error as the engine words it (see the engine's `codec::heif`).
fn engine_error(e: &Error, bytes: &[u8]) -> JsValue {
    // A damaged file's own story beats the decoder's, as in the engine's pipeline.
    if let (Error::Truncated(_) | Error::Malformed(_), Some(d)) =
        (e, retouch_heif::integrity::check(bytes))
    {
        return js_error("decode", &format!("cannot decode image: {}", d.message));
    }
    match e {
        Error::Unsupported(what) => js_error(
            "unsupported",
            &format!("unsupported: This is a HEIC photo with {what}, which we can't read yet"),
        ),
        Error::Truncated(_) => js_error(
            "decode",
            "cannot decode image: the HEIC file ends too early (truncated or incomplete)",
        ),
        Error::TooLarge { width, height } => js_error(
            "limits",
            &format!("HEIC image is {width} × {height}, over the limit"),
        ),
        other => js_error(
            "decode",
            &format!("cannot decode image: corrupt HEIC data: {other}"),
        ),
    }
}

/// A header-only frame of `bytes` (a HEIF file) for the base module's `inspect`.
#[wasm_bindgen]
pub fn probe(bytes: &Uint8Array) -> Result<Uint8Array, JsValue> {
    install_panic_hook();
    let bytes = bytes.to_vec();
    let info = retouch_heif::probe(&bytes).map_err(|e| engine_error(&e, &bytes))?;
    Ok(Uint8Array::from(info.to_frame().as_slice()))
}

/// The decoded frame of `bytes` (a HEIF file), refusing more than `max_pixels` pixels before
/// allocating them.
#[wasm_bindgen]
pub fn decode(bytes: &Uint8Array, max_pixels: f64) -> Result<Uint8Array, JsValue> {
    install_panic_hook();
    let bytes = bytes.to_vec();
    let limit = if max_pixels.is_finite() && max_pixels >= 1.0 {
        max_pixels as u64
    } else {
        100_000_000
    };
    let image = retouch_heif::decode(&bytes, limit).map_err(|e| engine_error(&e, &bytes))?;
    drop(bytes);
    // The frame is put together in JS memory: the pixels are never copied twice in this module's.
    let header = image.frame_header();
    let total = header.len() + image.pixels.len();
    let (Ok(head), Ok(end)) = (u32::try_from(header.len()), u32::try_from(total)) else {
        return Err(js_error("limits", "the decoded picture is over 4 GB"));
    };
    let out = Uint8Array::new_with_length(end);
    out.subarray(0, head).copy_from(&header);
    out.subarray(head, end).copy_from(&image.pixels);
    Ok(out)
}
