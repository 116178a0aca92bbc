//! The origin signed URLs are built on: the configured public one (`PUBLIC_URL`), never the
//! request's Host header, which anyone can set. Without a configured origin only a loopback
//! request (the local product, the tests) is answered with its own origin.
//!
//! ```
//! use retouch_worker::origin::{signing_origin, is_loopback};
//! assert!(is_loopback("http://127.0.0.1:8787"));
//! assert!(!is_loopback("https://evil.example"));
//! assert_eq!(signing_origin(Some("https://retouch.app"), "https://evil.example").unwrap(), "https://retouch.app");
//! assert_eq!(signing_origin(None, "https://evil.example").unwrap_err().status, 503);
//! ```

use crate::error::{ApiError, ApiResult};

/// Whether `origin` (`scheme://host[:port]`) names this machine: `localhost`, `127.0.0.0/8`
/// or `[::1]`.
pub fn is_loopback(origin: &str) -> bool {
    let Some((_, rest)) = origin.split_once("://") else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or("");
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The origin to build signed URLs on: `public_url` when configured, else the request's own
/// origin if it is loopback; any other request is refused (503 `not_configured`).
pub fn signing_origin(public_url: Option<&str>, request_origin: &str) -> ApiResult<String> {
    match public_url {
        Some(u) => Ok(u.trim_end_matches('/').to_owned()),
        None if is_loopback(request_origin) => Ok(request_origin.to_owned()),
        None => Err(ApiError::not_configured(
            "PUBLIC_URL is not set: signed URLs are built on the configured public origin, never on \
             the request's Host header",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for o in [
            "http://localhost:8787",
            "http://LOCALHOST",
            "http://127.0.0.1",
            "http://127.4.5.6:99",
            "http://[::1]:8787",
        ] {
            assert!(is_loopback(o), "{o}");
        }
        for o in [
            "https://evil.example",
            "http://localhost.evil.example",
            "http://127.0.0.1.evil.example",
            "http://10.0.0.1",
            "http://[::2]",
            "not a url",
            "http://",
        ] {
            assert!(!is_loopback(o), "{o}");
        }
    }

    #[test]
    fn the_host_header_never_decides_a_public_origin() {
        assert_eq!(
            signing_origin(Some("https://retouch.app/"), "http://127.0.0.1:8787").ok(),
            Some("https://retouch.app".to_owned())
        );
        assert_eq!(
            signing_origin(None, "http://127.0.0.1:8787").ok(),
            Some("http://127.0.0.1:8787".to_owned())
        );
        let e = signing_origin(None, "http://evil.example").unwrap_err();
        assert_eq!((e.status, e.code), (503, "not_configured"));
    }
}
