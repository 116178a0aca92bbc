//! # `@retouch/engine`: the Retouch engine as WebAssembly
//!
//! The thin wasm-bindgen layer over [`retouch_engine`]; the core crate stays free of JS types.
//! Everything here converts at the edge: JS values in (checked, naming the first bad field), the
//! engine's work, JS values out, and engine errors thrown as JS `Error`s whose `kind` is
//! [`ErrorKind::as_str`](retouch_engine::ErrorKind::as_str) and whose `path` names the field at
//! fault. The JS API, its TypeScript types and examples are in `engine/wasm/README.md`.
//!
//! Nothing here panics on input. Should an engine bug panic anyway, the panic hook logs it and
//! schedules a fresh instance: the failing call throws a `WebAssembly.RuntimeError` and the next
//! call works again, so a worker is never left holding a dead module.

mod boundary;
mod js_json;

use std::ops::ControlFlow;
use std::sync::Once;

use js_sys::{Function, Object, Uint8Array};
use retouch_engine::codec::{self, Limits};
use retouch_engine::contract::{self, tool_calls_to_json};
use retouch_engine::pipeline::{ImageInput, Job, Progress};
use retouch_engine::Error;
use retouch_parse as parse;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use boundary::{bytes_from_js, input_meta_from_js, js_error, set};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// Makes a panic (an engine bug) log itself and schedule a fresh instance for the next call.
/// Runs once per instance: a re-initialised instance starts with fresh memory, hook unset.
fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error(&format!(
                "@retouch/engine: internal error, the module will be re-initialised: {info}"
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

/// The package version, e.g. `"0.1.0"`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The tools as a JSON Schema in OpenAI function-calling form (what an LLM is shown).
#[wasm_bindgen(js_name = toolSchema, unchecked_return_type = "ToolSchema")]
pub fn tool_schema() -> JsValue {
    js_json::to_js(&contract::tool_schema())
}

/// Whether `head` (the first bytes of a file; 1 KiB is plenty) is a HEIC/HEIF photo, which
/// `process` and `inspect` read only after `loadHeif()` has loaded the HEIF module.
#[wasm_bindgen(js_name = isHeif)]
pub fn is_heif(head: &[u8]) -> bool {
    codec::needs_heif_module(head)
}

/// The most pixels an image may have (the engine's limits); the HEIF module decodes no more.
#[wasm_bindgen(js_name = maxPixels)]
pub fn max_pixels() -> f64 {
    Limits::default().max_pixels as f64
}

/// Format, displayed size, EXIF orientation and alpha, read from the header without decoding.
#[wasm_bindgen(unchecked_return_type = "ImageInfo")]
pub fn inspect(
    #[wasm_bindgen(unchecked_param_type = "ImageBytes")] bytes: &JsValue,
) -> Result<JsValue, JsValue> {
    install_panic_hook();
    let bytes = bytes_from_js(bytes).map_err(|e| js_error(&e))?;
    let info = codec::inspect(&bytes, &Limits::default()).map_err(|e| js_error(&e))?;
    Ok(js_json::to_js(&json!({
        "format": info.format.wire_name(),
        "mimeType": info.format.mime_type(),
        "outputFormat": info.format.default_output().extension(),
        "width": info.width,
        "height": info.height,
        "orientation": info.orientation,
        "hasAlpha": info.has_alpha,
    })))
}

/// Runs tool calls on one image and encodes the result.
///
/// `tool_calls` and `options` follow the engine's JSON contract, as JS values or JSON text.
/// `on_progress` gets `{step, steps, fraction, message}` before each step; returning `false`
/// cancels the job (error kind `cancelled`), and an exception it throws cancels the job and is
/// rethrown. `input` optionally gives the image's `name`, `id` and `tags`.
#[wasm_bindgen(unchecked_return_type = "ProcessResult")]
#[allow(non_snake_case)] // the parameter names are the JS API's
pub fn process(
    #[wasm_bindgen(unchecked_param_type = "ImageBytes")] bytes: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "ToolCall[] | string")] toolCalls: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "JobOptions | string | null")] options: &JsValue,
    #[wasm_bindgen(
        unchecked_optional_param_type = "((progress: Progress) => boolean | void) | null"
    )]
    onProgress: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ImageMeta | null")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    install_panic_hook();
    let job = job_from_js(toolCalls, options).map_err(|e| js_error(&e))?;
    let on_progress = callback_from_js(onProgress).map_err(|e| js_error(&e))?;
    let meta = input_meta_from_js(input).map_err(|e| js_error(&e))?;
    let bytes = bytes_from_js(bytes).map_err(|e| js_error(&e))?;

    let image = ImageInput {
        bytes: &bytes,
        name: &meta.name,
        id: meta.id.as_deref(),
        tags: &meta.tags,
    };
    let mut thrown: Option<JsValue> = None;
    let mut report = |p: &Progress| -> ControlFlow<()> {
        let Some(callback) = &on_progress else {
            return ControlFlow::Continue(());
        };
        let progress = Object::new();
        set(&progress, "step", p.step as f64);
        set(&progress, "steps", p.steps as f64);
        set(&progress, "fraction", f64::from(p.fraction));
        set(&progress, "message", p.message.as_str());
        match callback.call1(&JsValue::UNDEFINED, &progress) {
            Ok(answer) if answer.as_bool() == Some(false) => ControlFlow::Break(()),
            Ok(_) => ControlFlow::Continue(()),
            Err(exception) => {
                thrown = Some(exception);
                ControlFlow::Break(())
            }
        }
    };
    let result = job.run(&image, &mut report);
    if let Some(exception) = thrown {
        return Err(exception);
    }
    let output = result.map_err(|e| js_error(&e))?;

    let out = Object::new();
    set(&out, "bytes", Uint8Array::from(output.bytes.as_slice()));
    set(&out, "width", output.width);
    set(&out, "height", output.height);
    set(&out, "format", output.format.extension());
    set(&out, "mimeType", output.format.mime_type());
    set(&out, "size", output.bytes.len() as f64);
    set(
        &out,
        "fileName",
        format!("{}.{}", output.name, output.format.extension()),
    );
    set(&out, "name", output.name);
    set(&out, "tags", js_json::to_js(&Value::from(output.tags)));
    if let Some(q) = output.quality {
        set(&out, "quality", q);
    }
    set(&out, "scale", output.scale);
    set(&out, "keptInput", output.kept_input);
    set(
        &out,
        "warnings",
        js_json::to_js(&Value::from(output.warnings)),
    );
    Ok(out.into())
}

/// Reads a plain-language command into tool calls with the deterministic parser (no LLM).
#[wasm_bindgen(js_name = parseCommand, unchecked_return_type = "ParsedCommand")]
pub fn parse_command(
    #[wasm_bindgen(unchecked_param_type = "string")] text: &JsValue,
) -> Result<JsValue, JsValue> {
    install_panic_hook();
    let Some(text) = text.as_string() else {
        return Err(js_error(&Error::invalid(
            "text",
            format!("expected a string, got {}", js_json::describe(text)),
        )));
    };
    let parsed = parse::parse_command(&text);
    Ok(js_json::to_js(&json!({
        "toolCalls": tool_calls_to_json(&parsed.tool_calls),
        "unparsed": parsed.unparsed,
        "notes": parsed.notes,
    })))
}

/// The job from the contract's two JSON arguments, each a JS value or JSON text.
fn job_from_js(tool_calls: &JsValue, options: &JsValue) -> Result<Job, Error> {
    let tool_calls = match tool_calls.as_string() {
        Some(text) => contract::parse_tool_calls(&text)?,
        None => contract::tool_calls_from_value(&js_json::to_json(tool_calls, "toolCalls")?)?,
    };
    let options = match options.as_string() {
        Some(text) => contract::parse_options(&text)?,
        None => contract::parse_options_from_value(&js_json::to_json(options, "options")?)?,
    };
    Ok(Job {
        tool_calls,
        options,
        limits: Limits::default(),
    })
}

fn callback_from_js(value: &JsValue) -> Result<Option<Function>, Error> {
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    value
        .dyn_ref::<Function>()
        .cloned()
        .map(Some)
        .ok_or_else(|| {
            Error::invalid(
                "onProgress",
                format!("expected a function, got {}", js_json::describe(value)),
            )
        })
}
