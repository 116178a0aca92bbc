//! AWS Signature Version 4 presigned URLs (query-string auth), for direct uploads to R2 through
//! its S3-compatible API when R2 S3 credentials are configured.
//!
//! A presigned PUT binds the method, the object key, the `Content-Type` (a signed header) and an
//! expiry. S3 cannot bind a size limit to a presigned PUT, so the worker's own signed upload URL
//! (see [`crate::signing`]) remains the size-limited path.
//!
//! ```
//! use retouch_worker::s3::{presign, S3Target};
//! // The example from the AWS documentation ("Authenticating Requests: Using Query Parameters").
//! let t = S3Target {
//!     origin: "https://examplebucket.s3.amazonaws.com".into(),
//!     region: "us-east-1".into(),
//!     access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
//!     secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
//! };
//! let url = presign(&t, "GET", "/test.txt", &[], 1_369_353_600, 86_400);
//! assert!(url.ends_with("X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"));
//! ```

use hmac::Mac;
use sha2::{Digest, Sha256};

use crate::keyring::hmac_sha256;

/// Where and as whom to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Target {
    /// Scheme, host and optional port, e.g. `https://<account>.r2.cloudflarestorage.com`.
    pub origin: String,
    /// The region (`auto` for R2).
    pub region: String,
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
}

/// A presigned URL for `method` on `path` (already the canonical, unencoded object path, e.g.
/// `/bucket/user/key.png`), signing `headers` (lower-case names) plus `host`, valid for
/// `expires_s` seconds from `now` (seconds since the epoch).
pub fn presign(
    target: &S3Target,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    now: i64,
    expires_s: u32,
) -> String {
    let amz_date = amz_date(now);
    let date = &amz_date[..8];
    let scope = format!("{date}/{}/s3/aws4_request", target.region);
    let host = target
        .origin
        .split_once("://")
        .map_or(target.origin.as_str(), |(_, h)| h)
        .trim_end_matches('/');
    let mut all_headers: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned()))
        .chain(std::iter::once(("host".to_owned(), host.to_owned())))
        .collect();
    all_headers.sort();
    let signed_headers = all_headers
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let mut query = [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256".to_owned()),
        (
            "X-Amz-Credential",
            format!("{}/{scope}", target.access_key_id),
        ),
        ("X-Amz-Date", amz_date.clone()),
        ("X-Amz-Expires", expires_s.to_string()),
        ("X-Amz-SignedHeaders", signed_headers.clone()),
    ];
    query.sort_by(|a, b| a.0.cmp(b.0));
    let canonical_query = query
        .iter()
        .map(|(k, v)| format!("{}={}", uri_encode(k, true), uri_encode(v, true)))
        .collect::<Vec<_>>()
        .join("&");
    let canonical_path = uri_encode(path, false);
    let canonical_headers: String = all_headers
        .iter()
        .map(|(k, v)| format!("{k}:{v}\n"))
        .collect();
    let canonical_request = format!(
        "{method}\n{canonical_path}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\nUNSIGNED-PAYLOAD"
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let mut key = format!("AWS4{}", target.secret_access_key).into_bytes();
    for part in [date, target.region.as_str(), "s3", "aws4_request"] {
        let mut mac = hmac_sha256(&key);
        mac.update(part.as_bytes());
        key = mac.finalize().into_bytes().to_vec();
    }
    let mut mac = hmac_sha256(&key);
    mac.update(string_to_sign.as_bytes());
    let signature = hex(&mac.finalize().into_bytes());
    format!(
        "{}{canonical_path}?{canonical_query}&X-Amz-Signature={signature}",
        target.origin.trim_end_matches('/')
    )
}

/// A presigned PUT of `key` into `bucket` (path style), bound to `content_type`.
pub fn presign_put(
    target: &S3Target,
    bucket: &str,
    key: &str,
    content_type: &str,
    now: i64,
    expires_s: u32,
) -> String {
    presign(
        target,
        "PUT",
        &format!("/{bucket}/{key}"),
        &[("content-type", content_type)],
        now,
        expires_s,
    )
}

/// S3's URI encoding: unreserved characters stay, everything else is `%XX`; `/` stays in paths.
fn uri_encode(s: &str, encode_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            b'/' if !encode_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `YYYYMMDD'T'HHMMSS'Z'` for seconds since the epoch.
fn amz_date(now: i64) -> String {
    let days = now.div_euclid(86_400);
    let secs = now.rem_euclid(86_400);
    // Days to civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(amz_date(0), "19700101T000000Z");
        assert_eq!(amz_date(1_369_353_600), "20130524T000000Z");
        assert_eq!(amz_date(951_782_400 + 3661), "20000229T010101Z");
        assert_eq!(amz_date(4_102_444_799), "20991231T235959Z");
    }

    #[test]
    fn encoding() {
        assert_eq!(
            uri_encode("/b/a@x.io/ses 1/ä.png", false),
            "/b/a%40x.io/ses%201/%C3%A4.png"
        );
        assert_eq!(uri_encode("a/b", true), "a%2Fb");
    }

    #[test]
    fn put_signs_the_content_type() {
        let t = S3Target {
            origin: "http://127.0.0.1:9000".into(),
            region: "auto".into(),
            access_key_id: "AK".into(),
            secret_access_key: "SK".into(),
        };
        let a = presign_put(&t, "b", "u@x.io/s/a.png", "image/png", 1000, 60);
        let b = presign_put(&t, "b", "u@x.io/s/a.png", "image/jpeg", 1000, 60);
        assert!(a.starts_with(
            "http://127.0.0.1:9000/b/u%40x.io/s/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        ));
        assert!(a.contains("X-Amz-SignedHeaders=content-type%3Bhost"));
        assert_ne!(a, b);
    }
}
