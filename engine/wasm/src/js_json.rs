//! JS values ⇄ JSON values at the boundary, with the path of the first bad value.
//!
//! The engine's contract is JSON. A JS caller hands us plain arrays and objects (or JSON text);
//! this module turns them into [`serde_json::Value`] so that the contract's own validation runs
//! and names the exact field at fault. The conversion itself refuses what JSON cannot hold —
//! `NaN`, functions, symbols, `BigInt`, class instances — naming the path too, and it is bounded in
//! depth and size so that a cyclic or enormous object is an error, never a stack overflow.

use js_sys::{Array, Object, Reflect};
use retouch_engine::Error;
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

/// Deepest nesting accepted (the contract needs 4).
const MAX_DEPTH: usize = 32;
/// Most values (array items, object fields, scalars) accepted in one argument.
const MAX_VALUES: usize = 100_000;
/// Largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Converts a JS value into JSON; `path` names it in errors (e.g. `toolCalls`).
///
/// `undefined` becomes `null`, and object fields whose value is `undefined` are left out, as
/// `JSON.stringify` does.
pub(crate) fn to_json(value: &JsValue, path: &str) -> Result<Value, Error> {
    let mut path = path.to_owned();
    let mut budget = MAX_VALUES;
    convert(value, &mut path, 0, &mut budget)
}

/// A JSON value as a fresh JS value (plain objects and arrays).
pub(crate) fn to_js(value: &Value) -> JsValue {
    // serde_json never fails to serialize a `Value`, and the text is always valid JSON.
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
    js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL)
}

/// How a JS value is called in messages: `null`, `a string`, `a Date`, …
pub(crate) fn describe(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if value.is_undefined() {
        "undefined".into()
    } else if value.as_bool().is_some() {
        "a boolean".into()
    } else if let Some(n) = value.as_f64() {
        format!("the number {n}")
    } else if value.is_string() {
        "a string".into()
    } else if value.is_bigint() {
        "a BigInt".into()
    } else if value.is_symbol() {
        "a symbol".into()
    } else if value.is_function() {
        "a function".into()
    } else if Array::is_array(value) {
        "an array".into()
    } else {
        let name = Reflect::get(value, &"constructor".into())
            .and_then(|c| Reflect::get(&c, &"name".into()))
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        if name.is_empty() || name == "Object" {
            "an object".into()
        } else {
            format!("a {name}")
        }
    }
}

fn convert(
    value: &JsValue,
    path: &mut String,
    depth: usize,
    budget: &mut usize,
) -> Result<Value, Error> {
    if *budget == 0 {
        return Err(Error::invalid(
            path.as_str(),
            format!("too large: expected at most {MAX_VALUES} values in all"),
        ));
    }
    *budget -= 1;
    if value.is_null() || value.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = value.as_f64() {
        return number(n).ok_or_else(|| {
            let shown = if n.is_nan() {
                "NaN"
            } else if n > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            };
            Error::invalid(
                path.as_str(),
                format!("expected a finite number, got {shown}"),
            )
        });
    }
    if let Some(s) = value.as_string() {
        return Ok(Value::String(s));
    }
    if depth >= MAX_DEPTH {
        return Err(Error::invalid(
            path.as_str(),
            format!("nested too deeply: expected at most {MAX_DEPTH} levels"),
        ));
    }
    if Array::is_array(value) {
        let array = Array::from(value);
        let mut items = Vec::with_capacity((array.length() as usize).min(1024));
        for (i, item) in array.iter().enumerate() {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            items.push(convert(&item, path, depth + 1, budget)?);
            path.truncate(len);
        }
        return Ok(Value::Array(items));
    }
    if is_plain_object(value) {
        let object: &Object = value.unchecked_ref();
        let mut map = Map::new();
        for key in Object::keys(object).iter() {
            let Some(name) = key.as_string() else {
                continue;
            };
            let field = Reflect::get(object, &key).unwrap_or(JsValue::UNDEFINED);
            if field.is_undefined() {
                continue;
            }
            let len = path.len();
            path.push('.');
            path.push_str(&name);
            let converted = convert(&field, path, depth + 1, budget)?;
            path.truncate(len);
            map.insert(name, converted);
        }
        return Ok(Value::Object(map));
    }
    Err(Error::invalid(
        path.as_str(),
        format!("expected JSON data, got {}", describe(value)),
    ))
}

/// A finite JS number as JSON: integers stay integers (so `800` is not `800.0`).
fn number(n: f64) -> Option<Value> {
    if !n.is_finite() {
        return None;
    }
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER {
        // Exact: |n| < 2^53 fits i64 without loss.
        return Some(Value::from(n as i64));
    }
    Number::from_f64(n).map(Value::Number)
}

/// An object literal, `Object.create(null)` or `JSON.parse` output — not a Date, Map or class
/// instance. Checked by shape rather than `instanceof`, so objects from another realm (a
/// worker's `postMessage`, Node's `vm`) pass too.
fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() {
        return false;
    }
    let proto = Object::get_prototype_of(value);
    proto.is_null() || Object::get_prototype_of(&proto).is_null()
}
