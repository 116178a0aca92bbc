//! Generative edits (remove an object, replace the sky): the providers' wire formats, and strict
//! checking of what they send back.
//!
//! Two providers sit behind [`Provider`]:
//! - **Cloudflare Workers AI**, through the `AI` binding or the REST API
//!   (`POST {api}/accounts/{id}/ai/run/{model}`): `@cf/runwayml/stable-diffusion-v1-5-inpainting`
//!   when a mask is painted, `@cf/runwayml/stable-diffusion-v1-5-img2img` when not. Both take a
//!   JSON input (`prompt`, `image_b64`, `mask` as an array of bytes, `width`/`height` 256–2048,
//!   `num_steps` ≤ 20, `strength`, `guidance`) and answer with the PNG's bytes.
//! - **An OpenAI-compatible image edits endpoint** (`POST {base}/images/edits`, multipart: `image`,
//!   `mask`, `prompt`, `model`, `n`, `size`, `response_format=b64_json`), answering
//!   `{"data": [{"b64_json": …}]}`.
//!
//! The page's mask is one PNG the same size as the image, painted area `(255, 255, 255, 0)` and the
//! rest `(0, 0, 0, 255)`: transparent means "edit here" to OpenAI, white means "inpaint here" to
//! Stable Diffusion (which reads the colour and drops alpha), so both read the same mask.
//!
//! Replies are untrusted: [`check_image`] refuses anything that is not a PNG/JPEG/WebP of the size
//! that was sent (or its aspect ratio, for models that answer at their own resolution) within the
//! engine's limits, each with its own [`GenFailure`].
//!
//! ```
//! use retouch_worker::generative::{check_image, GenFailure, ReplyLimits};
//! use retouch_worker::image_probe::tests_support::png_header;
//! let limits = ReplyLimits::default();
//! assert!(check_image(&png_header(640, 480), (640, 480), &limits).is_ok());
//! assert!(matches!(check_image(&png_header(1, 1), (640, 480), &limits), Err(GenFailure::Placeholder { .. })));
//! assert!(matches!(check_image(&png_header(20_000, 20_000), (640, 480), &limits), Err(GenFailure::OverLimits { .. })));
//! ```

use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;

use crate::image_probe::{probe, ImageKind, ProbeError, Probed};

/// The largest image the page may send, in bytes.
pub const MAX_IMAGE_BYTES: u64 = 25 * 1024 * 1024;
/// The largest mask, in bytes.
pub const MAX_MASK_BYTES: u64 = 8 * 1024 * 1024;
/// The longest prompt, in characters.
pub const MAX_PROMPT_CHARS: usize = 1000;
/// The largest reply read from a provider, in bytes (a 25 MB image in base64, with room).
pub const MAX_REPLY_BYTES: usize = 40 * 1024 * 1024;
/// Workers AI's inpainting model (image + mask + prompt).
pub const WORKERS_AI_INPAINT_MODEL: &str = "@cf/runwayml/stable-diffusion-v1-5-inpainting";
/// Workers AI's image-to-image model (image + prompt).
pub const WORKERS_AI_IMG2IMG_MODEL: &str = "@cf/runwayml/stable-diffusion-v1-5-img2img";
/// The OpenAI-compatible model used when the configuration names none.
pub const DEFAULT_OPENAI_IMAGE_MODEL: &str = "gpt-image-1";
/// The REST API's origin and version path.
pub const WORKERS_AI_REST_BASE: &str = "https://api.cloudflare.com/client/v4";
/// Stable Diffusion's side limits on Workers AI.
pub const WORKERS_AI_SIDES: (u32, u32) = (256, 2048);

/// Which service makes generative edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provider {
    /// Workers AI through the `AI` binding (deployed workers only).
    WorkersAiBinding {
        /// Model used with a mask.
        inpaint_model: String,
        /// Model used without a mask.
        img2img_model: String,
    },
    /// Workers AI through its REST API.
    WorkersAiRest {
        /// `https://api.cloudflare.com/client/v4` (a test server's URL locally).
        api_base: String,
        /// The Cloudflare account id.
        account_id: String,
        /// An API token with Workers AI permission (a secret).
        api_token: String,
        /// Model used with a mask.
        inpaint_model: String,
        /// Model used without a mask.
        img2img_model: String,
    },
    /// An OpenAI-compatible `images/edits` endpoint.
    OpenAi {
        /// The base URL, ending before `/images/edits` (e.g. `https://api.openai.com/v1`).
        base_url: String,
        /// The model name.
        model: String,
        /// The bearer key (a secret).
        api_key: Option<String>,
    },
}

impl Provider {
    /// The name reported to the page: `workers-ai`, `workers-ai-rest` or `openai`.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::WorkersAiBinding { .. } => "workers-ai",
            Self::WorkersAiRest { .. } => "workers-ai-rest",
            Self::OpenAi { .. } => "openai",
        }
    }

    /// The model an edit uses, with or without a mask.
    pub fn model(&self, masked: bool) -> &str {
        match self {
            Self::WorkersAiBinding {
                inpaint_model,
                img2img_model,
            }
            | Self::WorkersAiRest {
                inpaint_model,
                img2img_model,
                ..
            } => {
                if masked {
                    inpaint_model
                } else {
                    img2img_model
                }
            }
            Self::OpenAi { model, .. } => model,
        }
    }

    /// The longest side the provider takes; the page scales down to it first.
    pub const fn max_side(&self) -> u32 {
        match self {
            Self::WorkersAiBinding { .. } | Self::WorkersAiRest { .. } => WORKERS_AI_SIDES.1,
            Self::OpenAi { .. } => 4096,
        }
    }

    /// The REST URL of a Workers AI run, or the OpenAI edits URL; `None` for the binding.
    pub fn url(&self, masked: bool) -> Option<String> {
        match self {
            Self::WorkersAiBinding { .. } => None,
            Self::WorkersAiRest {
                api_base,
                account_id,
                ..
            } => Some(format!(
                "{api_base}/accounts/{account_id}/ai/run/{}",
                self.model(masked)
            )),
            Self::OpenAi { base_url, .. } => Some(format!("{base_url}/images/edits")),
        }
    }
}

/// An edit to send: the (already checked) image, an optional mask of the same size, the prompt.
#[derive(Debug, Clone, Copy)]
pub struct EditInput<'a> {
    /// The image's bytes.
    pub image: &'a [u8],
    /// What the image's header says.
    pub info: Probed,
    /// The mask PNG, if a region was painted.
    pub mask: Option<&'a [u8]>,
    /// What to do.
    pub prompt: &'a str,
}

/// The JSON input of a Workers AI Stable Diffusion run (binding and REST alike). A struct, not a
/// `Value`, so that the binding gets a plain JS object.
#[derive(Debug, Clone, Serialize)]
pub struct WorkersAiInput<'a> {
    /// What to do.
    pub prompt: &'a str,
    /// The image, base64.
    pub image_b64: String,
    /// The mask PNG's bytes (the models take it as an array of bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mask: Option<&'a [u8]>,
    /// Output width, 256–2048.
    pub width: u32,
    /// Output height, 256–2048.
    pub height: u32,
    /// Diffusion steps (at most 20 on Workers AI).
    pub num_steps: u8,
    /// How closely to follow the prompt.
    pub guidance: f32,
    /// How much to change: inpainting repaints the masked area fully; img2img keeps the
    /// picture's structure.
    pub strength: f32,
}

/// The Workers AI input for `input`.
pub fn workers_ai_input<'a>(input: &EditInput<'a>) -> WorkersAiInput<'a> {
    let (lo, hi) = WORKERS_AI_SIDES;
    WorkersAiInput {
        prompt: input.prompt,
        image_b64: base64::engine::general_purpose::STANDARD.encode(input.image),
        mask: input.mask,
        width: input.info.width.clamp(lo, hi),
        height: input.info.height.clamp(lo, hi),
        num_steps: 20,
        guidance: 7.5,
        strength: if input.mask.is_some() { 1.0 } else { 0.6 },
    }
}

/// A `multipart/form-data` body for OpenAI's `images/edits`: `(content type, body)`.
pub fn openai_multipart(input: &EditInput<'_>, model: &str, boundary: &str) -> (String, Vec<u8>) {
    fn file(out: &mut Vec<u8>, boundary: &str, name: &str, kind: ImageKind, bytes: &[u8]) {
        out.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.{}\"\r\nContent-Type: {}\r\n\r\n",
                kind.extension(),
                kind.mime()
            )
            .as_bytes(),
        );
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    }
    fn field(out: &mut Vec<u8>, boundary: &str, name: &str, value: &str) {
        out.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    let mut out = Vec::with_capacity(input.image.len() + input.mask.map_or(0, <[u8]>::len) + 1024);
    file(&mut out, boundary, "image", input.info.kind, input.image);
    if let Some(mask) = input.mask {
        file(&mut out, boundary, "mask", ImageKind::Png, mask);
    }
    field(&mut out, boundary, "prompt", input.prompt);
    field(&mut out, boundary, "model", model);
    field(&mut out, boundary, "n", "1");
    field(
        &mut out,
        boundary,
        "size",
        &format!("{}x{}", input.info.width, input.info.height),
    );
    field(&mut out, boundary, "response_format", "b64_json");
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), out)
}

/// Why a generative edit did not produce an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GenFailure {
    /// No answer within the time limit.
    Timeout {
        /// The limit, in seconds.
        seconds: u64,
    },
    /// The connection failed.
    Network(String),
    /// The provider answered with an error status (its message, if it gave one).
    Status {
        /// The HTTP status.
        status: u16,
        /// The provider's own words, shortened.
        message: String,
    },
    /// The body is not an image (an HTML error page, JSON, garbage).
    NotAnImage(ProbeError),
    /// A JSON reply without the image in it.
    BadReply(String),
    /// The reply is larger than [`MAX_REPLY_BYTES`].
    ReplyTooLarge,
    /// A tiny placeholder image (e.g. 1 × 1).
    Placeholder {
        /// Its width.
        width: u32,
        /// Its height.
        height: u32,
    },
    /// An image over the engine's limits (a decompression bomb).
    OverLimits {
        /// Its width.
        width: u32,
        /// Its height.
        height: u32,
    },
    /// An image of another shape than the one sent.
    WrongSize {
        /// What was sent.
        expected: (u32, u32),
        /// What came back.
        got: (u32, u32),
    },
}

impl GenFailure {
    /// Whether one retry may help (a timeout, a dropped connection, a 5xx or 429).
    pub const fn is_transient(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Network(_) => true,
            Self::Status { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }

    /// A stable code for the API's error body.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Timeout { .. } => "generative_timeout",
            Self::Network(_) => "generative_unreachable",
            Self::Status { .. } => "generative_failed",
            Self::NotAnImage(_) | Self::BadReply(_) => "generative_bad_reply",
            Self::ReplyTooLarge | Self::OverLimits { .. } => "generative_too_large",
            Self::Placeholder { .. } => "generative_placeholder",
            Self::WrongSize { .. } => "generative_wrong_size",
        }
    }

    /// The HTTP status the worker answers with: 504 for a timeout, 502 otherwise.
    pub const fn http_status(&self) -> u16 {
        match self {
            Self::Timeout { .. } => 504,
            _ => 502,
        }
    }
}

impl std::fmt::Display for GenFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Timeout { seconds } => {
                write!(f, "the AI image service did not answer within {seconds} s")
            }
            Self::Network(m) => write!(f, "the AI image service could not be reached: {m}"),
            Self::Status { status, message } if message.is_empty() => {
                write!(f, "the AI image service failed (HTTP {status})")
            }
            Self::Status { status, message } => {
                write!(f, "the AI image service failed (HTTP {status}): {message}")
            }
            Self::NotAnImage(e) => write!(f, "the AI image service sent no image: {e}"),
            Self::BadReply(m) => write!(f, "the AI image service's reply is not usable: {m}"),
            Self::ReplyTooLarge => f.write_str("the AI image service's reply is too large"),
            Self::Placeholder { width, height } => write!(
                f,
                "the AI image service sent a {width} × {height} placeholder, not an edited image"
            ),
            Self::OverLimits { width, height } => write!(
                f,
                "the AI image service sent a {width} × {height} image, over the editor's limits"
            ),
            Self::WrongSize { expected, got } => write!(
                f,
                "the AI image service sent a {} × {} image for a {} × {} photo",
                got.0, got.1, expected.0, expected.1
            ),
        }
    }
}

/// What a reply image must be: within the engine's limits, not a placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyLimits {
    /// Most pixels (the engine's default, 100 million).
    pub max_pixels: u64,
    /// Longest side (the engine's default, 32768).
    pub max_dimension: u32,
    /// Shortest side below which an image is a placeholder (16).
    pub min_side: u32,
}

impl Default for ReplyLimits {
    fn default() -> Self {
        Self {
            max_pixels: 100_000_000,
            max_dimension: 32_768,
            min_side: 16,
        }
    }
}

/// Checks a reply image against the size sent: exactly that size, or (for models that answer at
/// their own resolution, which the page scales back) the same aspect ratio within 2 %.
pub fn check_image(
    bytes: &[u8],
    expected: (u32, u32),
    limits: &ReplyLimits,
) -> Result<Probed, GenFailure> {
    if bytes.len() > MAX_REPLY_BYTES {
        return Err(GenFailure::ReplyTooLarge);
    }
    let p = probe(bytes).map_err(GenFailure::NotAnImage)?;
    let (w, h) = (p.width, p.height);
    if w.max(h) > limits.max_dimension || u64::from(w) * u64::from(h) > limits.max_pixels {
        return Err(GenFailure::OverLimits {
            width: w,
            height: h,
        });
    }
    if w.min(h) < limits.min_side {
        return Err(GenFailure::Placeholder {
            width: w,
            height: h,
        });
    }
    let (ew, eh) = expected;
    let same_ratio = {
        let a = f64::from(w) * f64::from(eh);
        let b = f64::from(h) * f64::from(ew);
        (a - b).abs() <= 0.02 * b
    };
    if (w, h) != expected && !same_ratio {
        return Err(GenFailure::WrongSize {
            expected,
            got: (w, h),
        });
    }
    Ok(p)
}

/// The image of an OpenAI `images/edits` reply (`data[0].b64_json`). A `url` instead is refused:
/// the worker asks for base64 and never fetches a provider's URL.
pub fn image_from_openai_reply(body: &[u8]) -> Result<Vec<u8>, GenFailure> {
    if body.len() > MAX_REPLY_BYTES {
        return Err(GenFailure::ReplyTooLarge);
    }
    let v: Value = serde_json::from_slice(body).map_err(|_| match probe(body) {
        Err(e @ (ProbeError::Document | ProbeError::Empty | ProbeError::UnknownFormat)) => {
            GenFailure::NotAnImage(e)
        }
        _ => GenFailure::BadReply("not the JSON of an images response".into()),
    })?;
    if let Some(msg) = v.pointer("/error/message").and_then(Value::as_str) {
        return Err(GenFailure::BadReply(short(msg)));
    }
    let first = v
        .pointer("/data/0")
        .ok_or_else(|| GenFailure::BadReply("no data[0]".into()))?;
    let b64 = match first.get("b64_json").and_then(Value::as_str) {
        Some(s) => s,
        None if first.get("url").is_some() => {
            return Err(GenFailure::BadReply(
                "a URL instead of the image (b64_json was asked for)".into(),
            ))
        }
        None => return Err(GenFailure::BadReply("data[0] has no b64_json".into())),
    };
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| GenFailure::BadReply("b64_json is not base64".into()))
}

/// The image of a Workers AI reply: the PNG's bytes (REST or binding), or, from some gateways,
/// `{"result": {"image": base64}}`. A JSON `{"success": false, "errors": […]}` becomes its message.
pub fn image_from_workers_ai_reply(body: &[u8]) -> Result<Vec<u8>, GenFailure> {
    if body.len() > MAX_REPLY_BYTES {
        return Err(GenFailure::ReplyTooLarge);
    }
    if probe(body).is_ok() {
        return Ok(body.to_vec());
    }
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return Err(GenFailure::NotAnImage(
            probe(body).err().unwrap_or(ProbeError::UnknownFormat),
        ));
    };
    if let Some(b64) = v
        .pointer("/result/image")
        .or_else(|| v.get("image"))
        .and_then(Value::as_str)
    {
        return base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|_| GenFailure::BadReply("result.image is not base64".into()));
    }
    match v.pointer("/errors/0/message").and_then(Value::as_str) {
        Some(msg) => Err(GenFailure::BadReply(short(msg))),
        None => Err(GenFailure::NotAnImage(ProbeError::Document)),
    }
}

/// The provider's message from an error body (JSON `error.message`/`errors[0].message`), shortened;
/// empty for an HTML page or anything else.
pub fn error_message(body: &[u8]) -> String {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| {
            v.pointer("/error/message")
                .or_else(|| v.pointer("/errors/0/message"))
                .or_else(|| v.get("error"))
                .and_then(Value::as_str)
                .map(short)
        })
        .unwrap_or_default()
}

fn short(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(200).collect()
}

/// How an edit reads in the plan and the session: `AI edit: remove the person (painted area)`.
pub fn describe(prompt: &str, masked: bool) -> String {
    let p: String = prompt.trim().chars().take(120).collect();
    if masked {
        format!("AI edit: {p} (painted area)")
    } else {
        format!("AI edit: {p}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image_probe::tests_support::png_header;
    use serde_json::json;

    fn input<'a>(image: &'a [u8], mask: Option<&'a [u8]>) -> EditInput<'a> {
        EditInput {
            image,
            info: probe(image).unwrap(),
            mask,
            prompt: "remove the person",
        }
    }

    #[test]
    fn workers_ai_input_carries_image_mask_and_size() {
        let img = png_header(300, 200);
        let mask = png_header(300, 200);
        let v = serde_json::to_value(workers_ai_input(&input(&img, Some(&mask)))).unwrap();
        assert_eq!(v["prompt"], "remove the person");
        assert_eq!(v["width"], 300);
        assert_eq!(v["height"], 256, "Stable Diffusion's smallest side");
        assert_eq!(v["mask"].as_array().unwrap().len(), mask.len());
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(v["image_b64"].as_str().unwrap())
            .unwrap();
        assert_eq!(decoded, img);
        let unmasked = serde_json::to_value(workers_ai_input(&input(&img, None))).unwrap();
        assert!(unmasked.get("mask").is_none());
    }

    #[test]
    fn openai_multipart_has_every_part() {
        let img = png_header(64, 64);
        let (ct, body) = openai_multipart(&input(&img, Some(&img)), "gpt-image-1", "XyZ");
        assert_eq!(ct, "multipart/form-data; boundary=XyZ");
        let text = String::from_utf8_lossy(&body);
        for part in [
            "name=\"image\"; filename=\"image.png\"",
            "name=\"mask\"; filename=\"mask.png\"",
            "name=\"prompt\"\r\n\r\nremove the person\r\n",
            "name=\"size\"\r\n\r\n64x64\r\n",
            "name=\"response_format\"\r\n\r\nb64_json\r\n",
        ] {
            assert!(text.contains(part), "{part}");
        }
        assert!(text.ends_with("--XyZ--\r\n"));
    }

    #[test]
    fn urls_and_models() {
        let rest = Provider::WorkersAiRest {
            api_base: "http://127.0.0.1:9/client/v4".into(),
            account_id: "acc".into(),
            api_token: "t".into(),
            inpaint_model: WORKERS_AI_INPAINT_MODEL.into(),
            img2img_model: WORKERS_AI_IMG2IMG_MODEL.into(),
        };
        assert_eq!(
            rest.url(true).unwrap(),
            "http://127.0.0.1:9/client/v4/accounts/acc/ai/run/@cf/runwayml/stable-diffusion-v1-5-inpainting"
        );
        assert_eq!(rest.model(false), WORKERS_AI_IMG2IMG_MODEL);
        let oa = Provider::OpenAi {
            base_url: "http://x/v1".into(),
            model: "m".into(),
            api_key: None,
        };
        assert_eq!(oa.url(false).unwrap(), "http://x/v1/images/edits");
        assert_eq!(oa.name(), "openai");
    }

    #[test]
    fn hostile_images_each_fail_their_own_way() {
        let l = ReplyLimits::default();
        let html = b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>";
        assert_eq!(
            check_image(html, (64, 64), &l),
            Err(GenFailure::NotAnImage(ProbeError::Document))
        );
        assert_eq!(
            check_image(&png_header(1, 1), (64, 64), &l)
                .unwrap_err()
                .code(),
            "generative_placeholder"
        );
        assert_eq!(
            check_image(&png_header(20_000, 20_000), (64, 64), &l)
                .unwrap_err()
                .code(),
            "generative_too_large"
        );
        assert_eq!(
            check_image(&png_header(64, 128), (64, 64), &l),
            Err(GenFailure::WrongSize {
                expected: (64, 64),
                got: (64, 128)
            })
        );
        // Same shape at the model's own resolution is fine (the page scales it back).
        assert!(check_image(&png_header(512, 384), (2000, 1500), &l).is_ok());
    }

    #[test]
    fn openai_replies() {
        let png = png_header(8, 8);
        let b64 = base64::engine::general_purpose::STANDARD.encode(&png);
        let ok = json!({"created": 1, "data": [{"b64_json": b64}]}).to_string();
        assert_eq!(image_from_openai_reply(ok.as_bytes()).unwrap(), png);
        let url = json!({"data": [{"url": "https://evil.example/x.png"}]}).to_string();
        assert!(matches!(
            image_from_openai_reply(url.as_bytes()),
            Err(GenFailure::BadReply(_))
        ));
        assert_eq!(
            image_from_openai_reply(b"<html>oops</html>"),
            Err(GenFailure::NotAnImage(ProbeError::Document))
        );
        let err = json!({"error": {"message": "content policy"}}).to_string();
        assert_eq!(
            image_from_openai_reply(err.as_bytes()),
            Err(GenFailure::BadReply("content policy".into()))
        );
    }

    #[test]
    fn workers_ai_replies() {
        let png = png_header(8, 8);
        assert_eq!(image_from_workers_ai_reply(&png).unwrap(), png);
        let err = json!({"success": false, "errors": [{"code": 5006, "message": "bad input"}]});
        assert_eq!(
            image_from_workers_ai_reply(err.to_string().as_bytes()),
            Err(GenFailure::BadReply("bad input".into()))
        );
        assert!(matches!(
            image_from_workers_ai_reply(b"<html></html>"),
            Err(GenFailure::NotAnImage(_))
        ));
    }

    #[test]
    fn transient_failures_and_words() {
        assert!(GenFailure::Timeout { seconds: 60 }.is_transient());
        assert!(GenFailure::Status {
            status: 503,
            message: String::new()
        }
        .is_transient());
        assert!(!GenFailure::Status {
            status: 400,
            message: String::new()
        }
        .is_transient());
        assert!(!GenFailure::Placeholder {
            width: 1,
            height: 1
        }
        .is_transient());
        assert_eq!(GenFailure::Timeout { seconds: 1 }.http_status(), 504);
        assert_eq!(
            describe("remove the person", true),
            "AI edit: remove the person (painted area)"
        );
        assert_eq!(error_message(b"<html>"), "");
        assert_eq!(
            error_message(br#"{"error":{"message":"overloaded"}}"#),
            "overloaded"
        );
    }
}
