//! Gaussian blur and unsharp-mask sharpening.
//!
//! The kernel is the one sharp (libvips `gaussblur`) uses, so a blur looks the same as there:
//! `exp(−x²/2σ²)` sampled out to where it falls below 0.2 of its peak (radius ≈ 1.8σ), with
//! integer weights `round(20·exp(…))`. We scale those weights to sum to 256 and run the two
//! 1-D passes in 16-bit fixed point, rounding to 8 bits between them as libvips does. Against
//! sharp 0.35 on the shared photos: identical at σ 1 and 2; at σ 5 at most 1 level apart (on under
//! 1 % of samples, PSNR 68 dB); at σ 3, 0.8 levels apart on average because libvips' own weights
//! there sum to 257/256 (flat areas brighten by up to a level in sharp, not here).
//!
//! Both passes stream over the frame once ([`convolve_frame`]): each row is blurred
//! horizontally as it enters a ring of the last `2r + 1` rows, and the vertical pass writes the
//! output row straight back into the frame. The inner loop ([`weighted_sum`]) is a sum over
//! contiguous slices in fixed-size chunks, which the compiler turns into `i16x8` SIMD (SSE2
//! natively, SIMD128 in wasm).
//!
//! Very wide masks (radius over [`MAX_TAP_RADIUS`], σ ≳ 13.5) would cost too many taps; they use
//! four passes of an *extended box* filter (Gwosdek, Grewenig, Bruhn, Weickert, "Theoretical
//! foundations of Gaussian convolution by extended box filtering", 2011) with the same variance
//! as the mask, which costs the same at any σ.
//!
//! Edges repeat the border pixel. Alpha is premultiplied before blurring and divided out after,
//! so transparent pixels do not darken their neighbours.

use super::canvas::{luma, Layout, Raster};

/// libvips' default minimum amplitude for `gaussblur` (what sharp passes): the mask stops where
/// the Gaussian falls below this fraction of its peak.
const MIN_AMPLITUDE: f64 = 0.2;
/// Widest mask (in pixels each side of the centre) run as direct taps, σ up to about 13.5. Up
/// to here the 256-sum weights still follow sharp's (σ 12 and 13.5: within 2–3 levels, the mean
/// offset being libvips' own weights not summing to its scale); wider masks cost too many taps.
const MAX_TAP_RADIUS: usize = 24;
/// The fixed-point tap weights sum to this: 255 × 256 still fits the 16-bit accumulators.
const WEIGHT_SUM: u32 = 256;
/// Samples per step of the inner loop: four 8-lane vectors of 16-bit accumulators.
const CHUNK: usize = 32;
/// Extended-box passes per direction.
const BOX_PASSES: usize = 4;
/// Rows filtered side by side in the horizontal direction of the box path.
const ROW_BLOCK: usize = 16;
/// Lanes (samples across) per column strip in the vertical direction of the box path.
const STRIP_LANES: usize = 128;

/// How a blur of one σ is computed.
#[derive(Debug, Clone, PartialEq)]
enum Plan {
    /// The mask is a single tap: nothing changes (libvips copies too).
    Identity,
    /// Direct taps: half of a symmetric mask, centre first, summing (both halves) to
    /// [`WEIGHT_SUM`].
    Taps(Vec<u16>),
    /// Extended boxes with the mask's variance.
    Boxes(Boxes),
}

impl Plan {
    fn new(sigma: f64) -> Self {
        let mask = vips_mask(sigma);
        match mask.len() - 1 {
            0 => Self::Identity,
            r if r <= MAX_TAP_RADIUS => Self::Taps(fixed_point(&mask)),
            _ => Self::Boxes(Boxes::new(mask_variance(&mask))),
        }
    }
}

/// The integer mask libvips' `gaussmat` builds for `gaussblur(sigma)`: one half, centre first,
/// `round(20·exp(−x²/2σ²))` out to the last `x` where `exp(…)` is at least [`MIN_AMPLITUDE`].
fn vips_mask(sigma: f64) -> Vec<u32> {
    let sig2 = 2.0 * sigma * sigma;
    let max_x = (8.0 * sigma).clamp(0.0, 5000.0) as usize;
    let amplitude = |x: usize| (-((x * x) as f64) / sig2).exp();
    let end = (0..max_x)
        .find(|&x| amplitude(x) < MIN_AMPLITUDE)
        .unwrap_or(max_x);
    (0..end.max(1))
        .map(|x| (20.0 * amplitude(x)).round() as u32)
        .collect()
}

/// Scales a half mask to integer weights whose full (two-sided) sum is exactly [`WEIGHT_SUM`], so
/// flat areas stay flat. Tail sums are rounded rather than single weights, so no weight is off by
/// more than one and the centre absorbs no pile-up of rounding errors.
fn fixed_point(half: &[u32]) -> Vec<u16> {
    let total = f64::from(half[0] + 2 * half[1..].iter().sum::<u32>());
    let scale = f64::from(WEIGHT_SUM) / total;
    // rounded[k] = round(scale · Σ_{j ≥ k} half[j]) for k ≥ 1.
    let mut rounded = vec![0u32; half.len() + 1];
    let mut tail = 0.0;
    for k in (1..half.len()).rev() {
        tail += f64::from(half[k]) * scale;
        rounded[k] = tail.round() as u32;
    }
    let mut weights: Vec<u16> = (0..half.len())
        .map(|k| rounded[k].saturating_sub(rounded[k + 1]) as u16)
        .collect();
    weights[0] = (WEIGHT_SUM - 2 * rounded[1]) as u16;
    weights
}

/// The variance of a two-sided mask given by its half.
fn mask_variance(half: &[u32]) -> f64 {
    let (mut moment, mut total) = (0.0, f64::from(half[0]));
    for (x, &m) in half.iter().enumerate().skip(1) {
        moment += 2.0 * f64::from(m) * (x * x) as f64;
        total += 2.0 * f64::from(m);
    }
    moment / total
}

/// Blurs interleaved 8-bit samples in place: `channels` per pixel, `width` × `height` pixels.
fn blur_samples(data: &mut [u8], width: usize, height: usize, channels: usize, sigma: f64) {
    if width == 0 || height == 0 {
        return;
    }
    match Plan::new(sigma) {
        Plan::Identity => {}
        Plan::Taps(weights) => convolve_frame(data, width, height, channels, &weights),
        Plan::Boxes(boxes) => box_blur(data, width, height, channels, &boxes),
    }
}

/// Separable convolution with a symmetric fixed-point mask, horizontal then vertical, each pass
/// rounded to 8 bits. One sweep down the frame: row `y + r` is blurred horizontally into a ring of
/// `2r + 1` rows just before output row `y` needs it, and row `y` is then overwritten with the
/// vertical sum over the ring (its original is no longer needed: the ring holds its horizontal
/// blur). The ring (`(2r + 1)` rows) stays in the L2 cache.
fn convolve_frame(data: &mut [u8], width: usize, height: usize, channels: usize, weights: &[u16]) {
    let r = weights.len() - 1;
    let stride = width * channels;
    let ring_rows = 2 * r + 1;
    let mut ring = vec![0u8; ring_rows * stride];
    let mut edge = Vec::new();
    let mut entered = 0;
    for y in 0..height {
        // Rows up to y + r (the last row repeats below the frame) enter the ring.
        while entered <= (y + r).min(height - 1) {
            let slot = entered % ring_rows;
            blur_row(
                &data[entered * stride..(entered + 1) * stride],
                &mut ring[slot * stride..(slot + 1) * stride],
                channels,
                weights,
                &mut edge,
            );
            entered += 1;
        }
        let ring_row = |j: usize| {
            let slot = j.min(height - 1) % ring_rows;
            &ring[slot * stride..(slot + 1) * stride]
        };
        let pairs: Vec<_> = (1..=r)
            .map(|k| (ring_row(y.saturating_sub(k)), ring_row(y + k)))
            .collect();
        weighted_sum(
            ring_row(y),
            &pairs,
            weights,
            &mut data[y * stride..(y + 1) * stride],
        );
    }
}

/// The horizontal pass over one row of interleaved pixels. The middle reads the row in place;
/// the `r` pixels at each end (or a row too short to have a middle) go through `edge`, a copy
/// with the end pixels repeated.
fn blur_row(row: &[u8], out: &mut [u8], channels: usize, weights: &[u16], edge: &mut Vec<u8>) {
    let r = weights.len() - 1;
    let (c, pad, stride) = (channels, r * channels, row.len());
    let padded_sum = |edge: &mut Vec<u8>, first: usize, last: usize, out: &mut [u8]| {
        // `row[first..last]` with `r` copies of the row's end pixels wherever it runs past them.
        edge.clear();
        for p in first as isize - r as isize..(last + r) as isize {
            let p = p.clamp(0, (stride / c) as isize - 1) as usize;
            edge.extend_from_slice(&row[p * c..p * c + c]);
        }
        let at = |offset: usize| &edge[offset..offset + (last - first) * c];
        let pairs: Vec<_> = (1..=r)
            .map(|k| (at(pad - k * c), at(pad + k * c)))
            .collect();
        weighted_sum(at(pad), &pairs, weights, out);
    };
    let width = stride / c;
    if width < 2 * r + 1 {
        padded_sum(edge, 0, width, out);
        return;
    }
    let middle = pad..stride - pad;
    let at = |offset: usize| &row[offset..offset + middle.len()];
    let pairs: Vec<_> = (1..=r)
        .map(|k| (at(pad - k * c), at(pad + k * c)))
        .collect();
    weighted_sum(at(pad), &pairs, weights, &mut out[middle]);
    padded_sum(edge, 0, r, &mut out[..pad]);
    padded_sum(edge, width - r, width, &mut out[stride - pad..]);
}

/// `out[i] = (w₀·centre[i] + Σₖ wₖ·(belowₖ[i] + aboveₖ[i]) + 128) / 256`, with `pairs[k − 1]` =
/// `(belowₖ, aboveₖ)`; every slice is at least `out.len()` long. Runs in chunks of [`CHUNK`]
/// 16-bit lanes (the weights sum to 256, so the sums fit); a short tail redoes part of the last
/// full chunk.
fn weighted_sum(centre: &[u8], pairs: &[(&[u8], &[u8])], weights: &[u16], out: &mut [u8]) {
    let n = out.len();
    if n < CHUNK {
        for (i, o) in out.iter_mut().enumerate() {
            let mut acc = u32::from(weights[0]) * u32::from(centre[i]);
            for (&(below, above), &w) in pairs.iter().zip(&weights[1..]) {
                acc += u32::from(w) * (u32::from(below[i]) + u32::from(above[i]));
            }
            *o = ((acc + WEIGHT_SUM / 2) / WEIGHT_SUM) as u8;
        }
        return;
    }
    let mut start = 0;
    loop {
        let s = start.min(n - CHUNK);
        let chunk = |v: &[u8]| -> [u8; CHUNK] { v[s..s + CHUNK].try_into().unwrap_or([0; CHUNK]) };
        let mut acc = [0u16; CHUNK];
        let c = chunk(centre);
        for (a, &v) in acc.iter_mut().zip(&c) {
            *a = weights[0].wrapping_mul(u16::from(v));
        }
        for (&(below, above), &w) in pairs.iter().zip(&weights[1..]) {
            let (b, t) = (chunk(below), chunk(above));
            for ((a, &u), &v) in acc.iter_mut().zip(&b).zip(&t) {
                *a = a.wrapping_add(w.wrapping_mul(u16::from(u) + u16::from(v)));
            }
        }
        for (o, a) in out[s..s + CHUNK].iter_mut().zip(acc) {
            *o = (a.wrapping_add(128) >> 8) as u8;
        }
        if s == n - CHUNK {
            break;
        }
        start += CHUNK;
    }
}

/// Extended boxes: a box of radius `r` with fractional end weights `alpha`, [`BOX_PASSES`] times.
#[derive(Debug, Clone, PartialEq)]
struct Boxes {
    r: usize,
    alpha: f32,
}

impl Boxes {
    /// The boxes whose passes together have `variance`.
    fn new(variance: f64) -> Self {
        // Each pass carries an equal share of the variance.
        let v = variance / BOX_PASSES as f64;
        // The largest r whose plain box variance r(r+1)/3 does not exceed v.
        let mut r = ((3.0 * v + 0.25).sqrt() - 0.5).floor().max(0.0) as usize;
        while r > 0 && (r * (r + 1)) as f64 / 3.0 > v {
            r -= 1;
        }
        let rf = r as f64;
        let alpha =
            (2.0 * rf + 1.0) * (v - rf * (rf + 1.0) / 3.0) / (2.0 * ((rf + 1.0) * (rf + 1.0) - v));
        Self {
            r,
            alpha: alpha.clamp(0.0, 1.0) as f32,
        }
    }

    /// Positions of padding needed on each side: every pass eats r + 1 positions on each side,
    /// so the edges are the border pixel repeated once, as with a single large kernel.
    fn pad(&self) -> usize {
        BOX_PASSES * (self.r + 1)
    }

    /// Filters `len` positions of `lanes` interleaved signals held in `a` (with `pad` replicated
    /// positions on each side); `b` is scratch of the same size. The result ends up in `a`.
    fn filter(&self, a: &mut [f32], b: &mut [f32], lanes: usize, len: usize) {
        boxes_wavefront(a, b, self.r, self.alpha, lanes, len, self.pad());
    }
}

/// All box passes in one sweep: pass k runs k·(r+1) positions behind pass k−1, so the lines
/// every pass touches stay in cache. Passes alternate between `a` and `b`; at each position a
/// pass reads its input before any later pass overwrites it (see the index arithmetic), and the
/// result ends up in `a`.
fn boxes_wavefront(
    a: &mut [f32],
    b: &mut [f32],
    r: usize,
    alpha: f32,
    lanes: usize,
    len: usize,
    pad: usize,
) {
    let step = r + 1;
    let total = len + 2 * pad;
    let mut sums = vec![0f32; lanes * BOX_PASSES];
    for p in step..total - step {
        for pass in 0..BOX_PASSES {
            let Some(q) = p.checked_sub(pass * step) else {
                continue;
            };
            let margin = (pass + 1) * step;
            if q < margin || q >= total - margin {
                continue;
            }
            let (from, to) = if pass % 2 == 0 {
                (&*a, &mut *b)
            } else {
                (&*b, &mut *a)
            };
            let sums = &mut sums[pass * lanes..(pass + 1) * lanes];
            if q == margin {
                start_sums(from, sums, r, lanes, q);
            }
            box_step(from, to, sums, r, alpha, lanes, q);
        }
    }
    if BOX_PASSES % 2 == 1 {
        a[pad * lanes..(pad + len) * lanes].copy_from_slice(&b[pad * lanes..(pad + len) * lanes]);
    }
}

/// The running sum of the box centred on position `q`.
fn start_sums(src: &[f32], sums: &mut [f32], r: usize, lanes: usize, q: usize) {
    sums.fill(0.0);
    for p in q - r..=q + r {
        for (s, v) in sums.iter_mut().zip(&src[p * lanes..(p + 1) * lanes]) {
            *s += v;
        }
    }
}

/// One extended-box output at position `q` (which must have r + 1 positions on each side),
/// out(q) = (Σ_{|k|≤r} in(q+k) + α·(in(q−r−1) + in(q+r+1))) / (2r+1+2α), then slides the sum.
fn box_step(
    src: &[f32],
    dst: &mut [f32],
    sums: &mut [f32],
    r: usize,
    alpha: f32,
    lanes: usize,
    q: usize,
) {
    let inv = 1.0 / (2.0 * r as f32 + 1.0 + 2.0 * alpha);
    let end_weight = alpha * inv;
    let at = |p: usize| &src[p * lanes..(p + 1) * lanes];
    let (before, after, leaving) = (at(q - r - 1), at(q + r + 1), at(q - r));
    let out = &mut dst[q * lanes..(q + 1) * lanes];
    for ((((o, s), b), a), l) in out
        .iter_mut()
        .zip(sums.iter_mut())
        .zip(before)
        .zip(after)
        .zip(leaving)
    {
        *o = *s * inv + (b + a) * end_weight;
        *s += a - l;
    }
}

/// Copies the first and last real positions into the padding.
fn replicate_edges(buf: &mut [f32], lanes: usize, len: usize, pad: usize) {
    for p in 0..pad {
        buf.copy_within(pad * lanes..(pad + 1) * lanes, p * lanes);
        let last = pad + len - 1;
        buf.copy_within(last * lanes..(last + 1) * lanes, (pad + len + p) * lanes);
    }
}

/// Spreads a block of rows into lanes: position x, lane (row, channel).
fn rows_to_lanes<const C: usize>(
    block: &[u8],
    stride: usize,
    a: &mut [f32],
    lanes: usize,
    pad: usize,
) {
    for (g, row) in block.chunks_exact(stride).enumerate() {
        let positions = a[pad * lanes..].chunks_exact_mut(lanes);
        for (px, position) in row.chunks_exact(C).zip(positions) {
            let lane = &mut position[g * C..g * C + C];
            for k in 0..C {
                lane[k] = f32::from(px[k]);
            }
        }
    }
}

fn to_u8(v: f32) -> u8 {
    (v + 0.5) as u8
}

/// [`blur_samples`] with extended boxes: rows a block at a time, then columns a strip at a time,
/// in `f32` lanes.
fn box_blur(data: &mut [u8], width: usize, height: usize, channels: usize, kernel: &Boxes) {
    let pad = kernel.pad();
    let stride = width * channels;
    // Rows, a block at a time: lane (row-in-block, channel), position x.
    let lanes = ROW_BLOCK * channels;
    let mut a = vec![0f32; (width + 2 * pad) * lanes];
    let mut b = vec![0f32; a.len()];
    for block in data.chunks_mut(stride * ROW_BLOCK) {
        match channels {
            1 => rows_to_lanes::<1>(block, stride, &mut a, lanes, pad),
            2 => rows_to_lanes::<2>(block, stride, &mut a, lanes, pad),
            3 => rows_to_lanes::<3>(block, stride, &mut a, lanes, pad),
            _ => rows_to_lanes::<4>(block, stride, &mut a, lanes, pad),
        }
        replicate_edges(&mut a, lanes, width, pad);
        kernel.filter(&mut a, &mut b, lanes, width);
        for (g, row) in block.chunks_exact_mut(stride).enumerate() {
            let lanes_of_row = a[pad * lanes..(pad + width) * lanes]
                .chunks_exact(lanes)
                .flat_map(|position| &position[g * channels..g * channels + channels]);
            for (d, s) in row.iter_mut().zip(lanes_of_row) {
                *d = to_u8(*s);
            }
        }
    }
    // Columns, a strip at a time: lane = sample across the strip, position y.
    let strip = STRIP_LANES.min(stride).max(1);
    let mut a = vec![0f32; (height + 2 * pad) * strip];
    let mut b = vec![0f32; a.len()];
    for x0 in (0..stride).step_by(strip) {
        let lanes = strip.min(stride - x0);
        for y in 0..height {
            let row = &data[y * stride + x0..y * stride + x0 + lanes];
            for (d, s) in a[(pad + y) * lanes..(pad + y + 1) * lanes]
                .iter_mut()
                .zip(row)
            {
                *d = f32::from(*s);
            }
        }
        replicate_edges(&mut a, lanes, height, pad);
        kernel.filter(&mut a, &mut b, lanes, height);
        for y in 0..height {
            let row = &mut data[y * stride + x0..y * stride + x0 + lanes];
            for (d, s) in row
                .iter_mut()
                .zip(&a[(pad + y) * lanes..(pad + y + 1) * lanes])
            {
                *d = to_u8(*s);
            }
        }
    }
}

/// Multiplies colour by alpha (alpha last), rounding.
fn premultiply(data: &mut [u8], channels: usize) {
    for px in data.chunks_exact_mut(channels) {
        let a = u32::from(px[channels - 1]);
        for v in &mut px[..channels - 1] {
            *v = ((u32::from(*v) * a + 127) / 255) as u8;
        }
    }
}

/// Divides premultiplied colour by alpha, rounding and clamping.
fn unpremultiply(data: &mut [u8], channels: usize) {
    for px in data.chunks_exact_mut(channels) {
        let a = u32::from(px[channels - 1]);
        for v in &mut px[..channels - 1] {
            *v = (u32::from(*v) * 255 + a / 2)
                .checked_div(a)
                .map_or(0, |q| q.min(255) as u8);
        }
    }
}

/// Gaussian blur with standard deviation `sigma` pixels; the layout is kept.
pub(crate) fn gaussian_blur(mut src: Raster, sigma: f64) -> Raster {
    let c = src.layout.channels();
    let (w, h) = (src.width as usize, src.height as usize);
    if src.layout.has_alpha() {
        premultiply(&mut src.data, c);
    }
    blur_samples(&mut src.data, w, h, c, sigma);
    if src.layout.has_alpha() {
        unpremultiply(&mut src.data, c);
    }
    src
}

/// Unsharp mask on luma: every colour channel gets `amount × (Y − blur(Y, sigma))`, so edges
/// sharpen without colour fringes (sharp also sharpens lightness only). Alpha is kept.
pub(crate) fn sharpen(mut src: Raster, sigma: f64, amount: f64) -> Raster {
    let c = src.layout.channels();
    let (w, h) = (src.width as usize, src.height as usize);
    let mut y: Vec<u8> = match src.layout {
        Layout::Luma | Layout::LumaA => src.data.chunks_exact(c).map(|p| p[0]).collect(),
        Layout::Rgb | Layout::Rgba => src
            .data
            .chunks_exact(c)
            .map(|p| luma(p[0], p[1], p[2]))
            .collect(),
    };
    let original = y.clone();
    blur_samples(&mut y, w, h, 1, sigma);
    let gain = (amount * 256.0).round() as i32;
    let colors = src.layout.color_channels();
    for ((px, &orig), &blurred) in src.data.chunks_exact_mut(c).zip(&original).zip(&y) {
        let delta = (gain * (i32::from(orig) - i32::from(blurred)) + 128) >> 8;
        if delta == 0 {
            continue;
        }
        for v in &mut px[..colors] {
            *v = (i32::from(*v) + delta).clamp(0, 255) as u8;
        }
    }
    src
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Color;

    /// Photo-like content: smooth gradients, mild noise, and hard black/white bars.
    fn photo_like(layout: Layout, w: u32, h: u32) -> Raster {
        let mut state = 12345u32;
        let c = layout.channels();
        let data = (0..(w * h) as usize * c)
            .map(|i| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let (x, y) = ((i / c) as u32 % w, (i / c) as u32 / w);
                if (x / 16) % 5 == 0 {
                    return if (y / 20) % 2 == 0 { 255 } else { 0 };
                }
                let smooth = (x * 200 / w + y * 40 / h + (i % c) as u32 * 5) as i32;
                (smooth + (state >> 28) as i32 - 8).clamp(0, 255) as u8
            })
            .collect();
        Raster {
            layout,
            width: w,
            height: h,
            data,
        }
    }

    #[test]
    fn masks_are_libvips_masks_in_fixed_point() {
        // libvips gaussmat(5, 0.2, integer): 17 taps, 6 8 10 12 15 17 18 20 20 20 … (sum 232).
        assert_eq!(vips_mask(5.0), vec![20, 20, 18, 17, 15, 12, 10, 8, 6]);
        assert_eq!(vips_mask(1.0), vec![20, 12]);
        // Below σ ≈ 0.56 the mask is a single tap (as in libvips).
        assert_eq!(Plan::new(0.3), Plan::Identity);
        assert_eq!(Plan::new(0.5), Plan::Identity);
        for sigma in [0.6, 1.0, 2.5, 5.0, 7.7, 9.0, 13.0] {
            let Plan::Taps(w) = Plan::new(sigma) else {
                panic!("σ {sigma}: taps");
            };
            let sum: u32 = u32::from(w[0]) + 2 * w[1..].iter().map(|&v| u32::from(v)).sum::<u32>();
            assert_eq!(sum, WEIGHT_SUM, "σ {sigma}: {w:?}");
            let mask = vips_mask(sigma);
            let total = f64::from(mask[0] + 2 * mask[1..].iter().sum::<u32>());
            for (wk, mk) in w.iter().zip(&mask) {
                let ideal = f64::from(*mk) * f64::from(WEIGHT_SUM) / total;
                assert!((f64::from(*wk) - ideal).abs() <= 1.0, "σ {sigma}: {w:?}");
            }
        }
        assert!(matches!(Plan::new(20.0), Plan::Boxes(_)));
    }

    /// A plain reference: each pass per sample with clamped indices, rounded to 8 bits.
    fn reference_blur(data: &[u8], w: usize, h: usize, c: usize, weights: &[u16]) -> Vec<u8> {
        let r = weights.len() as i64 - 1;
        let pass = |src: &[u8], horizontal: bool| -> Vec<u8> {
            let mut out = vec![0u8; src.len()];
            for y in 0..h as i64 {
                for x in 0..w as i64 {
                    for k in 0..c {
                        let mut acc = 0u32;
                        for t in -r..=r {
                            let (sx, sy) = if horizontal {
                                ((x + t).clamp(0, w as i64 - 1), y)
                            } else {
                                (x, (y + t).clamp(0, h as i64 - 1))
                            };
                            let v = src[(sy as usize * w + sx as usize) * c + k];
                            acc += u32::from(weights[t.unsigned_abs() as usize]) * u32::from(v);
                        }
                        out[(y as usize * w + x as usize) * c + k] = ((acc + 128) >> 8) as u8;
                    }
                }
            }
            out
        };
        pass(&pass(data, true), false)
    }

    #[test]
    fn the_streaming_convolution_matches_a_plain_one() {
        for (w, h, c, sigma) in [
            (1, 1, 3, 5.0),
            (5, 40, 1, 2.0),
            (33, 7, 3, 5.0),
            (11, 3, 4, 1.0),
            (70, 50, 3, 5.0),
            (40, 9, 2, 9.0),
            (17, 4, 3, 5.0),
            (16, 20, 3, 5.0),
            (18, 2, 1, 5.0),
            (60, 30, 3, 13.0),
        ] {
            let src = photo_like(Layout::Luma, (w * c) as u32, h as u32).data;
            let Plan::Taps(weights) = Plan::new(sigma) else {
                panic!("taps");
            };
            let mut fast = src.clone();
            convolve_frame(&mut fast, w, h, c, &weights);
            assert_eq!(
                fast,
                reference_blur(&src, w, h, c, &weights),
                "{w}×{h}×{c} σ {sigma}"
            );
        }
    }

    #[test]
    fn box_parameters_match_the_variance() {
        for variance in [4.0, 10.9, 25.0, 289.0, 10_000.0] {
            let Boxes { r, alpha } = Boxes::new(variance);
            let (rf, a) = (r as f64, f64::from(alpha));
            let var = (rf * (rf + 1.0) * (2.0 * rf + 1.0) / 3.0 + 2.0 * a * (rf + 1.0).powi(2))
                / (2.0 * rf + 1.0 + 2.0 * a);
            assert!(
                (BOX_PASSES as f64 * var - variance).abs() < 1e-3 * variance,
                "variance {variance}"
            );
            assert!((0.0..1.0).contains(&a));
        }
    }

    #[test]
    fn boxes_match_the_mask_they_stand_in_for() {
        let src = photo_like(Layout::Rgb, 200, 120);
        let (w, h, c) = (200, 120, 3);
        for sigma in [3.0, 5.0, 9.0] {
            let Plan::Taps(weights) = Plan::new(sigma) else {
                panic!("taps");
            };
            let mut taps = src.data.clone();
            convolve_frame(&mut taps, w, h, c, &weights);
            let mut boxes = src.data.clone();
            let plan = Boxes::new(mask_variance(&vips_mask(sigma)));
            box_blur(&mut boxes, w, h, c, &plan);
            let diffs: Vec<i32> = taps
                .iter()
                .zip(&boxes)
                .map(|(a, b)| (i32::from(*a) - i32::from(*b)).abs())
                .collect();
            let max = *diffs.iter().max().unwrap();
            let mean = diffs.iter().sum::<i32>() as f64 / diffs.len() as f64;
            eprintln!("σ {sigma}: largest difference {max}, mean {mean:.3}");
            assert!(max <= 12 && mean < 1.0, "σ {sigma}: max {max}, mean {mean}");
        }
    }

    #[test]
    fn flat_images_stay_flat_at_any_sigma() {
        for sigma in [0.3, 1.0, 1.99, 2.0, 5.0, 100.0] {
            let flat = Raster::filled(Layout::Rgb, 37, 5, Color::rgba(200, 100, 7, 255));
            assert_eq!(gaussian_blur(flat.clone(), sigma), flat, "σ {sigma}");
        }
    }

    #[test]
    fn one_pixel_frames_and_huge_sigmas_do_not_panic() {
        for layout in [Layout::Luma, Layout::LumaA, Layout::Rgb, Layout::Rgba] {
            for sigma in [0.3, 5.0, 100.0] {
                let px = Raster::filled(layout, 1, 1, Color::WHITE);
                assert_eq!(gaussian_blur(px.clone(), sigma), px);
                assert_eq!(sharpen(px.clone(), sigma, 10.0), px);
            }
        }
    }

    #[test]
    fn transparent_neighbours_do_not_darken_edges() {
        let mut src = Raster::filled(Layout::Rgba, 20, 4, Color::WHITE);
        for px in src.data.chunks_exact_mut(4).filter(|_| true).step_by(2) {
            px.copy_from_slice(&[0, 0, 0, 0]);
        }
        let r = gaussian_blur(src, 3.0);
        for px in r.data.chunks_exact(4).filter(|p| p[3] > 64) {
            assert!(px[0] >= 250, "{px:?}");
        }
    }

    #[test]
    fn sharpen_increases_edge_contrast() {
        let mut src = Raster::filled(Layout::Luma, 10, 1, Color::rgba(100, 100, 100, 255));
        src.data[5..].fill(150);
        let r = sharpen(src, 1.0, 1.0);
        assert!(r.data[4] < 100 && r.data[5] > 150, "{:?}", r.data);
        assert_eq!(r.data[0], 100);
    }
}
