//! The video signal description in an HEVC sequence parameter set's VUI (H.265 7.3.2.2 and
//! E.2.1): whether samples are full range and which matrix they use. heic-rs walks the VUI but
//! keeps nothing of it, so the SPS is read here up to that point.

/// What the VUI says about the samples: full range, and the matrix coefficients code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Signal {
    pub full_range: bool,
    pub matrix: Option<u8>,
}

/// The signal description of an SPS NAL unit (with its 2-byte header); `None` for an SPS this
/// reader cannot walk.
pub(crate) fn signal(sps: &[u8]) -> Option<Signal> {
    let rbsp = unescape(sps.get(2..)?);
    let mut r = Bits::new(&rbsp);
    r.skip(4)?; // sps_video_parameter_set_id
    let max_sub_layers = r.u(3)?;
    r.skip(1)?; // sps_temporal_id_nesting_flag
    profile_tier_level(&mut r, max_sub_layers)?;
    r.ue()?; // sps_seq_parameter_set_id
    if r.ue()? == 3 {
        r.skip(1)?; // separate_colour_plane_flag
    }
    r.ue()?;
    r.ue()?; // pic_width/height_in_luma_samples
    if r.flag()? {
        for _ in 0..4 {
            r.ue()?; // conformance window offsets
        }
    }
    r.ue()?;
    r.ue()?; // bit depths
    let poc_lsb_bits = r.ue()? + 4;
    let ordering_all = r.flag()?;
    let first = if ordering_all { 0 } else { max_sub_layers };
    for _ in first..=max_sub_layers {
        r.ue()?;
        r.ue()?;
        r.ue()?;
    }
    for _ in 0..6 {
        r.ue()?; // coding and transform block sizes, hierarchy depths
    }
    if r.flag()? && r.flag()? {
        scaling_list_data(&mut r)?;
    }
    r.skip(2)?; // amp_enabled_flag, sample_adaptive_offset_enabled_flag
    if r.flag()? {
        // pcm_enabled_flag
        r.skip(8)?;
        r.ue()?;
        r.ue()?;
        r.skip(1)?;
    }
    let sets = r.ue()?;
    if sets > 64 {
        return None;
    }
    let mut deltas: Vec<u32> = Vec::with_capacity(sets as usize);
    for idx in 0..sets as usize {
        let inter = idx != 0 && r.flag()?;
        let count = if inter {
            r.skip(1)?; // delta_rps_sign
            r.ue()?; // abs_delta_rps_minus1
            let previous = *deltas.get(idx - 1)?;
            let mut n = 0;
            for _ in 0..=previous {
                let used = r.flag()?;
                if used || r.flag()? {
                    n += 1;
                }
            }
            n
        } else {
            let negative = r.ue()?;
            let positive = r.ue()?;
            if negative > 16 || positive > 16 {
                return None;
            }
            for _ in 0..negative + positive {
                r.ue()?;
                r.skip(1)?;
            }
            negative + positive
        };
        deltas.push(count);
    }
    if r.flag()? {
        // long_term_ref_pics_present_flag
        let n = r.ue()?;
        if n > 32 {
            return None;
        }
        for _ in 0..n {
            r.skip(poc_lsb_bits + 1)?;
        }
    }
    r.skip(2)?; // sps_temporal_mvp_enabled_flag, strong_intra_smoothing_enabled_flag
                // Without a VUI, or without its video signal type, the samples are limited range and the
                // matrix unspecified (the syntax's inferred values, which libheif's decoder uses).
    const SILENT: Signal = Signal {
        full_range: false,
        matrix: None,
    };
    if !r.flag()? {
        return Some(SILENT); // no VUI
    }
    if r.flag()? && r.u(8)? == 255 {
        r.skip(32)?; // sar_width, sar_height
    }
    if r.flag()? {
        r.skip(1)?; // overscan_appropriate_flag
    }
    if !r.flag()? {
        return Some(SILENT); // no video_signal_type
    }
    r.skip(3)?; // video_format
    let full_range = r.flag()?;
    let matrix = if r.flag()? {
        r.skip(16)?; // colour_primaries, transfer_characteristics
        Some(r.u(8)? as u8)
    } else {
        None
    };
    Some(Signal { full_range, matrix })
}

fn profile_tier_level(r: &mut Bits<'_>, max_sub_layers: u32) -> Option<()> {
    r.skip(96)?; // general profile, tier, flags and level
    let mut present = [(false, false); 8];
    for p in present.iter_mut().take(max_sub_layers as usize) {
        *p = (r.flag()?, r.flag()?);
    }
    if max_sub_layers > 0 {
        r.skip(2 * (8 - max_sub_layers))?;
    }
    for &(profile, level) in present.iter().take(max_sub_layers as usize) {
        if profile {
            r.skip(88)?;
        }
        if level {
            r.skip(8)?;
        }
    }
    Some(())
}

fn scaling_list_data(r: &mut Bits<'_>) -> Option<()> {
    for size in 0..4u32 {
        let step = if size == 3 { 3 } else { 1 };
        for _ in (0..6).step_by(step) {
            if r.flag()? {
                let coefs = 64.min(1 << (4 + (size << 1)));
                if size > 1 {
                    r.ue()?; // scaling_list_dc_coef_minus8 (se, read as ue: same length)
                }
                for _ in 0..coefs {
                    r.ue()?;
                }
            } else {
                r.ue()?; // scaling_list_pred_matrix_id_delta
            }
        }
    }
    Some(())
}

/// The RBSP: emulation prevention bytes (`00 00 03`) removed.
fn unescape(nal: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(nal.len());
    let mut zeros = 0;
    for &b in nal {
        if zeros >= 2 && b == 3 {
            zeros = 0;
            continue;
        }
        zeros = if b == 0 { zeros + 1 } else { 0 };
        out.push(b);
    }
    out
}

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    fn bit(&mut self) -> Option<u32> {
        let byte = *self.data.get(self.pos / 8)?;
        let v = (byte >> (7 - self.pos % 8)) & 1;
        self.pos += 1;
        Some(u32::from(v))
    }

    fn flag(&mut self) -> Option<bool> {
        self.bit().map(|b| b == 1)
    }

    fn u(&mut self, n: u32) -> Option<u32> {
        (0..n).try_fold(0u32, |acc, _| Some(acc << 1 | self.bit()?))
    }

    fn skip(&mut self, n: u32) -> Option<()> {
        let end = self.pos.checked_add(n as usize)?;
        (end <= self.data.len() * 8).then(|| self.pos = end)
    }

    /// Exp-Golomb, unsigned (a signed value has the same length).
    fn ue(&mut self) -> Option<u32> {
        let mut zeros = 0;
        while !self.flag()? {
            zeros += 1;
            if zeros > 31 {
                return None;
            }
        }
        Some((1u32 << zeros) - 1 + self.u(zeros)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_golomb_and_emulation_prevention() {
        let mut r = Bits::new(&[0b1010_0110, 0b0100_0000]);
        assert_eq!(r.ue(), Some(0));
        assert_eq!(r.ue(), Some(1));
        assert_eq!(r.ue(), Some(2));
        assert_eq!(r.ue(), Some(3));
        assert_eq!(unescape(&[0, 0, 3, 1, 0, 0, 3]), vec![0, 0, 1, 0, 0]);
        assert_eq!(signal(&[0x42, 0x01]), None);
    }
}
