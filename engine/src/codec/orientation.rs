//! EXIF orientation: what it does to the displayed size, and turning a frame upright.

use image::metadata::Orientation;
use image::DynamicImage;

/// Whether an EXIF orientation (1–8) swaps width and height (the four that turn by 90°).
pub(super) const fn swaps_sides(exif: u8) -> bool {
    matches!(exif, 5..=8)
}

/// The displayed size for a stored size and an EXIF orientation.
pub(super) const fn displayed_size(stored: (u32, u32), exif: u8) -> (u32, u32) {
    if swaps_sides(exif) {
        (stored.1, stored.0)
    } else {
        stored
    }
}

/// Turns a frame as stored into the frame as displayed.
pub(super) fn make_upright(frame: &mut DynamicImage, exif: u8) {
    if let Some(o) = Orientation::from_exif(exif) {
        if o != Orientation::NoTransforms {
            frame.apply_orientation(o);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma};

    #[test]
    fn orientation_6_turns_clockwise() {
        // 2 × 1: left pixel 10, right pixel 20. Orientation 6 means "rotate 90° clockwise to view".
        let mut f =
            DynamicImage::ImageLuma8(GrayImage::from_fn(2, 1, |x, _| Luma([10 + 10 * x as u8])));
        make_upright(&mut f, 6);
        let g = f.to_luma8();
        assert_eq!(g.dimensions(), (1, 2));
        assert_eq!(g.as_raw(), &[10, 20]);
        assert_eq!(displayed_size((2, 1), 6), (1, 2));
        assert_eq!(displayed_size((2, 1), 3), (2, 1));
    }

    #[test]
    fn unknown_orientation_is_ignored() {
        let mut f = DynamicImage::ImageLuma8(GrayImage::new(3, 2));
        make_upright(&mut f, 0);
        make_upright(&mut f, 9);
        assert_eq!((f.width(), f.height()), (3, 2));
    }
}
