//! The tools as a JSON Schema in OpenAI function-calling form — what an LLM is shown.
//!
//! Generated from the Rust parameter types, so the schema can never drift from the validator: the
//! bounds come from the range types, the descriptions from the doc comments. A snapshot test
//! (`tests/schema_snapshot.rs`) guards the exact output.

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{json, Map, Value};

use super::options::JobOptions;
use super::tools::{
    AdjustParams, AdjustQualityParams, BorderParams, ConvertFormatParams, CropParams, FilterParams,
    FlipParams, GenerateParams, ResizeParams, RotateParams, TextParams,
};

/// One sentence per tool, for the function's `description`.
pub const TOOL_DESCRIPTIONS: &[(&str, &str)] = &[
    ("resize", "Change the image size by width, height or scale factor."),
    ("rotate", "Rotate the image clockwise by any angle (negative = counter-clockwise)."),
    ("flip", "Mirror the image horizontally or vertically."),
    ("crop", "Cut out a rectangle, an aspect ratio such as 1:1 or 16:9, or trim pixels off every side."),
    ("convert_format", "Change the output file format (jpg, png, webp)."),
    ("adjust_quality", "Change the output compression quality (1-100) without changing the format."),
    ("apply_filter", "Apply grayscale (black and white), sepia, blur, sharpen, negate or normalize."),
    ("add_border", "Add a solid coloured border around the image."),
    ("add_text", "Write text (a caption or watermark) onto the image."),
    ("adjust", "Adjust brightness, contrast, saturation, hue, gamma, colour temperature, tint or exposure."),
    ("generate_with_llm", "Any edit that no other tool can do, such as removing or replacing objects, people, the sky or the background. Use only when no other tool fits."),
];

fn parameters<T: JsonSchema>() -> Value {
    let schema = SchemaSettings::draft2020_12()
        .with(|s| s.inline_subschemas = true)
        .into_generator()
        .into_root_schema_for::<T>();
    let mut v = schema.to_value();
    if let Value::Object(m) = &mut v {
        m.remove("$schema");
        m.remove("title");
        m.remove("description");
    }
    simplify(&mut v);
    v
}

/// Turns `oneOf` lists of string constants (how schemars writes documented enums) into a plain
/// `enum` whose description lists the meanings: small models follow `enum` far more reliably.
fn simplify(v: &mut Value) {
    match v {
        Value::Object(m) => {
            drop_null(m);
            if let Some(Value::Array(alts)) = m.get("oneOf") {
                let consts: Option<Vec<(String, Option<String>)>> = alts
                    .iter()
                    .map(|a| {
                        let c = a.get("const")?.as_str()?.to_owned();
                        let d = a
                            .get("description")
                            .and_then(Value::as_str)
                            .map(str::to_owned);
                        Some((c, d))
                    })
                    .collect();
                if let Some(consts) = consts {
                    m.remove("oneOf");
                    let meanings: Vec<String> = consts
                        .iter()
                        .filter_map(|(c, d)| d.as_ref().map(|d| format!("{c}: {d}")))
                        .collect();
                    m.insert("type".into(), json!("string"));
                    m.insert(
                        "enum".into(),
                        Value::Array(consts.into_iter().map(|(c, _)| Value::String(c)).collect()),
                    );
                    if !meanings.is_empty() {
                        let extra = meanings.join(" ");
                        let d = match m.get("description").and_then(Value::as_str) {
                            Some(d) => format!("{d} {extra}"),
                            None => extra,
                        };
                        m.insert("description".into(), Value::String(d));
                    }
                }
            }
            // `$ref` siblings of an inlined enum: keep the field's own description.
            for (_, child) in m.iter_mut() {
                simplify(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(simplify),
        _ => {}
    }
}

/// Optional fields are simply absent: `null` is never a valid value, so the schema does not offer it.
fn drop_null(m: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = m.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            m.insert("type".into(), only);
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(alts)) = m.get_mut(key) {
            alts.retain(|a| a.get("type").and_then(Value::as_str) != Some("null"));
            if alts.len() == 1 {
                if let Some(Value::Object(only)) = alts.pop() {
                    m.remove(key);
                    for (k, v) in only {
                        m.entry(k).or_insert(v);
                    }
                }
            }
        }
    }
}

/// The tools in OpenAI function-calling form: `[{"type": "function", "function": {name,
/// description, parameters}}, …]`.
///
/// ```
/// let tools = retouch_contract::tool_schema();
/// let names: Vec<&str> = tools.as_array().unwrap().iter()
///     .map(|t| t["function"]["name"].as_str().unwrap()).collect();
/// assert!(names.contains(&"resize") && names.contains(&"generate_with_llm"));
/// assert_eq!(tools[0]["function"]["parameters"]["additionalProperties"], false);
/// ```
pub fn tool_schema() -> Value {
    let params: [(&str, Value); 11] = [
        ("resize", parameters::<ResizeParams>()),
        ("rotate", parameters::<RotateParams>()),
        ("flip", parameters::<FlipParams>()),
        ("crop", parameters::<CropParams>()),
        ("convert_format", parameters::<ConvertFormatParams>()),
        ("adjust_quality", parameters::<AdjustQualityParams>()),
        ("apply_filter", parameters::<FilterParams>()),
        ("add_border", parameters::<BorderParams>()),
        ("add_text", parameters::<TextParams>()),
        ("adjust", parameters::<AdjustParams>()),
        ("generate_with_llm", parameters::<GenerateParams>()),
    ];
    Value::Array(
        params
            .into_iter()
            .map(|(name, parameters)| {
                let description = TOOL_DESCRIPTIONS
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or("", |(_, d)| *d);
                let mut function = Map::new();
                function.insert("name".into(), json!(name));
                function.insert("description".into(), json!(description));
                function.insert("parameters".into(), parameters);
                json!({ "type": "function", "function": function })
            })
            .collect(),
    )
}

/// The job options (`options` of a request) as a JSON Schema, generated like the tools' parameters.
///
/// ```
/// let s = retouch_contract::job_options_schema();
/// assert_eq!(s["properties"]["maxBytes"]["minimum"], 1024);
/// ```
pub fn job_options_schema() -> Value {
    parameters::<JobOptions>()
}
