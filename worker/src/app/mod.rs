//! The HTTP layer: routing, authentication, CORS, and the handlers. Built for wasm32 only.

mod config;
mod generative;
mod health;
mod limiter_do;
mod parsing;
mod results;
mod session_do;
mod telemetry;

use std::collections::HashMap;

use retouch_contract::tool_calls_to_json;
use serde::Deserialize;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use worker::{
    event, Conditional, Context, Env, Headers, HttpMetadata, Method, Request, RequestInit,
    Response, ScheduleContext, ScheduledEvent,
};

use self::config::Config;
use self::telemetry::Telemetry;
use crate::error::{ApiError, ApiResult};
use crate::keyring::KeyRing;
use crate::metrics::Metric;
use crate::request::{EditRequest, ImageStatus, Operation, ParseRequest, MAX_BODY_BYTES};
use crate::route::Route;
use crate::session::{is_session_id, plan_uploads, session_id_from, SessionMeta};
use crate::signing::{key_from_path, split_key, Grant, GrantError, Method as GrantMethod};

/// The OpenAPI document, also served at `GET /v1/openapi.json`.
const OPENAPI: &str = include_str!("../../openapi.json");
/// How long a development sign-in token lasts.
const DEV_TOKEN_TTL_S: i64 = 12 * 3600;

impl From<worker::Error> for ApiError {
    fn from(e: worker::Error) -> Self {
        crate::log::internal_error("runtime", &e.to_string());
        ApiError::internal("internal error")
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        crate::log::internal_error("json", &e.to_string());
        ApiError::internal("internal error")
    }
}

pub(crate) fn now_ms() -> i64 {
    worker::Date::now().as_millis() as i64
}

fn now_s() -> i64 {
    now_ms() / 1000
}

/// The header that carries an error answer's code to the request's log line (also through a
/// Durable Object's answer that the worker passes on).
const ERROR_CODE_HEADER: &str = "x-error-code";

/// The JSON error response for `e`.
pub(crate) fn api_error_response(e: &ApiError) -> worker::Result<Response> {
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set(ERROR_CODE_HEADER, e.code)?;
    if let Some(s) = e.retry_after {
        headers.set("retry-after", &s.to_string())?;
    }
    if e.status == 401 {
        headers.set("www-authenticate", "Bearer")?;
    }
    Ok(Response::from_json(&e.to_json())?
        .with_status(e.status)
        .with_headers(headers))
}

fn json_response(status: u16, v: &Value) -> ApiResult<Response> {
    Ok(Response::from_json(v)?.with_status(status))
}

#[event(fetch)]
pub async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let cfg = Config::from_env(&env);
    let t = Telemetry::start(&req, &env, &cfg);
    let origin = req.headers().get("origin")?;
    let path = req.path();
    let route = Route::of(req.method().as_ref(), &path);
    let resp = match handle(route, req, &env, &cfg, &t).await {
        Ok(r) => r,
        Err(e) => api_error_response(&e)?,
    };
    let error = resp.headers().get(ERROR_CODE_HEADER)?;
    t.finish(route, resp.status_code(), error.as_deref());
    with_headers(resp, &cfg, origin.as_deref())
}

/// Adds the security headers (those a handler set, e.g. a result's, win) and, for an allowed
/// origin, CORS (copying the headers, which may be immutable).
fn with_headers(resp: Response, cfg: &Config, origin: Option<&str>) -> worker::Result<Response> {
    let headers = Headers::new();
    for (k, v) in resp.headers().entries() {
        headers.append(&k, &v)?;
    }
    for (k, v) in crate::headers::API {
        if !headers.has(k)? {
            headers.set(k, v)?;
        }
    }
    let Some(origin) = origin.filter(|o| cfg.cors_origins.iter().any(|a| a == "*" || a == o))
    else {
        return Ok(resp.with_headers(headers));
    };
    headers.set("access-control-allow-origin", origin)?;
    headers.append("vary", "Origin")?;
    headers.set(
        "access-control-allow-methods",
        "GET, POST, PUT, DELETE, OPTIONS",
    )?;
    headers.set(
        "access-control-allow-headers",
        "authorization, content-type, last-event-id",
    )?;
    headers.set("access-control-expose-headers", "retry-after")?;
    headers.set("access-control-max-age", "600")?;
    Ok(resp.with_headers(headers))
}

async fn handle(
    route: Route<'_>,
    mut req: Request,
    env: &Env,
    cfg: &Config,
    t: &Telemetry,
) -> ApiResult<Response> {
    let req = &mut req;
    match route {
        Route::Preflight => Ok(Response::empty()?.with_status(204)),
        Route::DevLogin => dev_login(req, cfg).await,
        Route::CreateSession => create_session(req, env, cfg, t).await,
        Route::ListSessions => list_sessions(req, env, cfg, t).await,
        Route::StreamProgress(id) => stream_progress(req, env, cfg, t, id).await,
        Route::GetSession(id) => get_session(req, env, cfg, t, id).await,
        Route::ReportProgress(id) => report_progress(req, env, cfg, t, id).await,
        Route::ParseCommand => parse_command(req, env, cfg, t).await,
        Route::EditImage => generative::edit(req, env, cfg, t).await,
        Route::Capabilities => generative::capabilities(env).await,
        Route::OpenApi => {
            let h = Headers::new();
            h.set("content-type", "application/json")?;
            Ok(Response::ok(OPENAPI)?.with_headers(h))
        }
        Route::Health => health::health(env).await,
        Route::Upload => upload(req, env, cfg, t).await,
        Route::ReadResult => read_result(req, env, cfg).await,
        Route::ListResults => results::list(req, env, cfg, t).await,
        Route::DeleteResult => results::delete_one(req, env, cfg, t).await,
        Route::DeleteSessionResults => results::delete_session(req, env, cfg, t).await,
        Route::MethodNotAllowed => Err(ApiError::method_not_allowed(
            req.method().as_ref(),
            &req.path(),
        )),
        Route::NotFound => Err(ApiError::not_found(format!("nothing at {}", req.path()))),
    }
}

/// The user of a request: a verified `Authorization: Bearer` token (or, where a browser's
/// `EventSource` cannot set headers, an `access_token` query parameter).
fn authenticate(
    req: &Request,
    cfg: &Config,
    t: &Telemetry,
    allow_query: bool,
) -> ApiResult<String> {
    let header = req.headers().get("authorization")?;
    let token = match header {
        Some(h) => {
            let (scheme, token) = h.trim().split_once(' ').unwrap_or((h.as_str(), ""));
            if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
                return Err(ApiError::unauthorized(
                    "expected Authorization: Bearer <token>",
                ));
            }
            token.trim().to_owned()
        }
        None if allow_query => req
            .url()?
            .query_pairs()
            .find(|(k, _)| k == "access_token")
            .map(|(_, v)| v.into_owned())
            .ok_or_else(|| ApiError::unauthorized("missing bearer token"))?,
        None => return Err(ApiError::unauthorized("missing bearer token")),
    };
    let user = crate::jwt::verify(&token, &cfg.jwt, now_s())
        .map(|id| id.email)
        .map_err(|e| ApiError::unauthorized(e.0))?;
    t.user(&user);
    Ok(user)
}

async fn rate_limit(env: &Env, cfg: &Config, user: &str) -> ApiResult<()> {
    let stub = env
        .durable_object("LIMITER")?
        .id_from_name(user)?
        .get_stub()?;
    let mut resp = stub
        .fetch_with_str(&format!(
            "https://limiter/hit?limit={}&windowMs={}",
            cfg.rate_limit, cfg.rate_window_ms
        ))
        .await?;
    let v: Value = resp.json().await?;
    if v["allowed"] == true {
        Ok(())
    } else {
        Err(ApiError::rate_limited(
            v["retryAfter"].as_u64().unwrap_or(60),
        ))
    }
}

async fn read_body(req: &mut Request, limit: u64) -> ApiResult<String> {
    let declared = req
        .headers()
        .get("content-length")?
        .and_then(|l| l.trim().parse::<u64>().ok());
    if declared.is_some_and(|l| l > limit) {
        return Err(ApiError::too_large("the request body", limit));
    }
    let bytes = req.bytes().await?;
    if bytes.len() as u64 > limit {
        return Err(ApiError::too_large("the request body", limit));
    }
    String::from_utf8(bytes).map_err(|_| ApiError::invalid_json("the body is not UTF-8"))
}

fn origin_of(req: &Request, cfg: &Config) -> ApiResult<String> {
    crate::origin::signing_origin(cfg.public_url.as_deref(), &request_origin(req)?)
}

/// The request's own origin, as its Host header gave it: trusted only when loopback.
fn request_origin(req: &Request) -> ApiResult<String> {
    Ok(req.url()?.origin().ascii_serialization())
}

/// The keys that check signed URLs (the current one and, during a rotation, the previous one).
fn upload_keys(cfg: &Config) -> ApiResult<&KeyRing> {
    cfg.upload_keys
        .as_ref()
        .ok_or_else(|| ApiError::not_configured("UPLOAD_SECRET is not set"))
}

/// The key new signed URLs are made with.
fn upload_secret(cfg: &Config) -> ApiResult<&[u8]> {
    upload_keys(cfg).map(KeyRing::current)
}

fn new_session_id() -> ApiResult<String> {
    let mut bytes = [0u8; 12];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| ApiError::internal(format!("no randomness: {e}")))?;
    Ok(session_id_from(bytes))
}

/// A request to the session's Durable Object.
async fn session_call(
    env: &Env,
    session_id: &str,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> ApiResult<Response> {
    let stub = env
        .durable_object("SESSIONS")?
        .id_from_name(session_id)?
        .get_stub()?;
    let h = Headers::new();
    for (k, v) in headers {
        h.set(k, v)?;
    }
    let mut init = RequestInit::new();
    init.with_method(method)
        .with_headers(h)
        .with_body(body.map(|b| JsValue::from_str(&b)));
    let req = Request::new_with_init(&format!("https://session{path}"), &init)?;
    Ok(stub.fetch_with_request(req).await?)
}

fn checked_session_id(id: &str) -> ApiResult<&str> {
    if is_session_id(id) {
        Ok(id)
    } else {
        Err(ApiError::not_found("no such session"))
    }
}

// ---------------------------------------------------------------------------------------------

async fn dev_login(req: &mut Request, cfg: &Config) -> ApiResult<Response> {
    if !cfg.dev_login {
        return Err(ApiError::not_found("development sign-in is disabled"));
    }
    // Even when enabled by mistake in a deployment, it answers only on this machine.
    if !crate::origin::is_loopback(&request_origin(req)?) {
        return Err(ApiError::not_found(
            "development sign-in is only available on a loopback origin",
        ));
    }
    let Some(secret) = cfg.jwt.hs256.as_ref().map(KeyRing::current) else {
        return Err(ApiError::not_configured("JWT_SECRET is not set"));
    };
    let body = read_body(req, 4096).await?;
    let o = crate::request::json_object(&body)?;
    let email = match o.get("email") {
        Some(Value::String(e)) => crate::jwt::normalize_email(e)
            .ok_or_else(|| ApiError::field("email", "expected an email address"))?,
        _ => return Err(ApiError::field("email", "required")),
    };
    let now = now_s();
    let mut claims =
        json!({"sub": email, "email": email, "iat": now, "nbf": now, "exp": now + DEV_TOKEN_TTL_S});
    if let Some(iss) = &cfg.jwt.issuer {
        claims["iss"] = json!(iss);
    }
    if let Some(aud) = &cfg.jwt.audience {
        claims["aud"] = json!(aud);
    }
    let token = crate::jwt::sign_hs256(&claims, secret);
    json_response(
        200,
        &json!({"token": token, "tokenType": "Bearer", "email": email, "expiresAt": now + DEV_TOKEN_TTL_S}),
    )
}

async fn create_session(
    req: &mut Request,
    env: &Env,
    cfg: &Config,
    t: &Telemetry,
) -> ApiResult<Response> {
    let user = authenticate(req, cfg, t, false)?;
    rate_limit(env, cfg, &user).await?;
    let body = read_body(req, MAX_BODY_BYTES).await?;
    let edit = EditRequest::parse(&body)?;
    let secret = upload_secret(cfg)?;
    let (calls, parser, unparsed, notes, llm_error, summary) = match &edit.operation {
        Operation::Command(command) => {
            let p = parsing::parse(env, &cfg.llm, t, command, edit.images.len(), None).await?;
            if p.calls.is_empty() {
                return Err(ApiError::command_not_understood(&p.unparsed));
            }
            let summary: String = command.chars().take(200).collect();
            (p.calls, p.parser, p.unparsed, p.notes, p.llm_error, summary)
        }
        Operation::Bulk(call) => (
            vec![call.clone()],
            "bulk",
            Vec::new(),
            Vec::new(),
            None,
            format!("bulk: {}", call.tool.name()),
        ),
        Operation::ToolCalls { calls, summary } => (
            calls.clone(),
            "client",
            Vec::new(),
            Vec::new(),
            None,
            summary.clone().unwrap_or_else(|| {
                let names: Vec<&str> = calls.iter().map(|c| c.tool.name()).collect();
                if names.is_empty() {
                    let options: Vec<&str> = edit
                        .options_json
                        .as_object()
                        .map(|o| o.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    format!("options: {}", options.join(", "))
                } else {
                    format!("steps: {}", names.join(", "))
                }
            }),
        ),
    };
    let session_id = new_session_id()?;
    let now = now_ms();
    let expires_at = now + cfg.session_ttl_ms;
    let tool_calls = tool_calls_to_json(&calls);
    let uploads = plan_uploads(&user, &session_id, &edit.images, &calls, &edit.options);
    let meta = SessionMeta {
        session_id: session_id.clone(),
        user_id: user.clone(),
        created_at: now,
        expires_at,
        images: edit.images.clone(),
        tool_calls: tool_calls.clone(),
        parser: parser.to_owned(),
        options: edit.options_json.clone(),
        uploads: uploads.clone(),
        summary: summary.clone(),
    };
    let resp = session_call(
        env,
        &session_id,
        Method::Post,
        "/init",
        &[("x-user", &user)],
        Some(serde_json::to_string(&meta)?),
    )
    .await?;
    if resp.status_code() != 201 {
        return Err(ApiError::internal("the session could not be created"));
    }
    env.d1("DB")?
        .prepare(
            "INSERT INTO sessions (session_id, user_id, created_at, expires_at, status, image_count, parser, summary) \
             VALUES (?1, ?2, ?3, ?4, 'processing', ?5, ?6, ?7)",
        )
        .bind(&[
            session_id.as_str().into(),
            user.as_str().into(),
            JsValue::from_f64(now as f64),
            JsValue::from_f64(expires_at as f64),
            JsValue::from_f64(edit.images.len() as f64),
            parser.into(),
            summary.as_str().into(),
        ])?
        .run()
        .await?;
    t.parser(parser);
    t.record(Metric::SessionCreated {
        parser,
        images: edit.images.len(),
    });
    let origin = origin_of(req, cfg)?;
    let url_expires = now / 1000 + cfg.upload_url_ttl_s;
    let uploads_json: Vec<Value> = uploads
        .iter()
        .map(|u| {
            let grant = Grant::put(u.key.as_str(), &u.content_type, cfg.max_upload_bytes, url_expires)
                .for_image(&u.image_id, &u.tags);
            let mut upload = json!({
                "imageId": u.image_id,
                "key": u.key,
                "name": u.file_name,
                "format": u.format,
                "method": "PUT",
                "url": format!("{origin}{}?{}", Grant::path("/uploads", &u.key), grant.query(secret)),
                "headers": {"content-type": u.content_type},
                "contentType": u.content_type,
                "maxBytes": cfg.max_upload_bytes,
                "expiresAt": url_expires,
                "tags": u.tags,
            });
            if let Some((target, bucket)) = &cfg.s3 {
                let ttl = u32::try_from(cfg.upload_url_ttl_s).unwrap_or(3600);
                upload["s3"] = json!({
                    "url": crate::s3::presign_put(target, bucket, &u.key, &u.content_type, now / 1000, ttl),
                    "expiresAt": url_expires,
                    "headers": {"content-type": u.content_type},
                });
            }
            upload
        })
        .collect();
    let mut body = json!({
        "sessionId": session_id,
        "status": "processing",
        "estimatedTime": edit.images.len() * 2,
        "progressUrl": format!("/image-edit/progress/{session_id}"),
        "toolCalls": tool_calls,
        "parser": parser,
        "unparsed": unparsed,
        "notes": notes,
        "uploads": uploads_json,
        "createdAt": now,
        "expiresAt": expires_at,
    });
    if let Some(e) = llm_error {
        body["llmError"] = json!(e);
    }
    json_response(202, &body)
}

#[derive(Deserialize)]
struct SessionRow {
    session_id: String,
    status: String,
    created_at: f64,
    expires_at: f64,
    image_count: f64,
    parser: String,
    summary: String,
}

async fn list_sessions(
    req: &Request,
    env: &Env,
    cfg: &Config,
    t: &Telemetry,
) -> ApiResult<Response> {
    let user = authenticate(req, cfg, t, false)?;
    let mut limit = 50u32;
    for (k, v) in req.url()?.query_pairs() {
        if k == "limit" {
            limit = match v.parse::<u32>() {
                Ok(n @ 1..=100) => n,
                _ => {
                    return Err(ApiError::field(
                        "limit",
                        "expected an integer from 1 to 100",
                    ))
                }
            };
        }
    }
    let rows: Vec<SessionRow> = env
        .d1("DB")?
        .prepare(
            "SELECT session_id, status, created_at, expires_at, image_count, parser, summary FROM sessions \
             WHERE user_id = ?1 AND expires_at > ?2 ORDER BY created_at DESC, rowid DESC LIMIT ?3",
        )
        .bind(&[
            user.as_str().into(),
            JsValue::from_f64(now_ms() as f64),
            JsValue::from_f64(f64::from(limit)),
        ])?
        .all()
        .await?
        .results()?;
    let sessions: Vec<Value> = rows
        .into_iter()
        .map(|r| {
            json!({
                "sessionId": r.session_id,
                "status": r.status,
                "createdAt": r.created_at as i64,
                "expiresAt": r.expires_at as i64,
                "imageCount": r.image_count as i64,
                "parser": r.parser,
                "summary": r.summary,
                "progressUrl": format!("/image-edit/progress/{}", r.session_id),
            })
        })
        .collect();
    json_response(200, &json!({ "sessions": sessions }))
}

async fn get_session(
    req: &Request,
    env: &Env,
    cfg: &Config,
    t: &Telemetry,
    id: &str,
) -> ApiResult<Response> {
    let user = authenticate(req, cfg, t, false)?;
    let id = checked_session_id(id)?;
    session_call(
        env,
        id,
        Method::Get,
        "/snapshot",
        &[("x-user", &user)],
        None,
    )
    .await
}

async fn stream_progress(
    req: &Request,
    env: &Env,
    cfg: &Config,
    t: &Telemetry,
    id: &str,
) -> ApiResult<Response> {
    let user = authenticate(req, cfg, t, true)?;
    let id = checked_session_id(id)?;
    let last = match req.headers().get("last-event-id")? {
        Some(v) => Some(v),
        None => req
            .url()?
            .query_pairs()
            .find(|(k, _)| k == "lastEventId")
            .map(|(_, v)| v.into_owned()),
    };
    let mut headers = vec![("x-user", user.as_str())];
    if let Some(l) = last.as_deref() {
        headers.push(("x-last-event-id", l));
    }
    session_call(env, id, Method::Get, "/events", &headers, None).await
}

async fn report_progress(
    req: &mut Request,
    env: &Env,
    cfg: &Config,
    t: &Telemetry,
    id: &str,
) -> ApiResult<Response> {
    let user = authenticate(req, cfg, t, false)?;
    let id = checked_session_id(id)?.to_owned();
    let body = read_body(req, 64 * 1024).await?;
    // Checked here too, so a bad report costs no Durable Object call.
    let report = crate::request::ProgressReport::parse(&body)?;
    let origin = origin_of(req, cfg)?;
    let mut resp = session_call(
        env,
        &id,
        Method::Post,
        "/progress",
        &[("x-user", &user), ("x-origin", &origin)],
        Some(body),
    )
    .await?;
    if resp.status_code() != 200 {
        return Ok(resp);
    }
    match report.status {
        ImageStatus::Complete => t.record(Metric::ImageCompleted),
        ImageStatus::Error => t.record(Metric::ImageFailed {
            kind: report.error_kind.as_deref().unwrap_or("unspecified"),
        }),
        ImageStatus::Queued | ImageStatus::Processing => {}
    }
    let v: Value = resp.json().await?;
    if let Some(status) = v["status"].as_str().filter(|s| *s != "processing") {
        env.d1("DB")?
            .prepare("UPDATE sessions SET status = ?1 WHERE session_id = ?2")
            .bind(&[status.into(), id.as_str().into()])?
            .run()
            .await?;
    }
    json_response(200, &v)
}

async fn parse_command(
    req: &mut Request,
    env: &Env,
    cfg: &Config,
    t: &Telemetry,
) -> ApiResult<Response> {
    let user = authenticate(req, cfg, t, false)?;
    rate_limit(env, cfg, &user).await?;
    let body = read_body(req, 16 * 1024).await?;
    let p = ParseRequest::parse(&body)?;
    let parsed = parsing::parse(
        env,
        &cfg.llm,
        t,
        &p.command,
        p.image_count,
        p.parser.as_deref(),
    )
    .await?;
    let mut out = json!({
        "toolCalls": tool_calls_to_json(&parsed.calls),
        "parser": parsed.parser,
        "unparsed": parsed.unparsed,
        "notes": parsed.notes,
    });
    if let Some(e) = parsed.llm_error {
        out["llmError"] = json!(e);
    }
    json_response(200, &out)
}

fn grant_error(e: &GrantError) -> ApiError {
    match e {
        GrantError::Expired => ApiError::expired(e.to_string()),
        _ => ApiError::forbidden(e.to_string()),
    }
}

async fn upload(req: &mut Request, env: &Env, cfg: &Config, t: &Telemetry) -> ApiResult<Response> {
    let path = req.path();
    let key = path
        .strip_prefix("/uploads/")
        .and_then(key_from_path)
        .ok_or_else(|| ApiError::not_found("not an upload URL"))?;
    let keys = upload_keys(cfg)?;
    let url = req.url()?;
    let grant = Grant::verify(
        GrantMethod::Put,
        &key,
        url.query().unwrap_or(""),
        keys,
        now_s(),
    )
    .map_err(|e| grant_error(&e))?;
    let content_type = req.headers().get("content-type")?.unwrap_or_default();
    let base_type = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if base_type != grant.content_type {
        return Err(ApiError::unsupported_media_type(format!(
            "this URL takes Content-Type {}, got {:?}",
            grant.content_type, content_type
        )));
    }
    let length = req
        .headers()
        .get("content-length")?
        .and_then(|l| l.trim().parse::<u64>().ok())
        .ok_or_else(ApiError::length_required)?;
    if length > grant.max_bytes {
        return Err(ApiError::too_large("the upload", grant.max_bytes));
    }
    if length == 0 {
        return Err(ApiError::invalid_image(
            "the upload is empty: send the edited image's bytes",
        ));
    }
    let Some((user, session, _)) = split_key(&key) else {
        return Err(ApiError::not_found("not an upload URL"));
    };
    t.user(user);
    let now = now_ms();
    let kept_until = now + crate::session::RESULT_TTL_DAYS * 86_400_000;
    let tags: Vec<&str> = grant.tags.split(',').filter(|t| !t.is_empty()).collect();
    let mut meta = HashMap::new();
    meta.insert("userId".to_owned(), user.to_owned());
    meta.insert("sessionId".to_owned(), session.to_owned());
    meta.insert("imageId".to_owned(), grant.image_id.clone());
    meta.insert("tags".to_owned(), serde_json::to_string(&tags)?);
    meta.insert("edited".to_owned(), "true".to_owned());
    meta.insert("keptUntil".to_owned(), kept_until.to_string());
    let body = req.bytes().await?;
    let image = crate::upload::checked_upload(&body, &grant)?;
    meta.insert("width".to_owned(), image.width.to_string());
    meta.insert("height".to_owned(), image.height.to_string());
    // Written once: a second PUT to the same URL (a replay, or a late retry after the result
    // was reported complete) must not replace what the session recorded.
    let object = env
        .bucket("RESULTS")?
        .put(key.as_str(), body)
        .http_metadata(HttpMetadata {
            content_type: Some(grant.content_type.clone()),
            cache_control: Some("private, max-age=86400".into()),
            ..HttpMetadata::default()
        })
        .custom_metadata(meta)
        .only_if(Conditional {
            etag_does_not_match: Some("*".into()),
            ..Conditional::default()
        })
        .execute()
        .await?
        .ok_or_else(|| {
            ApiError::conflict("this result has already been uploaded; an upload URL writes once")
        })?;
    t.record(Metric::Upload {
        outcome: "ok",
        bytes: object.size(),
    });
    let read = Grant::get(key.as_str(), kept_until / 1000);
    json_response(
        201,
        &json!({
            "key": key,
            "size": object.size(),
            "etag": object.etag(),
            "contentType": grant.content_type,
            "tags": tags,
            "url": format!("{}{}?{}", origin_of(req, cfg)?, Grant::path("/results", &key), read.query(keys.current())),
            "keptUntil": kept_until,
        }),
    )
}

async fn read_result(req: &Request, env: &Env, cfg: &Config) -> ApiResult<Response> {
    let path = req.path();
    let key = path
        .strip_prefix("/results/")
        .and_then(key_from_path)
        .ok_or_else(|| ApiError::not_found("not a result URL"))?;
    let url = req.url()?;
    Grant::verify(
        GrantMethod::Get,
        &key,
        url.query().unwrap_or(""),
        upload_keys(cfg)?,
        now_s(),
    )
    .map_err(|e| grant_error(&e))?;
    let object = env
        .bucket("RESULTS")?
        .get(key.as_str())
        .execute()
        .await?
        .ok_or_else(|| ApiError::not_found("no such result (results are kept 30 days)"))?;
    let headers = Headers::new();
    let meta = object.http_metadata();
    headers.set(
        "content-type",
        meta.content_type
            .as_deref()
            .unwrap_or("application/octet-stream"),
    )?;
    headers.set("etag", &object.http_etag())?;
    headers.set("cache-control", "private, max-age=3600")?;
    let file_name = key.rsplit('/').next().unwrap_or_default();
    for (k, v) in crate::headers::result_headers(file_name) {
        headers.set(k, &v)?;
    }
    headers.set("content-length", &object.size().to_string())?;
    if let Ok(custom) = object.custom_metadata() {
        if let Some(tags) = custom.get("tags") {
            headers.set("x-retouch-tags", tags)?;
        }
    }
    let resp = if req.method() == Method::Head {
        Response::empty()?
    } else {
        match object.body() {
            Some(body) => Response::from_body(body.response_body()?)?,
            None => Response::empty()?,
        }
    };
    Ok(resp.with_headers(headers))
}

#[event(scheduled)]
pub async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    // Durable Object alarms forget each session after 24 h; this purges the D1 index to match.
    let result = async {
        env.d1("DB")?
            .prepare("DELETE FROM sessions WHERE expires_at <= ?1")
            .bind(&[JsValue::from_f64(now_ms() as f64)])?
            .run()
            .await
    }
    .await;
    if let Err(e) = result {
        crate::log::internal_error("scheduled purge", &e.to_string());
    }
}
