//! Command → tool calls: the configured LLM (bounded in time, checked strictly, one retry), then
//! the engine's deterministic parser.

use std::pin::pin;
use std::time::Duration;

use futures_util::future::{select, Either};
use retouch_contract::ToolCall;
use serde_json::Value;
use wasm_bindgen::JsCast;
use worker::{AbortController, Delay, Env, Fetch, Headers, Method, Request, RequestInit};

use super::config::{LlmConfig, LlmProvider};
use super::now_ms;
use super::telemetry::Telemetry;
use crate::error::{ApiError, ApiResult};
use crate::llm::{
    chat_request, tool_calls_from_reply, tool_calls_from_value, workers_ai_request, LlmFailure,
    MAX_REPLY_BYTES,
};
use crate::log::LlmOutcome;
use crate::metrics::Metric;

/// How many times the LLM is asked before the deterministic parser takes over.
const LLM_ATTEMPTS: usize = 2;

/// What a parse produced.
pub struct Parsed {
    pub calls: Vec<ToolCall>,
    /// `llm` or `rules`.
    pub parser: &'static str,
    pub unparsed: Vec<String>,
    pub notes: Vec<String>,
    /// Why the LLM's answer was not used, when it was asked and failed.
    pub llm_error: Option<String>,
}

fn rules(command: &str, llm_error: Option<String>) -> Parsed {
    let p = retouch_parse::parse_command(command);
    Parsed {
        calls: p.tool_calls,
        parser: "rules",
        unparsed: p.unparsed,
        notes: p.notes,
        llm_error,
    }
}

/// Parses `command`. `mode` is `Some("rules")` to skip the LLM, `Some("llm")` to require it (a
/// failure is then a 502), `None` for the LLM with fallback. The parser, the LLM's outcome, the
/// parse's latency and each failed LLM attempt go to the request's telemetry.
pub async fn parse(
    env: &Env,
    cfg: &LlmConfig,
    t: &Telemetry,
    command: &str,
    image_count: usize,
    mode: Option<&str>,
) -> ApiResult<Parsed> {
    let started = now_ms();
    let parsed = parse_with(env, cfg, t, command, image_count, mode).await;
    if let Ok(p) = &parsed {
        t.parser(p.parser);
        t.record(Metric::Parse {
            parser: p.parser,
            latency_ms: (now_ms() - started) as f64,
        });
    }
    parsed
}

async fn parse_with(
    env: &Env,
    cfg: &LlmConfig,
    t: &Telemetry,
    command: &str,
    image_count: usize,
    mode: Option<&str>,
) -> ApiResult<Parsed> {
    if mode == Some("rules") || cfg.provider == LlmProvider::None {
        t.llm(LlmOutcome::Off);
        if mode == Some("llm") {
            return Err(ApiError::llm_failed("no LLM is configured"));
        }
        return Ok(rules(command, None));
    }
    let mut last = LlmFailure::NoToolCalls;
    for _ in 0..LLM_ATTEMPTS {
        match ask(env, cfg, command, image_count).await {
            Ok(calls) => {
                t.llm(LlmOutcome::Ok);
                return Ok(Parsed {
                    calls,
                    parser: "llm",
                    unparsed: Vec::new(),
                    notes: Vec::new(),
                    llm_error: None,
                });
            }
            Err(e) => {
                t.record(Metric::LlmFailure { kind: e.kind() });
                last = e;
            }
        }
    }
    t.llm(LlmOutcome::Failed(last.kind()));
    if mode == Some("llm") {
        return Err(ApiError::llm_failed(last.to_string()));
    }
    Ok(rules(command, Some(last.to_string())))
}

async fn ask(
    env: &Env,
    cfg: &LlmConfig,
    command: &str,
    image_count: usize,
) -> Result<Vec<ToolCall>, LlmFailure> {
    let controller = AbortController::default();
    let signal = controller.signal();
    let work = async {
        match &cfg.provider {
            LlmProvider::OpenAi { base_url } => {
                let body = chat_request(&cfg.model, command, image_count).to_string();
                let text =
                    post_json(&format!("{base_url}/chat/completions"), &body, cfg, &signal).await?;
                tool_calls_from_reply(&text, command)
            }
            LlmProvider::WorkersAi => {
                let input = workers_ai_request(command, image_count);
                let reply = run_workers_ai(env, &cfg.model, &input).await?;
                tool_calls_from_value(&reply, command)
            }
            LlmProvider::None => Err(LlmFailure::Transport("no LLM configured".into())),
        }
    };
    let timeout = Delay::from(Duration::from_millis(cfg.timeout_ms));
    let outcome = match select(pin!(work), pin!(timeout)).await {
        Either::Left((result, _)) => result,
        Either::Right(((), _)) => Err(LlmFailure::Timeout),
    };
    if outcome == Err(LlmFailure::Timeout) {
        controller.abort();
    }
    outcome
}

async fn post_json(
    url: &str,
    body: &str,
    cfg: &LlmConfig,
    signal: &worker::AbortSignal,
) -> Result<String, LlmFailure> {
    let headers = Headers::new();
    let t = |e: worker::Error| LlmFailure::Transport(e.to_string());
    headers.set("content-type", "application/json").map_err(t)?;
    if let Some(key) = &cfg.api_key {
        headers
            .set("authorization", &format!("Bearer {key}"))
            .map_err(t)?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    let req = Request::new_with_init(url, &init).map_err(t)?;
    let mut resp = Fetch::Request(req)
        .send_with_signal(signal)
        .await
        .map_err(t)?;
    let status = resp.status_code();
    if !(200..300).contains(&status) {
        return Err(LlmFailure::Transport(format!("HTTP {status}")));
    }
    let text = resp.text().await.map_err(t)?;
    if text.len() > MAX_REPLY_BYTES {
        return Err(LlmFailure::Garbage("the reply is too large".into()));
    }
    Ok(text)
}

/// Calls `env.AI.run(model, input)` with a plain JS object (not the `Map`s serde would make).
async fn run_workers_ai(env: &Env, model: &str, input: &Value) -> Result<Value, LlmFailure> {
    let t = |what: &str| LlmFailure::Transport(what.to_owned());
    let env_js: &wasm_bindgen::JsValue = env.as_ref();
    let ai = js_sys::Reflect::get(env_js, &"AI".into()).map_err(|_| t("no AI binding"))?;
    let run: js_sys::Function = js_sys::Reflect::get(&ai, &"run".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| t("the AI binding has no run()"))?;
    let input = js_sys::JSON::parse(&input.to_string()).map_err(|_| t("bad input"))?;
    let promise: js_sys::Promise = run
        .call2(&ai, &model.into(), &input)
        .ok()
        .and_then(|p| p.dyn_into().ok())
        .ok_or_else(|| t("AI.run() did not return a promise"))?;
    let out = worker::wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| LlmFailure::Transport(format!("{e:?}")))?;
    let text: String = js_sys::JSON::stringify(&out)
        .map_err(|_| t("unserializable reply"))?
        .into();
    serde_json::from_str(&text).map_err(|e| LlmFailure::Garbage(e.to_string()))
}
