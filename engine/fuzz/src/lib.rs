//! The bodies of the engine's fuzz targets, shared by the libFuzzer binaries (`fuzz_targets/`) and
//! the stable `cargo test` replay harness (`tests/replay.rs`).
//!
//! Each function takes arbitrary bytes and panics only when the engine breaks a promise:
//!
//! - [`decode_pipeline`]: a few tool calls built from the first bytes, then the rest as an image file,
//!   through the whole pipeline (decode with limits, every operation, encode). Any `Err` is fine; a
//!   panic, an abort or an allocation over the limits is a bug. A success must be a readable image
//!   of the size the pipeline reports.
//! - [`tool_calls`]: the bytes as tool-call JSON and as job-options JSON. Whatever validates must
//!   round-trip: its JSON form validates again to the same calls.
//! - [`decode_heif`]: the bytes as a HEIC/HEIF file and as a decoded frame (what the HEIF wasm
//!   module hands the engine): probe, decode (with a 1 MP limit) and the engine's decode. A
//!   success must hold exactly `width × height × channels` bytes.
//! - [`parse_command`]: the bytes as a plain-language command. Every call the parser plans must be
//!   valid under the contract (it promises so), and parsing never panics.
//!
//! ```
//! retouch_engine_fuzz::parse_command(b"make it black and white and 800 px wide");
//! retouch_engine_fuzz::tool_calls(br#"[{"tool":"rotate","params":{"degrees":90}}]"#);
//! ```

use std::ops::ControlFlow;

use retouch_engine::codec::{self, Limits};
use retouch_engine::contract::{
    parse_options, parse_tool_calls, tool_calls_from_value, tool_calls_to_json, JobOptions,
};
use retouch_engine::pipeline::{ImageInput, Job};
use serde_json::{json, Value};

/// Limits for fuzzed images: small enough that one execution stays in milliseconds, large enough
/// for every code path (the limit checks themselves are exercised by huge claimed sizes).
pub const FUZZ_LIMITS: Limits = Limits {
    max_pixels: 1 << 20,
    max_dimension: 2048,
    max_input_bytes: 1 << 20,
};

/// Bytes that describe one tool call in [`decode_pipeline`]'s input.
pub const CALL_BYTES: usize = 8;
/// At most this many tool calls per [`decode_pipeline`] input.
pub const MAX_CALLS: usize = 4;

/// Fuzz target: tool calls from the first bytes, the rest as an image, through the pipeline.
///
/// Layout: byte 0 gives the number of calls (`% 5`), then [`CALL_BYTES`] per call, then one byte of
/// job options, then the image file. A seed is therefore `[0, 0]` followed by an image.
pub fn decode_pipeline(data: &[u8]) {
    let Some((&count, rest)) = data.split_first() else {
        return;
    };
    let count = usize::from(count) % (MAX_CALLS + 1);
    let Some((specs, rest)) = rest.split_at_checked(count * CALL_BYTES) else {
        return;
    };
    let Some((&opts, image)) = rest.split_first() else {
        return;
    };
    let calls: Vec<Value> = specs
        .chunks_exact(CALL_BYTES)
        .map(call_from_bytes)
        .collect();
    // Out-of-range parameters must be refused by validation, never reach an operation.
    let Ok(tool_calls) = tool_calls_from_value(&Value::Array(calls)) else {
        return;
    };
    let job = Job {
        tool_calls,
        options: options_from_byte(opts),
        limits: FUZZ_LIMITS,
    };
    let input = ImageInput {
        bytes: image,
        name: "fuzz.png",
        id: Some("img_1"),
        tags: &[],
    };
    let mut reports = 0u32;
    let result = job.run(&input, &mut |p| {
        reports += 1;
        assert!(
            (0.0..=1.0).contains(&p.fraction),
            "progress out of range: {p:?}"
        );
        // Every few inputs, cancel midway: cancellation must be clean too.
        if opts & 0x80 != 0 && reports == 2 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    if let Ok(out) = result {
        let back = codec::inspect(&out.bytes, &Limits::default())
            .unwrap_or_else(|e| panic!("the pipeline wrote an unreadable {:?}: {e}", out.format));
        assert_eq!(
            (back.width, back.height),
            (out.width, out.height),
            "the encoded size differs from the reported one"
        );
    }
}

/// One tool call's JSON from [`CALL_BYTES`] bytes: byte 0 picks the tool, the others its
/// parameters, mostly in range and sometimes out of it (so validation is exercised as well).
fn call_from_bytes(b: &[u8]) -> Value {
    let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
    // Sizes up to 600 px keep one execution fast; 0 and a few past the contract's maximum appear.
    let px = |i: usize| match b[i] {
        0 => json!(0),
        255 => json!(16_385),
        v => json!(u32::from(u16_at(i) % 600) + u32::from(v % 3)),
    };
    let signed = |v: u8, range: f64| (f64::from(v) - 127.5) / 127.5 * range;
    const FILTERS: [&str; 6] = [
        "grayscale",
        "sepia",
        "blur",
        "sharpen",
        "negate",
        "normalize",
    ];
    const GRAVITY: [&str; 9] = [
        "north",
        "north-east",
        "east",
        "south-east",
        "south",
        "south-west",
        "west",
        "north-west",
        "center",
    ];
    const FITS: [&str; 5] = ["cover", "contain", "fill", "inside", "outside"];
    const KERNELS: [&str; 4] = ["nearest", "bilinear", "mitchell", "lanczos3"];
    const FORMATS: [&str; 4] = ["jpg", "png", "webp", "gif"];
    const COLORS: [&str; 5] = ["white", "#ff000080", "transparent", "rgb(1,2,3)", "#zz"];
    const TEXTS: [&str; 5] = [
        "© Ana 2026",
        "",
        "a much longer caption that has to wrap over several lines on a small image",
        "🙂 ÿ \u{202e}",
        "\n\n\n",
    ];
    match b[0] % 12 {
        0 => json!({"tool": "resize", "params": {"width": px(1), "height": px(3),
            "fit": FITS[usize::from(b[5] % 5)],
            "kernel": KERNELS[usize::from(b[6] % 4)],
            "withoutEnlargement": b[7] & 1 == 1}}),
        1 => json!({"tool": "resize", "params": {"scale": f64::from(b[1]) / 64.0}}),
        2 => json!({"tool": "rotate", "params": {"degrees": signed(b[1], 400.0),
            "background": COLORS[usize::from(b[2] % 5)]}}),
        3 => {
            json!({"tool": "flip", "params": {"direction": if b[1] & 1 == 0 { "horizontal" } else { "vertical" }}})
        }
        4 => json!({"tool": "crop", "params": {"x": u16_at(1) % 700, "y": u16_at(3) % 700,
            "width": px(5), "height": px(6)}}),
        5 => {
            json!({"tool": "crop", "params": {"aspectRatio": format!("{}:{}", b[1] % 102, b[2] % 102),
            "gravity": GRAVITY[usize::from(b[3] % 9)], "trim": b[4]}})
        }
        6 => json!({"tool": "apply_filter", "params": {"filter": FILTERS[usize::from(b[1] % 6)],
            "sigma": f64::from(b[2]) / 20.0, "amount": f64::from(b[3]) / 20.0,
            "intensity": f64::from(b[4]) / 250.0}}),
        7 => json!({"tool": "add_border", "params": {"width": u16_at(1) % 120,
            "color": COLORS[usize::from(b[3] % 5)]}}),
        8 => json!({"tool": "add_text", "params": {"text": TEXTS[usize::from(b[1] % 5)],
            "fontSize": 2 + u32::from(b[2]), "position": GRAVITY[usize::from(b[3] % 9)],
            "margin": b[4], "color": COLORS[usize::from(b[5] % 5)]}}),
        9 => json!({"tool": "adjust", "params": {"brightness": signed(b[1], 110.0),
            "contrast": signed(b[2], 100.0), "saturation": signed(b[3], 100.0),
            "hue": signed(b[4], 180.0), "gamma": 0.05 + f64::from(b[5]) / 25.0,
            "temperature": signed(b[6], 100.0), "exposure": signed(b[7], 5.0)}}),
        10 => json!({"tool": "convert_format", "params": {
            "format": FORMATS[usize::from(b[1] % 4)], "quality": b[2] % 102}}),
        _ => json!({"tool": "adjust_quality", "params": {"quality": 1 + b[1] % 100}}),
    }
}

/// Job options from one byte: output format, quality and a size cap.
fn options_from_byte(b: u8) -> JobOptions {
    let format = [
        "",
        r#""outputFormat":"png","#,
        r#""outputFormat":"jpg","#,
        r#""outputFormat":"webp","#,
    ][usize::from(b & 3)];
    let fit = if b & 0x04 != 0 {
        r#""maxWidth":64,"#
    } else {
        ""
    };
    let json = format!(r#"{{{format}{fit}"quality":{}}}"#, 1 + (b >> 3) % 100);
    parse_options(&json).unwrap_or_default()
}

/// Fuzz target: the bytes as tool-call JSON and as job-options JSON.
pub fn tool_calls(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(calls) = parse_tool_calls(text) {
        let again = tool_calls_from_value(&tool_calls_to_json(&calls))
            .unwrap_or_else(|e| panic!("valid calls did not survive their JSON form: {e}"));
        assert_eq!(again, calls, "tool calls changed in a JSON round trip");
    }
    if let Ok(options) = parse_options(text) {
        let json = serde_json::to_string(&options).unwrap_or_default();
        let again = parse_options(&json)
            .unwrap_or_else(|e| panic!("valid options did not survive their JSON form: {e}"));
        assert_eq!(again, options, "job options changed in a JSON round trip");
    }
}

/// Fuzz target: the bytes as a plain-language command.
pub fn parse_command(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = retouch_parse::parse_command(&text);
    let json = parsed.to_json();
    if let Err(e) = tool_calls_from_value(&json["toolCalls"]) {
        panic!("the parser planned calls the contract refuses for {text:?}: {e}");
    }
}

/// Fuzz target: the bytes as a HEIF file (retouch-heif directly and through the engine) and as a
/// decoded-frame container.
pub fn decode_heif(data: &[u8]) {
    let _ = retouch_heif::probe(data);
    let _ = retouch_heif::integrity::check(data);
    if let Ok(image) = retouch_heif::decode(data, FUZZ_LIMITS.max_pixels) {
        let expected = image.width as usize * image.height as usize * usize::from(image.channels);
        assert_eq!(
            image.pixels.len(),
            expected,
            "decoded HEIF of the wrong size"
        );
        assert!((1..=4).contains(&image.channels));
        assert!(u64::from(image.width) * u64::from(image.height) <= FUZZ_LIMITS.max_pixels);
        // Its frame container reads back as the same picture.
        let frame = image.to_frame();
        let read = retouch_heif::frame::read(&frame).expect("a frame we wrote reads back");
        assert_eq!(
            (read.width, read.height, read.pixels),
            (image.width, image.height, &image.pixels[..])
        );
    }
    if let Ok(f) = retouch_heif::frame::read(data) {
        assert!(
            f.pixels.is_empty()
                || f.pixels.len() == f.width as usize * f.height as usize * usize::from(f.channels)
        );
    }
    if let Ok(decoded) = codec::decode(data, &FUZZ_LIMITS) {
        assert!(
            u64::from(decoded.frame.width()) * u64::from(decoded.frame.height())
                <= FUZZ_LIMITS.max_pixels
        );
    }
}
