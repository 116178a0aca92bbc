//! The user's own stored results: `GET /v1/results` lists them (newest first, a page at a
//! time), `DELETE /v1/results/{key}` removes one and `DELETE /v1/results?sessionId=` every
//! result of a session. Keys start with the user's id, so listing and deleting under that
//! prefix can only ever reach the caller's objects.

use serde_json::{json, Value};
use worker::{Env, Include, Request, Response};

use super::telemetry::Telemetry;
use super::{authenticate, checked_session_id, json_response, origin_of, upload_keys};
use crate::error::{ApiError, ApiResult};
use crate::signing::{key_from_path, split_key, Grant};

/// Objects listed per page (R2's own maximum is 1000).
const PAGE: u32 = 100;

/// `GET /v1/results[?sessionId=&cursor=]`.
pub(super) async fn list(
    req: &Request,
    env: &Env,
    cfg: &super::Config,
    t: &Telemetry,
) -> ApiResult<Response> {
    let user = authenticate(req, cfg, t, false)?;
    let mut prefix = format!("{user}/");
    let mut cursor = None;
    for (k, v) in req.url()?.query_pairs() {
        match k.as_ref() {
            "sessionId" => prefix = format!("{user}/{}/", checked_session_id(&v)?),
            "cursor" if v.len() <= 1024 => cursor = Some(v.into_owned()),
            "cursor" => return Err(ApiError::field("cursor", "too long")),
            other => {
                return Err(ApiError::field(
                    other,
                    "unknown parameter (expected sessionId or cursor)",
                ))
            }
        }
    }
    let bucket = env.bucket("RESULTS")?;
    let mut listing = bucket
        .list()
        .prefix(prefix)
        .limit(PAGE)
        .include(vec![Include::HttpMetadata, Include::CustomMetadata]);
    if let Some(c) = cursor {
        listing = listing.cursor(c);
    }
    let page = listing.execute().await?;
    let origin = origin_of(req, cfg)?;
    let keys = upload_keys(cfg)?;
    let results: Vec<Value> = page
        .objects()
        .iter()
        .map(|o| {
            let key = o.key();
            let custom = o.custom_metadata().unwrap_or_default();
            let kept_until: i64 = custom
                .get("keptUntil")
                .and_then(|v| v.parse().ok())
                .unwrap_or_default();
            let read = Grant::get(key.as_str(), kept_until / 1000);
            let tags: Value = custom
                .get("tags")
                .and_then(|t| serde_json::from_str(t).ok())
                .unwrap_or_else(|| json!([]));
            json!({
                "key": key,
                "sessionId": split_key(&key).map(|(_, s, _)| s.to_owned()),
                "imageId": custom.get("imageId"),
                "name": key.rsplit('/').next(),
                "contentType": o.http_metadata().content_type,
                "size": o.size(),
                "uploadedAt": o.uploaded().as_millis(),
                "keptUntil": kept_until,
                "tags": tags,
                "url": format!("{origin}{}?{}", Grant::path("/results", &key), read.query(keys.current())),
            })
        })
        .collect();
    let mut out = json!({ "results": results });
    if page.truncated() {
        out["cursor"] = json!(page.cursor());
    }
    json_response(200, &out)
}

/// `DELETE /v1/results/{key}`: 204, or 404 when there is no such result of the caller's.
pub(super) async fn delete_one(
    req: &Request,
    env: &Env,
    cfg: &super::Config,
    t: &Telemetry,
) -> ApiResult<Response> {
    let user = authenticate(req, cfg, t, false)?;
    let path = req.path();
    let key = path
        .strip_prefix("/v1/results/")
        .and_then(key_from_path)
        .filter(|k| split_key(k).is_some_and(|(owner, _, _)| owner == user))
        .ok_or_else(|| ApiError::not_found("no such result of yours"))?;
    let bucket = env.bucket("RESULTS")?;
    if bucket.head(key.as_str()).await?.is_none() {
        return Err(ApiError::not_found("no such result of yours"));
    }
    bucket.delete(key.as_str()).await?;
    Ok(Response::empty()?.with_status(204))
}

/// `DELETE /v1/results?sessionId=`: 200 `{deleted}` with how many results went.
pub(super) async fn delete_session(
    req: &Request,
    env: &Env,
    cfg: &super::Config,
    t: &Telemetry,
) -> ApiResult<Response> {
    let user = authenticate(req, cfg, t, false)?;
    let url = req.url()?;
    let session = url
        .query_pairs()
        .find(|(k, _)| k == "sessionId")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| ApiError::field("sessionId", "required"))?;
    let prefix = format!("{user}/{}/", checked_session_id(&session)?);
    let bucket = env.bucket("RESULTS")?;
    let mut deleted = 0usize;
    // Each round deletes a page, so the listing starts over; bounded in case a delete is lost.
    for _ in 0..100 {
        let page = bucket
            .list()
            .prefix(prefix.as_str())
            .limit(1000)
            .execute()
            .await?;
        let keys: Vec<String> = page.objects().iter().map(worker::Object::key).collect();
        if keys.is_empty() {
            break;
        }
        deleted += keys.len();
        bucket.delete_multiple(keys).await?;
        if !page.truncated() {
            break;
        }
    }
    json_response(200, &json!({ "deleted": deleted }))
}
