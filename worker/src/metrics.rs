//! What the worker measures, as Workers Analytics Engine data points.
//!
//! Every point has the same layout, so one dataset (`retouch_metrics`) answers every question:
//!
//! | column | holds |
//! |---|---|
//! | `index1` | the metric's name (the sampling key) |
//! | `blob1` | the metric's name, e.g. `llm_failure` |
//! | `blob2` | its label: a parser, a failure kind, an outcome, a route pattern |
//! | `blob3` | a detail (the status, for `request`), else empty |
//! | `double1` | its value: milliseconds, bytes, images, or 1 for a count |
//!
//! Counts are `SUM(_sample_interval)` (Analytics Engine samples under load); the queries for
//! "is the LLM failing?" and "how many uploads failed today?" are in worker/README.md. Labels
//! are stable codes, never text from a request.

use serde_json::{json, Value};

use crate::route::Route;

/// One measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metric<'a> {
    /// Any request: its route pattern, status and latency (the 5xx-rate alert).
    Request {
        /// The route's pattern.
        route: &'static str,
        /// The response status.
        status: u16,
        /// Milliseconds.
        latency_ms: f64,
    },
    /// A command parsed: which parser answered (`llm` or `rules`) and how long it took.
    Parse {
        /// `llm` or `rules`.
        parser: &'a str,
        /// Milliseconds, LLM attempts included.
        latency_ms: f64,
    },
    /// One failed LLM attempt, by kind (`timeout`, `transport`, `garbage`, `no_tool_calls`,
    /// `rejected`).
    LlmFailure {
        /// The failure kind.
        kind: &'a str,
    },
    /// A session created, with its parser and number of images.
    SessionCreated {
        /// `llm`, `rules` or `client`.
        parser: &'a str,
        /// Images in the session.
        images: usize,
    },
    /// An image reported complete.
    ImageCompleted,
    /// An image reported failed, by the kind the page gave (`unspecified` without one).
    ImageFailed {
        /// The error kind.
        kind: &'a str,
    },
    /// A `PUT /uploads/…`: `ok` with the bytes stored, or the error code.
    Upload {
        /// `ok` or an error code (`forbidden`, `expired`, `payload_too_large`, …).
        outcome: &'a str,
        /// Bytes stored (0 for a failure).
        bytes: u64,
    },
    /// A generative edit: `ok` or its error code (`generative_timeout`, …).
    GenerativeEdit {
        /// `ok` or the error code.
        outcome: &'a str,
    },
    /// A request refused by a quota: `ai_edits` (the daily AI edits) or `rate_limit`.
    QuotaRefused {
        /// Which quota.
        quota: &'a str,
    },
}

/// An Analytics Engine data point (see the module's table).
#[derive(Debug, Clone, PartialEq)]
pub struct DataPoint {
    /// `index1` and `blob1`.
    pub name: &'static str,
    /// `blob2`.
    pub label: String,
    /// `blob3`.
    pub detail: String,
    /// `double1`.
    pub value: f64,
}

impl Metric<'_> {
    /// The point to write.
    pub fn data_point(&self) -> DataPoint {
        let (name, label, detail, value): (&'static str, &str, String, f64) = match *self {
            Self::Request {
                route,
                status,
                latency_ms,
            } => ("request", route, status.to_string(), latency_ms),
            Self::Parse { parser, latency_ms } => ("parse", parser, String::new(), latency_ms),
            Self::LlmFailure { kind } => ("llm_failure", kind, String::new(), 1.0),
            Self::SessionCreated { parser, images } => {
                ("session_created", parser, String::new(), images as f64)
            }
            Self::ImageCompleted => ("image_completed", "", String::new(), 1.0),
            Self::ImageFailed { kind } => ("image_failed", kind, String::new(), 1.0),
            Self::Upload { outcome, bytes } => ("upload", outcome, String::new(), bytes as f64),
            Self::GenerativeEdit { outcome } => ("generative_edit", outcome, String::new(), 1.0),
            Self::QuotaRefused { quota } => ("quota_refused", quota, String::new(), 1.0),
        };
        DataPoint {
            name,
            label: label.to_owned(),
            detail,
            value,
        }
    }
}

impl DataPoint {
    /// The point as a log line of kind `metric` (the local sink, `METRICS_LOG = "true"`).
    pub fn to_log_json(&self) -> Value {
        let mut v =
            json!({"kind": "metric", "name": self.name, "label": self.label, "value": self.value});
        if !self.detail.is_empty() {
            v["detail"] = json!(self.detail);
        }
        v
    }
}

/// The metrics a request's outcome implies, beyond those its handler recorded: every request's
/// own point, failed uploads, generative edits, and quota refusals.
pub fn outcome_metrics<'a>(
    route: Route<'_>,
    status: u16,
    error: Option<&'a str>,
    latency_ms: f64,
) -> Vec<Metric<'a>> {
    let mut out = vec![Metric::Request {
        route: route.pattern(),
        status,
        latency_ms,
    }];
    match (route, error) {
        (_, Some("quota_exceeded")) => out.push(Metric::QuotaRefused { quota: "ai_edits" }),
        (_, Some("rate_limited")) => out.push(Metric::QuotaRefused {
            quota: "rate_limit",
        }),
        (Route::Upload, Some(code)) => out.push(Metric::Upload {
            outcome: code,
            bytes: 0,
        }),
        (Route::EditImage, outcome) if status != 401 => out.push(Metric::GenerativeEdit {
            outcome: outcome.unwrap_or("ok"),
        }),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_have_one_layout() {
        let p = Metric::LlmFailure { kind: "timeout" }.data_point();
        assert_eq!(
            (p.name, p.label.as_str(), p.value),
            ("llm_failure", "timeout", 1.0)
        );
        let p = Metric::Upload {
            outcome: "ok",
            bytes: 1234,
        }
        .data_point();
        assert_eq!(
            (p.name, p.label.as_str(), p.value),
            ("upload", "ok", 1234.0)
        );
        let p = Metric::Request {
            route: "/v1/health",
            status: 503,
            latency_ms: 12.0,
        }
        .data_point();
        assert_eq!(p.detail, "503");
        assert_eq!(
            p.to_log_json(),
            json!({"kind": "metric", "name": "request", "label": "/v1/health", "detail": "503", "value": 12.0})
        );
    }

    #[test]
    fn outcomes_imply_their_metrics() {
        let names = |ms: Vec<Metric<'_>>| -> Vec<(&'static str, String)> {
            ms.iter()
                .map(|m| {
                    let p = m.data_point();
                    (p.name, p.label)
                })
                .collect()
        };
        assert_eq!(
            names(outcome_metrics(
                Route::EditImage,
                429,
                Some("quota_exceeded"),
                3.0
            )),
            [
                ("request", "/v1/images:edit".into()),
                ("quota_refused", "ai_edits".into())
            ]
        );
        assert_eq!(
            names(outcome_metrics(Route::EditImage, 200, None, 3.0))[1],
            ("generative_edit", "ok".into())
        );
        assert_eq!(
            names(outcome_metrics(
                Route::EditImage,
                504,
                Some("generative_timeout"),
                3.0
            ))[1],
            ("generative_edit", "generative_timeout".into())
        );
        assert_eq!(
            outcome_metrics(Route::EditImage, 401, Some("unauthorized"), 3.0).len(),
            1
        );
        assert_eq!(
            names(outcome_metrics(Route::Upload, 403, Some("expired"), 3.0))[1],
            ("upload", "expired".into())
        );
        // A successful upload's bytes are recorded by its handler, not here.
        assert_eq!(outcome_metrics(Route::Upload, 201, None, 3.0).len(), 1);
        assert_eq!(
            names(outcome_metrics(
                Route::ParseCommand,
                429,
                Some("rate_limited"),
                3.0
            ))[1],
            ("quota_refused", "rate_limit".into())
        );
    }
}
