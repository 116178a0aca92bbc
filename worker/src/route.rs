//! The API's routes: which handler a method and path reach, and the route's pattern.
//!
//! The pattern (`/image-edit/{sessionId}`, the OpenAPI path) is what logs and metrics name, never
//! the path itself: paths carry session ids and, in upload and result keys, the user's email.
//!
//! ```
//! use retouch_worker::route::Route;
//! let r = Route::of("POST", "/image-edit/ses_0123456789abcdef01234567/progress");
//! assert_eq!(r, Route::ReportProgress("ses_0123456789abcdef01234567"));
//! assert_eq!(r.pattern(), "/image-edit/{sessionId}/progress");
//! assert_eq!(Route::of("PUT", "/uploads/ana@x.io/ses_1/a.png").pattern(), "/uploads/{key}");
//! ```

/// Where a request goes. Path parameters borrow from the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    /// `POST /auth/dev-login`.
    DevLogin,
    /// `POST /image-edit`.
    CreateSession,
    /// `GET /image-edit/sessions`.
    ListSessions,
    /// `GET /image-edit/progress/{sessionId}`.
    StreamProgress(&'a str),
    /// `GET /image-edit/{sessionId}`.
    GetSession(&'a str),
    /// `POST /image-edit/{sessionId}/progress`.
    ReportProgress(&'a str),
    /// `POST /v1/commands:parse`.
    ParseCommand,
    /// `POST /v1/images:edit`.
    EditImage,
    /// `GET /v1/images:capabilities`.
    Capabilities,
    /// `GET /v1/openapi.json`.
    OpenApi,
    /// `GET /v1/health`.
    Health,
    /// `PUT /uploads/{key}`.
    Upload,
    /// `GET` or `HEAD /results/{key}`.
    ReadResult,
    /// `GET /v1/results`: the user's stored results.
    ListResults,
    /// `DELETE /v1/results/{key}`: one stored result.
    DeleteResult,
    /// `DELETE /v1/results?sessionId=`: every stored result of a session.
    DeleteSessionResults,
    /// `OPTIONS` anywhere: a CORS preflight.
    Preflight,
    /// A known path with a method it does not take (405).
    MethodNotAllowed,
    /// Nothing here (404).
    NotFound,
}

impl<'a> Route<'a> {
    /// The route of `method` (upper case, e.g. `GET`) on `path`.
    pub fn of(method: &str, path: &'a str) -> Self {
        let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match (method, segs.as_slice()) {
            ("OPTIONS", _) => Self::Preflight,
            ("POST", ["auth", "dev-login"]) => Self::DevLogin,
            ("POST", ["image-edit"]) => Self::CreateSession,
            ("GET", ["image-edit", "sessions"]) => Self::ListSessions,
            ("GET", ["image-edit", "progress", id]) => Self::StreamProgress(id),
            ("GET", ["image-edit", id]) => Self::GetSession(id),
            ("POST", ["image-edit", id, "progress"]) => Self::ReportProgress(id),
            ("POST", ["v1", "commands:parse"]) => Self::ParseCommand,
            ("POST", ["v1", "images:edit"]) => Self::EditImage,
            ("GET", ["v1", "images:capabilities"]) => Self::Capabilities,
            ("GET", ["v1", "openapi.json"]) => Self::OpenApi,
            ("GET", ["v1", "health"]) => Self::Health,
            ("PUT", ["uploads", ..]) => Self::Upload,
            ("GET" | "HEAD", ["results", ..]) => Self::ReadResult,
            ("GET", ["v1", "results"]) => Self::ListResults,
            ("DELETE", ["v1", "results"]) => Self::DeleteSessionResults,
            ("DELETE", ["v1", "results", _, ..]) => Self::DeleteResult,
            (
                _,
                ["auth", "dev-login"]
                | ["image-edit", ..]
                | ["v1", "commands:parse" | "images:edit" | "images:capabilities" | "health"]
                | ["uploads", ..]
                | ["results", ..]
                | ["v1", "results", ..],
            ) => Self::MethodNotAllowed,
            _ => Self::NotFound,
        }
    }

    /// The route's pattern as in `openapi.json` (parameters in braces), or a word in parentheses
    /// for requests that reached no handler.
    pub const fn pattern(&self) -> &'static str {
        match self {
            Self::DevLogin => "/auth/dev-login",
            Self::CreateSession => "/image-edit",
            Self::ListSessions => "/image-edit/sessions",
            Self::StreamProgress(_) => "/image-edit/progress/{sessionId}",
            Self::GetSession(_) => "/image-edit/{sessionId}",
            Self::ReportProgress(_) => "/image-edit/{sessionId}/progress",
            Self::ParseCommand => "/v1/commands:parse",
            Self::EditImage => "/v1/images:edit",
            Self::Capabilities => "/v1/images:capabilities",
            Self::OpenApi => "/v1/openapi.json",
            Self::Health => "/v1/health",
            Self::Upload => "/uploads/{key}",
            Self::ReadResult => "/results/{key}",
            Self::ListResults | Self::DeleteSessionResults => "/v1/results",
            Self::DeleteResult => "/v1/results/{key}",
            Self::Preflight => "(preflight)",
            Self::MethodNotAllowed => "(method not allowed)",
            Self::NotFound => "(not found)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_and_its_pattern() {
        let id = "ses_0123456789abcdef01234567";
        for (method, path, route, pattern) in [
            (
                "POST",
                "/auth/dev-login",
                Route::DevLogin,
                "/auth/dev-login",
            ),
            ("POST", "/image-edit", Route::CreateSession, "/image-edit"),
            (
                "GET",
                "/image-edit/sessions",
                Route::ListSessions,
                "/image-edit/sessions",
            ),
            (
                "GET",
                "/image-edit/progress/ses_0123456789abcdef01234567",
                Route::StreamProgress(id),
                "/image-edit/progress/{sessionId}",
            ),
            (
                "GET",
                "/image-edit/ses_0123456789abcdef01234567",
                Route::GetSession(id),
                "/image-edit/{sessionId}",
            ),
            (
                "POST",
                "/image-edit/ses_0123456789abcdef01234567/progress",
                Route::ReportProgress(id),
                "/image-edit/{sessionId}/progress",
            ),
            (
                "POST",
                "/v1/commands:parse",
                Route::ParseCommand,
                "/v1/commands:parse",
            ),
            (
                "POST",
                "/v1/images:edit",
                Route::EditImage,
                "/v1/images:edit",
            ),
            (
                "GET",
                "/v1/images:capabilities",
                Route::Capabilities,
                "/v1/images:capabilities",
            ),
            (
                "GET",
                "/v1/openapi.json",
                Route::OpenApi,
                "/v1/openapi.json",
            ),
            ("GET", "/v1/health", Route::Health, "/v1/health"),
            (
                "PUT",
                "/uploads/ana@x.io/s/a.png",
                Route::Upload,
                "/uploads/{key}",
            ),
            (
                "HEAD",
                "/results/ana@x.io/s/a.png",
                Route::ReadResult,
                "/results/{key}",
            ),
            ("GET", "/v1/results", Route::ListResults, "/v1/results"),
            (
                "DELETE",
                "/v1/results",
                Route::DeleteSessionResults,
                "/v1/results",
            ),
            (
                "DELETE",
                "/v1/results/ana@x.io/s/a.png",
                Route::DeleteResult,
                "/v1/results/{key}",
            ),
            ("OPTIONS", "/image-edit", Route::Preflight, "(preflight)"),
            (
                "DELETE",
                "/v1/health",
                Route::MethodNotAllowed,
                "(method not allowed)",
            ),
            (
                "PUT",
                "/results/ana@x.io/s/a.png",
                Route::MethodNotAllowed,
                "(method not allowed)",
            ),
            ("GET", "/ana@x.io", Route::NotFound, "(not found)"),
        ] {
            let r = Route::of(method, path);
            assert_eq!(r, route, "{method} {path}");
            assert_eq!(r.pattern(), pattern);
            assert!(!r.pattern().contains('@'));
        }
    }
}
