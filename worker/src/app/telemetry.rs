//! One request's telemetry: its log line (see `crate::log`) and its metrics (see
//! `crate::metrics`).
//!
//! The fetch handler starts a [`Telemetry`] per request and hands it to the handlers, which add
//! what only they know (the user, the parser, the LLM's outcome, facts such as bytes stored);
//! [`Telemetry::finish`] writes the line and the metrics the outcome implies. Metrics go to the
//! Analytics Engine binding `METRICS` when there is one and, with `METRICS_LOG = "true"`, also to
//! the log as lines of kind `metric` (the local sink the tests read: `wrangler dev` runs the
//! binding as a stub that keeps nothing).

use std::cell::{Cell, RefCell};

use worker::{AnalyticsEngineDataPointBuilder, AnalyticsEngineDataset, Env, Request};

use super::config::Config;
use super::now_ms;
use crate::log::{user_hash, LlmOutcome, RequestLine};
use crate::metrics::{outcome_metrics, Metric};
use crate::route::Route;

/// Where metrics go.
struct MetricsSink {
    dataset: Option<AnalyticsEngineDataset>,
    log: bool,
}

impl MetricsSink {
    fn from_env(env: &Env, cfg: &Config) -> Self {
        Self {
            dataset: env.analytics_engine("METRICS").ok(),
            log: cfg.metrics_log,
        }
    }

    fn record(&self, metric: &Metric<'_>) {
        let point = metric.data_point();
        if let Some(dataset) = &self.dataset {
            let written = AnalyticsEngineDataPointBuilder::new()
                .indexes([point.name])
                .add_blob(point.name)
                .add_blob(point.label.as_str())
                .add_blob(point.detail.as_str())
                .add_double(point.value)
                .write_to(dataset);
            if let Err(e) = written {
                worker::console_warn!(
                    "{}",
                    serde_json::json!({"kind": "metric_write_failed", "name": point.name, "error": e.to_string()})
                );
            }
        }
        if self.log {
            worker::console_log!("{}", point.to_log_json());
        }
    }
}

/// The telemetry of one request.
pub struct Telemetry {
    request_id: String,
    method: String,
    started_ms: i64,
    salt: Vec<u8>,
    user: RefCell<Option<String>>,
    parser: Cell<Option<&'static str>>,
    llm: Cell<Option<LlmOutcome>>,
    sink: MetricsSink,
}

impl Telemetry {
    /// Starts the record of `req`.
    pub fn start(req: &Request, env: &Env, cfg: &Config) -> Self {
        let request_id = req
            .headers()
            .get("cf-ray")
            .ok()
            .flatten()
            .filter(|r| r.len() <= 64 && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
            .unwrap_or_else(random_id);
        Self {
            request_id,
            method: req.method().as_ref().to_owned(),
            started_ms: now_ms(),
            salt: cfg.log_salt.clone(),
            user: RefCell::new(None),
            parser: Cell::new(None),
            llm: Cell::new(None),
            sink: MetricsSink::from_env(env, cfg),
        }
    }

    /// The signed-in user (logged as a salted hash only).
    pub fn user(&self, email: &str) {
        *self.user.borrow_mut() = Some(user_hash(&self.salt, email));
    }

    /// Which parser answered (`llm`, `rules` or `client`).
    pub fn parser(&self, parser: &'static str) {
        self.parser.set(Some(parser));
    }

    /// How the LLM did.
    pub fn llm(&self, outcome: LlmOutcome) {
        self.llm.set(Some(outcome));
    }

    /// Records a metric now.
    pub fn record(&self, metric: Metric<'_>) {
        self.sink.record(&metric);
    }

    /// Writes the request's log line and the metrics its outcome implies. `error` is the error
    /// answer's code, if the response is one.
    pub fn finish(&self, route: Route<'_>, status: u16, error: Option<&str>) {
        let latency_ms = now_ms() - self.started_ms;
        for m in outcome_metrics(route, status, error, latency_ms as f64) {
            self.sink.record(&m);
        }
        let line = RequestLine {
            request_id: self.request_id.clone(),
            method: self.method.clone(),
            route: route.pattern(),
            status,
            latency_ms,
            user: self.user.borrow().clone(),
            parser: self.parser.get(),
            llm: self.llm.get(),
            error: error.map(str::to_owned),
        };
        let text = line.to_json().to_string();
        if status >= 500 {
            worker::console_error!("{text}");
        } else {
            worker::console_log!("{text}");
        }
    }
}

/// 16 random hex digits (a request without Cloudflare's `cf-ray`, e.g. on local workerd).
fn random_id() -> String {
    let mut bytes = [0u8; 8];
    if getrandom::getrandom(&mut bytes).is_err() {
        return now_ms().to_string();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
