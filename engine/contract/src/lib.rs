//! The tool-call contract: the one wire format that the LLM, the command parser, the worker, the
//! page, the npm package and the CLI all share.
//!
//! A job is a JSON array of tool calls plus job options:
//!
//! ```json
//! [{"tool": "resize", "params": {"width": 1200}, "applyToAll": true},
//!  {"tool": "add_text", "params": {"text": "© Ana"}, "applyToAll": false, "imageId": "img_2"}]
//! ```
//!
//! Everything that crosses a boundary is parsed with [`parse_tool_calls`] / [`parse_options`] (or
//! their `*_from_value` forms), which refuse unknown tools and fields, check every range, and name
//! the exact path of the first problem:
//!
//! ```
//! use retouch_contract::parse_tool_calls;
//! let err = parse_tool_calls(r#"[{"tool":"resize","params":{"width":800}},
//!                               {"tool":"resize","params":{"width":-5}}]"#).unwrap_err();
//! assert_eq!(err.to_string(), "toolCalls[1].params.width: expected an integer from 1 to 16384, got -5");
//! ```

mod bounded;
mod color;
pub mod error;
pub mod naming;
mod options;
mod schema;
mod tools;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

pub use bounded::{
    Amount, Degrees, FontSize, Fraction, Gamma, HueDegrees, MaxBytes, Offset, Percent, Pixels,
    Quality, Scale, Sigma, Stops, Thickness,
};
pub use color::{Color, ColorParseError};
pub use options::{
    parse_options, parse_options_from_value, ChromaSubsampling, Effort, FailOn, JobOptions,
    MetadataOption,
};
pub use schema::{job_options_schema, tool_schema, TOOL_DESCRIPTIONS};
pub use tools::{
    AdjustParams, AdjustQualityParams, AspectRatio, BorderParams, BoundedText, ConvertFormatParams,
    CropParams, Direction, FilterName, FilterParams, Fit, FlipParams, Format, GenerateParams,
    Gravity, Kernel, ResizeParams, RotateParams, TextParams,
};

pub use error::{Error, ErrorKind, Result};

/// At most this many tool calls in one job.
pub const MAX_TOOL_CALLS: usize = 32;

/// One tool with its validated parameters.
///
/// Exhaustive on purpose: a new tool does not compile until the engine's dispatch, the parser's
/// and the naming's matches handle it.
#[derive(Debug, Clone, PartialEq)]
pub enum Tool {
    /// `resize`
    Resize(ResizeParams),
    /// `rotate`
    Rotate(RotateParams),
    /// `flip`
    Flip(FlipParams),
    /// `crop`
    Crop(CropParams),
    /// `convert_format`
    ConvertFormat(ConvertFormatParams),
    /// `adjust_quality`
    AdjustQuality(AdjustQualityParams),
    /// `apply_filter`
    ApplyFilter(FilterParams),
    /// `add_border`
    AddBorder(BorderParams),
    /// `add_text`
    AddText(TextParams),
    /// `adjust`
    Adjust(AdjustParams),
    /// `generate_with_llm`
    GenerateWithLlm(GenerateParams),
}

/// Every tool name, in the order the schema lists them.
pub const TOOL_NAMES: &[&str] = &[
    "resize",
    "rotate",
    "flip",
    "crop",
    "convert_format",
    "adjust_quality",
    "apply_filter",
    "add_border",
    "add_text",
    "adjust",
    "generate_with_llm",
];

impl Tool {
    /// The wire name, e.g. `"apply_filter"`.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Resize(_) => "resize",
            Self::Rotate(_) => "rotate",
            Self::Flip(_) => "flip",
            Self::Crop(_) => "crop",
            Self::ConvertFormat(_) => "convert_format",
            Self::AdjustQuality(_) => "adjust_quality",
            Self::ApplyFilter(_) => "apply_filter",
            Self::AddBorder(_) => "add_border",
            Self::AddText(_) => "add_text",
            Self::Adjust(_) => "adjust",
            Self::GenerateWithLlm(_) => "generate_with_llm",
        }
    }

    /// The parameters as a JSON object (defaults left out).
    pub fn params_json(&self) -> Value {
        fn to<T: Serialize>(p: &T) -> Value {
            serde_json::to_value(p).unwrap_or_else(|_| Value::Object(Map::new()))
        }
        match self {
            Self::Resize(p) => to(p),
            Self::Rotate(p) => to(p),
            Self::Flip(p) => to(p),
            Self::Crop(p) => to(p),
            Self::ConvertFormat(p) => to(p),
            Self::AdjustQuality(p) => to(p),
            Self::ApplyFilter(p) => to(p),
            Self::AddBorder(p) => to(p),
            Self::AddText(p) => to(p),
            Self::Adjust(p) => to(p),
            Self::GenerateWithLlm(p) => to(p),
        }
    }

    /// Parses one tool's parameters. `params` may be an object or — as OpenAI-style function calls
    /// send it — a string holding a JSON object. `path` names the params in errors.
    pub fn from_name_and_params(name: &str, params: &Value, path: &str) -> Result<Self> {
        let owned;
        let params = match params {
            Value::String(s) => {
                owned = serde_json::from_str::<Value>(s).map_err(|e| {
                    Error::invalid(
                        path,
                        format!("expected a JSON object, got invalid JSON ({e})"),
                    )
                })?;
                &owned
            }
            Value::Null => {
                owned = Value::Object(Map::new());
                &owned
            }
            other => other,
        };
        if !params.is_object() {
            return Err(Error::invalid(
                path,
                format!("expected an object, got {}", json_type_name(params)),
            ));
        }
        let tool = match name {
            "resize" => Self::Resize(typed(params, path)?),
            "rotate" => Self::Rotate(typed(params, path)?),
            "flip" => Self::Flip(typed(params, path)?),
            "crop" => Self::Crop(typed(params, path)?),
            "convert_format" => Self::ConvertFormat(typed(params, path)?),
            "adjust_quality" => Self::AdjustQuality(typed(params, path)?),
            "apply_filter" => Self::ApplyFilter(typed(params, path)?),
            "add_border" => Self::AddBorder(typed(params, path)?),
            "add_text" => Self::AddText(typed(params, path)?),
            "adjust" => Self::Adjust(typed(params, path)?),
            "generate_with_llm" => Self::GenerateWithLlm(typed(params, path)?),
            _ => {
                return Err(Error::invalid(
                    path,
                    format!(
                        "unknown tool {:?}; expected one of {}",
                        truncate(name, 64),
                        TOOL_NAMES.join(", ")
                    ),
                ))
            }
        };
        tool.check(path)?;
        Ok(tool)
    }

    /// Rules that span several fields.
    fn check(&self, path: &str) -> Result<()> {
        let fail = |field: &str, msg: &str| {
            let p = if field.is_empty() {
                path.to_owned()
            } else {
                format!("{path}.{field}")
            };
            Err(Error::invalid(p, msg))
        };
        match self {
            Self::Resize(p) => {
                if p.scale.is_some() && (p.width.is_some() || p.height.is_some()) {
                    return fail("scale", "give scale or width/height, not both");
                }
                if p.scale.is_none() && p.width.is_none() && p.height.is_none() {
                    return fail("", "expected width, height or scale");
                }
            }
            Self::Crop(p) => {
                let rect =
                    p.width.is_some() || p.height.is_some() || p.x.is_some() || p.y.is_some();
                let modes = usize::from(rect)
                    + usize::from(p.aspect_ratio.is_some())
                    + usize::from(p.trim.is_some());
                if modes != 1 {
                    return fail("", "expected exactly one of: width and height (with x, y), aspectRatio, or trim");
                }
                if rect && (p.width.is_none() || p.height.is_none()) {
                    let missing = if p.width.is_none() { "width" } else { "height" };
                    return fail(missing, "a crop rectangle needs both width and height");
                }
                if p.gravity.is_some() && p.aspect_ratio.is_none() {
                    return fail("gravity", "gravity only applies with aspectRatio");
                }
            }
            Self::ApplyFilter(p) => {
                use FilterName::{Blur, Sepia, Sharpen};
                if p.sigma.is_some() && !matches!(p.filter, Blur | Sharpen) {
                    return fail(
                        "sigma",
                        "sigma only applies to the blur and sharpen filters",
                    );
                }
                if p.amount.is_some() && p.filter != Sharpen {
                    return fail("amount", "amount only applies to the sharpen filter");
                }
                if p.intensity.is_some() && p.filter != Sepia {
                    return fail("intensity", "intensity only applies to the sepia filter");
                }
            }
            Self::Adjust(p) if *p == AdjustParams::default() => {
                return fail("", "expected at least one of brightness, contrast, saturation, hue, gamma, temperature, tint, exposure");
            }
            _ => {}
        }
        Ok(())
    }
}

/// Which images a tool call applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Every image of the job (`"applyToAll": true`, the default).
    All,
    /// Only the image with this id (`"applyToAll": false, "imageId": "img_2"`).
    Image(String),
}

/// A validated tool call.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    /// The tool and its parameters.
    pub tool: Tool,
    /// Which images it applies to.
    pub target: Target,
}

impl ToolCall {
    /// A call that applies to every image.
    pub fn all(tool: Tool) -> Self {
        Self {
            tool,
            target: Target::All,
        }
    }

    /// Whether this call applies to the image with id `image_id` (an image without an id gets
    /// only the calls that apply to all).
    pub fn applies_to(&self, image_id: Option<&str>) -> bool {
        match &self.target {
            Target::All => true,
            Target::Image(id) => image_id == Some(id.as_str()),
        }
    }

    /// The call in its wire form.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("tool".into(), Value::from(self.tool.name()));
        m.insert("params".into(), self.tool.params_json());
        match &self.target {
            Target::All => {
                m.insert("applyToAll".into(), Value::Bool(true));
            }
            Target::Image(id) => {
                m.insert("applyToAll".into(), Value::Bool(false));
                m.insert("imageId".into(), Value::from(id.as_str()));
            }
        }
        Value::Object(m)
    }
}

impl Serialize for ToolCall {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

/// Tool calls as JSON text, validated. See the [module docs](self).
pub fn parse_tool_calls(json: &str) -> Result<Vec<ToolCall>> {
    let value: Value = serde_json::from_str(json).map_err(|e| {
        Error::invalid(
            "toolCalls",
            format!("expected a JSON array of tool calls, got invalid JSON ({e})"),
        )
    })?;
    tool_calls_from_value(&value)
}

/// Tool calls from an already-parsed JSON value, validated.
pub fn tool_calls_from_value(value: &Value) -> Result<Vec<ToolCall>> {
    let Value::Array(items) = value else {
        return Err(Error::invalid(
            "toolCalls",
            format!(
                "expected an array of tool calls, got {}",
                json_type_name(value)
            ),
        ));
    };
    if items.len() > MAX_TOOL_CALLS {
        return Err(Error::invalid(
            "toolCalls",
            format!(
                "expected at most {MAX_TOOL_CALLS} tool calls, got {}",
                items.len()
            ),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| tool_call_from_value(item, &format!("toolCalls[{i}]")))
        .collect()
}

/// One tool call from JSON; `path` names it in errors (e.g. `toolCalls[3]`).
pub fn tool_call_from_value(item: &Value, path: &str) -> Result<ToolCall> {
    let Value::Object(obj) = item else {
        return Err(Error::invalid(
            path,
            format!("expected a tool call object, got {}", json_type_name(item)),
        ));
    };
    if let Some(k) = obj
        .keys()
        .find(|k| !matches!(k.as_str(), "tool" | "params" | "applyToAll" | "imageId"))
    {
        return Err(Error::invalid(
            format!("{path}.{k}"),
            "unknown field; a tool call has tool, params, applyToAll and imageId",
        ));
    }
    let name = match obj.get("tool") {
        Some(Value::String(s)) => s.as_str(),
        Some(other) => {
            return Err(Error::invalid(
                format!("{path}.tool"),
                format!("expected a tool name, got {}", json_type_name(other)),
            ))
        }
        None => {
            return Err(Error::invalid(
                format!("{path}.tool"),
                "missing; expected a tool name",
            ))
        }
    };
    if !TOOL_NAMES.contains(&name) {
        return Err(Error::invalid(
            format!("{path}.tool"),
            format!(
                "unknown tool {:?}; expected one of {}",
                truncate(name, 64),
                TOOL_NAMES.join(", ")
            ),
        ));
    }
    let params = obj.get("params").unwrap_or(&Value::Null);
    let tool = Tool::from_name_and_params(name, params, &format!("{path}.params"))?;
    let apply_to_all = match obj.get("applyToAll") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => {
            return Err(Error::invalid(
                format!("{path}.applyToAll"),
                format!("expected true or false, got {}", json_type_name(other)),
            ))
        }
    };
    let image_id = match obj.get("imageId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.is_empty() && s.len() <= 128 => Some(s.clone()),
        Some(_) => {
            return Err(Error::invalid(
                format!("{path}.imageId"),
                "expected an image id string of 1 to 128 characters",
            ))
        }
    };
    let target = match (apply_to_all, image_id) {
        (Some(false) | None, Some(id)) => Target::Image(id),
        (Some(false), None) => {
            return Err(Error::invalid(
                format!("{path}.imageId"),
                "required when applyToAll is false",
            ));
        }
        (Some(true), Some(_)) => {
            return Err(Error::invalid(
                format!("{path}.imageId"),
                "only allowed when applyToAll is false",
            ));
        }
        (_, None) => Target::All,
    };
    Ok(ToolCall { tool, target })
}

/// Tool calls as their JSON wire form (an array).
pub fn tool_calls_to_json(calls: &[ToolCall]) -> Value {
    Value::Array(calls.iter().map(ToolCall::to_json).collect())
}

/// Deserializes `params` into `T`, turning serde's error into one that names the field's path.
fn typed<T: DeserializeOwned>(params: &Value, path: &str) -> Result<T> {
    serde_path_to_error::deserialize(params).map_err(|e| {
        let inner = e.path().to_string();
        let full = if inner == "." || inner.is_empty() {
            path.to_owned()
        } else {
            format!("{path}.{inner}")
        };
        Error::invalid(full, clean_serde_message(&e.into_inner().to_string()))
    })
}

/// serde_json appends " at line 1 column 12" to messages; the path already says where.
fn clean_serde_message(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => msg[..i].to_owned(),
        _ => msg.to_owned(),
    }
}

/// The JSON type of a value as a phrase for error messages: `"a string"`, `"an array"`, `"null"`.
///
/// ```
/// assert_eq!(retouch_contract::json_type_name(&serde_json::json!([1])), "an array");
/// ```
pub fn json_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: &Value) -> String {
        tool_calls_from_value(v).unwrap_err().to_string()
    }

    #[test]
    fn parses_the_original_plans_example() {
        let calls = parse_tool_calls(
            r#"[{"tool":"resize","params":{"width":800,"maintainAspect":true},"applyToAll":true}]"#,
        )
        .unwrap();
        assert_eq!(calls.len(), 1);
        let Tool::Resize(p) = &calls[0].tool else {
            panic!("not resize")
        };
        assert_eq!(p.width.map(Pixels::get), Some(800));
        assert_eq!(p.maintain_aspect, Some(true));
        assert_eq!(calls[0].target, Target::All);
    }

    #[test]
    fn round_trips_through_json() {
        let v = json!([
            {"tool": "resize", "params": {"width": 1200}, "applyToAll": true},
            {"tool": "add_text", "params": {"text": "© Ana — 東京", "position": "south-east"}, "applyToAll": false, "imageId": "img_2"},
            {"tool": "crop", "params": {"aspectRatio": "16:9"}, "applyToAll": true},
            {"tool": "adjust", "params": {"brightness": 20, "hue": -30}, "applyToAll": true}
        ]);
        let calls = tool_calls_from_value(&v).unwrap();
        assert_eq!(tool_calls_to_json(&calls), v);
    }

    #[test]
    fn errors_name_the_exact_path() {
        assert_eq!(
            err(&json!([{"tool": "flip", "params": {"direction": "horizontal"}}, {"tool": "flip", "params": {"direction": "diagonal"}}])),
            "toolCalls[1].params.direction: unknown variant `diagonal`, expected `horizontal` or `vertical`"
        );
        assert_eq!(
            err(&json!([{"tool": "resize", "params": {"width": 10, "colour": "red"}}])),
            "toolCalls[0].params.colour: unknown field `colour`, expected one of `width`, `height`, `scale`, `fit`, `noEnlarge`, `withoutEnlargement`, `maintainAspect`, `kernel`, `background`"
        );
        assert!(err(&json!([{"tool": "sparkle"}]))
            .starts_with("toolCalls[0].tool: unknown tool \"sparkle\"; expected one of resize"));
        assert_eq!(
            err(&json!([{"tool": "rotate"}])),
            "toolCalls[0].params: missing field `degrees`"
        );
        assert_eq!(
            err(&json!([{"tool": "resize", "params": {}}])),
            "toolCalls[0].params: expected width, height or scale"
        );
        assert_eq!(
            err(&json!([{"tool": "add_border", "params": {"color": "blurple"}}])),
            "toolCalls[0].params.color: expected a CSS colour name or #rgb, #rgba, #rrggbb, #rrggbbaa, got \"blurple\""
        );
        assert_eq!(
            err(&json!([{"tool": "apply_filter", "params": {"filter": "grayscale", "sigma": 3}}])),
            "toolCalls[0].params.sigma: sigma only applies to the blur and sharpen filters"
        );
        assert_eq!(
            err(&json!({"tool": "resize"})),
            "toolCalls: expected an array of tool calls, got an object"
        );
        assert_eq!(
            err(&json!([{"tool": "resize", "params": {"scale": 0.5}, "applyToAll": false}])),
            "toolCalls[0].imageId: required when applyToAll is false"
        );
        assert_eq!(err(&json!([{"tool": "resize", "params": {"scale": 0.5}, "extra": 1}])), "toolCalls[0].extra: unknown field; a tool call has tool, params, applyToAll and imageId");
    }

    #[test]
    fn openai_string_arguments_are_accepted_and_still_validated() {
        let t = Tool::from_name_and_params("rotate", &json!("{\"degrees\": 90}"), "p").unwrap();
        assert_eq!(
            t,
            Tool::Rotate(RotateParams {
                degrees: Degrees::new(90.0).unwrap(),
                background: None
            })
        );
        let e =
            Tool::from_name_and_params("rotate", &json!("{\"degrees\": 9000}"), "p").unwrap_err();
        assert_eq!(
            e.to_string(),
            "p.degrees: expected a number from -360 to 360, got 9000"
        );
        let e = Tool::from_name_and_params("rotate", &json!("not json"), "p").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("p: expected a JSON object, got invalid JSON"),
            "{e}"
        );
    }

    #[test]
    fn too_many_calls_are_refused() {
        let one = json!({"tool": "flip", "params": {"direction": "vertical"}});
        let v = Value::Array(vec![one; MAX_TOOL_CALLS + 1]);
        assert_eq!(err(&v), "toolCalls: expected at most 32 tool calls, got 33");
    }

    #[test]
    fn crop_forms_are_exclusive() {
        assert!(
            err(&json!([{"tool": "crop", "params": {"trim": 10, "width": 5, "height": 5}}]))
                .contains("exactly one of")
        );
        assert_eq!(
            err(&json!([{"tool": "crop", "params": {"width": 5}}])),
            "toolCalls[0].params.height: a crop rectangle needs both width and height"
        );
        assert!(tool_calls_from_value(
            &json!([{"tool": "crop", "params": {"x": 1, "y": 2, "width": 5, "height": 5}}])
        )
        .is_ok());
    }

    #[test]
    fn applies_to_matches_targets() {
        let c = ToolCall {
            tool: Tool::Flip(FlipParams {
                direction: Direction::Vertical,
            }),
            target: Target::Image("a".into()),
        };
        assert!(c.applies_to(Some("a")));
        assert!(!c.applies_to(Some("b")));
        assert!(!c.applies_to(None));
        assert!(ToolCall::all(c.tool.clone()).applies_to(None));
    }
}
