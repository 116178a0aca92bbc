//! `add_border`: a solid frame of the same width on every side.

use super::canvas::{check_output_size, Raster, MAX_SIDE};
use crate::contract::{BorderParams, Color, Thickness};
use crate::error::Result;

/// Applies an `add_border` tool call: default 10 px black. A colour with alpha makes the frame
/// gain alpha; a non-grey colour makes a grey frame colour.
pub(crate) fn add_border(src: Raster, p: &BorderParams) -> Result<Raster> {
    let width = p.width.map_or(10, Thickness::get);
    let color = p.color.unwrap_or(Color::BLACK);
    if width == 0 {
        return Ok(src);
    }
    let (w, h) = (
        u64::from(src.width) + 2 * u64::from(width),
        u64::from(src.height) + 2 * u64::from(width),
    );
    check_output_size("this border", w, h, MAX_SIDE)?;
    let layout = src.layout.to_hold(color);
    let mut out = Raster::filled(layout, w as u32, h as u32, color);
    out.paste(&src.widened(layout), width, width);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::canvas::Layout;
    use super::*;

    #[test]
    fn border_grows_the_canvas_and_keeps_the_middle() {
        let src = Raster::filled(Layout::Luma, 2, 1, Color::WHITE);
        let p: BorderParams = serde_json::from_str(r#"{"width":1}"#).unwrap();
        let r = add_border(src, &p).unwrap();
        assert_eq!((r.width, r.height, r.layout), (4, 3, Layout::Luma));
        assert_eq!(r.data, vec![0, 0, 0, 0, 0, 255, 255, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn colour_and_alpha_widen_the_layout() {
        let src = Raster::filled(Layout::Rgb, 2, 2, Color::WHITE);
        let p: BorderParams = serde_json::from_str(r##"{"color":"#ff000080"}"##).unwrap();
        let r = add_border(src, &p).unwrap();
        assert_eq!((r.width, r.height, r.layout), (22, 22, Layout::Rgba));
        assert_eq!(&r.data[..4], &[255, 0, 0, 128]);
    }
}
