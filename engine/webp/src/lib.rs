//! WebP encoding with libwebp, the reference encoder, for native targets and wasm32-unknown-unknown.
//!
//! libwebp's C sources come vendored in the `libwebp-sys` crate and are compiled by `cc` (with
//! Debian's clang for wasm32, configured in the repository's `.cargo/config.toml`). This crate is
//! the safe face of it: inputs are checked here, the few `unsafe` calls live in `ffi.rs`, and on
//! wasm32-unknown-unknown, which has no C library, `wasm_libc.rs` supplies what libwebp calls.
//!
//! ```
//! use retouch_webp::{encode_lossy, Channels};
//!
//! let rgb = vec![200_u8; 64 * 48 * 3];
//! let webp = encode_lossy(&rgb, 64, 48, Channels::Rgb, 80.0, 4)?;
//! assert_eq!(&webp[..4], b"RIFF");
//! assert_eq!(&webp[8..12], b"WEBP");
//! # Ok::<(), retouch_webp::WebpError>(())
//! ```

mod ffi;
#[cfg(all(target_family = "wasm", target_os = "unknown"))]
mod wasm_libc;

/// WebP stores each side in 14 bits.
pub const MAX_SIDE: u32 = 16_383;

/// How the interleaved 8-bit pixels handed to the encoder are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channels {
    /// Red, green, blue: 3 bytes a pixel.
    Rgb,
    /// Red, green, blue, straight (not premultiplied) alpha: 4 bytes a pixel.
    Rgba,
}

impl Channels {
    /// Bytes per pixel: 3 or 4.
    #[must_use]
    pub const fn count(self) -> usize {
        match self {
            Self::Rgb => 3,
            Self::Rgba => 4,
        }
    }
}

/// Why an image could not be encoded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum WebpError {
    /// A side is 0 or larger than [`MAX_SIDE`].
    #[error("expected WebP sides from 1 to {MAX_SIDE} px but received {width} × {height}")]
    Dimensions { width: u32, height: u32 },
    /// The pixel buffer does not hold exactly `width × height × channels` bytes.
    #[error("expected {expected} bytes of pixels for {width} × {height} × {channels} but received {actual}")]
    BufferLength {
        width: u32,
        height: u32,
        channels: usize,
        expected: usize,
        actual: usize,
    },
    /// Quality is not a number from 0 to 100.
    #[error("expected a WebP quality from 0 to 100 but received {0}")]
    Quality(f32),
    /// Method (effort) is above 6.
    #[error("expected a WebP method from 0 (fastest) to 6 (smallest) but received {0}")]
    Method(u8),
    /// libwebp could not allocate its buffers.
    #[error("libwebp ran out of memory")]
    OutOfMemory,
    /// libwebp reported another failure.
    #[error("libwebp could not encode the image: {0}")]
    Encoder(&'static str),
}

/// Encodes 8-bit RGB or RGBA pixels as lossy WebP (VP8; alpha, if any pixel is not opaque, goes in
/// a losslessly compressed plane).
///
/// `quality` runs from 0 (smallest) to 100 (best); `method` from 0 (fastest) to 6 (smallest
/// output at the same quality), libwebp's default being 4. Rows are tightly packed, top first.
///
/// # Errors
/// [`WebpError`] for bad dimensions, a buffer of the wrong length, settings out of range, or a
/// failure inside libwebp (out of memory).
pub fn encode_lossy(
    pixels: &[u8],
    width: u32,
    height: u32,
    channels: Channels,
    quality: f32,
    method: u8,
) -> Result<Vec<u8>, WebpError> {
    check(pixels, width, height, channels, quality, method)?;
    ffi::encode(
        pixels,
        width,
        height,
        channels,
        ffi::Mode::Lossy { quality },
        method,
    )
}

/// Encodes 8-bit RGB or RGBA pixels as lossless WebP (VP8L).
///
/// `effort` runs from 0 (fastest) to 100 (smallest); `method` from 0 to 6 as for
/// [`encode_lossy`]. libwebp's defaults are effort 75, method 4.
///
/// # Errors
/// As [`encode_lossy`], with `effort` checked like a quality.
pub fn encode_lossless(
    pixels: &[u8],
    width: u32,
    height: u32,
    channels: Channels,
    effort: f32,
    method: u8,
) -> Result<Vec<u8>, WebpError> {
    check(pixels, width, height, channels, effort, method)?;
    ffi::encode(
        pixels,
        width,
        height,
        channels,
        ffi::Mode::Lossless { effort },
        method,
    )
}

/// Everything libwebp would reject (or read out of bounds for), checked before calling it.
fn check(
    pixels: &[u8],
    width: u32,
    height: u32,
    channels: Channels,
    quality: f32,
    method: u8,
) -> Result<(), WebpError> {
    if !(1..=MAX_SIDE).contains(&width) || !(1..=MAX_SIDE).contains(&height) {
        return Err(WebpError::Dimensions { width, height });
    }
    // Cannot overflow: both sides are at most 14 bits and `channels` at most 4.
    let expected = width as usize * height as usize * channels.count();
    if pixels.len() != expected {
        return Err(WebpError::BufferLength {
            width,
            height,
            channels: channels.count(),
            expected,
            actual: pixels.len(),
        });
    }
    if !(0.0..=100.0).contains(&quality) {
        return Err(WebpError::Quality(quality));
    }
    if method > 6 {
        return Err(WebpError::Method(method));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::GenericImageView;

    fn gradient(width: u32, height: u32, channels: Channels) -> Vec<u8> {
        let mut pixels = Vec::with_capacity(width as usize * height as usize * channels.count());
        for y in 0..height {
            for x in 0..width {
                pixels.extend_from_slice(&[(x * 255 / width) as u8, (y * 255 / height) as u8, 90]);
                if channels == Channels::Rgba {
                    pixels.push(if x < width / 2 { 255 } else { 128 });
                }
            }
        }
        pixels
    }

    fn decode(webp: &[u8]) -> image::DynamicImage {
        image::load_from_memory_with_format(webp, image::ImageFormat::WebP).unwrap()
    }

    #[test]
    fn lossy_rgb_decodes_close_to_the_source() {
        let pixels = gradient(97, 61, Channels::Rgb);
        let webp = encode_lossy(&pixels, 97, 61, Channels::Rgb, 90.0, 4).unwrap();
        let back = decode(&webp).to_rgb8();
        assert_eq!(back.dimensions(), (97, 61));
        let worst = back
            .as_raw()
            .iter()
            .zip(&pixels)
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap();
        assert!(worst < 24, "largest channel error {worst}");
    }

    #[test]
    fn lossy_rgba_keeps_alpha() {
        let pixels = gradient(40, 30, Channels::Rgba);
        let webp = encode_lossy(&pixels, 40, 30, Channels::Rgba, 75.0, 2).unwrap();
        let back = decode(&webp).to_rgba8();
        assert_eq!(back.get_pixel(5, 5)[3], 255);
        assert_eq!(back.get_pixel(35, 5)[3], 128);
    }

    #[test]
    fn opaque_rgba_has_no_alpha_plane() {
        let mut pixels = gradient(16, 16, Channels::Rgba);
        pixels.chunks_exact_mut(4).for_each(|p| p[3] = 255);
        let webp = encode_lossy(&pixels, 16, 16, Channels::Rgba, 80.0, 4).unwrap();
        assert!(!decode(&webp).color().has_alpha());
    }

    #[test]
    fn lossless_round_trips_exactly() {
        let pixels = gradient(33, 17, Channels::Rgba);
        let webp = encode_lossless(&pixels, 33, 17, Channels::Rgba, 50.0, 2).unwrap();
        assert_eq!(decode(&webp).to_rgba8().into_raw(), pixels);
    }

    #[test]
    fn every_method_and_extreme_quality_works() {
        let pixels = gradient(20, 20, Channels::Rgb);
        for method in 0..=6 {
            for quality in [0.0, 100.0] {
                let webp = encode_lossy(&pixels, 20, 20, Channels::Rgb, quality, method).unwrap();
                assert_eq!(decode(&webp).dimensions(), (20, 20));
            }
        }
    }

    #[test]
    fn one_pixel_and_thin_images() {
        for (w, h) in [(1, 1), (1, 300), (300, 1)] {
            let pixels = gradient(w, h, Channels::Rgb);
            let webp = encode_lossy(&pixels, w, h, Channels::Rgb, 80.0, 4).unwrap();
            assert_eq!(decode(&webp).dimensions(), (w, h));
        }
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let px = vec![0_u8; 12];
        let lossy = |p: &[u8], w, h, q, m| encode_lossy(p, w, h, Channels::Rgb, q, m);
        assert_eq!(
            lossy(&px, 0, 4, 80.0, 4),
            Err(WebpError::Dimensions {
                width: 0,
                height: 4
            })
        );
        assert!(matches!(
            lossy(&px, 16_384, 1, 80.0, 4),
            Err(WebpError::Dimensions { .. })
        ));
        assert!(matches!(
            lossy(&px, 2, 3, 80.0, 4),
            Err(WebpError::BufferLength { expected: 18, .. })
        ));
        assert_eq!(lossy(&px, 2, 2, 100.5, 4), Err(WebpError::Quality(100.5)));
        assert!(matches!(
            lossy(&px, 2, 2, f32::NAN, 4),
            Err(WebpError::Quality(_))
        ));
        assert_eq!(lossy(&px, 2, 2, 80.0, 7), Err(WebpError::Method(7)));
        let message = lossy(&px, 2, 2, -1.0, 4).unwrap_err().to_string();
        assert_eq!(
            message,
            "expected a WebP quality from 0 to 100 but received -1"
        );
    }
}
