//! The per-user rate limiter: a Durable Object per user (and per purpose) holding a fixed-window
//! counter.
//!
//! `GET /hit?limit=N&windowMs=W[&persist=1]` answers `{"allowed": bool, "remaining": n, "retryAfter": s}`;
//! `GET /health` answers 200 (the health check).
//! With `persist=1` (the daily AI edit quota) the window is also kept in the object's storage, so
//! an eviction does not reset it; the object's input gate keeps concurrent hits in order.

use std::cell::Cell;

use serde_json::json;
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use super::now_ms;
use crate::ratelimit::Window;

#[durable_object]
pub struct RateLimiter {
    state: State,
    window: Cell<Option<Window>>,
}

impl DurableObject for RateLimiter {
    fn new(state: State, _env: Env) -> Self {
        Self {
            state,
            window: Cell::new(None),
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        if req.path() == "/health" {
            return Response::ok("ok");
        }
        let url = req.url()?;
        let mut limit = 60u32;
        let mut window_ms = 60_000i64;
        let mut persist = false;
        for (k, v) in url.query_pairs() {
            match &*k {
                "limit" => limit = v.parse().unwrap_or(limit),
                "windowMs" => window_ms = v.parse().unwrap_or(window_ms),
                "persist" => persist = v == "1",
                _ => {}
            }
        }
        let mut w = match self.window.get() {
            Some(w) => w,
            None if persist => self
                .state
                .storage()
                .get::<String>("window")
                .await?
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default(),
            None => Window::default(),
        };
        let outcome = w.hit(now_ms(), limit, window_ms);
        self.window.set(Some(w));
        if persist {
            self.state
                .storage()
                .put("window", serde_json::to_string(&w)?)
                .await?;
        }
        Response::from_json(&match outcome {
            Ok(remaining) => json!({"allowed": true, "remaining": remaining}),
            Err(retry) => json!({"allowed": false, "remaining": 0, "retryAfter": retry}),
        })
    }
}
