//! A session's record and state machine: what the session Durable Object keeps, the ordered
//! event log it streams, and the plan of where each result is uploaded.
//!
//! Events get consecutive ids from 1: a `session` event when the session starts, one `progress`
//! event per report, and a final `complete` (some image finished) or `error` (every image
//! failed) once every image has reached `complete` or `error`. Nothing follows the final event.

use std::collections::BTreeMap;

use retouch_contract::naming::{output_file_name, output_tags};
use retouch_contract::{Format, JobOptions, Tool, ToolCall};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::request::{ImageRef, ImageStatus, ProgressReport};

/// Sessions live this long after creation.
pub const SESSION_TTL_MS: i64 = 24 * 3600 * 1000;
/// Results are kept this many days (the bucket's lifecycle rule deletes them after).
pub const RESULT_TTL_DAYS: i64 = 30;

/// Where one image's result goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadPlan {
    /// The input image.
    pub image_id: String,
    /// The object key, `userId/sessionId/fileName`.
    pub key: String,
    /// The output file name, e.g. `beach-1200w.webp`.
    pub file_name: String,
    /// The output format (`jpg`, `png`, `webp`).
    pub format: String,
    /// Its MIME type.
    pub content_type: String,
    /// The result's tags (the input's plus `edited`).
    pub tags: Vec<String>,
}

/// The output format of one image: the job option, else the last `convert_format` that applies,
/// else what the engine makes of the input's format ([`Format::default_for_input`], by its MIME
/// type or else its file name; HEIC becomes JPEG, GIF, BMP and unknown inputs PNG).
pub fn output_format(image: &ImageRef, calls: &[ToolCall], options: &JobOptions) -> Format {
    if let Some(f) = options.output_format {
        return f;
    }
    let converted = calls
        .iter()
        .rev()
        .filter(|c| c.applies_to(Some(&image.id)))
        .filter_map(|c| match &c.tool {
            Tool::ConvertFormat(p) => Some(p.format),
            _ => None,
        })
        .next();
    converted
        .or_else(|| {
            image
                .mime_type
                .as_deref()
                .and_then(Format::default_for_input)
        })
        .or_else(|| {
            image
                .name
                .rsplit_once('.')
                .and_then(|(_, ext)| Format::default_for_input(ext))
        })
        .unwrap_or(Format::Png)
}

/// The upload plan of every image: names follow the edits; clashing names get `-2`, `-3`, ….
pub fn plan_uploads(
    user_id: &str,
    session_id: &str,
    images: &[ImageRef],
    calls: &[ToolCall],
    options: &JobOptions,
) -> Vec<UploadPlan> {
    let mut used: Vec<String> = Vec::with_capacity(images.len());
    images
        .iter()
        .map(|image| {
            let applied: Vec<ToolCall> = calls
                .iter()
                .filter(|c| c.applies_to(Some(&image.id)))
                .cloned()
                .collect();
            let format = output_format(image, &applied, options);
            let mut file_name = output_file_name(&image.name, &applied, format);
            let mut n = 2;
            while used.contains(&file_name) {
                let stem = output_file_name(&image.name, &applied, format);
                let (base, ext) = stem.rsplit_once('.').unwrap_or((&stem, "png"));
                file_name = format!("{base}-{n}.{ext}");
                n += 1;
            }
            used.push(file_name.clone());
            UploadPlan {
                image_id: image.id.clone(),
                key: format!("{user_id}/{session_id}/{file_name}"),
                file_name,
                format: format.extension().to_owned(),
                content_type: format.mime_type().to_owned(),
                tags: output_tags(&image.tags),
            }
        })
        .collect()
}

/// What never changes about a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionMeta {
    /// `ses_` and 24 hex digits.
    pub session_id: String,
    /// The owner's email.
    pub user_id: String,
    /// Creation time, ms since the epoch.
    pub created_at: i64,
    /// Expiry, ms since the epoch (creation + 24 h).
    pub expires_at: i64,
    /// The images as sent.
    pub images: Vec<ImageRef>,
    /// The validated tool calls, wire form.
    pub tool_calls: Value,
    /// `llm` or `rules` (or `bulk` for a preset).
    pub parser: String,
    /// The job options as sent.
    pub options: Value,
    /// Where each result goes.
    pub uploads: Vec<UploadPlan>,
    /// A one-line description (the command, or the preset).
    pub summary: String,
}

/// One image's latest state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageState {
    /// Where it is.
    pub status: ImageStatus,
    /// 0–100.
    pub progress: f64,
    /// The latest message.
    pub message: String,
    /// The result, once complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    /// The error, if it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What an event says; its SSE event name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// The session started (always the first).
    Session,
    /// An image's state changed.
    Progress,
    /// The session ended with at least one result.
    Complete,
    /// The session ended with every image failed.
    Error,
}

impl EventKind {
    /// The SSE event name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Session => "session",
            Self::Progress => "progress",
            Self::Complete => "complete",
            Self::Error => "error",
        }
    }
}

/// A session's state as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionStatus {
    /// Images are still being worked on.
    Processing,
    /// Every image ended, at least one with a result.
    Complete,
    /// Every image failed.
    Error,
}

impl std::fmt::Display for SessionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Processing => "processing",
            Self::Complete => "complete",
            Self::Error => "error",
        })
    }
}

/// One event of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Consecutive from 1.
    pub id: u64,
    /// What it says.
    pub event: EventKind,
    /// The payload.
    pub data: Value,
}

impl Event {
    /// Whether this event ends the stream.
    pub fn is_final(&self) -> bool {
        matches!(self.event, EventKind::Complete | EventKind::Error)
    }

    /// The event as an SSE frame.
    pub fn frame(&self) -> String {
        crate::sse::frame(self.id, self.event.as_str(), &self.data.to_string())
    }
}

/// Bounds a session's event log: keeps the first event (`session`), each image's latest event,
/// the final one and the `keep_recent` newest, in id order; returns the ids it dropped. A
/// client that resumes from a dropped id still gets every image's latest state.
///
/// ```
/// use retouch_worker::session::{compact, Event, EventKind};
/// use serde_json::json;
/// let ev = |id, img: &str| Event { id, event: EventKind::Progress, data: json!({"imageId": img}) };
/// // Image "a" reported at ids 2 and 3, then "b" at 4 to 10.
/// let mut log: Vec<Event> = (1..=10).map(|i| ev(i, if i <= 3 { "a" } else { "b" })).collect();
/// assert_eq!(compact(&mut log, 2), vec![2, 4, 5, 6, 7, 8]);
/// assert_eq!(log.iter().map(|e| e.id).collect::<Vec<_>>(), vec![1, 3, 9, 10]);
/// ```
pub fn compact(events: &mut Vec<Event>, keep_recent: usize) -> Vec<u64> {
    if events.len() <= keep_recent.saturating_mul(2) {
        return Vec::new();
    }
    let image_of = |e: &Event| {
        e.data
            .get("imageId")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let mut latest = std::collections::HashMap::new();
    for e in events.iter() {
        if let Some(img) = image_of(e) {
            latest.insert(img, e.id);
        }
    }
    let recent_from = events.len() - keep_recent;
    let mut dropped = Vec::new();
    let mut index = 0;
    events.retain(|e| {
        let keep = index == 0
            || index >= recent_from
            || e.is_final()
            || image_of(e).is_some_and(|img| latest.get(&img) == Some(&e.id));
        index += 1;
        if !keep {
            dropped.push(e.id);
        }
        keep
    });
    dropped
}

/// What changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionState {
    /// Whether it is still going, and how it ended.
    pub status: SessionStatus,
    /// Per image, by id.
    pub images: BTreeMap<String, ImageState>,
    /// The id of the last event.
    pub last_event_id: u64,
    /// When the final event happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<i64>,
}

impl SessionState {
    /// The state of a new session and its first event.
    pub fn start(meta: &SessionMeta) -> (Self, Event) {
        let images = meta
            .images
            .iter()
            .map(|i| {
                (
                    i.id.clone(),
                    ImageState {
                        status: ImageStatus::Queued,
                        progress: 0.0,
                        message: String::new(),
                        result: None,
                        error: None,
                    },
                )
            })
            .collect();
        let event = Event {
            id: 1,
            event: EventKind::Session,
            data: json!({
                "sessionId": meta.session_id,
                "status": "processing",
                "imageCount": meta.images.len(),
                "toolCalls": meta.tool_calls,
                "parser": meta.parser,
            }),
        };
        (
            Self {
                status: SessionStatus::Processing,
                images,
                last_event_id: 1,
                completed_at: None,
            },
            event,
        )
    }

    /// Whether the session has ended.
    pub fn is_final(&self) -> bool {
        self.status != SessionStatus::Processing
    }

    fn next(&mut self, event: EventKind, data: Value) -> Event {
        self.last_event_id += 1;
        Event {
            id: self.last_event_id,
            event,
            data,
        }
    }

    /// Applies a report; `result_url` is the signed read URL of the image's upload (used when the
    /// report completes the image). Returns the new events.
    pub fn apply(
        &mut self,
        meta: &SessionMeta,
        report: &ProgressReport,
        result_url: &str,
        now: i64,
    ) -> ApiResult<Vec<Event>> {
        if self.is_final() {
            return Err(ApiError::conflict(format!(
                "the session has already ended ({})",
                self.status
            )));
        }
        let Some(plan) = meta.uploads.iter().find(|u| u.image_id == report.image_id) else {
            return Err(ApiError::field(
                "imageId",
                format!("no image {:?} in this session", report.image_id),
            ));
        };
        let Some(image) = self.images.get_mut(&report.image_id) else {
            return Err(ApiError::field("imageId", "no such image in this session"));
        };
        if image.status.is_final() {
            return Err(ApiError::conflict(format!(
                "image {:?} has already ended ({})",
                report.image_id, image.status
            )));
        }
        let mut data = Map::new();
        data.insert("imageId".into(), json!(report.image_id));
        data.insert("status".into(), json!(report.status));
        data.insert("progress".into(), json!(report.progress));
        data.insert("message".into(), json!(report.message));
        let result = (report.status == ImageStatus::Complete).then(|| {
            let mut r = report.result.clone().unwrap_or_default();
            let index = meta
                .images
                .iter()
                .position(|i| i.id == report.image_id)
                .unwrap_or(0);
            r.entry("id")
                .or_insert_with(|| json!(format!("res_{}_{}", &meta.session_id[4..], index + 1)));
            r.insert("url".into(), json!(result_url));
            r.insert("key".into(), json!(plan.key));
            r.insert("name".into(), json!(plan.file_name));
            r.insert("tags".into(), json!(plan.tags));
            r.insert("format".into(), json!(plan.format));
            r.entry("timestamp").or_insert_with(|| json!(now));
            Value::Object(r)
        });
        if let Some(r) = &result {
            data.insert("result".into(), r.clone());
        }
        let error = (report.status == ImageStatus::Error).then(|| {
            report
                .error
                .clone()
                .unwrap_or_else(|| report.message.clone())
        });
        if let Some(e) = &error {
            data.insert("error".into(), json!(e));
        }
        *image = ImageState {
            status: report.status,
            progress: report.progress,
            message: report.message.clone(),
            result,
            error,
        };
        let mut events = vec![self.next(EventKind::Progress, Value::Object(data))];
        if self.images.values().all(|i| i.status.is_final()) {
            events.push(self.finish(meta, now));
        }
        Ok(events)
    }

    fn finish(&mut self, meta: &SessionMeta, now: i64) -> Event {
        let results: Vec<Value> = meta
            .images
            .iter()
            .filter_map(|i| self.images.get(&i.id).and_then(|s| s.result.clone()))
            .collect();
        let failed: Vec<&str> = meta
            .images
            .iter()
            .filter(|i| {
                self.images
                    .get(&i.id)
                    .is_some_and(|s| s.status == ImageStatus::Error)
            })
            .map(|i| i.id.as_str())
            .collect();
        let all_failed = results.is_empty();
        self.completed_at = Some(now);
        let (status, kind, mut data) = if all_failed {
            let data = json!({"message": "every image failed", "failed": failed});
            (SessionStatus::Error, EventKind::Error, data)
        } else {
            let data = json!({"results": results, "failed": failed});
            (SessionStatus::Complete, EventKind::Complete, data)
        };
        self.status = status;
        data["sessionId"] = json!(meta.session_id);
        data["status"] = json!(status);
        self.next(kind, data)
    }

    /// The session as `GET /image-edit/:sessionId` answers it.
    pub fn snapshot(&self, meta: &SessionMeta) -> Value {
        let images: Vec<Value> = meta
            .images
            .iter()
            .map(|i| {
                let mut v = serde_json::to_value(self.images.get(&i.id)).unwrap_or(Value::Null);
                if let Value::Object(m) = &mut v {
                    m.insert("id".into(), json!(i.id));
                    m.insert("name".into(), json!(i.name));
                }
                v
            })
            .collect();
        let results: Vec<Value> = meta
            .images
            .iter()
            .filter_map(|i| self.images.get(&i.id).and_then(|s| s.result.clone()))
            .collect();
        json!({
            "sessionId": meta.session_id,
            "status": self.status,
            "createdAt": meta.created_at,
            "expiresAt": meta.expires_at,
            "summary": meta.summary,
            "parser": meta.parser,
            "toolCalls": meta.tool_calls,
            "options": meta.options,
            "images": images,
            "results": results,
            "lastEventId": self.last_event_id,
        })
    }
}

/// Whether `id` has the shape of a session id (`ses_` + 24 lowercase hex digits).
///
/// ```
/// assert!(retouch_worker::session::is_session_id("ses_0123456789abcdef01234567"));
/// assert!(!retouch_worker::session::is_session_id("ses_../../x"));
/// ```
pub fn is_session_id(id: &str) -> bool {
    id.strip_prefix("ses_").is_some_and(|h| {
        h.len() == 24
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// A session id from 12 random bytes.
pub fn session_id_from(bytes: [u8; 12]) -> String {
    let mut s = String::from("ses_");
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::EditRequest;
    use retouch_contract::tool_calls_to_json;

    fn meta(n: usize) -> SessionMeta {
        let imgs: Vec<Value> = (0..n)
            .map(|i| json!({"id": format!("img_{i}"), "name": "same.jpg", "tags": ["t"]}))
            .collect();
        let req = EditRequest::parse(
            &json!({"images": imgs, "operation": {"type": "bulk", "bulkOp": {"type": "rotate", "params": {"degrees": 90}}}}).to_string(),
        )
        .unwrap();
        let crate::request::Operation::Bulk(call) = req.operation else {
            panic!()
        };
        let calls = vec![call];
        let id = session_id_from([7; 12]);
        SessionMeta {
            uploads: plan_uploads("ana@x.io", &id, &req.images, &calls, &req.options),
            session_id: id,
            user_id: "ana@x.io".into(),
            created_at: 0,
            expires_at: SESSION_TTL_MS,
            images: req.images,
            tool_calls: tool_calls_to_json(&calls),
            parser: "bulk".into(),
            options: Value::Null,
            summary: "rotate".into(),
        }
    }

    fn report(id: &str, status: &str) -> ProgressReport {
        ProgressReport::parse(&json!({"imageId": id, "status": status, "progress": 50}).to_string())
            .unwrap()
    }

    #[test]
    fn uploads_get_distinct_names() {
        let m = meta(3);
        let names: Vec<&str> = m.uploads.iter().map(|u| u.file_name.as_str()).collect();
        assert_eq!(
            names,
            ["same-rot90.jpg", "same-rot90-2.jpg", "same-rot90-3.jpg"]
        );
        assert_eq!(
            m.uploads[0].key,
            format!("ana@x.io/{}/same-rot90.jpg", m.session_id)
        );
        assert_eq!(m.uploads[0].tags, ["t", "edited"]);
        assert_eq!(m.uploads[0].content_type, "image/jpeg");
    }

    #[test]
    fn events_run_to_completion() {
        let m = meta(2);
        let (mut s, first) = SessionState::start(&m);
        assert_eq!((first.id, first.event), (1, EventKind::Session));
        let e = s
            .apply(&m, &report("img_0", "processing"), "u0", 5)
            .unwrap();
        assert_eq!(e[0].id, 2);
        let e = s.apply(&m, &report("img_0", "complete"), "u0", 6).unwrap();
        assert_eq!(e[0].data["result"]["url"], "u0");
        assert_eq!(e[0].data["result"]["name"], "same-rot90.jpg");
        assert!(s
            .apply(&m, &report("img_0", "processing"), "u0", 7)
            .is_err());
        assert!(s.apply(&m, &report("nope", "processing"), "u0", 7).is_err());
        let e = s.apply(&m, &report("img_1", "error"), "u1", 8).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!((e[1].id, e[1].event), (5, EventKind::Complete));
        assert_eq!(e[1].data["failed"], json!(["img_1"]));
        assert!(s.is_final());
        assert_eq!(
            s.apply(&m, &report("img_1", "error"), "u", 9)
                .unwrap_err()
                .status,
            409
        );
        assert_eq!(s.snapshot(&m)["results"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn output_format_follows_the_engine_for_each_input() {
        let image = |name: &str, mime: Option<&str>| ImageRef {
            id: "img_1".into(),
            name: name.into(),
            size: None,
            mime_type: mime.map(str::to_owned),
            tags: vec![],
            url: None,
        };
        let none = JobOptions::default();
        let cases = [
            ("IMG_0001.HEIC", Some("image/heic"), Format::Jpg),
            ("IMG_0001.HEIC", None, Format::Jpg),
            ("IMG_0001.heif", Some(""), Format::Jpg),
            ("scan.bmp", Some("image/bmp"), Format::Png),
            ("anim.gif", None, Format::Png),
            ("photo.webp", Some("image/webp"), Format::Webp),
            ("blob", Some("application/octet-stream"), Format::Png),
        ];
        for (name, mime, want) in cases {
            assert_eq!(
                output_format(&image(name, mime), &[], &none),
                want,
                "{name} {mime:?}"
            );
        }
    }

    #[test]
    fn all_failed_ends_in_error() {
        let m = meta(1);
        let (mut s, _) = SessionState::start(&m);
        let e = s.apply(&m, &report("img_0", "error"), "u", 1).unwrap();
        assert_eq!(e[1].event, EventKind::Error);
        assert!(e[1].is_final());
    }
}
