//! The request bodies, checked field by field: every error names the exact path.
//!
//! ```
//! use retouch_worker::request::EditRequest;
//! let body = r#"{"images":[{"id":"img_1","name":"a.jpg"}],
//!                "operation":{"type":"bulk","bulkOp":{"type":"rotate","params":{"degrees":90}}}}"#;
//! let req = EditRequest::parse(body).unwrap();
//! assert_eq!(req.images.len(), 1);
//! let err = EditRequest::parse(r#"{"images":[],"operation":{"type":"command","command":"x"}}"#).unwrap_err();
//! assert_eq!(err.field.as_deref(), Some("images"));
//! ```

use retouch_contract::{json_type_name, parse_options_from_value, JobOptions, Tool, ToolCall};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};

/// At most this many images in one request.
pub const MAX_IMAGES: usize = 50;
/// The longest command, in characters.
pub const MAX_COMMAND_CHARS: usize = 1000;
/// The largest JSON body accepted, in bytes.
pub const MAX_BODY_BYTES: u64 = 256 * 1024;
const MAX_TAGS: usize = 20;
const MAX_TAG_CHARS: usize = 40;

/// One input image, as the page describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageRef {
    /// The page's id for the image (1–128 characters, no control characters).
    pub id: String,
    /// The file name (1–255 characters).
    pub name: String,
    /// The input size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// The input MIME type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The input's tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Where the page keeps the input (not fetched by the server).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// What to do to the images.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// A plain-language command.
    Command(String),
    /// A preset, already turned into its tool call.
    Bulk(ToolCall),
    /// Tool calls the client already has (e.g. a plan the page parsed, edited and ran), validated
    /// by the engine like any other; `summary` is an optional description for the session list.
    ToolCalls {
        /// The validated calls.
        calls: Vec<ToolCall>,
        /// What the user asked for, if the client has it.
        summary: Option<String>,
    },
}

/// A checked `POST /image-edit` body.
#[derive(Debug, Clone, PartialEq)]
pub struct EditRequest {
    /// 1 to 50 images with distinct ids.
    pub images: Vec<ImageRef>,
    /// The operation.
    pub operation: Operation,
    /// Job options (validated by the engine).
    pub options: JobOptions,
    /// The options as sent (for the session record).
    pub options_json: Value,
}

/// Parses a JSON body into an object, or a 400 `invalid_json`.
pub fn json_object(body: &str) -> ApiResult<Map<String, Value>> {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::field("body", "expected a JSON object")),
        Err(e) => Err(ApiError::invalid_json(e)),
    }
}

fn only_fields(obj: &Map<String, Value>, path: &str, allowed: &[&str]) -> ApiResult<()> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(ApiError::field(
            join(path, k),
            format!("unknown field; expected one of {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A required string of 1 to `max` characters without control characters.
fn text(v: Option<&Value>, path: &str, max: usize) -> ApiResult<String> {
    match v {
        None | Some(Value::Null) => Err(ApiError::field(path, "required")),
        Some(Value::String(s)) => {
            let n = s.chars().count();
            if s.trim().is_empty() || n > max {
                Err(ApiError::field(
                    path,
                    format!("expected a non-blank string of 1 to {max} characters, got {n}"),
                ))
            } else if s.chars().any(char::is_control) {
                Err(ApiError::field(path, "must not contain control characters"))
            } else {
                Ok(s.clone())
            }
        }
        Some(other) => Err(ApiError::field(
            path,
            format!("expected a string, got {}", json_type_name(other)),
        )),
    }
}

fn opt_text(v: Option<&Value>, path: &str, max: usize) -> ApiResult<Option<String>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        some => text(some, path, max).map(Some),
    }
}

impl EditRequest {
    /// Parses and checks a body.
    pub fn parse(body: &str) -> ApiResult<Self> {
        let obj = json_object(body)?;
        only_fields(&obj, "", &["images", "operation", "options"])?;
        let images = parse_images(obj.get("images"))?;
        let options_json = obj.get("options").cloned().unwrap_or(Value::Null);
        let options = parse_options_from_value(&options_json)?;
        // Options alone are a job ("every file under 500 KB", "strip the metadata").
        let options_only = options != JobOptions::default();
        let operation = parse_operation(obj.get("operation"), options_only)?;
        Ok(Self {
            images,
            operation,
            options,
            options_json,
        })
    }
}

fn parse_images(v: Option<&Value>) -> ApiResult<Vec<ImageRef>> {
    let items = match v {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => return Err(ApiError::field("images", "required")),
        Some(other) => {
            return Err(ApiError::field(
                "images",
                format!("expected an array, got {}", json_type_name(other)),
            ))
        }
    };
    if items.is_empty() || items.len() > MAX_IMAGES {
        return Err(ApiError::field(
            "images",
            format!("expected 1 to {MAX_IMAGES} images, got {}", items.len()),
        ));
    }
    let mut out: Vec<ImageRef> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("images[{i}]");
        let Value::Object(o) = item else {
            return Err(ApiError::field(
                path,
                format!("expected an object, got {}", json_type_name(item)),
            ));
        };
        only_fields(o, &path, &["id", "name", "size", "type", "tags", "url"])?;
        let id = text(o.get("id"), &format!("{path}.id"), 128)?;
        if out.iter().any(|x| x.id == id) {
            return Err(ApiError::field(
                format!("{path}.id"),
                format!("duplicate image id {id:?}"),
            ));
        }
        let name = text(o.get("name"), &format!("{path}.name"), 255)?;
        let size = match o.get("size") {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.as_u64().ok_or_else(|| {
                ApiError::field(format!("{path}.size"), "expected a non-negative integer")
            })?),
        };
        let mime_type = opt_text(o.get("type"), &format!("{path}.type"), 100)?;
        let url = opt_text(o.get("url"), &format!("{path}.url"), 4096)?;
        let tags = parse_tags(o.get("tags"), &format!("{path}.tags"))?;
        out.push(ImageRef {
            id,
            name,
            size,
            mime_type,
            tags,
            url,
        });
    }
    Ok(out)
}

fn parse_tags(v: Option<&Value>, path: &str) -> ApiResult<Vec<String>> {
    let items = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(ApiError::field(
                path,
                format!(
                    "expected an array of strings, got {}",
                    json_type_name(other)
                ),
            ))
        }
    };
    if items.len() > MAX_TAGS {
        return Err(ApiError::field(
            path,
            format!("expected at most {MAX_TAGS} tags, got {}", items.len()),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = format!("{path}[{i}]");
            let t = text(Some(t), &p, MAX_TAG_CHARS)?;
            if t.contains(',') {
                return Err(ApiError::field(p, "a tag must not contain a comma"));
            }
            Ok(t.trim().to_owned())
        })
        .collect()
}

/// The operation; `options_only` allows an empty `toolCalls` list (the options are the job).
fn parse_operation(v: Option<&Value>, options_only: bool) -> ApiResult<Operation> {
    let o = match v {
        Some(Value::Object(o)) => o,
        None | Some(Value::Null) => return Err(ApiError::field("operation", "required")),
        Some(other) => {
            return Err(ApiError::field(
                "operation",
                format!("expected an object, got {}", json_type_name(other)),
            ))
        }
    };
    match o.get("type").and_then(Value::as_str) {
        Some("command") => {
            only_fields(o, "operation", &["type", "command"])?;
            Ok(Operation::Command(text(
                o.get("command"),
                "operation.command",
                MAX_COMMAND_CHARS,
            )?))
        }
        Some("bulk") => {
            only_fields(o, "operation", &["type", "bulkOp"])?;
            Ok(Operation::Bulk(bulk_tool_call(o.get("bulkOp"))?))
        }
        Some("toolCalls") => {
            only_fields(o, "operation", &["type", "toolCalls", "command"])?;
            let calls = match o.get("toolCalls") {
                // The engine names paths from `toolCalls`; in this request they sit in `operation`.
                Some(v) => retouch_contract::tool_calls_from_value(v).map_err(|e| match e {
                    retouch_contract::Error::InvalidParams { path, message } => {
                        ApiError::field(format!("operation.{path}"), message)
                    }
                    other => ApiError::from(other),
                })?,
                None => return Err(ApiError::field("operation.toolCalls", "required")),
            };
            if calls.is_empty() && !options_only {
                return Err(ApiError::field(
                    "operation.toolCalls",
                    "expected at least one tool call (or job options)",
                ));
            }
            let summary = match o.get("command") {
                None | Some(Value::Null) => None,
                v => Some(text(v, "operation.command", MAX_COMMAND_CHARS)?),
            };
            Ok(Operation::ToolCalls { calls, summary })
        }
        _ => Err(ApiError::field(
            "operation.type",
            "expected \"command\", \"bulk\" or \"toolCalls\"",
        )),
    }
}

/// The tool call for a preset `bulkOp` (`{type: resize|rotate|flip|format|filter, params}`),
/// validated by the engine like any other tool call.
///
/// ```
/// use retouch_worker::request::bulk_tool_call;
/// let v = serde_json::json!({"type": "format", "params": {"format": "webp"}});
/// assert_eq!(bulk_tool_call(Some(&v)).unwrap().tool.name(), "convert_format");
/// ```
pub fn bulk_tool_call(v: Option<&Value>) -> ApiResult<ToolCall> {
    let path = "operation.bulkOp";
    let o = match v {
        Some(Value::Object(o)) => o,
        None | Some(Value::Null) => return Err(ApiError::field(path, "required")),
        Some(other) => {
            return Err(ApiError::field(
                path,
                format!("expected an object, got {}", json_type_name(other)),
            ))
        }
    };
    only_fields(o, path, &["type", "params"])?;
    let tool = match o.get("type").and_then(Value::as_str) {
        Some("resize") => "resize",
        Some("rotate") => "rotate",
        Some("flip") => "flip",
        Some("format") => "convert_format",
        Some("filter") => "apply_filter",
        _ => {
            return Err(ApiError::field(
                format!("{path}.type"),
                "expected one of resize, rotate, flip, format, filter",
            ))
        }
    };
    let params = match o.get("params") {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(p @ Value::Object(_)) => p.clone(),
        Some(other) => {
            return Err(ApiError::field(
                format!("{path}.params"),
                format!("expected an object, got {}", json_type_name(other)),
            ))
        }
    };
    Ok(ToolCall::all(Tool::from_name_and_params(
        tool,
        &params,
        &format!("{path}.params"),
    )?))
}

/// A checked `POST /v1/commands:parse` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseRequest {
    /// The command.
    pub command: String,
    /// How many images it is for (1–50, default 1).
    pub image_count: usize,
    /// `Some("llm")` requires the LLM (502 if it fails); `Some("rules")` skips it.
    pub parser: Option<String>,
}

impl ParseRequest {
    /// Parses and checks a body.
    pub fn parse(body: &str) -> ApiResult<Self> {
        let o = json_object(body)?;
        only_fields(&o, "", &["command", "imageCount", "parser"])?;
        let command = text(o.get("command"), "command", MAX_COMMAND_CHARS)?;
        let image_count = match o.get("imageCount") {
            None | Some(Value::Null) => 1,
            Some(v) => match v.as_u64() {
                Some(n @ 1..=50) => n as usize,
                _ => {
                    return Err(ApiError::field(
                        "imageCount",
                        format!("expected an integer from 1 to {MAX_IMAGES}"),
                    ))
                }
            },
        };
        let parser = match o.get("parser") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s == "llm" || s == "rules" => Some(s.clone()),
            Some(_) => return Err(ApiError::field("parser", "expected \"llm\" or \"rules\"")),
        };
        Ok(Self {
            command,
            image_count,
            parser,
        })
    }
}

/// An image's progress state, as the page reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageStatus {
    /// Waiting its turn.
    Queued,
    /// Being worked on.
    Processing,
    /// Done; the result is uploaded.
    Complete,
    /// Failed.
    Error,
}

impl ImageStatus {
    /// Whether no further report may follow.
    pub const fn is_final(self) -> bool {
        matches!(self, Self::Complete | Self::Error)
    }

    /// The wire name: `queued`, `processing`, `complete`, `error`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Processing => "processing",
            Self::Complete => "complete",
            Self::Error => "error",
        }
    }
}

impl std::fmt::Display for ImageStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A checked `POST /image-edit/:sessionId/progress` body.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressReport {
    /// The image.
    pub image_id: String,
    /// Its state.
    pub status: ImageStatus,
    /// 0–100.
    pub progress: f64,
    /// A short message for people.
    pub message: String,
    /// The page's result fields (id, width, height, size…); the server fills url, name, tags
    /// and format itself.
    pub result: Option<Map<String, Value>>,
    /// The error text, for status `error`.
    pub error: Option<String>,
    /// The error's kind, a snake_case word such as `upload_failed` (the metrics count failures
    /// by it; free text never becomes a metric label).
    pub error_kind: Option<String>,
}

impl ProgressReport {
    /// Parses and checks a body.
    pub fn parse(body: &str) -> ApiResult<Self> {
        let o = json_object(body)?;
        only_fields(
            &o,
            "",
            &[
                "imageId",
                "status",
                "progress",
                "message",
                "result",
                "error",
                "errorKind",
            ],
        )?;
        let image_id = text(o.get("imageId"), "imageId", 128)?;
        let status = match o.get("status").and_then(Value::as_str) {
            Some("queued") => ImageStatus::Queued,
            Some("processing") => ImageStatus::Processing,
            Some("complete") => ImageStatus::Complete,
            Some("error") => ImageStatus::Error,
            _ => {
                return Err(ApiError::field(
                    "status",
                    "expected one of queued, processing, complete, error",
                ))
            }
        };
        let progress = match o.get("progress") {
            None | Some(Value::Null) => {
                if status == ImageStatus::Complete {
                    100.0
                } else {
                    0.0
                }
            }
            Some(v) => match v.as_f64() {
                Some(p) if (0.0..=100.0).contains(&p) => p,
                _ => {
                    return Err(ApiError::field(
                        "progress",
                        "expected a number from 0 to 100",
                    ))
                }
            },
        };
        let message = opt_text(o.get("message"), "message", 500)?.unwrap_or_default();
        let error = opt_text(o.get("error"), "error", 1000)?;
        let error_kind = opt_text(o.get("errorKind"), "errorKind", 40)?;
        if let Some(k) = &error_kind {
            let word = k.starts_with(|c: char| c.is_ascii_lowercase())
                && k.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !word {
                return Err(ApiError::field(
                    "errorKind",
                    format!("expected a snake_case word such as upload_failed, got {k:?}"),
                ));
            }
        }
        let result = match o.get("result") {
            None | Some(Value::Null) => None,
            Some(Value::Object(r)) => {
                only_fields(
                    r,
                    "result",
                    &[
                        "id",
                        "url",
                        "name",
                        "tags",
                        "format",
                        "timestamp",
                        "width",
                        "height",
                        "size",
                    ],
                )?;
                for k in ["width", "height", "size", "timestamp"] {
                    if r.get(k).is_some_and(|v| v.as_u64().is_none()) {
                        return Err(ApiError::field(
                            format!("result.{k}"),
                            "expected a non-negative integer",
                        ));
                    }
                }
                if let Some(id) = r.get("id") {
                    text(Some(id), "result.id", 128)?;
                }
                Some(r.clone())
            }
            Some(other) => {
                return Err(ApiError::field(
                    "result",
                    format!("expected an object, got {}", json_type_name(other)),
                ))
            }
        };
        if result.is_some() && status != ImageStatus::Complete {
            return Err(ApiError::field(
                "result",
                "only allowed with status complete",
            ));
        }
        Ok(Self {
            image_id,
            status,
            progress,
            message,
            result,
            error,
            error_kind,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(images: usize) -> String {
        let imgs: Vec<Value> = (0..images)
            .map(|i| json!({"id": format!("img_{i}"), "name": format!("p{i}.jpg"), "tags": ["t"]}))
            .collect();
        json!({"images": imgs, "operation": {"type": "command", "command": "make it grayscale"},
               "options": {"outputFormat": "webp", "quality": 80}})
        .to_string()
    }

    #[test]
    fn image_counts() {
        assert!(EditRequest::parse(&body(1)).is_ok());
        assert!(EditRequest::parse(&body(50)).is_ok());
        for n in [0, 51] {
            let e = EditRequest::parse(&body(n)).unwrap_err();
            assert_eq!((e.status, e.field.as_deref()), (400, Some("images")), "{n}");
        }
    }

    #[test]
    fn file_size_and_metadata_options_are_the_engines() {
        let with = |options: Value| {
            json!({"images": [{"id": "a", "name": "n.jpg"}],
                   "operation": {"type": "command", "command": "x"}, "options": options})
            .to_string()
        };
        let ok = EditRequest::parse(&with(json!({"maxBytes": 150_000, "minQuality": 50,
            "neverLarger": false, "metadata": "keep", "keepGps": true})))
        .unwrap();
        assert_eq!(ok.options_json["maxBytes"], 150_000);
        assert!(ok.options.max_bytes.is_some());
        assert_eq!(ok.options_json["metadata"], "keep");
        // Options alone are a job; no steps and no options is not.
        let only = |options: Value| {
            json!({"images": [{"id": "a", "name": "n.jpg"}],
                   "operation": {"type": "toolCalls", "toolCalls": []}, "options": options})
            .to_string()
        };
        let job = EditRequest::parse(&only(json!({"maxBytes": 500_000}))).unwrap();
        assert!(
            matches!(job.operation, Operation::ToolCalls { ref calls, .. } if calls.is_empty())
        );
        for empty in [json!({}), Value::Null] {
            let e = EditRequest::parse(&only(empty)).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("operation.toolCalls"));
        }
        for (options, field) in [
            (json!({"maxBytes": 100}), "options.maxBytes"),
            (json!({"minQuality": 0}), "options.minQuality"),
            (json!({"neverLarger": "yes"}), "options.neverLarger"),
            (json!({"metadata": "all"}), "options.metadata"),
            (json!({"keepGps": 1}), "options.keepGps"),
        ] {
            let e = EditRequest::parse(&with(options.clone())).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{options}: {e}");
        }
    }

    #[test]
    fn the_openapi_document_lists_every_engine_option() {
        let doc: Value = serde_json::from_str(include_str!("../openapi.json")).unwrap();
        let documented = &doc["paths"]["/image-edit"]["post"]["requestBody"]["content"]
            ["application/json"]["schema"]["properties"]["options"]["properties"];
        let engine = retouch_contract::job_options_schema();
        let names = |v: &Value| {
            let mut names: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            names.sort();
            names
        };
        assert_eq!(names(documented), names(&engine["properties"]));
    }

    #[test]
    fn exact_fields() {
        let cases = [
            (
                r#"{"images":[{"id":"a","name":"x"},{"id":"a","name":"y"}],"operation":{"type":"command","command":"x"}}"#,
                "images[1].id",
            ),
            (
                r#"{"images":[{"id":"a","name":""}],"operation":{"type":"command","command":"x"}}"#,
                "images[0].name",
            ),
            (
                r#"{"images":[{"id":"a","name":"n","tags":[1]}],"operation":{"type":"command","command":"x"}}"#,
                "images[0].tags[0]",
            ),
            (
                r#"{"images":[{"id":"a","name":"n","size":-1}],"operation":{"type":"command","command":"x"}}"#,
                "images[0].size",
            ),
            (
                r#"{"images":[{"id":"a","name":"n"}],"operation":{"type":"command","command":" "}}"#,
                "operation.command",
            ),
            (
                r#"{"images":[{"id":"a","name":"n"}],"operation":{"type":"magic"}}"#,
                "operation.type",
            ),
            (
                r#"{"images":[{"id":"a","name":"n"}],"operation":{"type":"bulk","bulkOp":{"type":"resize","params":{"scale":0}}}}"#,
                "operation.bulkOp.params.scale",
            ),
            (
                r#"{"images":[{"id":"a","name":"n"}],"operation":{"type":"bulk","bulkOp":{"type":"rotate","params":{"degrees":90,"x":1}}}}"#,
                "operation.bulkOp.params.x",
            ),
            (
                r#"{"images":[{"id":"a","name":"n"}],"operation":{"type":"toolCalls","toolCalls":[{"tool":"resize","params":{"width":-5}}]}}"#,
                "operation.toolCalls[0].params.width",
            ),
            (
                r#"{"images":[{"id":"a","name":"n"}],"operation":{"type":"toolCalls","toolCalls":[]}}"#,
                "operation.toolCalls",
            ),
            (
                r#"{"images":[{"id":"a","name":"n"}],"operation":{"type":"command","command":"x"},"options":{"quality":0}}"#,
                "options.quality",
            ),
            (
                r#"{"images":[{"id":"a","name":"n"}],"operation":{"type":"command","command":"x"},"extra":1}"#,
                "extra",
            ),
        ];
        for (b, field) in cases {
            let e = EditRequest::parse(b).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{b}: {e}");
        }
        assert_eq!(EditRequest::parse("{").unwrap_err().code, "invalid_json");
        assert_eq!(
            EditRequest::parse("[]").unwrap_err().field.as_deref(),
            Some("body")
        );
    }

    #[test]
    fn bulk_ops_map_to_tools() {
        for (ty, params, tool) in [
            ("resize", json!({"scale": 0.5}), "resize"),
            ("rotate", json!({"degrees": 90}), "rotate"),
            ("flip", json!({"direction": "horizontal"}), "flip"),
            ("format", json!({"format": "png"}), "convert_format"),
            ("filter", json!({"filter": "sepia"}), "apply_filter"),
        ] {
            let call = bulk_tool_call(Some(&json!({"type": ty, "params": params}))).unwrap();
            assert_eq!(call.tool.name(), tool);
        }
    }

    #[test]
    fn progress_reports() {
        let r = ProgressReport::parse(
            r#"{"imageId":"a","status":"processing","progress":50,"message":"half"}"#,
        )
        .unwrap();
        assert_eq!(r.status, ImageStatus::Processing);
        for (b, f) in [
            (r#"{"imageId":"a","status":"done"}"#, "status"),
            (
                r#"{"imageId":"a","status":"processing","progress":101}"#,
                "progress",
            ),
            (
                r#"{"imageId":"a","status":"processing","result":{}}"#,
                "result",
            ),
            (
                r#"{"imageId":"a","status":"complete","result":{"evil":1}}"#,
                "result.evil",
            ),
            (r#"{"status":"complete"}"#, "imageId"),
            (
                r#"{"imageId":"a","status":"error","errorKind":"Upload failed: ana@x.io"}"#,
                "errorKind",
            ),
        ] {
            assert_eq!(
                ProgressReport::parse(b).unwrap_err().field.as_deref(),
                Some(f),
                "{b}"
            );
        }
    }

    #[test]
    fn parse_requests() {
        let r = ParseRequest::parse(r#"{"command":"rotate 90","imageCount":3}"#).unwrap();
        assert_eq!(r.image_count, 3);
        assert_eq!(
            ParseRequest::parse(r#"{"command":"x","imageCount":0}"#)
                .unwrap_err()
                .field
                .as_deref(),
            Some("imageCount")
        );
        assert_eq!(
            ParseRequest::parse(r#"{}"#).unwrap_err().field.as_deref(),
            Some("command")
        );
    }
}
