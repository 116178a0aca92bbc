//! What an upload must be before it is stored as a result: a real image of the type its URL was
//! signed for, within the signed size and the pixels an edit can produce. The worker stores
//! what it measured here (dimensions) and what R2 measured (size, ETag), never the page's claims.
//!
//! ```
//! use retouch_worker::{signing::Grant, upload::checked_upload};
//! let grant = Grant::put("u/s/a.png", "image/png", 1 << 20, i64::MAX);
//! let png = retouch_worker::image_probe::tests_support::png_header(640, 480);
//! assert_eq!(checked_upload(&png, &grant).map(|i| i.width), Ok(640));
//! let html = b"<!DOCTYPE html><html>";
//! assert_eq!(checked_upload(html, &grant).unwrap_err().status, 400);
//! ```

use crate::error::{ApiError, ApiResult};
use crate::image_probe::{probe, Probed};
use crate::signing::Grant;

/// The body of an upload, checked to be a real image of the type the URL was signed for,
/// within the signed size and the engine's pixel limit.
pub fn checked_upload(body: &[u8], grant: &Grant) -> ApiResult<Probed> {
    if body.len() as u64 > grant.max_bytes {
        return Err(ApiError::too_large("the upload", grant.max_bytes));
    }
    let image = probe(body).map_err(|e| ApiError::invalid_image(format!("{e}")))?;
    if image.kind.mime() != grant.content_type {
        return Err(ApiError::unsupported_media_type(format!(
            "the body is a {} image, but this URL takes {}",
            image.kind.extension().to_uppercase(),
            grant.content_type
        )));
    }
    if u64::from(image.width) * u64::from(image.height) > MAX_RESULT_PIXELS {
        return Err(ApiError::invalid_image(format!(
            "the image claims {} × {} pixels, more than the {MAX_RESULT_PIXELS} an edit can produce",
            image.width, image.height
        )));
    }
    Ok(image)
}

/// The engine's default pixel limit: no edit it makes is larger.
const MAX_RESULT_PIXELS: u64 = 100_000_000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image_probe::tests_support::png_header;

    fn grant(content_type: &str) -> Grant {
        Grant::put("u/s/a.png", content_type, 4096, i64::MAX)
    }

    #[test]
    fn empty_documents_and_garbage_are_not_images() {
        for body in [
            &b""[..],
            b"<html>not an image</html>",
            b"{\"error\": 1}",
            b"GIF89a",
        ] {
            let e = checked_upload(body, &grant("image/png")).unwrap_err();
            assert_eq!((e.status, e.code), (400, "invalid_image"), "{body:?}");
        }
    }

    #[test]
    fn a_real_image_of_another_type_is_415() {
        let e = checked_upload(&png_header(10, 10), &grant("image/jpeg")).unwrap_err();
        assert_eq!(e.status, 415);
        assert_eq!(
            e.message,
            "the body is a PNG image, but this URL takes image/jpeg"
        );
    }

    #[test]
    fn size_and_pixel_limits() {
        let big = grant("image/png");
        let mut padded = png_header(10, 10);
        padded.resize(5000, 0);
        assert_eq!(checked_upload(&padded, &big).unwrap_err().status, 413);
        let bomb = checked_upload(&png_header(20_000, 20_000), &big).unwrap_err();
        assert_eq!((bomb.status, bomb.code), (400, "invalid_image"));
        assert_eq!(
            checked_upload(&png_header(10, 10), &big).map(|i| i.height),
            Ok(10)
        );
    }
}
