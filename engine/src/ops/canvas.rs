//! Shared pixel plumbing: a frame as raw interleaved bytes with its [`Layout`], layout changes
//! (adding alpha, grey to colour), solid fills and the size limits for operations that grow a frame.
//!
//! Every operation works on a [`Raster`]: the four layouts the decoder produces, unpacked from
//! `DynamicImage` without copying, with alpha (when present) always the last channel.

use image::{DynamicImage, GrayAlphaImage, GrayImage, RgbImage, RgbaImage};

use crate::contract::Color;
use crate::error::{Error, Result};

/// Most pixels an operation may produce (the decoder's limit).
pub(crate) const MAX_PIXELS: u64 = 100_000_000;
/// Longest side an operation that grows the frame (border, free rotation) may produce.
pub(crate) const MAX_SIDE: u32 = 32_768;

/// The channel layout of a frame: 8 bits per channel, alpha last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    Luma,
    LumaA,
    Rgb,
    Rgba,
}

impl Layout {
    /// Bytes per pixel.
    pub(crate) const fn channels(self) -> usize {
        match self {
            Self::Luma => 1,
            Self::LumaA => 2,
            Self::Rgb => 3,
            Self::Rgba => 4,
        }
    }

    /// Whether the last channel is alpha.
    pub(crate) const fn has_alpha(self) -> bool {
        matches!(self, Self::LumaA | Self::Rgba)
    }

    /// Whether the frame is grey (one colour channel).
    pub(crate) const fn is_gray(self) -> bool {
        matches!(self, Self::Luma | Self::LumaA)
    }

    /// Number of colour channels (without alpha).
    pub(crate) const fn color_channels(self) -> usize {
        if self.is_gray() {
            1
        } else {
            3
        }
    }

    /// The same layout with an alpha channel.
    pub(crate) const fn with_alpha(self) -> Self {
        match self {
            Self::Luma | Self::LumaA => Self::LumaA,
            Self::Rgb | Self::Rgba => Self::Rgba,
        }
    }

    /// The same layout with three colour channels.
    pub(crate) const fn with_color(self) -> Self {
        match self {
            Self::Luma | Self::Rgb => Self::Rgb,
            Self::LumaA | Self::Rgba => Self::Rgba,
        }
    }

    /// The layout that can hold this frame drawn over with `color`: gains alpha when the colour is
    /// not opaque, and colour channels when the colour is not grey.
    pub(crate) fn to_hold(self, color: Color) -> Self {
        let mut layout = self;
        if color.a < 255 {
            layout = layout.with_alpha();
        }
        if !(color.r == color.g && color.g == color.b) {
            layout = layout.with_color();
        }
        layout
    }

    /// `color` as one pixel of this layout (the first [`channels`](Self::channels) bytes count).
    pub(crate) fn pixel(self, color: Color) -> [u8; 4] {
        let Color { r, g, b, a } = color;
        match self {
            Self::Luma => [luma(r, g, b), 0, 0, 0],
            Self::LumaA => [luma(r, g, b), a, 0, 0],
            Self::Rgb => [r, g, b, 0],
            Self::Rgba => [r, g, b, a],
        }
    }
}

/// Rec. 709 luma of gamma-encoded sRGB values, rounded (what `grayscale` produces).
pub(crate) fn luma(r: u8, g: u8, b: u8) -> u8 {
    // 0.2126, 0.7152, 0.0722 in 16-bit fixed point; the weights sum to exactly 65536.
    ((13933 * u32::from(r) + 46871 * u32::from(g) + 4732 * u32::from(b) + 32768) >> 16) as u8
}

/// A frame as raw interleaved 8-bit samples, rows top to bottom without padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Raster {
    pub(crate) layout: Layout,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) data: Vec<u8>,
}

impl Raster {
    /// Unpacks a frame without copying; any other layout is converted to the nearest of the four.
    pub(crate) fn from_image(frame: DynamicImage) -> Self {
        let (width, height) = (frame.width(), frame.height());
        let (layout, data) = match frame {
            DynamicImage::ImageLuma8(b) => (Layout::Luma, b.into_raw()),
            DynamicImage::ImageLumaA8(b) => (Layout::LumaA, b.into_raw()),
            DynamicImage::ImageRgb8(b) => (Layout::Rgb, b.into_raw()),
            DynamicImage::ImageRgba8(b) => (Layout::Rgba, b.into_raw()),
            other if other.color().has_alpha() => (Layout::Rgba, other.to_rgba8().into_raw()),
            other => (Layout::Rgb, other.to_rgb8().into_raw()),
        };
        Self {
            layout,
            width,
            height,
            data,
        }
    }

    /// Packs the raster back into a frame.
    pub(crate) fn into_image(self) -> DynamicImage {
        let Self {
            layout,
            width: w,
            height: h,
            data,
        } = self;
        // The buffer length always matches (every constructor keeps it so); the fallbacks only
        // keep this function total.
        match layout {
            Layout::Luma => GrayImage::from_raw(w, h, data).map(DynamicImage::ImageLuma8),
            Layout::LumaA => GrayAlphaImage::from_raw(w, h, data).map(DynamicImage::ImageLumaA8),
            Layout::Rgb => RgbImage::from_raw(w, h, data).map(DynamicImage::ImageRgb8),
            Layout::Rgba => RgbaImage::from_raw(w, h, data).map(DynamicImage::ImageRgba8),
        }
        .unwrap_or_else(|| DynamicImage::new_rgba8(w, h))
    }

    /// A frame of `width` × `height` filled with `color` in `layout`.
    pub(crate) fn filled(layout: Layout, width: u32, height: u32, color: Color) -> Self {
        let px = layout.pixel(color);
        let c = layout.channels();
        let data = px[..c]
            .iter()
            .copied()
            .cycle()
            .take(width as usize * height as usize * c)
            .collect();
        Self {
            layout,
            width,
            height,
            data,
        }
    }

    /// Bytes per row.
    pub(crate) fn stride(&self) -> usize {
        self.width as usize * self.layout.channels()
    }

    /// The frame converted to `layout`, which may only add channels (alpha, or grey to colour).
    pub(crate) fn widened(self, layout: Layout) -> Self {
        if layout == self.layout {
            return self;
        }
        let from = self.layout;
        let (fc, tc) = (from.channels(), layout.channels());
        let mut data = Vec::with_capacity(self.width as usize * self.height as usize * tc);
        for px in self.data.chunks_exact(fc) {
            let alpha = if from.has_alpha() { px[fc - 1] } else { 255 };
            if layout.is_gray() {
                data.push(px[0]);
            } else if from.is_gray() {
                data.extend_from_slice(&[px[0], px[0], px[0]]);
            } else {
                data.extend_from_slice(&px[..3]);
            }
            if layout.has_alpha() {
                data.push(alpha);
            }
        }
        Self {
            layout,
            width: self.width,
            height: self.height,
            data,
        }
    }

    /// Copies `src` (already in this raster's layout) with its top-left corner at `(x, y)`.
    /// Parts outside this raster are ignored.
    pub(crate) fn paste(&mut self, src: &Self, x: u32, y: u32) {
        debug_assert_eq!(src.layout, self.layout);
        let c = self.layout.channels();
        let w = src.width.min(self.width.saturating_sub(x)) as usize;
        if w == 0 {
            return;
        }
        let dst_stride = self.stride();
        let src_stride = src.stride();
        for row in 0..src.height.min(self.height.saturating_sub(y)) as usize {
            let d = (y as usize + row) * dst_stride + x as usize * c;
            let s = row * src_stride;
            self.data[d..d + w * c].copy_from_slice(&src.data[s..s + w * c]);
        }
    }
}

/// Refuses an output of `width` × `height` that is over `max_side` on a side or over
/// [`MAX_PIXELS`], as [`Error::Limits`]; `what` names the operation in the message.
pub(crate) fn check_output_size(what: &str, width: u64, height: u64, max_side: u32) -> Result<()> {
    if width > u64::from(max_side) || height > u64::from(max_side) {
        return Err(Error::Limits(format!(
            "{what} would make a {width} × {height} image; each side may be at most {max_side} pixels"
        )));
    }
    if width * height > MAX_PIXELS {
        return Err(Error::Limits(format!(
            "{what} would make a {width} × {height} image ({:.1} megapixels); the limit is {} megapixels",
            (width * height) as f64 / 1e6,
            MAX_PIXELS / 1_000_000
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luma_weights_are_rec709_and_exact_at_the_ends() {
        assert_eq!(luma(0, 0, 0), 0);
        assert_eq!(luma(255, 255, 255), 255);
        assert_eq!(luma(255, 0, 0), 54);
        assert_eq!(luma(0, 255, 0), 182);
        assert_eq!(luma(0, 0, 255), 18);
    }

    #[test]
    fn widening_keeps_the_pixels_and_adds_opaque_alpha() {
        let grey = Raster {
            layout: Layout::Luma,
            width: 2,
            height: 1,
            data: vec![10, 200],
        };
        let rgba = grey.widened(Layout::Rgba);
        assert_eq!(rgba.data, vec![10, 10, 10, 255, 200, 200, 200, 255]);
        let back = Raster::from_image(rgba.clone().into_image());
        assert_eq!(back, rgba);
    }

    #[test]
    fn layout_to_hold_a_colour() {
        assert_eq!(Layout::Luma.to_hold(Color::WHITE), Layout::Luma);
        assert_eq!(
            Layout::Luma.to_hold(Color::rgba(255, 0, 0, 255)),
            Layout::Rgb
        );
        assert_eq!(Layout::Rgb.to_hold(Color::TRANSPARENT), Layout::Rgba);
        assert_eq!(
            Layout::Luma.to_hold(Color::rgba(0, 0, 0, 128)),
            Layout::LumaA
        );
    }

    #[test]
    fn paste_clips_at_the_edges() {
        let mut dst = Raster::filled(Layout::Luma, 3, 3, Color::BLACK);
        let src = Raster::filled(Layout::Luma, 2, 2, Color::WHITE);
        dst.paste(&src, 2, 2);
        assert_eq!(dst.data, vec![0, 0, 0, 0, 0, 0, 0, 0, 255]);
        dst.paste(&src, 5, 5);
    }

    #[test]
    fn size_limits() {
        assert!(check_output_size("resize", 16384, 6000, 16384).is_ok());
        assert!(check_output_size("resize", 16385, 1, 16384).is_err());
        assert!(check_output_size("resize", 16384, 16384, 16384).is_err());
    }
}
