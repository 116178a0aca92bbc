//! Checked conversions of the non-contract arguments (image bytes, image metadata) and of errors.

use js_sys::{ArrayBuffer, Reflect, SharedArrayBuffer, Uint8Array};
use retouch_engine::contract::json_type_name;
use retouch_engine::Error;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

use crate::js_json::{describe, to_json};

/// The longest image name accepted, in characters.
const MAX_NAME: usize = 1024;
/// The most tags accepted on one image.
const MAX_TAGS: usize = 64;
/// The longest tag accepted, in characters.
const MAX_TAG: usize = 128;

/// Sets `object[key] = value`. Setting a field on an object we just created cannot fail.
pub(crate) fn set(object: &JsValue, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(object, &JsValue::from_str(key), &value.into());
}

/// An engine error as a JS `Error` named `RetouchError`, with `kind` and, when the error is about
/// one field, `path`.
pub(crate) fn js_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name("RetouchError");
    set(&js, "kind", error.kind().as_str());
    if let Some(path) = error.path() {
        set(&js, "path", path);
    }
    js.into()
}

/// The bytes of a `Uint8Array` (a Node `Buffer` is one), any other typed array or `DataView`
/// (its bytes), or an `ArrayBuffer`, copied into wasm memory.
pub(crate) fn bytes_from_js(value: &JsValue) -> Result<Vec<u8>, Error> {
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return Ok(array.to_vec());
    }
    if ArrayBuffer::is_view(value) {
        let field = |name: &str| Reflect::get(value, &JsValue::from_str(name)).ok();
        let buffer = field("buffer");
        let offset = field("byteOffset").and_then(|v| v.as_f64());
        let length = field("byteLength").and_then(|v| v.as_f64());
        if let (Some(buffer), Some(offset), Some(length)) = (buffer, offset, length) {
            let view =
                Uint8Array::new_with_byte_offset_and_length(&buffer, offset as u32, length as u32);
            return Ok(view.to_vec());
        }
    }
    if value.is_instance_of::<ArrayBuffer>() || value.is_instance_of::<SharedArrayBuffer>() {
        return Ok(Uint8Array::new(value).to_vec());
    }
    Err(Error::invalid(
        "bytes",
        format!(
            "expected the image file as a Uint8Array, ArrayBuffer or Buffer, got {}",
            describe(value)
        ),
    ))
}

/// What a caller tells about an image besides its bytes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ImageMeta {
    /// The file name, used to name the output. Default `image`.
    pub name: String,
    /// The id that `applyToAll: false` tool calls refer to.
    pub id: Option<String>,
    /// Tags; the output gets these plus `edited`.
    pub tags: Vec<String>,
}

/// `{name?, id?, tags?}`, or `null`/`undefined` for none.
pub(crate) fn input_meta_from_js(value: &JsValue) -> Result<ImageMeta, Error> {
    let mut meta = ImageMeta {
        name: "image".to_owned(),
        id: None,
        tags: Vec::new(),
    };
    let json = to_json(value, "input")?;
    let fields = match json {
        Value::Null => return Ok(meta),
        Value::Object(fields) => fields,
        other => {
            return Err(Error::invalid(
                "input",
                format!(
                    "expected {{name, id, tags}}, got {}",
                    json_type_name(&other)
                ),
            ))
        }
    };
    for (key, value) in fields {
        let path = format!("input.{key}");
        match (key.as_str(), value) {
            (_, Value::Null) => {}
            ("name", Value::String(s)) if (1..=MAX_NAME).contains(&s.chars().count()) => {
                meta.name = s;
            }
            ("name", _) => {
                return Err(Error::invalid(
                    path,
                    format!("expected a file name of 1 to {MAX_NAME} characters"),
                ))
            }
            ("id", Value::String(s)) if (1..=128).contains(&s.chars().count()) => {
                meta.id = Some(s);
            }
            ("id", _) => {
                return Err(Error::invalid(
                    path,
                    "expected an image id string of 1 to 128 characters",
                ))
            }
            ("tags", Value::Array(items)) if items.len() <= MAX_TAGS => {
                for (i, item) in items.into_iter().enumerate() {
                    match item {
                        Value::String(s) if s.chars().count() <= MAX_TAG => meta.tags.push(s),
                        _ => {
                            return Err(Error::invalid(
                                format!("{path}[{i}]"),
                                format!("expected a tag string of at most {MAX_TAG} characters"),
                            ))
                        }
                    }
                }
            }
            ("tags", _) => {
                return Err(Error::invalid(
                    path,
                    format!("expected an array of at most {MAX_TAGS} tag strings"),
                ))
            }
            _ => {
                return Err(Error::invalid(
                    path,
                    "unknown field; input has name, id and tags",
                ))
            }
        }
    }
    Ok(meta)
}
