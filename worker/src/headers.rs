//! Security headers on every response the worker itself makes (the page's static assets get
//! theirs from `web/src/_headers`): never sniffed, never framed, no referrer; and a stored
//! result is served as an inert download-able file — `Content-Security-Policy: sandbox`, so
//! even an SVG or HTML that slipped in could run nothing on this origin.
//!
//! ```
//! use retouch_worker::headers::{API, result_headers};
//! assert!(API.contains(&("x-content-type-options", "nosniff")));
//! let h = result_headers("beach-1200w.webp");
//! assert!(h.contains(&("content-disposition", "inline; filename=\"beach-1200w.webp\"".to_owned())));
//! ```

/// Headers for every API answer (JSON, SSE, errors).
pub const API: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    (
        "content-security-policy",
        "default-src 'none'; frame-ancestors 'none'",
    ),
    ("x-frame-options", "DENY"),
];

/// Headers for a stored result named `file_name` (only `[A-Za-z0-9._-]` kept in the name).
pub fn result_headers(file_name: &str) -> [(&'static str, String); 3] {
    let safe: String = file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .collect();
    [
        ("content-security-policy", "sandbox".to_owned()),
        ("x-content-type-options", "nosniff".to_owned()),
        (
            "content-disposition",
            format!("inline; filename=\"{safe}\""),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_names_cannot_break_the_header() {
        let h = result_headers("a\"; filename=evil.html\r\nx: y.png");
        assert_eq!(h[2].1, "inline; filename=\"afilenameevil.htmlxy.png\"");
    }
}
