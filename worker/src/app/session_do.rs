//! The session Durable Object: one per session. It owns the session's record, applies progress
//! reports in order, keeps the ordered event log in its storage, and pushes every new event to
//! each open SSE stream (no polling). An alarm deletes everything 24 h after creation.
//!
//! Internal protocol (only the worker calls it; `x-user` carries the authenticated user):
//! `POST /init` (body: the record), `GET /snapshot`, `GET /events` (`x-last-event-id`),
//! `POST /progress` (body: the report; `x-origin` for building result URLs), `GET /health`.

use std::cell::RefCell;

use futures_channel::mpsc::{unbounded, UnboundedSender};
use serde_json::json;
use worker::{durable_object, DurableObject, Env, ListOptions, Request, Response, State};

use super::{api_error_response, now_ms};
use crate::error::{ApiError, ApiResult};
use crate::request::{ImageStatus, ProgressReport};
use crate::session::{Event, SessionMeta, SessionState, RESULT_TTL_DAYS};
use crate::signing::Grant;

type Listener = UnboundedSender<Result<Vec<u8>, worker::Error>>;

struct Loaded {
    meta: SessionMeta,
    state: SessionState,
    events: Vec<Event>,
}

/// A completed image's result facts are what R2 holds — its size, ETag, and the dimensions the
/// upload's header said when it was stored — never what the page claims.
fn record_stored_facts(report: &mut ProgressReport, stored: &worker::Object) {
    let result = report.result.get_or_insert_with(Default::default);
    result.insert("size".into(), json!(stored.size()));
    result.insert("etag".into(), json!(stored.etag()));
    let custom = stored.custom_metadata().unwrap_or_default();
    for side in ["width", "height"] {
        match custom.get(side).and_then(|v| v.parse::<u32>().ok()) {
            Some(px) => result.insert(side.into(), json!(px)),
            None => result.remove(side),
        };
    }
}

/// Open progress streams per session (`SSE_MAX_STREAMS`); more get 429.
const MAX_LISTENERS: usize = 8;
/// A comment line this often keeps idle streams open through proxies.
const HEARTBEAT_MS: u64 = 15_000;
/// `queued`/`processing` reports a session takes per window (`PROGRESS_REPORTS_PER_10S`; a save
/// sends three or four per photo, and the page drops one that is refused).
const REPORTS_PER_WINDOW: u32 = 120;
const REPORT_WINDOW_MS: i64 = 10_000;
/// Events kept besides each image's latest (see `session::compact`).
const KEEP_RECENT_EVENTS: usize = 200;

/// The stream of `rx`, with a heartbeat comment after every `every_ms` of silence; it ends
/// when `rx` does.
fn with_heartbeat(
    rx: futures_channel::mpsc::UnboundedReceiver<Result<Vec<u8>, worker::Error>>,
    every_ms: u64,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, worker::Error>> {
    use futures_util::future::{select, Either};
    use futures_util::StreamExt;
    futures_util::stream::unfold(rx, move |mut rx| async move {
        let tick = Box::pin(worker::Delay::from(std::time::Duration::from_millis(
            every_ms,
        )));
        match select(rx.next(), tick).await {
            Either::Left((Some(chunk), _)) => Some((chunk, rx)),
            Either::Left((None, _)) => None,
            Either::Right(_) => Some((Ok(crate::sse::comment("heartbeat").into_bytes()), rx)),
        }
    })
}

#[durable_object]
pub struct SessionObject {
    state: State,
    env: Env,
    /// `None` until loaded from storage; `Some(None)` when there is no session here.
    loaded: RefCell<Option<Option<Loaded>>>,
    listeners: RefCell<Vec<Listener>>,
    /// Progress reports counted in the current window.
    reports: RefCell<crate::ratelimit::Window>,
}

fn event_key(id: u64) -> String {
    format!("ev:{id:012}")
}

impl SessionObject {
    /// A number from the environment (see worker/README.md), else `default`.
    fn setting<T: std::str::FromStr>(&self, name: &str, default: T) -> T {
        super::config::get(&self.env, name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    async fn load(&self) -> worker::Result<()> {
        if self.loaded.borrow().is_some() {
            return Ok(());
        }
        let storage = self.state.storage();
        let meta: Option<String> = storage.get("meta").await?;
        let state: Option<String> = storage.get("state").await?;
        let loaded = match (meta, state) {
            (Some(m), Some(s)) => {
                let meta: SessionMeta = serde_json::from_str(&m)?;
                let state: SessionState = serde_json::from_str(&s)?;
                let list = storage
                    .list_with_options(ListOptions::new().prefix("ev:"))
                    .await?;
                let mut events = Vec::new();
                for v in list.values() {
                    let v = v?;
                    if let Some(text) = v.as_string() {
                        events.push(serde_json::from_str::<Event>(&text)?);
                    }
                }
                events.sort_by_key(|e| e.id);
                Some(Loaded {
                    meta,
                    state,
                    events,
                })
            }
            _ => None,
        };
        // Another request may have loaded meanwhile; the first load wins.
        if self.loaded.borrow().is_none() {
            *self.loaded.borrow_mut() = Some(loaded);
        }
        Ok(())
    }

    /// Checks that a session exists here and belongs to `user`.
    fn owned<T>(&self, user: &str, f: impl FnOnce(&mut Loaded) -> ApiResult<T>) -> ApiResult<T> {
        let mut slot = self.loaded.borrow_mut();
        let Some(Some(s)) = slot.as_mut() else {
            return Err(ApiError::not_found("no such session (it may have expired)"));
        };
        if s.meta.user_id != user {
            return Err(ApiError::forbidden("this session belongs to another user"));
        }
        f(s)
    }

    /// Stores the new events and state in one write (all or nothing), and forgets the events
    /// `dropped` by compaction.
    async fn persist(
        &self,
        state: &SessionState,
        events: &[Event],
        dropped: &[u64],
    ) -> worker::Result<()> {
        let entries = js_sys::Object::new();
        let put =
            |k: &str, v: String| js_sys::Reflect::set(&entries, &k.into(), &v.into()).map(|_| ());
        for e in events {
            put(&event_key(e.id), serde_json::to_string(e)?)?;
        }
        put("state", serde_json::to_string(state)?)?;
        let storage = self.state.storage();
        storage.put_multiple_raw(entries).await?;
        if !dropped.is_empty() {
            storage
                .delete_multiple(dropped.iter().map(|&id| event_key(id)).collect())
                .await?;
        }
        Ok(())
    }

    fn broadcast(&self, events: &[Event]) {
        let mut chunk = String::new();
        for e in events {
            chunk.push_str(&e.frame());
        }
        let last = events.iter().any(Event::is_final);
        let mut listeners = self.listeners.borrow_mut();
        listeners.retain(|l| l.unbounded_send(Ok(chunk.clone().into_bytes())).is_ok());
        if last {
            // Dropping the senders ends every stream.
            listeners.clear();
        }
    }

    async fn init(&self, mut req: Request) -> ApiResult<Response> {
        let meta: SessionMeta = serde_json::from_str(&req.text().await?)
            .map_err(|e| ApiError::internal(format!("bad session record: {e}")))?;
        if matches!(&*self.loaded.borrow(), Some(Some(_))) {
            return Err(ApiError::conflict("the session exists already"));
        }
        let (state, first) = SessionState::start(&meta);
        let storage = self.state.storage();
        storage.put("meta", serde_json::to_string(&meta)?).await?;
        self.persist(&state, std::slice::from_ref(&first), &[])
            .await?;
        // An i64 would be an offset; the expiry is an absolute time.
        let at = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(meta.expires_at as f64));
        storage.set_alarm(worker::ScheduledTime::new(at)).await?;
        *self.loaded.borrow_mut() = Some(Some(Loaded {
            meta,
            state,
            events: vec![first],
        }));
        Ok(Response::empty()?.with_status(201))
    }

    fn events(&self, req: &Request, user: &str) -> ApiResult<Response> {
        // Not a plain number (or none): the whole log, as for a first connection.
        let after = crate::sse::last_event_id(req.headers().get("x-last-event-id")?.as_deref())
            .unwrap_or(0);
        let (tx, rx) = unbounded::<Result<Vec<u8>, worker::Error>>();
        let mut listeners = self.listeners.borrow_mut();
        listeners.retain(|l| !l.is_closed());
        let open = listeners.len();
        let finished = self.owned(user, |s| {
            let finished = s.state.is_final();
            let last = s.events.last().map_or(0, |e| e.id);
            if finished && after >= last {
                return Ok(None);
            }
            let max = self.setting("SSE_MAX_STREAMS", MAX_LISTENERS);
            if !finished && open >= max {
                return Err(ApiError::too_many_listeners(max));
            }
            let mut replay = crate::sse::retry(2000);
            for e in s.events.iter().filter(|e| e.id > after) {
                replay.push_str(&e.frame());
            }
            // The replay and the registration happen in one synchronous step, so no event can
            // fall between them.
            let _ = tx.unbounded_send(Ok(replay.into_bytes()));
            Ok(Some(finished))
        })?;
        let Some(finished) = finished else {
            // A finished session that the client has seen to the end: 204 stops EventSource
            // from reconnecting.
            return Ok(Response::empty()?.with_status(204));
        };
        if !finished {
            listeners.push(tx);
        }
        let headers = worker::Headers::new();
        headers.set("content-type", "text/event-stream; charset=utf-8")?;
        headers.set("cache-control", "no-cache, no-transform")?;
        headers.set("x-accel-buffering", "no")?;
        let every = self.setting("SSE_HEARTBEAT_MS", HEARTBEAT_MS);
        Ok(Response::from_stream(with_heartbeat(rx, every))?.with_headers(headers))
    }

    async fn progress(&self, mut req: Request, user: &str) -> ApiResult<Response> {
        let mut report = ProgressReport::parse(&req.text().await?)?;
        // A flood of progress chatter costs storage writes and stream traffic: bounded per
        // session. An image's last report (complete or error) is not: there is one per image.
        if !report.status.is_final() {
            self.reports
                .borrow_mut()
                .hit(
                    now_ms(),
                    self.setting("PROGRESS_REPORTS_PER_10S", REPORTS_PER_WINDOW),
                    REPORT_WINDOW_MS,
                )
                .map_err(ApiError::rate_limited)?;
        }
        let origin = req.headers().get("x-origin")?.unwrap_or_default();
        let secret = super::config::get(&self.env, "UPLOAD_SECRET")
            .ok_or_else(|| ApiError::not_configured("UPLOAD_SECRET is not set"))?;
        let now = now_ms();
        // Which key the result must be at (and that it is there) before anything changes.
        let key = self.owned(user, |s| {
            Ok(s.meta
                .uploads
                .iter()
                .find(|u| u.image_id == report.image_id)
                .map(|u| u.key.clone()))
        })?;
        let mut url = String::new();
        if report.status == ImageStatus::Complete {
            let Some(key) = key else {
                return Err(ApiError::field(
                    "imageId",
                    format!("no image {:?} in this session", report.image_id),
                ));
            };
            let bucket = self.env.bucket("RESULTS")?;
            let Some(stored) = bucket.head(key.as_str()).await? else {
                return Err(ApiError::conflict(format!(
                    "the result of {:?} has not been uploaded yet",
                    report.image_id
                )));
            };
            record_stored_facts(&mut report, &stored);
            let expires = now / 1000 + RESULT_TTL_DAYS * 86_400;
            let grant = Grant::get(key.as_str(), expires);
            url = format!(
                "{origin}{}?{}",
                Grant::path("/results", &key),
                grant.query(secret.as_bytes())
            );
        }
        let (events, state, dropped) = self.owned(user, |s| {
            let events = s.state.apply(&s.meta, &report, &url, now)?;
            s.events.extend(events.iter().cloned());
            let dropped = crate::session::compact(&mut s.events, KEEP_RECENT_EVENTS);
            Ok((events, s.state.clone(), dropped))
        })?;
        // Stored first, then pushed: a stream never shows an event that a crash could lose.
        // The Durable Object's input gate holds other reports while the write is pending, so
        // streams still see events in id order.
        self.persist(&state, &events, &dropped).await?;
        self.broadcast(&events);
        Response::from_json(&json!({
            "sessionId": self.owned(user, |s| Ok(s.meta.session_id.clone()))?,
            "status": state.status,
            "eventIds": events.iter().map(|e| e.id).collect::<Vec<_>>(),
        }))
        .map_err(Into::into)
    }

    async fn route(&self, req: Request) -> ApiResult<Response> {
        self.load().await?;
        let path = req.path();
        let user = req.headers().get("x-user")?.unwrap_or_default();
        match (req.method(), path.as_str()) {
            // The health check: storage answered (the load above).
            (worker::Method::Get, "/health") => Ok(Response::ok("ok")?),
            (worker::Method::Post, "/init") => self.init(req).await,
            (worker::Method::Get, "/snapshot") => {
                let v = self.owned(&user, |s| Ok(s.state.snapshot(&s.meta)))?;
                Ok(Response::from_json(&v)?)
            }
            (worker::Method::Get, "/events") => self.events(&req, &user),
            (worker::Method::Post, "/progress") => self.progress(req, &user).await,
            _ => Err(ApiError::not_found("no such session operation")),
        }
    }
}

impl DurableObject for SessionObject {
    fn new(state: State, env: Env) -> Self {
        Self {
            state,
            env,
            loaded: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
            reports: RefCell::new(crate::ratelimit::Window::default()),
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        match self.route(req).await {
            Ok(r) => Ok(r),
            Err(e) => api_error_response(&e),
        }
    }

    async fn alarm(&self) -> worker::Result<Response> {
        // The session's 24 hours are over: forget it (its results stay in R2 for 30 days).
        self.state.storage().delete_all().await?;
        *self.loaded.borrow_mut() = Some(None);
        self.listeners.borrow_mut().clear();
        Response::ok("expired")
    }
}
