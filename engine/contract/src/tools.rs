//! The tools and their parameters.
//!
//! Each `*Params` struct is exactly what may stand in a tool call's `params`: unknown fields are
//! refused, every number is range-checked by its type, and every field's doc comment is the
//! description the LLM reads in the generated JSON Schema — so the docs say units and defaults.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::bounded::{
    Amount, Degrees, FontSize, Fraction, Gamma, HueDegrees, Offset, Percent, Pixels, Quality,
    Scale, Sigma, Stops, Thickness,
};
use super::color::Color;

/// How `resize` fits the image into `width` × `height` (sharp's vocabulary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Fit {
    /// Fill the box exactly, cropping the overflow (keeps the aspect ratio).
    Cover,
    /// Fit within the box and pad the rest with `background` (keeps the aspect ratio).
    Contain,
    /// Stretch to the box exactly (ignores the aspect ratio).
    Fill,
    /// Fit within the box, output no larger than it (keeps the aspect ratio). The default.
    #[default]
    Inside,
    /// Cover the box, output no smaller than it (keeps the aspect ratio).
    Outside,
}

/// The resampling filter for `resize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kernel {
    /// Nearest neighbour: blocky, for pixel art.
    Nearest,
    /// Bilinear (triangle) filter.
    Bilinear,
    /// Catmull-Rom cubic.
    Catmullrom,
    /// Mitchell-Netravali cubic.
    Mitchell,
    /// Lanczos with a 3-lobe window: the sharpest high-quality filter. The default.
    #[default]
    Lanczos3,
}

/// Change the image's size.
///
/// Give `scale`, or `width` and/or `height`. With only one of `width`/`height` the other follows
/// the aspect ratio. The result is rounded to whole pixels (`round(width × scale)`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResizeParams {
    /// Target width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<Pixels>,
    /// Target height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<Pixels>,
    /// Multiply both dimensions by this factor (0.5 = half size, 2 = double). Not with width/height.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    /// How to fit into width × height when both are given: cover, contain, fill, inside, outside. Default inside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit: Option<Fit>,
    /// Never make the image larger than it is. Default false.
    #[serde(default, alias = "noEnlarge", skip_serializing_if = "Option::is_none")]
    pub without_enlargement: Option<bool>,
    /// Keep the aspect ratio. Default true; false with width and height stretches (fit fill).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintain_aspect: Option<bool>,
    /// Resampling filter. Default lanczos3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel: Option<Kernel>,
    /// Padding colour for fit contain. Default transparent (white in JPEG output).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<Color>,
}

/// Rotate the image clockwise.
///
/// Multiples of 90° are lossless; other angles enlarge the canvas to hold the whole image and
/// fill the corners with `background`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RotateParams {
    /// Angle in degrees, clockwise; negative turns counter-clockwise (-90 = rotate left).
    #[serde(alias = "angle")]
    pub degrees: Degrees,
    /// Colour of the corners uncovered by a non-right-angle rotation. Default transparent (white in JPEG output).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<Color>,
}

/// A mirror direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Mirror left-to-right (the left edge becomes the right edge).
    Horizontal,
    /// Mirror top-to-bottom (upside down, not rotated).
    Vertical,
}

/// Mirror the image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FlipParams {
    /// horizontal (mirror left-right) or vertical (top-bottom).
    pub direction: Direction,
}

/// Where something sits on the image: a compass point or the centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Gravity {
    /// Top edge, centred.
    #[serde(alias = "top")]
    North,
    /// Top-right corner.
    #[serde(alias = "top-right", alias = "northeast")]
    NorthEast,
    /// Right edge, centred.
    #[serde(alias = "right")]
    East,
    /// Bottom-right corner.
    #[serde(alias = "bottom-right", alias = "southeast")]
    SouthEast,
    /// Bottom edge, centred.
    #[serde(alias = "bottom")]
    South,
    /// Bottom-left corner.
    #[serde(alias = "bottom-left", alias = "southwest")]
    SouthWest,
    /// Left edge, centred.
    #[serde(alias = "left")]
    West,
    /// Top-left corner.
    #[serde(alias = "top-left", alias = "northwest")]
    NorthWest,
    /// The centre.
    #[default]
    #[serde(alias = "centre", alias = "middle")]
    Center,
}

/// Cut out part of the image.
///
/// Three forms, one per call: a rectangle (`width` and `height`, with `x`/`y` from the top-left),
/// an aspect ratio (`aspectRatio`, the largest such region placed by `gravity`), or `trim`
/// (pixels cut off every side). A rectangle reaching outside the image is an error.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CropParams {
    /// Left edge of the rectangle in pixels from the image's left. Default 0.
    #[serde(default, alias = "left", skip_serializing_if = "Option::is_none")]
    pub x: Option<Offset>,
    /// Top edge of the rectangle in pixels from the image's top. Default 0.
    #[serde(default, alias = "top", skip_serializing_if = "Option::is_none")]
    pub y: Option<Offset>,
    /// Rectangle width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<Pixels>,
    /// Rectangle height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<Pixels>,
    /// Crop to this aspect ratio, written "W:H" (e.g. "1:1" square, "16:9").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<AspectRatio>,
    /// Where the aspect-ratio region sits. Default center.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gravity: Option<Gravity>,
    /// Pixels to cut off each of the four sides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trim: Option<Offset>,
}

/// An aspect ratio `W:H` with both sides from 1 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AspectRatio {
    /// Width part.
    pub width: u32,
    /// Height part.
    pub height: u32,
}

impl std::str::FromStr for AspectRatio {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let err = || {
            format!("expected an aspect ratio \"W:H\" such as \"16:9\" with parts from 1 to 100, got {s:?}")
        };
        let (w, h) = s.split_once([':', 'x', '/']).ok_or_else(err)?;
        let part = |p: &str| {
            p.trim()
                .parse::<u32>()
                .ok()
                .filter(|v| (1..=100).contains(v))
        };
        Ok(Self {
            width: part(w).ok_or_else(err)?,
            height: part(h).ok_or_else(err)?,
        })
    }
}

impl Serialize for AspectRatio {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{}:{}", self.width, self.height))
    }
}

impl<'de> Deserialize<'de> for AspectRatio {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d).map_err(|_| {
            serde::de::Error::custom("expected an aspect ratio string such as \"16:9\"")
        })?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for AspectRatio {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AspectRatio".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "pattern": "^[0-9]{1,3}:[0-9]{1,3}$" })
    }
}

/// An output file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// JPEG: lossy, no transparency (flattened onto white).
    #[serde(alias = "jpeg", alias = "JPG", alias = "JPEG")]
    Jpg,
    /// PNG: lossless, keeps transparency.
    #[serde(alias = "PNG")]
    Png,
    /// WebP: lossy at the given quality, keeps transparency.
    #[serde(alias = "WEBP", alias = "WebP")]
    Webp,
}

impl Format {
    /// The file extension, which is also the wire name: `jpg`, `png`, `webp`.
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Jpg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
        }
    }

    /// The MIME type, e.g. `image/jpeg`.
    pub const fn mime_type(self) -> &'static str {
        match self {
            Self::Jpg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
        }
    }

    /// The format for a file extension or MIME subtype (`jpeg`, `JPG`, `image/webp`, …).
    pub fn from_name(name: &str) -> Option<Self> {
        let n = name.trim().to_ascii_lowercase();
        match n.strip_prefix("image/").unwrap_or(&n) {
            "jpg" | "jpeg" => Some(Self::Jpg),
            "png" => Some(Self::Png),
            "webp" => Some(Self::Webp),
            _ => None,
        }
    }

    /// The format an edit of an input comes out as when nothing asks for another, from the
    /// input's format name, file extension or MIME type: its own format when the engine writes it,
    /// JPEG for a camera photo in a format the engine only reads (HEIC/HEIF, AVIF, JPEG XL), PNG
    /// for the other images (GIF, BMP, TIFF). `None` when `input` names no image format; callers
    /// then use PNG, which keeps everything. The engine, the worker and the page all ask this.
    ///
    /// ```
    /// use retouch_contract::Format;
    /// assert_eq!(Format::default_for_input("image/heic"), Some(Format::Jpg));
    /// assert_eq!(Format::default_for_input("GIF"), Some(Format::Png));
    /// assert_eq!(Format::default_for_input("webp"), Some(Format::Webp));
    /// assert_eq!(Format::default_for_input("application/octet-stream"), None);
    /// ```
    pub fn default_for_input(input: &str) -> Option<Self> {
        if let Some(same) = Self::from_name(input) {
            return Some(same);
        }
        let n = input.trim().to_ascii_lowercase();
        match n.strip_prefix("image/").unwrap_or(&n) {
            "jpe" | "jfif" | "pjpeg" | "heic" | "heif" | "hif" | "heic-sequence"
            | "heif-sequence" | "avif" | "jxl" => Some(Self::Jpg),
            "gif" | "bmp" | "x-ms-bmp" | "tif" | "tiff" => Some(Self::Png),
            _ => None,
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}

/// Change the output format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConvertFormatParams {
    /// jpg, png or webp.
    pub format: Format,
    /// Quality 1–100 for jpg and webp. Default: the job's quality, else 90.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<Quality>,
}

/// Change the compression quality of the output (keeps its format).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AdjustQualityParams {
    /// Quality 1 (smallest file) to 100 (best). Default 80.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<Quality>,
}

/// A whole-image filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FilterName {
    /// Black and white.
    #[serde(alias = "greyscale", alias = "blackandwhite")]
    Grayscale,
    /// Warm brown old-photo tone; `intensity` 0–1, default 0.8.
    Sepia,
    /// Gaussian blur; `sigma` in pixels, default 5.
    Blur,
    /// Unsharp mask; `sigma` default 1, `amount` default 1.
    Sharpen,
    /// Invert the colours (a photographic negative).
    #[serde(alias = "invert")]
    Negate,
    /// Stretch the tones so the darkest becomes black and the brightest white (auto-levels).
    #[serde(alias = "normalise", alias = "autolevels")]
    Normalize,
}

/// Apply a filter to the whole image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FilterParams {
    /// grayscale, sepia, blur, sharpen, negate or normalize.
    pub filter: FilterName,
    /// For blur (default 5) and sharpen (default 1): the Gaussian radius in pixels.
    #[serde(default, alias = "radius", skip_serializing_if = "Option::is_none")]
    pub sigma: Option<Sigma>,
    /// For sharpen: strength 0–10, default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// For sepia: strength 0–1, default 0.8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intensity: Option<Fraction>,
}

/// Add a solid border around the image (the canvas grows by twice the width).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BorderParams {
    /// Border width in pixels on every side. Default 10.
    #[serde(default, alias = "size", skip_serializing_if = "Option::is_none")]
    pub width: Option<Thickness>,
    /// Border colour. Default black.
    #[serde(default, alias = "colour", skip_serializing_if = "Option::is_none")]
    pub color: Option<Color>,
}

/// Draw text on the image, antialiased, in an embedded open-licence font (any Unicode text the font covers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TextParams {
    /// The text, 1 to 500 characters; newlines start new lines.
    pub text: BoundedText<500>,
    /// Font size in pixels. Default 24.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_size: Option<FontSize>,
    /// Text colour. Default white.
    #[serde(default, alias = "colour", skip_serializing_if = "Option::is_none")]
    pub color: Option<Color>,
    /// Where the text sits. Default south (bottom centre).
    #[serde(default, alias = "gravity", skip_serializing_if = "Option::is_none")]
    pub position: Option<Gravity>,
    /// Distance from the edges in pixels. Default 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin: Option<Thickness>,
}

/// Tonal and colour adjustments. Give at least one; 0 (or 1 for gamma) leaves a property as it is.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AdjustParams {
    /// Brightness change in percent, -100 to 100 (+20 = 20 % brighter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brightness: Option<Percent>,
    /// Contrast change in percent, -100 (flat grey) to 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contrast: Option<Percent>,
    /// Saturation change in percent, -100 (greyscale) to 100 (twice as vivid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saturation: Option<Percent>,
    /// Hue rotation in degrees, -180 to 180.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hue: Option<HueDegrees>,
    /// Gamma, 0.1 to 10; above 1 brightens mid-tones, below 1 darkens them. Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gamma: Option<Gamma>,
    /// Colour temperature, -100 (cooler, bluer) to 100 (warmer, more orange).
    #[serde(default, alias = "warmth", skip_serializing_if = "Option::is_none")]
    pub temperature: Option<Percent>,
    /// Tint, -100 (greener) to 100 (more magenta).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tint: Option<Percent>,
    /// Exposure in stops, -5 to 5 (+1 doubles the light).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure: Option<Stops>,
}

/// An edit no parametric tool can do (remove or replace objects, change a background, restyle).
/// The engine never does it itself: the backend's generative provider must.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GenerateParams {
    /// What to do, in the user's words, 1 to 2000 characters.
    pub prompt: BoundedText<2000>,
}

/// A non-blank string of at most `MAX` characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BoundedText<const MAX: usize>(String);

impl<const MAX: usize> BoundedText<MAX> {
    /// The text, if it is not blank and has at most `MAX` characters.
    pub fn new(s: impl Into<String>) -> Option<Self> {
        let s = s.into();
        (!s.trim().is_empty() && s.chars().count() <= MAX).then_some(Self(s))
    }
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> Serialize for BoundedText<MAX> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, const MAX: usize> Deserialize<'de> for BoundedText<MAX> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d).map_err(|_| {
            serde::de::Error::custom(format!("expected a string of 1 to {MAX} characters"))
        })?;
        let n = s.chars().count();
        Self::new(s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "expected a non-blank string of 1 to {MAX} characters, got {n} characters"
            ))
        })
    }
}

impl<const MAX: usize> JsonSchema for BoundedText<MAX> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Text{MAX}").into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "minLength": 1, "maxLength": MAX })
    }
}
