//! `crop`: a rectangle, the largest region of an aspect ratio placed by gravity, or a trim of
//! every side. A rectangle reaching outside the image, or a trim that leaves nothing, is an
//! [`Error::InvalidParams`] naming the field.

use super::canvas::Raster;
use crate::contract::{AspectRatio, CropParams, Gravity, Offset, Pixels};
use crate::error::{Error, Result};

/// A region of the frame: left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Region {
    pub(crate) x: u32,
    pub(crate) y: u32,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// Applies a `crop` tool call.
pub(crate) fn crop(src: &Raster, p: &CropParams) -> Result<Raster> {
    let region = region(src.width, src.height, p)?;
    Ok(extract(src, region))
}

/// The region a crop call cuts out of a `width` × `height` image.
pub(crate) fn region(width: u32, height: u32, p: &CropParams) -> Result<Region> {
    if let Some(trim) = p.trim.map(Offset::get) {
        let (w, h) = (
            u64::from(width).saturating_sub(2 * u64::from(trim)),
            u64::from(height).saturating_sub(2 * u64::from(trim)),
        );
        if w == 0 || h == 0 {
            return Err(Error::invalid(
                "params.trim",
                format!("trimming {trim} px from each side of a {width} × {height} image leaves nothing"),
            ));
        }
        return Ok(Region {
            x: trim,
            y: trim,
            width: w as u32,
            height: h as u32,
        });
    }
    if let Some(ratio) = p.aspect_ratio {
        return Ok(aspect_region(
            width,
            height,
            ratio,
            p.gravity.unwrap_or_default(),
        ));
    }
    let x = p.x.map_or(0, Offset::get);
    let y = p.y.map_or(0, Offset::get);
    let w = p.width.map_or(width, Pixels::get);
    let h = p.height.map_or(height, Pixels::get);
    if u64::from(x) + u64::from(w) > u64::from(width) {
        return Err(Error::invalid(
            "params.width",
            format!("crop rectangle {x}+{w} × {h} reaches past the image width {width}"),
        ));
    }
    if u64::from(y) + u64::from(h) > u64::from(height) {
        return Err(Error::invalid(
            "params.height",
            format!("crop rectangle {w} × {y}+{h} reaches past the image height {height}"),
        ));
    }
    Ok(Region {
        x,
        y,
        width: w,
        height: h,
    })
}

/// The largest region of `ratio` inside the image, placed by `gravity`.
fn aspect_region(width: u32, height: u32, ratio: AspectRatio, gravity: Gravity) -> Region {
    let (rw, rh) = (u64::from(ratio.width), u64::from(ratio.height));
    let (w, h) = (u64::from(width), u64::from(height));
    // Full width if the matching height fits, else full height.
    let (cw, ch) = if w * rh <= h * rw {
        (w, ((w * rh + rw / 2) / rw).clamp(1, h))
    } else {
        (((h * rw + rh / 2) / rh).clamp(1, w), h)
    };
    let (cw, ch) = (cw as u32, ch as u32);
    let (free_x, free_y) = (width - cw, height - ch);
    let x = match gravity {
        Gravity::West | Gravity::NorthWest | Gravity::SouthWest => 0,
        Gravity::East | Gravity::NorthEast | Gravity::SouthEast => free_x,
        Gravity::North | Gravity::South | Gravity::Center => free_x / 2,
    };
    let y = match gravity {
        Gravity::North | Gravity::NorthWest | Gravity::NorthEast => 0,
        Gravity::South | Gravity::SouthWest | Gravity::SouthEast => free_y,
        Gravity::West | Gravity::East | Gravity::Center => free_y / 2,
    };
    Region {
        x,
        y,
        width: cw,
        height: ch,
    }
}

/// Copies `region` (which must lie inside the frame) out of `src`.
pub(crate) fn extract(src: &Raster, region: Region) -> Raster {
    let c = src.layout.channels();
    let stride = src.stride();
    let row_bytes = region.width as usize * c;
    let mut data = Vec::with_capacity(row_bytes * region.height as usize);
    for y in region.y..region.y + region.height {
        let start = y as usize * stride + region.x as usize * c;
        data.extend_from_slice(&src.data[start..start + row_bytes]);
    }
    Raster {
        layout: src.layout,
        width: region.width,
        height: region.height,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::super::canvas::Layout;
    use super::*;
    use crate::contract::Color;
    use proptest::prelude::*;

    fn params(json: &str) -> CropParams {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn rectangle_outside_the_image_names_the_field() {
        let e = region(400, 300, &params(r#"{"x":100,"width":500,"height":50}"#)).unwrap_err();
        assert_eq!(e.path(), Some("params.width"));
        assert_eq!(
            e.to_string(),
            "params.width: crop rectangle 100+500 × 50 reaches past the image width 400"
        );
        let e = region(400, 300, &params(r#"{"y":299,"width":5,"height":2}"#)).unwrap_err();
        assert_eq!(e.path(), Some("params.height"));
    }

    #[test]
    fn aspect_ratio_takes_the_largest_region_by_gravity() {
        let r = region(400, 300, &params(r#"{"aspectRatio":"1:1"}"#)).unwrap();
        assert_eq!(
            r,
            Region {
                x: 50,
                y: 0,
                width: 300,
                height: 300
            }
        );
        let r = region(
            400,
            300,
            &params(r#"{"aspectRatio":"16:9","gravity":"north"}"#),
        )
        .unwrap();
        assert_eq!(
            r,
            Region {
                x: 0,
                y: 0,
                width: 400,
                height: 225
            }
        );
        let r = region(
            400,
            300,
            &params(r#"{"aspectRatio":"16:9","gravity":"south"}"#),
        )
        .unwrap();
        assert_eq!(r.y, 75);
        let r = region(1, 1, &params(r#"{"aspectRatio":"100:1"}"#)).unwrap();
        assert_eq!(
            r,
            Region {
                x: 0,
                y: 0,
                width: 1,
                height: 1
            }
        );
    }

    #[test]
    fn trim_cuts_every_side_or_refuses() {
        let r = region(400, 300, &params(r#"{"trim":10}"#)).unwrap();
        assert_eq!(
            r,
            Region {
                x: 10,
                y: 10,
                width: 380,
                height: 280
            }
        );
        let e = region(400, 20, &params(r#"{"trim":10}"#)).unwrap_err();
        assert_eq!(e.path(), Some("params.trim"));
    }

    #[test]
    fn extract_copies_the_rows() {
        let src = Raster {
            layout: Layout::Luma,
            width: 3,
            height: 3,
            data: (0..9).collect(),
        };
        let r = crop(&src, &params(r#"{"x":1,"y":1,"width":2,"height":2}"#)).unwrap();
        assert_eq!(r.data, vec![4, 5, 7, 8]);
    }

    proptest! {
        #[test]
        fn crop_never_panics(
            w in 1u32..64, h in 1u32..64,
            x in 0u32..16384, y in 0u32..16384, cw in 1u32..16384, ch in 1u32..16384,
            trim in 0u32..16384, rw in 1u32..=100, rh in 1u32..=100, mode in 0u8..3,
        ) {
            let src = Raster::filled(Layout::Rgba, w, h, Color::WHITE);
            let json = match mode {
                0 => format!(r#"{{"x":{x},"y":{y},"width":{cw},"height":{ch}}}"#),
                1 => format!(r#"{{"trim":{trim}}}"#),
                _ => format!(r#"{{"aspectRatio":"{rw}:{rh}"}}"#),
            };
            if let Ok(r) = crop(&src, &params(&json)) {
                prop_assert!(r.width >= 1 && r.height >= 1 && r.width <= w && r.height <= h);
                prop_assert_eq!(r.data.len(), (r.width * r.height * 4) as usize);
            }
        }
    }
}
