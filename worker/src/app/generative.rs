//! `POST /v1/images:edit` — a generative edit through the configured provider — and
//! `GET /v1/images:capabilities`, which tells the page whether there is one.
//!
//! The request is `multipart/form-data`: `sessionId`, `imageId`, `prompt`, `image` (PNG, JPEG or
//! WebP, at most 25 MB, already scaled by the page to the provider's longest side) and optionally
//! `mask` (a PNG of the same size). The session's owner only: the edit is reported to the session
//! ("generating…" on its SSE stream), counted against the user's daily quota, sent with a time
//! limit and one retry on a transient failure, and the reply is checked (a real image of the
//! shape sent, within the engine's limits) before it is stored in R2 under the user's key. The
//! answer carries a signed read URL. API keys stay in the worker.

use std::pin::pin;
use std::time::Duration;

use futures_util::future::{select, Either};
use futures_util::StreamExt;
use serde_json::{json, Value};
use worker::{
    AbortController, Delay, Env, Fetch, FormEntry, Headers, HttpMetadata, Method, Request,
    RequestInit, Response,
};

use super::config::{get, Config};
use super::{authenticate, checked_session_id, now_ms, origin_of, session_call, upload_secret};
use crate::error::{ApiError, ApiResult};
use crate::generative::{
    check_image, describe, error_message, image_from_openai_reply, image_from_workers_ai_reply,
    openai_multipart, workers_ai_input, EditInput, GenFailure, Provider, ReplyLimits,
    WorkersAiInput, DEFAULT_OPENAI_IMAGE_MODEL, MAX_IMAGE_BYTES, MAX_MASK_BYTES, MAX_PROMPT_CHARS,
    WORKERS_AI_IMG2IMG_MODEL, WORKERS_AI_INPAINT_MODEL, WORKERS_AI_REST_BASE,
};
use crate::image_probe::{probe, ImageKind, Probed};
use crate::signing::Grant;

/// How many times the provider is asked (one retry on a transient failure).
const ATTEMPTS: usize = 2;

/// The generative settings (see worker/README.md).
struct GenConfig {
    provider: Option<Provider>,
    timeout_ms: u64,
    edits_per_day: u32,
}

impl GenConfig {
    fn from_env(env: &Env) -> Self {
        let inpaint = get(env, "WORKERS_AI_INPAINT_MODEL")
            .unwrap_or_else(|| WORKERS_AI_INPAINT_MODEL.to_owned());
        let img2img = get(env, "WORKERS_AI_IMG2IMG_MODEL")
            .unwrap_or_else(|| WORKERS_AI_IMG2IMG_MODEL.to_owned());
        let provider = match get(env, "GENERATIVE_PROVIDER").as_deref() {
            Some("workers-ai") => Some(Provider::WorkersAiBinding {
                inpaint_model: inpaint,
                img2img_model: img2img,
            }),
            Some("workers-ai-rest") => match (
                get(env, "WORKERS_AI_ACCOUNT_ID"),
                get(env, "WORKERS_AI_API_TOKEN"),
            ) {
                (Some(account_id), Some(api_token)) => Some(Provider::WorkersAiRest {
                    api_base: get(env, "WORKERS_AI_API_BASE")
                        .unwrap_or_else(|| WORKERS_AI_REST_BASE.to_owned())
                        .trim_end_matches('/')
                        .to_owned(),
                    account_id,
                    api_token,
                    inpaint_model: inpaint,
                    img2img_model: img2img,
                }),
                _ => {
                    worker::console_error!("GENERATIVE_PROVIDER=workers-ai-rest needs WORKERS_AI_ACCOUNT_ID and WORKERS_AI_API_TOKEN");
                    None
                }
            },
            Some("openai") => get(env, "GENERATIVE_BASE_URL").map(|base| Provider::OpenAi {
                base_url: base.trim_end_matches('/').to_owned(),
                model: get(env, "GENERATIVE_MODEL")
                    .unwrap_or_else(|| DEFAULT_OPENAI_IMAGE_MODEL.to_owned()),
                api_key: get(env, "GENERATIVE_API_KEY"),
            }),
            _ => None,
        };
        Self {
            provider,
            timeout_ms: get(env, "GENERATIVE_TIMEOUT_MS")
                .and_then(|s| s.parse().ok())
                .unwrap_or(60_000),
            edits_per_day: get(env, "EDITS_PER_DAY")
                .and_then(|s| s.parse().ok())
                .unwrap_or(20),
        }
    }
}

/// `GET /v1/images:capabilities`: whether AI edits are available, and their limits (no secrets).
pub async fn capabilities(env: &Env) -> ApiResult<Response> {
    let g = GenConfig::from_env(env);
    let edit = match &g.provider {
        Some(p) => json!({
            "available": true,
            "provider": p.name(),
            "models": {"masked": p.model(true), "unmasked": p.model(false)},
            "maxSide": p.max_side(),
            "maxBytes": MAX_IMAGE_BYTES,
            "maxPromptChars": MAX_PROMPT_CHARS,
            "editsPerDay": g.edits_per_day,
        }),
        None => json!({
            "available": false,
            "message": "No AI image service is configured on this server, so AI edits are skipped.",
        }),
    };
    Ok(Response::from_json(&json!({ "edit": edit }))?)
}

/// A checked edit request.
struct EditForm {
    session_id: String,
    image_id: String,
    prompt: String,
    image: Vec<u8>,
    info: Probed,
    mask: Option<Vec<u8>>,
}

fn text_field(form: &worker::FormData, name: &str, max: usize) -> ApiResult<String> {
    match form.get(name) {
        Some(FormEntry::Field(v)) => {
            let v = v.trim();
            if v.is_empty() {
                Err(ApiError::field(name, "required"))
            } else if v.chars().count() > max {
                Err(ApiError::field(name, format!("at most {max} characters")))
            } else if v.chars().any(|c| c.is_control() && c != '\n') {
                Err(ApiError::field(name, "control characters are not allowed"))
            } else {
                Ok(v.to_owned())
            }
        }
        Some(FormEntry::File(_)) => Err(ApiError::field(name, "expected text, got a file")),
        None => Err(ApiError::field(name, "required")),
    }
}

async fn file_field(form: &worker::FormData, name: &str, max: u64) -> ApiResult<Option<Vec<u8>>> {
    match form.get(name) {
        Some(FormEntry::File(f)) => {
            if f.size() as u64 > max {
                return Err(ApiError::too_large(name, max));
            }
            Ok(Some(f.bytes().await?))
        }
        Some(FormEntry::Field(_)) => Err(ApiError::field(name, "expected a file")),
        None => Ok(None),
    }
}

async fn read_form(req: &mut Request, max_side: u32) -> ApiResult<EditForm> {
    let content_type = req.headers().get("content-type")?.unwrap_or_default();
    if !content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return Err(ApiError::unsupported_media_type(
            "send multipart/form-data with sessionId, imageId, prompt, image and optionally mask",
        ));
    }
    let limit = MAX_IMAGE_BYTES + MAX_MASK_BYTES + 64 * 1024;
    let declared = req
        .headers()
        .get("content-length")?
        .and_then(|l| l.trim().parse::<u64>().ok());
    if declared.is_some_and(|l| l > limit) {
        return Err(ApiError::too_large("the request body", limit));
    }
    let form = req
        .form_data()
        .await
        .map_err(|_| ApiError::field("", "the multipart body cannot be read"))?;
    let session_id = checked_session_id(&text_field(&form, "sessionId", 64)?)?.to_owned();
    let image_id = text_field(&form, "imageId", 128)?;
    let prompt = text_field(&form, "prompt", MAX_PROMPT_CHARS)?;
    let image = file_field(&form, "image", MAX_IMAGE_BYTES)
        .await?
        .ok_or_else(|| ApiError::field("image", "required"))?;
    let info = probe(&image).map_err(|e| ApiError::field("image", e))?;
    if info.width.max(info.height) > max_side {
        return Err(ApiError::field(
            "image",
            format!(
                "{} × {} is larger than the AI image service takes; scale it to at most {max_side} px on the longest side first",
                info.width, info.height
            ),
        ));
    }
    let mask = file_field(&form, "mask", MAX_MASK_BYTES).await?;
    if let Some(m) = &mask {
        let mi = probe(m).map_err(|e| ApiError::field("mask", e))?;
        if mi.kind != ImageKind::Png {
            return Err(ApiError::field("mask", "expected a PNG"));
        }
        if (mi.width, mi.height) != (info.width, info.height) {
            return Err(ApiError::field(
                "mask",
                format!(
                    "{} × {} differs from the image's {} × {}",
                    mi.width, mi.height, info.width, info.height
                ),
            ));
        }
    }
    Ok(EditForm {
        session_id,
        image_id,
        prompt,
        image,
        info,
        mask,
    })
}

/// Tells the session how the image's AI step is going (its owner only: 403/404 otherwise).
async fn report(
    env: &Env,
    user: &str,
    origin: &str,
    form: &EditForm,
    progress: f64,
    message: &str,
) -> ApiResult<()> {
    let body = json!({
        "imageId": form.image_id,
        "status": "processing",
        "progress": progress,
        "message": message,
    });
    let mut resp = session_call(
        env,
        &form.session_id,
        Method::Post,
        "/progress",
        &[("x-user", user), ("x-origin", origin)],
        Some(body.to_string()),
    )
    .await?;
    if resp.status_code() == 200 {
        return Ok(());
    }
    let v: Value = resp.json().await.unwrap_or(Value::Null);
    let message = v
        .pointer("/error/message")
        .and_then(Value::as_str)
        .unwrap_or("the session refused the edit")
        .to_owned();
    Err(match resp.status_code() {
        403 => ApiError::forbidden(message),
        404 => ApiError::not_found(message),
        409 => ApiError::conflict(message),
        _ => ApiError::field(
            "imageId",
            message.strip_prefix("imageId: ").unwrap_or(&message),
        ),
    })
}

/// Counts one edit against the user's daily quota.
async fn take_quota(env: &Env, user: &str, per_day: u32) -> ApiResult<u32> {
    let stub = env
        .durable_object("LIMITER")?
        .id_from_name(&format!("ai-edits:{user}"))?
        .get_stub()?;
    let mut resp = stub
        .fetch_with_str(&format!(
            "https://limiter/hit?limit={per_day}&windowMs={}&persist=1",
            crate::ratelimit::DAY_MS
        ))
        .await?;
    let v: Value = resp.json().await?;
    if v["allowed"] == true {
        Ok(v["remaining"].as_u64().unwrap_or(0) as u32)
    } else {
        Err(ApiError::quota_exceeded(
            per_day,
            v["retryAfter"].as_u64().unwrap_or(3600),
        ))
    }
}

async fn send(
    url: &str,
    content_type: &str,
    key: Option<&str>,
    body: Vec<u8>,
    signal: &worker::AbortSignal,
) -> Result<Vec<u8>, GenFailure> {
    let net = |e: worker::Error| GenFailure::Network(e.to_string());
    let headers = Headers::new();
    headers.set("content-type", content_type).map_err(net)?;
    headers
        .set("accept", "image/png, image/*, application/json")
        .map_err(net)?;
    if let Some(k) = key {
        headers
            .set("authorization", &format!("Bearer {k}"))
            .map_err(net)?;
    }
    let mut init = RequestInit::new();
    let body = js_sys::Uint8Array::from(body.as_slice());
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    let req = Request::new_with_init(url, &init).map_err(net)?;
    let mut resp = Fetch::Request(req)
        .send_with_signal(signal)
        .await
        .map_err(net)?;
    let status = resp.status_code();
    let declared = resp
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|l| l.parse::<usize>().ok());
    if declared.is_some_and(|l| l > crate::generative::MAX_REPLY_BYTES) {
        return Err(GenFailure::ReplyTooLarge);
    }
    let bytes = resp.bytes().await.map_err(net)?;
    if !(200..300).contains(&status) {
        return Err(GenFailure::Status {
            status,
            message: error_message(&bytes),
        });
    }
    Ok(bytes)
}

/// Calls `env.AI.run(model, input)`; the model answers with a stream of the PNG.
async fn run_binding(
    env: &Env,
    model: &str,
    input: &WorkersAiInput<'_>,
) -> Result<Vec<u8>, GenFailure> {
    let failed = |e: worker::Error| GenFailure::Status {
        status: 502,
        message: e.to_string().chars().take(200).collect(),
    };
    let mut stream = env
        .ai("AI")
        .map_err(failed)?
        .run_bytes(model, input)
        .await
        .map_err(failed)?;
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk.map_err(|e| GenFailure::Network(e.to_string()))?);
        if bytes.len() > crate::generative::MAX_REPLY_BYTES {
            return Err(GenFailure::ReplyTooLarge);
        }
    }
    Ok(bytes)
}

/// One attempt: the provider's reply, as image bytes (not yet checked).
async fn attempt(
    env: &Env,
    provider: &Provider,
    input: &EditInput<'_>,
    timeout_ms: u64,
) -> Result<Vec<u8>, GenFailure> {
    let controller = AbortController::default();
    let signal = controller.signal();
    let masked = input.mask.is_some();
    let work = async {
        match provider {
            Provider::WorkersAiBinding { .. } => {
                let reply =
                    run_binding(env, provider.model(masked), &workers_ai_input(input)).await?;
                image_from_workers_ai_reply(&reply)
            }
            Provider::WorkersAiRest { api_token, .. } => {
                let url = provider.url(masked).unwrap_or_default();
                let body = serde_json::to_vec(&workers_ai_input(input))
                    .map_err(|e| GenFailure::Network(e.to_string()))?;
                let reply = send(&url, "application/json", Some(api_token), body, &signal).await?;
                image_from_workers_ai_reply(&reply)
            }
            Provider::OpenAi { api_key, model, .. } => {
                let url = provider.url(masked).unwrap_or_default();
                let boundary = format!("retouch-{}", now_ms());
                let (ct, body) = openai_multipart(input, model, &boundary);
                let reply = send(&url, &ct, api_key.as_deref(), body, &signal).await?;
                image_from_openai_reply(&reply)
            }
        }
    };
    let timeout = Delay::from(Duration::from_millis(timeout_ms));
    let outcome = match select(pin!(work), pin!(timeout)).await {
        Either::Left((result, _)) => result,
        Either::Right(((), _)) => Err(GenFailure::Timeout {
            seconds: timeout_ms.div_ceil(1000),
        }),
    };
    if matches!(outcome, Err(GenFailure::Timeout { .. })) {
        controller.abort();
    }
    outcome
}

/// `POST /v1/images:edit`.
pub async fn edit(
    req: &mut Request,
    env: &Env,
    cfg: &Config,
    t: &super::telemetry::Telemetry,
) -> ApiResult<Response> {
    let user = authenticate(req, cfg, t, false)?;
    let g = GenConfig::from_env(env);
    let Some(provider) = g.provider else {
        return Err(ApiError::not_configured(
            "no AI image service is configured on this server (GENERATIVE_PROVIDER)",
        ));
    };
    let form = read_form(req, provider.max_side()).await?;
    let secret = upload_secret(cfg)?.to_vec();
    let origin = origin_of(req, cfg)?;
    report(env, &user, &origin, &form, 10.0, "generating…").await?;
    let remaining = match take_quota(env, &user, g.edits_per_day).await {
        Ok(r) => r,
        Err(e) => {
            let _ = report(env, &user, &origin, &form, 10.0, "AI edit limit reached").await;
            return Err(e);
        }
    };
    let input = EditInput {
        image: &form.image,
        info: form.info,
        mask: form.mask.as_deref(),
        prompt: &form.prompt,
    };
    let expected = (form.info.width, form.info.height);
    let mut attempts = 0;
    let outcome = loop {
        attempts += 1;
        let result = attempt(env, &provider, &input, g.timeout_ms)
            .await
            .and_then(|bytes| {
                check_image(&bytes, expected, &ReplyLimits::default()).map(|p| (bytes, p))
            });
        match result {
            Err(e) if e.is_transient() && attempts < ATTEMPTS => {
                worker::console_warn!("generative edit attempt {attempts} failed: {e}");
            }
            other => break other,
        }
    };
    let (bytes, out) = match outcome {
        Ok(v) => v,
        Err(e) => {
            worker::console_warn!("generative edit failed: {e}");
            let _ = report(
                env,
                &user,
                &origin,
                &form,
                10.0,
                &format!("AI edit failed: {e}"),
            )
            .await;
            return Err(ApiError::generative(
                e.http_status(),
                e.code(),
                e.to_string(),
            ));
        }
    };
    let key = format!(
        "{user}/{}/ai-{}-{}.{}",
        form.session_id,
        safe_name(&form.image_id),
        now_ms(),
        out.kind.extension()
    );
    let now = now_ms();
    let kept_until = now + crate::session::RESULT_TTL_DAYS * 86_400_000;
    let mut meta = std::collections::HashMap::new();
    meta.insert("userId".to_owned(), user.clone());
    meta.insert("sessionId".to_owned(), form.session_id.clone());
    meta.insert("imageId".to_owned(), form.image_id.clone());
    meta.insert("tags".to_owned(), r#"["ai-edit"]"#.to_owned());
    meta.insert("provider".to_owned(), provider.name().to_owned());
    meta.insert("keptUntil".to_owned(), kept_until.to_string());
    let size = bytes.len();
    env.bucket("RESULTS")?
        .put(key.as_str(), bytes)
        .http_metadata(HttpMetadata {
            content_type: Some(out.kind.mime().to_owned()),
            cache_control: Some("private, max-age=86400".into()),
            ..HttpMetadata::default()
        })
        .custom_metadata(meta)
        .execute()
        .await?;
    let read = Grant::get(key.as_str(), kept_until / 1000);
    let masked = form.mask.is_some();
    let description = describe(&form.prompt, masked);
    let _ = report(
        env,
        &user,
        &origin,
        &form,
        60.0,
        &format!("{description}: done"),
    )
    .await;
    Ok(Response::from_json(&json!({
        "key": key,
        "url": format!("{origin}{}?{}", Grant::path("/results", &key), read.query(&secret)),
        "contentType": out.kind.mime(),
        "width": out.width,
        "height": out.height,
        "size": size,
        "masked": masked,
        "description": description,
        "provider": provider.name(),
        "model": provider.model(masked),
        "attempts": attempts,
        "quota": {"limit": g.edits_per_day, "remaining": remaining},
        "keptUntil": kept_until,
    }))?)
}

/// An image id as a file-name part: letters, digits, `-` and `_` only.
fn safe_name(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect()
}
