//! Decoding with limits and EXIF orientation; encoding to JPEG, PNG and lossy WebP.
//!
//! Reading is two-staged so that a hostile file cannot make the engine allocate: [`inspect`] and
//! [`decode`] first read only the header, check the size it claims against [`Limits`], and only
//! then decode pixels (with `image`'s own allocation limits as a second guard). Every failure is an
//! [`Error`]: `Decode` for bytes that are not a readable image (empty, truncated, corrupt, unknown),
//! `Limits` for images over a limit; nothing panics on any input.
//!
//! Decoded frames are always upright (the EXIF orientation is applied) and always in one of four
//! 8-bit layouts — `ImageLuma8`, `ImageLumaA8`, `ImageRgb8`, `ImageRgba8` — so pixel operations
//! handle exactly those. 16-bit PNGs are reduced to 8 bits; a GIF gives its first frame.
//!
//! Colour profiles: [`Header::decode`] gives pixels as stored; the pipeline converts them from an
//! embedded ICC profile to sRGB ([`color`]) unless the job keeps metadata, in which case the
//! profile is written back untouched ([`metadata`]). CMYK JPEGs always come out as sRGB, whatever
//! the metadata policy (no CMYK output exists): through their embedded CMYK profile when they have
//! one ([`color`]), else by the naive formula; Photoshop's inverted CMYK and YCCK are read as
//! Pillow and browsers read them.
//!
//! ```no_run
//! use retouch_engine::codec::{decode, encode, Limits};
//! use retouch_engine::contract::{Format, Quality};
//! let bytes = std::fs::read("photo.jpg")?;
//! let decoded = decode(&bytes, &Limits::default())?;
//! let webp = encode(&decoded.frame, Format::Webp, Quality::new(80).expect("in range"))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod color;
mod decode;
mod encode;
pub mod finish;
mod heif;
mod integrity;
pub mod metadata;
mod orientation;
mod probe;
mod shrink;
pub mod size_target;

use image::DynamicImage;

pub use encode::EncodeOptions;
pub(crate) use integrity::missing_rows;
pub use integrity::{check_integrity, Damage, DamageLevel};

use crate::contract::{Format, Quality};
use crate::error::Result;

/// Limits checked from the header, before any pixel is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most pixels (width × height) accepted. Default 100 million.
    pub max_pixels: u64,
    /// Longest side accepted, in pixels. Default 32768.
    pub max_dimension: u32,
    /// Largest input file accepted, in bytes. Default 256 MiB.
    pub max_input_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_pixels: 100_000_000,
            max_dimension: 32_768,
            max_input_bytes: 256 << 20,
        }
    }
}

/// A format the engine can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputFormat {
    /// JPEG
    Jpeg,
    /// PNG
    Png,
    /// WebP
    Webp,
    /// GIF (first frame)
    Gif,
    /// BMP
    Bmp,
    /// HEIC/HEIF (HEVC-coded, as phones write it)
    Heic,
}

impl InputFormat {
    /// The name people know it by: `"JPEG"`, `"PNG"`, `"WebP"`, `"GIF"`, `"BMP"`, `"HEIC"`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Webp => "WebP",
            Self::Gif => "GIF",
            Self::Bmp => "BMP",
            Self::Heic => "HEIC",
        }
    }

    /// The wire name, also the usual file extension: `"jpg"`, `"png"`, `"webp"`, `"gif"`,
    /// `"bmp"`, `"heic"`.
    pub const fn wire_name(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Gif => "gif",
            Self::Bmp => "bmp",
            Self::Heic => "heic",
        }
    }

    /// The MIME type, e.g. `"image/heic"`.
    pub const fn mime_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Gif => "image/gif",
            Self::Bmp => "image/bmp",
            Self::Heic => "image/heic",
        }
    }

    /// The output format an edit of this input gets by default ([`Format::default_for_input`]):
    /// the same format, except that GIF and BMP (which the engine does not write) become PNG, and
    /// HEIC (a photo) JPEG.
    pub fn default_output(self) -> Format {
        Format::default_for_input(self.wire_name()).unwrap_or(Format::Png)
    }
}

impl std::fmt::Display for InputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What the header says, read without decoding pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    /// The container format.
    pub format: InputFormat,
    /// Width as displayed (after EXIF orientation).
    pub width: u32,
    /// Height as displayed (after EXIF orientation).
    pub height: u32,
    /// EXIF orientation, 1 to 8 (1 when absent).
    pub orientation: u8,
    /// Whether the image has an alpha channel.
    pub has_alpha: bool,
}

/// Whether `bytes` start like a HEIC/HEIF file that this build reads only through the separate
/// HEIF module (the npm package's JS then decodes it into a frame first). Reads the `ftyp` box.
///
/// ```
/// assert!(!retouch_engine::codec::needs_heif_module(b"\xFF\xD8\xFF"));
/// ```
pub fn needs_heif_module(bytes: &[u8]) -> bool {
    !cfg!(feature = "heif")
        && !heif::is_frame(bytes)
        && heif::brand(bytes) == Some(heif::Brand::Heic)
}

/// Reads format, size, orientation and alpha from the header, checking `limits`; no pixel decode.
///
/// ```
/// use retouch_engine::{codec::{inspect, Limits}, ErrorKind};
/// let err = inspect(b"", &Limits::default()).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Decode);
/// assert_eq!(err.to_string(), "cannot decode image: the file is empty");
/// ```
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<ImageInfo> {
    open(bytes, limits).map(|header| header.info)
}

/// An image whose header has been read and checked against the limits, ready to decode: what
/// [`decode`] does in two steps, for callers that report the size before the (slow) pixel decode.
///
/// ```
/// # fn run(bytes: &[u8]) -> retouch_engine::Result<()> {
/// use retouch_engine::codec::{open, Limits};
/// let header = open(bytes, &Limits::default())?;
/// println!("Decoding {} × {} {}", header.info().width, header.info().height, header.info().format);
/// let decoded = header.decode()?;
/// # Ok(()) }
/// ```
pub struct Header<'a> {
    /// `image`'s decoder; `None` for HEIC, which is decoded by `retouch-heif` (see [`heif`]).
    decoder: Option<Box<dyn image::ImageDecoder + 'a>>,
    info: ImageInfo,
    /// The file, for decoders other than `image`'s (CMYK through a profile).
    bytes: &'a [u8],
    /// The limits it was checked against, to open it again.
    limits: Limits,
}

impl Header<'_> {
    /// The header facts.
    pub fn info(&self) -> &ImageInfo {
        &self.info
    }

    /// Decodes the pixels: an upright frame in one of the four 8-bit layouts.
    pub fn decode(self) -> Result<Decoded> {
        let cmyk = color::CmykJpeg::with_profile(self.bytes);
        let split_scans = cmyk.is_none() && shrink::is_split_scan_jpeg(self.bytes, &self.info);
        if cmyk.is_none() && !split_scans {
            return decode::decode_pixels(self.decoder, self.info, self.bytes, &self.limits);
        }
        // Decoders other than `image`'s: as in `decode_at_least`, `image`'s decoder (which holds
        // a copy of the file) is dropped first and opened again only if the other one fails.
        let Self {
            decoder,
            info,
            bytes,
            limits,
        } = self;
        drop(decoder);
        let decoded = match cmyk {
            Some(cmyk) => cmyk.decode(bytes).map(|mut frame| {
                orientation::make_upright(&mut frame, info.orientation);
                Decoded {
                    frame,
                    info: info.clone(),
                }
            }),
            None => shrink::decode_split_scans(bytes, &info),
        };
        match decoded {
            Some(decoded) => Ok(decoded),
            None => decode::decode_pixels(open(bytes, &limits)?.decoder, info, bytes, &limits),
        }
    }

    /// Decodes `bytes` (the file this header was read from) at a reduced scale when that still
    /// gives an upright frame of at least `min` = (width, height) pixels (0 = any): a JPEG is
    /// decoded at 1/2, 1/4 or 1/8 scale when the target is at least 2× smaller (shrink-on-load);
    /// anything else decodes at full size as [`Header::decode`] does.
    ///
    /// The reduced decode reads `bytes` itself: the full-size decoder (which for a JPEG holds a
    /// copy of the whole file) is dropped first, and opened again only if the reduced decode
    /// cannot read the file.
    pub fn decode_at_least(self, bytes: &[u8], min: (u32, u32)) -> Result<Decoded> {
        if !shrink::applies(&self.info, min) {
            return self.decode();
        }
        let Self {
            decoder,
            info,
            limits,
            ..
        } = self;
        drop(decoder);
        match shrink::decode_reduced(bytes, &info, min) {
            Some(decoded) => Ok(decoded),
            None => open(bytes, &limits)?.decode(),
        }
    }
}

impl std::fmt::Debug for Header<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Header")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

/// Reads and checks the header (see [`Header`]); no pixel decode.
pub fn open<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Header<'a>> {
    probe::open(bytes, limits)
}

/// A decoded, upright frame (EXIF orientation applied) in one of the four 8-bit layouts.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The pixels.
    pub frame: DynamicImage,
    /// The header facts.
    pub info: ImageInfo,
}

/// Decodes after checking `limits` against the header.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Decoded> {
    open(bytes, limits)?.decode()
}

/// Encodes a frame. `quality` applies to JPEG and WebP (lossy); PNG is lossless.
///
/// JPEG has no transparency: alpha is flattened onto white.
pub fn encode(frame: &DynamicImage, format: Format, quality: Quality) -> Result<Vec<u8>> {
    encode_with(frame, format, quality, EncodeOptions::default())
}

/// [`encode`] with the settings `options` (JPEG and WebP; PNG ignores them).
pub fn encode_with(
    frame: &DynamicImage,
    format: Format,
    quality: Quality,
    options: EncodeOptions,
) -> Result<Vec<u8>> {
    match format {
        Format::Jpg => encode::jpeg::encode(frame, quality.get(), options),
        Format::Png => encode::png::encode(frame),
        Format::Webp => encode::webp::encode(frame, quality.get(), options.effort),
    }
}
