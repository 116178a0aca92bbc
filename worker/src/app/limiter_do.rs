//! The per-user rate limiter: a Durable Object per user holding a fixed-window counter.
//!
//! `GET /hit?limit=N&windowMs=W` answers `{"allowed": bool, "remaining": n, "retryAfter": s}`.

use std::cell::Cell;

use serde_json::json;
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use super::now_ms;
use crate::ratelimit::Window;

#[durable_object]
pub struct RateLimiter {
    window: Cell<Window>,
}

impl DurableObject for RateLimiter {
    fn new(_state: State, _env: Env) -> Self {
        Self {
            window: Cell::new(Window::default()),
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        let url = req.url()?;
        let mut limit = 60u32;
        let mut window_ms = 60_000i64;
        for (k, v) in url.query_pairs() {
            match &*k {
                "limit" => limit = v.parse().unwrap_or(limit),
                "windowMs" => window_ms = v.parse().unwrap_or(window_ms),
                _ => {}
            }
        }
        let mut w = self.window.get();
        let outcome = w.hit(now_ms(), limit, window_ms);
        self.window.set(w);
        Response::from_json(&match outcome {
            Ok(remaining) => json!({"allowed": true, "remaining": remaining}),
            Err(retry) => json!({"allowed": false, "remaining": 0, "retryAfter": retry}),
        })
    }
}
