//! Reading the header: the format from the signature, the size, orientation and alpha from the
//! decoder's header parse, checked against [`Limits`] before any pixel buffer exists.

use std::io::{Cursor, ErrorKind as IoErrorKind};

use image::metadata::Orientation;
use image::{ImageDecoder, ImageError, ImageFormat, ImageReader};

use super::heif::{self, Brand};
use super::orientation::displayed_size;
use super::{Header, ImageInfo, InputFormat, Limits};
use crate::error::{Error, Result};

/// Bytes per pixel of the widest layout a decoder may produce (16-bit RGBA), for the allocation guard.
const WIDEST_PIXEL_BYTES: u64 = 8;
/// Slack for a decoder's own buffers beyond the frame itself.
const ALLOC_SLACK_BYTES: u64 = 64 << 20;

/// Sniffs the format, reads the header and checks every limit; allocates nothing pixel-sized.
pub(super) fn open<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Header<'a>> {
    // A decoded frame's pixels are bounded by the pixel limit (checked below), not the file's.
    if !heif::is_frame(bytes) {
        check_file_size(bytes.len(), limits)?;
    }
    let format = sniff(bytes)?;
    if format == InputFormat::Heic {
        let info = heif::probe(bytes)?;
        check_dimensions((info.width, info.height), limits)?;
        return Ok(Header {
            decoder: None,
            info,
            bytes,
            limits: *limits,
        });
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format(format));
    // While the header is read: no size limits yet (ours come next, with a better message), but
    // the allocation budget already (the PNG decoder keeps the one it is built with).
    let mut header_limits = image::Limits::default();
    header_limits.max_alloc = Some(alloc_budget(limits));
    reader.limits(header_limits);
    let mut decoder = reader.into_decoder().map_err(|e| decode_error(e, format))?;

    let stored = decoder.dimensions();
    check_dimensions(stored, limits)?;
    // A malformed EXIF block must not cost the picture: it just means "upright".
    let orientation = decoder
        .orientation()
        .unwrap_or(Orientation::NoTransforms)
        .to_exif();
    // Second guard: `image` refuses these dimensions and allocations by itself as well.
    decoder
        .set_limits(pixel_limits(limits))
        .map_err(|e| decode_error(e, format))?;

    let (width, height) = displayed_size(stored, orientation);
    let info = ImageInfo {
        format,
        width,
        height,
        orientation,
        has_alpha: decoder.color_type().has_alpha(),
    };
    Ok(Header {
        decoder: Some(Box::new(decoder)),
        info,
        bytes,
        limits: *limits,
    })
}

/// The format from the first bytes (the file name's extension is never trusted).
fn sniff(bytes: &[u8]) -> Result<InputFormat> {
    if bytes.is_empty() {
        return Err(Error::Decode("the file is empty".into()));
    }
    if heif::is_frame(bytes) {
        return Ok(InputFormat::Heic);
    }
    match heif::brand(bytes) {
        Some(Brand::Heic) => return Ok(InputFormat::Heic),
        Some(Brand::Avif) => {
            return Err(Error::Unsupported(
                "This is an AVIF image, which we can't read yet".into(),
            ))
        }
        Some(Brand::Other) | None => {}
    }
    if bytes.starts_with(&[0xFF, 0x0A]) || bytes.starts_with(b"\0\0\0\x0cJXL \r\n\x87\n") {
        return Err(Error::Unsupported(
            "This is a JPEG XL image, which we can't read yet".into(),
        ));
    }
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok(InputFormat::Jpeg),
        Ok(ImageFormat::Png) => Ok(InputFormat::Png),
        Ok(ImageFormat::WebP) => Ok(InputFormat::Webp),
        Ok(ImageFormat::Gif) => Ok(InputFormat::Gif),
        Ok(ImageFormat::Bmp) => Ok(InputFormat::Bmp),
        Ok(other) => Err(Error::Decode(format!(
            "{} files are not supported; expected JPEG, PNG, WebP, GIF, BMP or HEIC",
            other
                .extensions_str()
                .first()
                .map_or("these", |e| e)
                .to_uppercase()
        ))),
        Err(_) => Err(Error::Decode(
            "not a JPEG, PNG, WebP, GIF, BMP or HEIC file (unrecognised signature)".into(),
        )),
    }
}

fn image_format(format: InputFormat) -> ImageFormat {
    match format {
        // Never asked: HEIC returns before `image` is involved.
        InputFormat::Heic => ImageFormat::Avif,
        InputFormat::Jpeg => ImageFormat::Jpeg,
        InputFormat::Png => ImageFormat::Png,
        InputFormat::Webp => ImageFormat::WebP,
        InputFormat::Gif => ImageFormat::Gif,
        InputFormat::Bmp => ImageFormat::Bmp,
    }
}

fn check_file_size(len: usize, limits: &Limits) -> Result<()> {
    let len = len as u64;
    if len > limits.max_input_bytes {
        return Err(Error::Limits(format!(
            "file is {}, over the limit of {}",
            megabytes(len),
            megabytes(limits.max_input_bytes)
        )));
    }
    Ok(())
}

fn check_dimensions((width, height): (u32, u32), limits: &Limits) -> Result<()> {
    if width == 0 || height == 0 {
        return Err(Error::Decode(format!(
            "the image has no pixels ({width} × {height})"
        )));
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return Err(Error::Limits(format!(
            "image is {width} × {height} = {}, over the limit of {}",
            megapixels(pixels),
            megapixels(limits.max_pixels)
        )));
    }
    let longest = width.max(height);
    if longest > limits.max_dimension {
        return Err(Error::Limits(format!(
            "image is {width} × {height}, and its longest side ({longest} px) is over the limit of {} px",
            limits.max_dimension
        )));
    }
    Ok(())
}

/// `image`'s limits for the pixel decode: our sizes, and room for the widest layout.
fn pixel_limits(limits: &Limits) -> image::Limits {
    let mut l = image::Limits::no_limits();
    l.max_image_width = Some(limits.max_dimension);
    l.max_image_height = Some(limits.max_dimension);
    l.max_alloc = Some(alloc_budget(limits));
    l
}

/// The most a decoder may allocate: the largest frame allowed in the widest layout, plus slack.
fn alloc_budget(limits: &Limits) -> u64 {
    limits
        .max_pixels
        .saturating_mul(WIDEST_PIXEL_BYTES)
        .saturating_add(ALLOC_SLACK_BYTES)
}

/// An `image` error while reading `format`, as an engine error with a sentence for people.
pub(super) fn decode_error(e: ImageError, format: InputFormat) -> Error {
    match e {
        ImageError::Limits(l) => Error::Limits(format!("{format} image is over a limit: {l}")),
        ImageError::IoError(io) if io.kind() == IoErrorKind::UnexpectedEof => Error::Decode(
            format!("the {format} file ends too early (truncated or incomplete)"),
        ),
        ImageError::IoError(io) => Error::Decode(format!("cannot read the {format} data: {io}")),
        ImageError::Decoding(d) => Error::Decode(format!("corrupt {format} data: {d}")),
        ImageError::Unsupported(u) => Error::Decode(format!("unsupported {format} variant: {u}")),
        other => Error::Decode(format!("{format}: {other}")),
    }
}

/// `3600 MP`, `2.1 MP`, `0.02 MP`.
pub(super) fn megapixels(pixels: u64) -> String {
    let mp = pixels as f64 / 1e6;
    if mp >= 10.0 {
        format!("{mp:.0} MP")
    } else if mp >= 0.1 {
        format!("{mp:.1} MP")
    } else {
        format!("{mp:.2} MP")
    }
}

/// `256 MB` style, in MiB (what people call megabytes for files).
fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / (1u64 << 20) as f64;
    if mb.fract() == 0.0 || mb >= 10.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_messages_say_what_and_how_much() {
        let l = Limits::default();
        let e = check_dimensions((60_000, 60_000), &l).expect_err("must be refused");
        assert_eq!(
            e.to_string(),
            "image is 60000 × 60000 = 3600 MP, over the limit of 100 MP"
        );
        let e = check_dimensions((40_000, 10), &l).expect_err("must be refused");
        assert_eq!(
            e.to_string(),
            "image is 40000 × 10, and its longest side (40000 px) is over the limit of 32768 px"
        );
        let small = Limits {
            max_input_bytes: 1 << 20,
            ..l
        };
        let e = check_file_size(3 << 19, &small).expect_err("must be refused");
        assert_eq!(e.to_string(), "file is 1.5 MB, over the limit of 1 MB");
        assert!(check_dimensions((10_000, 10_000), &l).is_ok());
    }

    #[test]
    fn unknown_and_other_formats_are_named() {
        assert_eq!(
            sniff(b"hello world")
                .expect_err("must be refused")
                .to_string(),
            "cannot decode image: not a JPEG, PNG, WebP, GIF, BMP or HEIC file (unrecognised signature)"
        );
        assert_eq!(
            sniff(b"II*\0\x08\0\0\0").expect_err("must be refused").to_string(),
            "cannot decode image: TIFF files are not supported; expected JPEG, PNG, WebP, GIF, BMP or HEIC"
        );
    }
}
