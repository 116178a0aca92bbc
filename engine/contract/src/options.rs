//! Options for a whole job: output format and quality, and a box the output must fit in.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::bounded::{MaxBytes, Pixels, Quality};
use super::tools::Format;
use crate::error::{Error, Result};

/// Options for the whole job, as in the original plan's `options`.
///
/// Every field is optional; the defaults are what a person would expect:
///
/// ```
/// use retouch_contract::parse_options;
/// let o = parse_options(r#"{"outputFormat": "webp", "quality": 80, "maxWidth": 1200}"#).unwrap();
/// assert_eq!(o.quality.map(|q| q.get()), Some(80));
/// assert!(parse_options(r#"{"quality": 0}"#).is_err()); // 0 is not "absent"
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct JobOptions {
    /// Output format. Default: a `convert_format` step's format, else the input's format
    /// (GIF and BMP inputs become PNG).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_format: Option<Format>,
    /// Quality 1–100 for JPEG and WebP. Default: an `adjust_quality`/`convert_format` step's
    /// quality, else 90.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<Quality>,
    /// The output is scaled down (never up) to fit this width, after every tool call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_width: Option<Pixels>,
    /// The output is scaled down (never up) to fit this height, after every tool call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_height: Option<Pixels>,
    /// A file-size budget in bytes (at least 1024). JPEG and WebP search the quality (down to
    /// `minQuality`), then scale down in steps until the file fits; a PNG that cannot fit fails
    /// with `target_unreachable`. Default: no budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<MaxBytes>,
    /// The lowest quality the `maxBytes` search may use before it scales down. Default 40.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_quality: Option<Quality>,
    /// Keep the input's bytes when re-encoding would make a larger file of the same format and
    /// size. Default: on when no tool call changes pixels, off otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub never_larger: Option<bool>,
    /// What metadata the output carries: `strip` (pixels only, and the colour profile where
    /// needed), `keep` (EXIF/XMP/IPTC and the colour profile; Orientation reset to 1; GPS
    /// removed unless `keepGps`), `copyright` (creator and copyright only). Default `strip`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<MetadataOption>,
    /// With `metadata: "keep"`, keep the GPS position too. Default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_gps: Option<bool>,
    /// How hard JPEG and WebP encoders work: `fast` (default), or `max` for files 6–8 % smaller
    /// at equal visual quality in 3–5× the encode time (JPEG trellis quantisation as mozjpeg;
    /// WebP method 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<Effort>,
    /// JPEG only: progressive scans (the picture shows coarse to fine while it loads) instead of
    /// one baseline scan (top to bottom). About the same size; slower to encode. Default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progressive: Option<bool>,
    /// JPEG only: colour resolution. `"420"` stores colour at half width and height (smaller;
    /// what cameras do), `"444"` at full resolution (sharper coloured edges and text). Default
    /// `"420"` below quality 97, `"444"` from 97.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chroma_subsampling: Option<ChromaSubsampling>,
    /// How damaged an input may be and still be edited, as sharp's `failOn`: `warning`
    /// (default: any damage fails the image), `error` (truncated or corrupt files fail),
    /// `truncated` (only files that end early fail), `none` (every file the decoder can read
    /// is edited). An accepted damaged input is never kept as the result, and the result's
    /// `warnings` say what was wrong with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<FailOn>,
}

/// When damage in an input fails its image (`options.failOn`), as sharp's levels: each level
/// also fails on the damage of the levels before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Edit whatever the decoder can read, damage and all.
    None,
    /// Fail when the file ends before its image does.
    Truncated,
    /// Fail on truncated or corrupt data.
    Error,
    /// Fail on anything a strict reader would warn about (the default).
    #[default]
    Warning,
}

/// How hard the lossy encoders work (`options.effort`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Effort {
    /// Quick encodes (JPEG with optimised Huffman tables, WebP method 2).
    #[default]
    Fast,
    /// The smallest files, several times slower (JPEG trellis quantisation, WebP method 6).
    Max,
}

/// Colour resolution of a JPEG (`options.chromaSubsampling`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ChromaSubsampling {
    /// Colour at half width and half height (4:2:0).
    #[serde(rename = "420")]
    Half,
    /// Colour at full resolution (4:4:4).
    #[serde(rename = "444")]
    Full,
}

/// What metadata an output carries (`options.metadata`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MetadataOption {
    /// Nothing but pixels, and the colour profile where the pixels need it.
    #[default]
    Strip,
    /// EXIF, XMP, IPTC and the colour profile; Orientation reset to 1; GPS removed unless `keepGps`.
    Keep,
    /// Only the creator (Artist, By-line, dc:creator) and copyright fields.
    Copyright,
}

/// Job options as JSON text, validated; errors name `options.<field>`.
pub fn parse_options(json: &str) -> Result<JobOptions> {
    let v: Value = serde_json::from_str(json).map_err(|e| {
        Error::invalid(
            "options",
            format!("expected a JSON object, got invalid JSON ({e})"),
        )
    })?;
    parse_options_from_value(&v)
}

/// Job options from an already-parsed JSON value (`null` means all defaults).
pub fn parse_options_from_value(v: &Value) -> Result<JobOptions> {
    if v.is_null() {
        return Ok(JobOptions::default());
    }
    if !v.is_object() {
        return Err(Error::invalid(
            "options",
            format!("expected an object, got {}", super::json_type_name(v)),
        ));
    }
    serde_path_to_error::deserialize(v).map_err(|e| {
        let inner = e.path().to_string();
        let path = if inner == "." {
            "options".to_owned()
        } else {
            format!("options.{inner}")
        };
        Error::invalid(path, e.into_inner().to_string())
    })
}
