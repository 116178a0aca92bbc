//! Lossless pixel moves: mirroring and quarter turns. Every pixel is copied exactly.

use super::canvas::Raster;
use crate::contract::Direction;

/// Mirrors the frame.
pub(crate) fn flip(mut src: Raster, direction: Direction) -> Raster {
    let stride = src.stride();
    if stride == 0 {
        return src;
    }
    match direction {
        Direction::Horizontal => {
            let c = src.layout.channels();
            for row in src.data.chunks_exact_mut(stride) {
                reverse_pixels(row, c);
            }
        }
        Direction::Vertical => {
            let h = src.height as usize;
            for y in 0..h / 2 {
                let (top, bottom) = src.data.split_at_mut((h - 1 - y) * stride);
                top[y * stride..(y + 1) * stride].swap_with_slice(&mut bottom[..stride]);
            }
        }
    }
    src
}

/// Turns the frame clockwise by `quarters` × 90° (any integer; taken modulo 4).
pub(crate) fn quarter_turns(src: Raster, quarters: i64) -> Raster {
    match quarters.rem_euclid(4) {
        0 => src,
        2 => {
            // Half a turn is both mirrors: reversing the pixel order.
            let c = src.layout.channels();
            let mut out = src;
            reverse_pixels(&mut out.data, c);
            out
        }
        q => match src.layout.channels() {
            1 => transpose_turn::<1>(&src, q == 1),
            2 => transpose_turn::<2>(&src, q == 1),
            3 => transpose_turn::<3>(&src, q == 1),
            _ => transpose_turn::<4>(&src, q == 1),
        },
    }
}

/// Reverses the order of the `c`-byte pixels in `data`.
fn reverse_pixels(data: &mut [u8], c: usize) {
    let n = data.len() / c.max(1);
    let (front, rest) = data.split_at_mut(n / 2 * c);
    let back = &mut rest[(n % 2) * c..];
    for (a, b) in front.chunks_exact_mut(c).zip(back.rchunks_exact_mut(c)) {
        a.swap_with_slice(b);
    }
}

/// A quarter turn (clockwise or counter-clockwise), a tile at a time: each output row of a tile
/// is written left to right while the tile's source rows (a few kilobytes) stay in cache.
fn transpose_turn<const C: usize>(src: &Raster, clockwise: bool) -> Raster {
    const TILE: usize = 64;
    let (w, h) = (src.width as usize, src.height as usize);
    let stride = w * C;
    let mut data = vec![0u8; w * h * C];
    if data.is_empty() {
        return Raster {
            data,
            ..src.clone()
        };
    }
    // Output is h wide and w tall. Clockwise, (x, y) goes to (h-1-y, x): output row r holds
    // source column r, read from the bottom up. Counter-clockwise, (x, y) goes to (y, w-1-x):
    // output row r holds source column w-1-r, read from the top down. A tile is TILE output rows
    // (source columns) by TILE output columns (source rows): each source row's run of pixels is
    // read once and spread down the tile's output rows.
    let out_stride = h * C;
    for (tile, rows) in data.chunks_mut(TILE * out_stride).enumerate() {
        let n = rows.len() / out_stride;
        let x0 = if clockwise {
            tile * TILE
        } else {
            w - tile * TILE - n
        };
        for c0 in (0..h).step_by(TILE) {
            for c in c0..(c0 + TILE).min(h) {
                let y = if clockwise { h - 1 - c } else { c };
                let run = src.data[y * stride + x0 * C..y * stride + (x0 + n) * C].chunks_exact(C);
                let outs = rows.chunks_exact_mut(out_stride);
                let spread = |(out, px): (&mut [u8], &[u8])| {
                    out[c * C..c * C + C].copy_from_slice(px);
                };
                if clockwise {
                    outs.zip(run).for_each(spread);
                } else {
                    outs.zip(run.rev()).for_each(spread);
                }
            }
        }
    }
    Raster {
        layout: src.layout,
        width: src.height,
        height: src.width,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::super::canvas::Layout;
    use super::*;
    use proptest::prelude::*;

    fn raster(layout: Layout, w: u32, h: u32, seed: u8) -> Raster {
        let n = (w * h) as usize * layout.channels();
        Raster {
            layout,
            width: w,
            height: h,
            data: (0..n)
                .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
                .collect(),
        }
    }

    #[test]
    fn clockwise_quarter_turn_moves_the_top_left_to_the_top_right() {
        // 1 2 3        4 1
        // 4 5 6   →    5 2   (clockwise: the left column becomes the top row)
        //              6 3
        let src = Raster {
            layout: Layout::Luma,
            width: 3,
            height: 2,
            data: vec![1, 2, 3, 4, 5, 6],
        };
        let cw = quarter_turns(src.clone(), 1);
        assert_eq!((cw.width, cw.height), (2, 3));
        assert_eq!(cw.data, vec![4, 1, 5, 2, 6, 3]);
        let ccw = quarter_turns(src.clone(), -1);
        assert_eq!(ccw.data, vec![3, 6, 2, 5, 1, 4]);
        assert_eq!(quarter_turns(src, 2).data, vec![6, 5, 4, 3, 2, 1]);
    }

    #[test]
    fn quarter_turns_over_several_tiles_follow_the_pixel_rule() {
        for layout in [Layout::Luma, Layout::LumaA, Layout::Rgb, Layout::Rgba] {
            let (w, h) = (150usize, 70usize);
            let src = raster(layout, w as u32, h as u32, 7);
            let c = layout.channels();
            let px = |r: &Raster, x: usize, y: usize| {
                let i = (y * r.width as usize + x) * c;
                r.data[i..i + c].to_vec()
            };
            let cw = quarter_turns(src.clone(), 1);
            let ccw = quarter_turns(src.clone(), -1);
            for y in 0..h {
                for x in 0..w {
                    assert_eq!(px(&cw, h - 1 - y, x), px(&src, x, y));
                    assert_eq!(px(&ccw, y, w - 1 - x), px(&src, x, y));
                }
            }
        }
    }

    #[test]
    fn flips_mirror() {
        let src = Raster {
            layout: Layout::LumaA,
            width: 2,
            height: 2,
            data: vec![1, 2, 3, 4, 5, 6, 7, 8],
        };
        assert_eq!(
            flip(src.clone(), Direction::Horizontal).data,
            vec![3, 4, 1, 2, 7, 8, 5, 6]
        );
        assert_eq!(
            flip(src, Direction::Vertical).data,
            vec![5, 6, 7, 8, 1, 2, 3, 4]
        );
    }

    fn any_layout() -> impl Strategy<Value = Layout> {
        prop_oneof![
            Just(Layout::Luma),
            Just(Layout::LumaA),
            Just(Layout::Rgb),
            Just(Layout::Rgba)
        ]
    }

    proptest! {
        #[test]
        fn flip_twice_is_identity(layout in any_layout(), w in 1u32..40, h in 1u32..40, seed: u8, vertical: bool) {
            let src = raster(layout, w, h, seed);
            let d = if vertical { Direction::Vertical } else { Direction::Horizontal };
            prop_assert_eq!(flip(flip(src.clone(), d), d), src);
        }

        #[test]
        fn four_quarter_turns_are_identity(layout in any_layout(), w in 1u32..40, h in 1u32..40, seed: u8) {
            let src = raster(layout, w, h, seed);
            let mut r = src.clone();
            for _ in 0..4 {
                r = quarter_turns(r, 1);
            }
            prop_assert_eq!(r, src);
        }

        #[test]
        fn turn_then_turn_back_is_identity(layout in any_layout(), w in 1u32..40, h in 1u32..40, seed: u8) {
            let src = raster(layout, w, h, seed);
            prop_assert_eq!(quarter_turns(quarter_turns(src.clone(), 1), -1), src.clone());
            prop_assert_eq!(quarter_turns(src.clone(), 2), flip(flip(src, Direction::Vertical), Direction::Horizontal));
        }
    }
}
