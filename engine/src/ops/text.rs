//! `add_text`: antialiased text in the embedded Open Sans Semibold (Latin, Greek, Cyrillic; see
//! `engine/assets/fonts/README.md`), rasterised with `ab_glyph`.
//!
//! - `fontSize` is the em size in pixels (default 24), `color` default white, `position` a gravity
//!   (default south), `margin` the distance from the edges (default 10).
//! - `\n` starts a new line. A line wider than the image (less the margins) is wrapped at spaces;
//!   a single word that still does not fit is broken between characters. If the wrapped block is
//!   taller than the image, the font shrinks (down to 4 px) until it fits; beyond that the text
//!   is clipped. Lines are aligned to the gravity's side (left for west, right for east, else
//!   centred).
//! - Characters the font lacks are drawn as its missing-glyph box.
//! - Coverage is blended with correct alpha over any layout; a grey frame with coloured text
//!   becomes RGB, and text over a transparent area raises its alpha.

use ab_glyph::{point, Font, FontRef, Glyph, GlyphId, PxScale, ScaleFont};

use super::canvas::Raster;
use crate::contract::{Color, FontSize, Gravity, TextParams, Thickness};
use crate::error::{Error, Result};

static FONT: &[u8] = include_bytes!("../../assets/fonts/OpenSans-Semibold.ttf");

/// Smallest size the text shrinks to when it would not fit.
const MIN_FONT_PX: f32 = 4.0;

/// Applies an `add_text` tool call.
pub(crate) fn add_text(src: Raster, p: &TextParams) -> Result<Raster> {
    let font = FontRef::try_from_slice(FONT)
        .map_err(|e| Error::Unsupported(format!("the embedded font cannot be read: {e}")))?;
    let color = p.color.unwrap_or(Color::WHITE);
    let gravity = p.position.unwrap_or(Gravity::South);
    let margin = p.margin.map_or(10, Thickness::get) as f32;
    let room_w = (src.width as f32 - 2.0 * margin).max(1.0);
    let room_h = (src.height as f32 - 2.0 * margin).max(1.0);
    let mut size = p.font_size.map_or(24, FontSize::get) as f32;
    let block = loop {
        let block = Block::lay_out(&font, p.text.as_str(), size, room_w);
        if block.height <= room_h || size <= MIN_FONT_PX {
            break block;
        }
        size = (size * room_h / block.height * 0.98).max(MIN_FONT_PX);
    };
    let glyphs = block.place(gravity, margin, src.width as f32, src.height as f32);
    let layout = if color.r == color.g && color.g == color.b {
        src.layout
    } else {
        src.layout.with_color()
    };
    let mut out = src.widened(layout);
    let mask = Coverage::draw(&font, &glyphs, out.width, out.height);
    mask.blend(&mut out, color);
    Ok(out)
}

/// One laid-out line: glyphs with their x offsets from the line start, and its width.
#[derive(Default)]
struct Line {
    glyphs: Vec<(GlyphId, f32)>,
    width: f32,
}

/// Wrapped lines at one font size.
struct Block {
    scale: PxScale,
    lines: Vec<Line>,
    ascent: f32,
    line_height: f32,
    width: f32,
    height: f32,
}

impl Block {
    fn lay_out(font: &FontRef<'_>, text: &str, size: f32, max_width: f32) -> Self {
        // ab_glyph's scale is the ascent-to-descent height; convert from the em size.
        let em = font.units_per_em().unwrap_or(1000.0);
        let scale = PxScale::from(size * font.height_unscaled() / em);
        let scaled = font.as_scaled(scale);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            wrap(&scaled, paragraph, max_width, &mut lines);
        }
        let line_height = scaled.height() + scaled.line_gap();
        let width = lines.iter().map(|l| l.width).fold(0.0, f32::max);
        let height = scaled.height() + line_height * (lines.len().max(1) - 1) as f32;
        Self {
            scale,
            ascent: scaled.ascent(),
            lines,
            line_height,
            width,
            height,
        }
    }

    /// Positions every glyph on a `width` × `height` image.
    fn place(&self, gravity: Gravity, margin: f32, width: f32, height: f32) -> Vec<Glyph> {
        use Gravity::{East, NorthEast, NorthWest, SouthEast, SouthWest, West};
        let left = matches!(gravity, West | NorthWest | SouthWest);
        let right = matches!(gravity, East | NorthEast | SouthEast);
        let x0 = if left {
            margin
        } else if right {
            width - margin - self.width
        } else {
            (width - self.width) / 2.0
        };
        let y0 = match gravity {
            Gravity::North | NorthWest | NorthEast => margin,
            Gravity::South | SouthWest | SouthEast => height - margin - self.height,
            West | East | Gravity::Center => (height - self.height) / 2.0,
        };
        let mut glyphs = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            let indent = if left {
                0.0
            } else if right {
                self.width - line.width
            } else {
                (self.width - line.width) / 2.0
            };
            let baseline = y0 + self.ascent + self.line_height * i as f32;
            for &(id, x) in &line.glyphs {
                glyphs
                    .push(id.with_scale_and_position(self.scale, point(x0 + indent + x, baseline)));
            }
        }
        glyphs
    }
}

/// Greedy word wrap of one paragraph into `lines`.
fn wrap<F: Font>(
    font: &ab_glyph::PxScaleFont<F>,
    paragraph: &str,
    max_width: f32,
    lines: &mut Vec<Line>,
) {
    let mut line = Line {
        glyphs: Vec::new(),
        width: 0.0,
    };
    let mut last = None::<GlyphId>;
    for (i, word) in paragraph.split(' ').enumerate() {
        let space = font.glyph_id(' ');
        let word_ids: Vec<GlyphId> = word
            .chars()
            .filter(|c| !c.is_control())
            .map(|c| font.glyph_id(c))
            .collect();
        let advance_of = |ids: &[GlyphId], after: Option<GlyphId>| -> f32 {
            let mut prev = after;
            ids.iter()
                .map(|&id| {
                    let k = prev.map_or(0.0, |p| font.kern(p, id));
                    prev = Some(id);
                    k + font.h_advance(id)
                })
                .sum()
        };
        let with_space = if i == 0 {
            word_ids.clone()
        } else {
            std::iter::once(space)
                .chain(word_ids.iter().copied())
                .collect()
        };
        let needed = advance_of(&with_space, last);
        if i > 0 && !line.glyphs.is_empty() && line.width + needed > max_width {
            lines.push(std::mem::take(&mut line));
            last = None;
        }
        let ids = if line.glyphs.is_empty() && i > 0 {
            word_ids
        } else {
            with_space
        };
        for id in ids {
            let step = last.map_or(0.0, |p| font.kern(p, id)) + font.h_advance(id);
            // A word longer than the line: break between characters.
            if !line.glyphs.is_empty() && line.width + step > max_width && id != space {
                lines.push(std::mem::take(&mut line));
                last = None;
            }
            let kern = last.map_or(0.0, |p| font.kern(p, id));
            line.glyphs.push((id, line.width + kern));
            line.width += kern + font.h_advance(id);
            last = Some(id);
        }
    }
    lines.push(line);
}

/// Text coverage (0–1) over the rectangle of the image that the glyphs touch.
struct Coverage {
    x: u32,
    y: u32,
    width: u32,
    height: u32,
    values: Vec<f32>,
}

impl Coverage {
    fn draw(font: &FontRef<'_>, glyphs: &[Glyph], image_w: u32, image_h: u32) -> Self {
        let outlined: Vec<_> = glyphs
            .iter()
            .filter_map(|g| font.outline_glyph(g.clone()))
            .collect();
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for o in &outlined {
            let b = o.px_bounds();
            (x0, y0) = (x0.min(b.min.x), y0.min(b.min.y));
            (x1, y1) = (x1.max(b.max.x), y1.max(b.max.y));
        }
        let clamp_x = |v: f32| v.floor().clamp(0.0, image_w as f32) as u32;
        let clamp_y = |v: f32| v.floor().clamp(0.0, image_h as f32) as u32;
        let (left, top) = (clamp_x(x0), clamp_y(y0));
        let (right, bottom) = (clamp_x(x1 + 1.0), clamp_y(y1 + 1.0));
        let (width, height) = (right.saturating_sub(left), bottom.saturating_sub(top));
        let mut values = vec![0f32; width as usize * height as usize];
        for o in &outlined {
            let b = o.px_bounds();
            o.draw(|gx, gy, c| {
                let x = b.min.x as i64 + i64::from(gx) - i64::from(left);
                let y = b.min.y as i64 + i64::from(gy) - i64::from(top);
                if (0..i64::from(width)).contains(&x) && (0..i64::from(height)).contains(&y) {
                    let v = &mut values[y as usize * width as usize + x as usize];
                    *v = (*v + c).min(1.0);
                }
            });
        }
        Self {
            x: left,
            y: top,
            width,
            height,
            values,
        }
    }

    /// Blends `color` over `frame` (source-over) with this coverage.
    fn blend(&self, frame: &mut Raster, color: Color) {
        let layout = frame.layout;
        let c = layout.channels();
        let ink = layout.pixel(color);
        let ink_alpha = f32::from(color.a) / 255.0;
        let colors = layout.color_channels();
        let stride = frame.stride();
        for row in 0..self.height as usize {
            let cov_row = &self.values[row * self.width as usize..(row + 1) * self.width as usize];
            let start = (self.y as usize + row) * stride + self.x as usize * c;
            let pixels = &mut frame.data[start..start + self.width as usize * c];
            for (px, &cov) in pixels.chunks_exact_mut(c).zip(cov_row) {
                let a = cov * ink_alpha;
                if a <= 0.0 {
                    continue;
                }
                let dst_a = if layout.has_alpha() {
                    f32::from(px[c - 1]) / 255.0
                } else {
                    1.0
                };
                let out_a = a + dst_a * (1.0 - a);
                for k in 0..colors {
                    let v = (f32::from(ink[k]) * a + f32::from(px[k]) * dst_a * (1.0 - a)) / out_a;
                    px[k] = v.round().clamp(0.0, 255.0) as u8;
                }
                if layout.has_alpha() {
                    px[c - 1] = (out_a * 255.0).round().clamp(0.0, 255.0) as u8;
                }
            }
        }
    }
}

/// Whether the embedded font has a glyph for `c` (for tests and callers that want to warn).
#[cfg(test)]
fn covers(c: char) -> bool {
    FontRef::try_from_slice(FONT).is_ok_and(|f| f.glyph_id(c).0 != 0)
}

#[cfg(test)]
mod tests {
    use super::super::canvas::Layout;
    use super::*;

    fn text(json: &str) -> TextParams {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn font_covers_latin_greek_and_cyrillic() {
        for c in "AzÀÿĀžŁőΑωΣЖяЁ€©".chars() {
            assert!(covers(c), "{c}");
        }
    }

    #[test]
    fn white_text_lands_at_the_bottom_by_default() {
        let src = Raster::filled(Layout::Rgb, 200, 100, Color::BLACK);
        let r = add_text(src, &text(r#"{"text":"Hello"}"#)).unwrap();
        let lit: Vec<usize> = r
            .data
            .chunks_exact(3)
            .enumerate()
            .filter(|(_, p)| p[0] > 128)
            .map(|(i, _)| i / 200)
            .collect();
        assert!(!lit.is_empty());
        assert!(lit.iter().all(|y| (50..90).contains(y)), "{lit:?}");
    }

    #[test]
    fn coloured_text_turns_a_grey_frame_colour_and_keeps_alpha() {
        let src = Raster::filled(Layout::LumaA, 80, 40, Color::TRANSPARENT);
        let r = add_text(
            src,
            &text(r#"{"text":"Ab","color":"red","position":"center"}"#),
        )
        .unwrap();
        assert_eq!(r.layout, Layout::Rgba);
        assert!(r.data.chunks_exact(4).any(|p| p == [255, 0, 0, 255]));
        assert!(r.data.chunks_exact(4).any(|p| p[3] == 0));
    }

    #[test]
    fn long_text_wraps_and_shrinks_and_never_panics() {
        let long = "word ".repeat(99);
        let src = Raster::filled(Layout::Rgb, 120, 60, Color::BLACK);
        let r = add_text(
            src,
            &text(&format!(r#"{{"text":"{long}","fontSize":200}}"#)),
        )
        .unwrap();
        assert_eq!((r.width, r.height), (120, 60));
        for size in [4, 1000] {
            let src = Raster::filled(Layout::Luma, 1, 1, Color::BLACK);
            let json = format!(
                r#"{{"text":"Ünïcödé\nΣ ж {}","fontSize":{size},"margin":2000,"position":"north-west"}}"#,
                "x".repeat(300)
            );
            add_text(src, &text(&json)).unwrap();
        }
    }
}
