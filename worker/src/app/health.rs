//! `GET /v1/health`: the build, and whether D1, R2 and both Durable Object classes answer.
//!
//! The four checks run at once, each bounded by [`CHECK_BUDGET_MS`], so the answer comes within
//! 200 ms even when a dependency hangs: 200 `{status: "ok", …}` when all answer, 503
//! `{status: "degraded", …}` naming the one that did not. No authentication and no secrets: a
//! load balancer or an uptime check calls it.

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use futures_util::future::{join4, select, Either};
use serde_json::{json, Value};
use worker::{Delay, Env, Headers, Response};

use super::config::get;
use super::now_ms;
use crate::error::ApiResult;

/// The longest a single check may take, in milliseconds.
pub const CHECK_BUDGET_MS: u64 = 150;

/// One check's answer: how long it took and, if it failed, why.
struct Checked {
    ms: i64,
    error: Option<String>,
}

impl Checked {
    fn to_json(&self) -> Value {
        let mut v = json!({ "ok": self.error.is_none(), "ms": self.ms });
        if let Some(e) = &self.error {
            v["error"] = json!(e);
        }
        v
    }
}

/// Runs `check` with the time budget.
async fn bounded(check: impl Future<Output = worker::Result<()>>) -> Checked {
    let started = now_ms();
    let timeout = Delay::from(Duration::from_millis(CHECK_BUDGET_MS));
    let error = match select(pin!(check), pin!(timeout)).await {
        Either::Left((Ok(()), _)) => None,
        Either::Left((Err(e), _)) => Some(e.to_string().chars().take(200).collect()),
        Either::Right(((), _)) => Some(format!("no answer within {CHECK_BUDGET_MS} ms")),
    };
    Checked {
        ms: now_ms() - started,
        error,
    }
}

/// D1 answers and the migrations are applied (the sessions table exists).
async fn d1(env: &Env) -> worker::Result<()> {
    env.d1("DB")?
        .prepare("SELECT 1 FROM sessions LIMIT 1")
        .all()
        .await
        .map(drop)
}

/// The results bucket answers (a HEAD of a key that need not exist).
async fn r2(env: &Env) -> worker::Result<()> {
    env.bucket("RESULTS")?.head("health-check").await.map(drop)
}

/// A Durable Object of the binding answers its `GET /health`.
async fn durable_object(env: &Env, binding: &str) -> worker::Result<()> {
    let stub = env
        .durable_object(binding)?
        .id_from_name("health-check")?
        .get_stub()?;
    let resp = stub.fetch_with_str("https://object/health").await?;
    match resp.status_code() {
        200 => Ok(()),
        s => Err(worker::Error::RustError(format!("answered HTTP {s}"))),
    }
}

/// `GET /v1/health`.
pub async fn health(env: &Env) -> ApiResult<Response> {
    let started = now_ms();
    let (d1, r2, sessions, limiter) = join4(
        bounded(d1(env)),
        bounded(r2(env)),
        bounded(durable_object(env, "SESSIONS")),
        bounded(durable_object(env, "LIMITER")),
    )
    .await;
    let checks = [
        ("d1", d1),
        ("r2", r2),
        ("sessions", sessions),
        ("limiter", limiter),
    ];
    let ok = checks.iter().all(|(_, c)| c.error.is_none());
    let body = json!({
        "status": if ok { "ok" } else { "degraded" },
        "version": env!("CARGO_PKG_VERSION"),
        "build": get(env, "BUILD_ID").unwrap_or_else(|| "dev".to_owned()),
        "ms": now_ms() - started,
        "checks": checks
            .iter()
            .map(|(name, c)| ((*name).to_owned(), c.to_json()))
            .collect::<serde_json::Map<_, _>>(),
    });
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::from_json(&body)?
        .with_status(if ok { 200 } else { 503 })
        .with_headers(headers))
}
