//! The inverse DCT at reduced size: the top-left `kx` × `ky` coefficients of an 8×8 block give a
//! `kx` × `ky` block of pixels, as libjpeg's scaled IDCTs do. Each output sample is the block's
//! continuous cosine series (frequencies the smaller grid can carry) sampled at that sample's
//! centre, so a flat block keeps its value and the DC term gives the mean.

/// `basis[n][u][x]`: the weight of frequency `u` at output sample `x` for an `n`-point output
/// (index 0 unused): C(u)/2 · cos((2x + 1)uπ / 2n), with C(0) = 1/√2 and C(u > 0) = 1.
pub(super) struct Idct {
    basis: [[[f32; 8]; 8]; 9],
}

impl Idct {
    pub(super) fn new() -> Self {
        let mut basis = [[[0.0f32; 8]; 8]; 9];
        for (n, b) in basis.iter_mut().enumerate().skip(1) {
            for (u, row) in b.iter_mut().enumerate().take(n) {
                let c = if u == 0 {
                    std::f64::consts::FRAC_1_SQRT_2
                } else {
                    1.0
                };
                for (x, w) in row.iter_mut().enumerate().take(n) {
                    let angle =
                        (2 * x + 1) as f64 * u as f64 * std::f64::consts::PI / (2 * n) as f64;
                    *w = (c / 2.0 * angle.cos()) as f32;
                }
            }
        }
        Self { basis }
    }

    /// Writes the `kx` × `ky` pixels of one block (`coefs` row-major, `kx` per row, dequantized
    /// with `quant` in natural order) to `out`, rows `stride` apart. `kx`, `ky` are 1..=8 and
    /// `out` holds `(ky - 1) · stride + kx` bytes (the caller's strip is cut that way).
    pub(super) fn block(
        &self,
        coefs: &[i16],
        quant: &[u16; 64],
        (kx, ky): (usize, usize),
        out: &mut [u8],
        stride: usize,
    ) {
        let mut deq = [[0.0f32; 8]; 8];
        let mut rows_used = 0;
        let mut ac = false;
        for (v, (row, q)) in deq
            .iter_mut()
            .zip(quant.chunks_exact(8))
            .take(ky)
            .enumerate()
        {
            let stored = coefs.get(v * kx..(v + 1) * kx).unwrap_or_default();
            for (u, ((d, &c), &q)) in row.iter_mut().zip(stored).zip(q).enumerate() {
                if c != 0 {
                    *d = f32::from(c) * f32::from(q);
                    rows_used = v + 1;
                    ac |= v + u > 0;
                }
            }
        }
        let mut put = |y: usize, values: &[f32; 8]| {
            if let Some(line) = out.get_mut(y * stride..y * stride + kx) {
                for (px, &v) in line.iter_mut().zip(values) {
                    *px = clamp(v);
                }
            }
        };
        if !ac {
            // Flat block: the mean everywhere (DC / 8).
            let mean = [deq[0][0] / 8.0; 8];
            (0..ky).for_each(|y| put(y, &mean));
            return;
        }
        // Rows first: tmp[v][x] = Σ_u deq[v][u] · bx[u][x] (the basis is zero past `kx`, so
        // whole rows of 8 are summed, which vectorizes).
        let (bx, by) = (&self.basis[kx], &self.basis[ky]);
        let mut tmp = [[0.0f32; 8]; 8];
        for (t, row) in tmp.iter_mut().zip(&deq).take(rows_used) {
            for (&d, b) in row.iter().zip(bx).take(kx) {
                if d != 0.0 {
                    for (t, &b) in t.iter_mut().zip(b) {
                        *t += d * b;
                    }
                }
            }
        }
        // Then columns: pixel(x, y) = Σ_v tmp[v][x] · by[v][y].
        for y in 0..ky {
            let mut acc = [0.0f32; 8];
            for (t, b) in tmp.iter().zip(by).take(rows_used) {
                let w = b[y];
                for (a, &t) in acc.iter_mut().zip(t) {
                    *a += t * w;
                }
            }
            put(y, &acc);
        }
    }
}

/// A level-shifted sample, rounded and clamped to 0..=255.
fn clamp(v: f32) -> u8 {
    (v + 128.5).clamp(0.0, 255.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_block_keeps_its_value_at_every_size() {
        let idct = Idct::new();
        let quant = [2u16; 64];
        for k in [1, 2, 4, 8] {
            let mut coefs = vec![0i16; k * k];
            coefs[0] = 40; // 40 × 2 / 8 = +10 over the level shift
            let mut out = vec![0u8; k * k];
            idct.block(&coefs, &quant, (k, k), &mut out, k);
            assert!(out.iter().all(|&p| p == 138), "{k}: {out:?}");
        }
    }

    #[test]
    fn a_horizontal_cosine_at_half_size_samples_the_full_one() {
        let idct = Idct::new();
        let quant = [1u16; 64];
        // First horizontal frequency only.
        let mut full = vec![0i16; 64];
        full[1] = 100;
        let mut big = vec![0u8; 64];
        idct.block(&full, &quant, (8, 8), &mut big, 8);
        let mut half = vec![0i16; 16];
        half[1] = 100;
        let mut small = vec![0u8; 16];
        idct.block(&half, &quant, (4, 4), &mut small, 4);
        // Each half-size sample is about the mean of the two full-size samples it covers.
        for x in 0..4 {
            let mean = (i32::from(big[2 * x]) + i32::from(big[2 * x + 1])) / 2;
            assert!((i32::from(small[x]) - mean).abs() <= 2, "{small:?} {big:?}");
        }
    }
}
