//! A JPEG decoder for reduced scales that keeps, for each 8×8 block, only the coefficients the
//! smaller output uses: at 1/2 scale a luma block keeps 4×4 of its 64 coefficients, so a
//! progressive file (whose coefficients must all be held until the last scan) needs a quarter of
//! the memory a full decoder holds, and a baseline one as little.
//!
//! Chroma planes are decoded at a larger DCT scale than luma where they were subsampled (a 4:2:0
//! file at 1/2 scale decodes chroma at full DCT size), so every plane comes out at the output size
//! and no upsampling is needed. Reads baseline, extended and progressive Huffman JPEGs with one
//! (grey) or three (YCbCr or RGB) 8-bit components; anything else — CMYK, arithmetic coding,
//! 12-bit, subsampling deeper than 1/8 scale allows, a truncated scan — is `None` and the caller
//! falls back to another decoder.

use super::huffman::{BitReader, Huffman};
use super::idct::Idct;

/// Natural (row-major) index of the coefficient at each zigzag position.
const ZIGZAG: [u8; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// A decoded frame at reduced scale: interleaved RGB, or grey.
pub(super) struct Reduced {
    pub(super) width: u32,
    pub(super) height: u32,
    /// One byte per pixel when true, else three (RGB).
    pub(super) gray: bool,
    pub(super) pixels: Vec<u8>,
}

/// Decodes `bytes` at `eighths`/8 scale (1, 2 or 4), expecting a frame of `stored` size.
pub(super) fn decode(bytes: &[u8], eighths: usize, stored: (u32, u32)) -> Option<Reduced> {
    let mut d = Decoder {
        bytes,
        eighths,
        stored,
        frame: None,
        quant: [None; 4],
        dc_tables: [None, None, None, None],
        ac_tables: [None, None, None, None],
        restart_interval: 0,
        adobe_transform: None,
        output: None,
    };
    d.run()?;
    let frame = d.frame.as_ref()?;
    let mut output = d.output?;
    if !frame.streaming {
        // Everything was stored: now the pixels, one MCU row at a time.
        if frame.components.iter().any(|c| c.quant.is_none()) {
            return None;
        }
        for mcu_y in 0..frame.mcus_y {
            output.strip(frame, mcu_y)?;
        }
    }
    output.finish()
}

/// Whether the frame is progressive (SOF2), read from the segments before it.
pub(super) fn is_progressive(bytes: &[u8]) -> bool {
    matches!(layout(bytes).frame, Some((0xC2, _)))
}

/// Whether a sequential frame sends its components in separate scans (the first scan has fewer
/// components than the frame): zune-jpeg 0.5, `image`'s decoder, misreads such files.
pub(super) fn has_split_sequential_scans(bytes: &[u8]) -> bool {
    match layout(bytes) {
        Layout {
            frame: Some((0xC0 | 0xC1, components)),
            first_scan: Some(scanned),
        } => scanned < components,
        _ => false,
    }
}

/// What the segments before the first scan say about the frame.
#[derive(Default)]
struct Layout {
    /// The start-of-frame marker and the frame's component count.
    frame: Option<(u8, u8)>,
    /// The first scan's component count.
    first_scan: Option<u8>,
}

/// Walks the marker segments up to the first scan (no entropy-coded data is read).
fn layout(bytes: &[u8]) -> Layout {
    let mut out = Layout::default();
    let mut pos = 2;
    while let (Some(0xFF), Some(&marker)) = (bytes.get(pos), bytes.get(pos + 1)) {
        match marker {
            0xFF => {
                pos += 1;
                continue;
            }
            // SOF0..SOF15, but for DHT (C4), JPG (C8) and DAC (CC), which share the range.
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                out.frame = bytes.get(pos + 9).map(|&n| (marker, n));
            }
            0xDA => {
                out.first_scan = bytes.get(pos + 4).copied();
                return out;
            }
            _ => {}
        }
        let Some(&[hi, lo]) = bytes.get(pos + 2..pos + 4) else {
            return out;
        };
        pos += 2 + usize::from(u16::from_be_bytes([hi, lo]));
    }
    out
}

struct Component {
    id: u8,
    h: usize,
    v: usize,
    tq: usize,
    /// Coefficients kept per block, horizontally and vertically.
    kx: usize,
    ky: usize,
    /// Blocks stored per row (padded to whole MCUs).
    bw: usize,
    /// Blocks a scan of this component alone covers, per row and column.
    scan_w: usize,
    scan_h: usize,
    /// Where each zigzag position's coefficient is kept in a block (see [`slots`]).
    slots: [u8; 64],
    /// `kx · ky` coefficients per block, row-major.
    coefs: Vec<i16>,
    /// Progressive files: which of the 64 coefficients of each block are non-zero (refinement
    /// scans need that for coefficients that are not kept, too).
    nonzero: Vec<u64>,
    /// The quantization table in natural order, taken when the component's first scan starts.
    quant: Option<[u16; 64]>,
}

struct Frame {
    progressive: bool,
    width: usize,
    height: usize,
    h_max: usize,
    v_max: usize,
    mcus_x: usize,
    mcus_y: usize,
    /// MCU rows of coefficients stored: all of them, or one when streaming. 0 until the first
    /// scan decides.
    rows_stored: usize,
    /// A single sequential scan holds every component: each MCU row is turned into pixels as
    /// soon as it is decoded, and only one row of coefficients is ever stored.
    streaming: bool,
    components: Vec<Component>,
}

struct Decoder<'a> {
    bytes: &'a [u8],
    eighths: usize,
    stored: (u32, u32),
    frame: Option<Frame>,
    quant: [Option<[u16; 64]>; 4],
    dc_tables: [Option<Huffman>; 4],
    ac_tables: [Option<Huffman>; 4],
    restart_interval: usize,
    adobe_transform: Option<u8>,
    output: Option<Output>,
}

/// One scan's component: index into the frame's components and its tables.
struct ScanComponent {
    index: usize,
    dc: usize,
    ac: usize,
}

struct Scan {
    components: Vec<ScanComponent>,
    ss: usize,
    se: usize,
    ah: u32,
    al: u32,
}

impl Decoder<'_> {
    /// Reads every segment and scan up to EOI (or the end of the data).
    fn run(&mut self) -> Option<()> {
        let bytes = self.bytes;
        if bytes.get(..2)? != [0xFF, 0xD8] {
            return None;
        }
        let mut pos = 2;
        loop {
            // Find the next marker, skipping fill bytes (and any garbage before it).
            while bytes.get(pos).is_some_and(|&b| b != 0xFF) {
                pos += 1;
            }
            while bytes.get(pos) == Some(&0xFF) {
                pos += 1;
            }
            let Some(&marker) = bytes.get(pos) else {
                return Some(());
            };
            pos += 1;
            match marker {
                0xD9 => return Some(()),
                0xD8 | 0xD0..=0xD7 | 0x01 | 0x00 => continue,
                _ => {}
            }
            let len = usize::from(u16::from_be_bytes([*bytes.get(pos)?, *bytes.get(pos + 1)?]));
            let segment = bytes.get(pos + 2..pos.checked_add(len)?)?;
            pos += len;
            match marker {
                0xC0..=0xC2 => self.start_of_frame(segment, marker == 0xC2)?,
                0xC3 | 0xC5..=0xCF => return None,
                0xC4 => self.huffman_tables(segment)?,
                0xDB => self.quant_tables(segment)?,
                0xDD => {
                    self.restart_interval =
                        usize::from(u16::from_be_bytes([*segment.first()?, *segment.get(1)?]));
                }
                0xEE if segment.starts_with(b"Adobe") => {
                    self.adobe_transform = segment.get(11).copied();
                }
                0xDA => pos = self.scan(segment, pos)?,
                _ => {}
            }
        }
    }

    fn start_of_frame(&mut self, s: &[u8], progressive: bool) -> Option<()> {
        if self.frame.is_some() || *s.first()? != 8 {
            return None;
        }
        let height = usize::from(u16::from_be_bytes([*s.get(1)?, *s.get(2)?]));
        let width = usize::from(u16::from_be_bytes([*s.get(3)?, *s.get(4)?]));
        let count = usize::from(*s.get(5)?);
        if (width as u32, height as u32) != self.stored || !(count == 1 || count == 3) {
            return None;
        }
        let mut raw = Vec::with_capacity(count);
        for i in 0..count {
            let c = s.get(6 + 3 * i..9 + 3 * i)?;
            let (h, v) = if count == 1 {
                (1, 1)
            } else {
                (usize::from(c[1] >> 4), usize::from(c[1] & 15))
            };
            if !(1..=4).contains(&h) || !(1..=4).contains(&v) || c[2] > 3 {
                return None;
            }
            raw.push((c[0], h, v, usize::from(c[2])));
        }
        let h_max = raw.iter().map(|c| c.1).max()?;
        let v_max = raw.iter().map(|c| c.2).max()?;
        let mcus_x = width.div_ceil(8 * h_max);
        let mcus_y = height.div_ceil(8 * v_max);
        let mut components = Vec::with_capacity(count);
        for (id, h, v, tq) in raw {
            // Subsampled planes keep more coefficients, so that all come out the same size.
            if h_max % h != 0 || v_max % v != 0 {
                return None;
            }
            let (kx, ky) = (self.eighths * h_max / h, self.eighths * v_max / v);
            if kx > 8 || ky > 8 {
                return None;
            }
            let bw = mcus_x * h;
            components.push(Component {
                id,
                h,
                v,
                tq,
                kx,
                ky,
                bw,
                scan_w: (width * h).div_ceil(h_max).div_ceil(8),
                scan_h: (height * v).div_ceil(v_max).div_ceil(8),
                slots: slots(kx, ky),
                coefs: Vec::new(),
                nonzero: Vec::new(),
                quant: None,
            });
        }
        self.frame = Some(Frame {
            progressive,
            width,
            height,
            h_max,
            v_max,
            mcus_x,
            mcus_y,
            rows_stored: 0,
            streaming: false,
            components,
        });
        Some(())
    }

    fn huffman_tables(&mut self, mut s: &[u8]) -> Option<()> {
        while let Some(&tc_th) = s.first() {
            let (class, id) = (tc_th >> 4, usize::from(tc_th & 15));
            let counts: [u8; 16] = s.get(1..17)?.try_into().ok()?;
            let n: usize = counts.iter().map(|&c| usize::from(c)).sum();
            let table = Some(Huffman::new(&counts, s.get(17..17 + n)?)?);
            match (class, id) {
                (0, 0..=3) => self.dc_tables[id] = table,
                (1, 0..=3) => self.ac_tables[id] = table,
                _ => return None,
            }
            s = &s[17 + n..];
        }
        Some(())
    }

    fn quant_tables(&mut self, mut s: &[u8]) -> Option<()> {
        while let Some(&pq_tq) = s.first() {
            let (wide, id) = (pq_tq >> 4 == 1, usize::from(pq_tq & 15));
            let size = if wide { 128 } else { 64 };
            let values = s.get(1..1 + size)?;
            let mut table = [0u16; 64];
            for (k, &natural) in ZIGZAG.iter().enumerate() {
                table[usize::from(natural)] = if wide {
                    u16::from_be_bytes([values[2 * k], values[2 * k + 1]])
                } else {
                    u16::from(values[k])
                };
            }
            *self.quant.get_mut(id)? = Some(table);
            s = &s[1 + size..];
        }
        Some(())
    }

    /// Decodes the scan whose header is `s` and whose data starts at `pos`; returns where the
    /// data ends (the next marker).
    fn scan(&mut self, s: &[u8], pos: usize) -> Option<usize> {
        let frame = self.frame.as_mut()?;
        let count = usize::from(*s.first()?);
        if count == 0 || count > frame.components.len() {
            return None;
        }
        let mut components = Vec::with_capacity(count);
        for i in 0..count {
            let c = s.get(1 + 2 * i..3 + 2 * i)?;
            let index = frame.components.iter().position(|k| k.id == c[0])?;
            components.push(ScanComponent {
                index,
                dc: usize::from(c[1] >> 4),
                ac: usize::from(c[1] & 15),
            });
        }
        let p = s.get(1 + 2 * count..4 + 2 * count)?;
        let scan = Scan {
            components,
            ss: usize::from(p[0]),
            se: usize::from(p[1]),
            ah: u32::from(p[2] >> 4),
            al: u32::from(p[2] & 15),
        };
        if frame.progressive {
            let dc_scan = scan.ss == 0;
            if (dc_scan && scan.se != 0)
                || (!dc_scan && (scan.se < scan.ss || scan.se > 63 || count != 1))
                || scan.al > 13
            {
                return None;
            }
        }
        for sc in &scan.components {
            let c = &mut frame.components[sc.index];
            if c.quant.is_none() {
                c.quant = Some(self.quant[c.tq]?);
            }
        }
        if frame.streaming {
            // A streamed frame was complete after its one scan.
            return None;
        }
        if frame.rows_stored == 0 {
            frame.streaming = !frame.progressive && count == frame.components.len();
            frame.rows_stored = if frame.streaming { 1 } else { frame.mcus_y };
            for c in &mut frame.components {
                let blocks = c.bw.checked_mul(c.v * frame.rows_stored)?;
                c.coefs = vec![0; blocks.checked_mul(c.kx * c.ky)?];
                if frame.progressive {
                    c.nonzero = vec![0; blocks];
                }
            }
            self.output = Some(Output::new(frame, self.eighths, self.adobe_transform)?);
        }
        let mut reader = BitReader::new(self.bytes, pos);
        decode_scan(
            frame,
            &scan,
            &self.dc_tables,
            &self.ac_tables,
            self.restart_interval,
            &mut reader,
            if frame.streaming {
                self.output.as_mut()
            } else {
                None
            },
        )?;
        if reader.overran {
            return None;
        }
        Some(reader.position())
    }
}

/// The output being filled one MCU row (a strip) at a time: the kept coefficients of the row go
/// through the IDCT into one small plane strip per component, then to RGB (or grey) in place.
struct Output {
    width: usize,
    height: usize,
    channels: usize,
    /// Components are YCbCr (else RGB or grey as they are).
    ycc: bool,
    stride: usize,
    strip_rows: usize,
    strips: Vec<Vec<u8>>,
    idct: Idct,
    pixels: Vec<u8>,
}

impl Output {
    fn new(frame: &Frame, eighths: usize, adobe_transform: Option<u8>) -> Option<Self> {
        let (width, height) = (
            (frame.width * eighths).div_ceil(8),
            (frame.height * eighths).div_ceil(8),
        );
        let gray = frame.components.len() == 1;
        let channels = if gray { 1 } else { 3 };
        let ids: Vec<u8> = frame.components.iter().map(|c| c.id).collect();
        let stride = frame.mcus_x * frame.h_max * eighths;
        let strip_rows = frame.v_max * eighths;
        Some(Self {
            width,
            height,
            channels,
            ycc: !gray && adobe_transform != Some(0) && ids != b"RGB",
            stride,
            strip_rows,
            strips: vec![vec![0; stride * strip_rows]; frame.components.len()],
            idct: Idct::new(),
            pixels: vec![0; width.checked_mul(height)?.checked_mul(channels)?],
        })
    }

    /// Turns MCU row `mcu_y` (stored in the frame's coefficients) into output rows.
    fn strip(&mut self, frame: &Frame, mcu_y: usize) -> Option<()> {
        let stored_row = mcu_y % frame.rows_stored.max(1);
        for (c, strip) in frame.components.iter().zip(&mut self.strips) {
            let quant = c.quant.as_ref()?;
            let per_block = c.kx * c.ky;
            for by in 0..c.v {
                let row = stored_row * c.v + by;
                for bx in 0..c.bw {
                    let block = row * c.bw + bx;
                    let coefs = c.coefs.get(block * per_block..(block + 1) * per_block)?;
                    let at = by * c.ky * self.stride + bx * c.kx;
                    self.idct.block(
                        coefs,
                        quant,
                        (c.kx, c.ky),
                        strip.get_mut(at..)?,
                        self.stride,
                    );
                }
            }
        }
        let line_len = self.width * self.channels;
        let first = mcu_y * self.strip_rows;
        let rows = self.strip_rows.min(self.height.saturating_sub(first));
        let out_rows = self
            .pixels
            .get_mut(first * line_len..(first + rows) * line_len)?;
        let (stride, width) = (self.stride, self.width);
        for (y, out) in out_rows.chunks_exact_mut(line_len).enumerate() {
            let line = |i: usize| self.strips.get(i)?.get(y * stride..y * stride + width);
            if self.channels == 1 {
                out.copy_from_slice(line(0)?);
            } else if self.ycc {
                ycc_to_rgb(line(0)?, line(1)?, line(2)?, out);
            } else {
                for (((px, &r), &g), &b) in out
                    .chunks_exact_mut(3)
                    .zip(line(0)?)
                    .zip(line(1)?)
                    .zip(line(2)?)
                {
                    px.copy_from_slice(&[r, g, b]);
                }
            }
        }
        Some(())
    }

    fn finish(self) -> Option<Reduced> {
        Some(Reduced {
            width: u32::try_from(self.width).ok()?,
            height: u32::try_from(self.height).ok()?,
            gray: self.channels == 1,
            pixels: self.pixels,
        })
    }
}

/// JFIF YCbCr to RGB (BT.601 full range), in 16-bit fixed point.
fn ycc_to_rgb(y: &[u8], cb: &[u8], cr: &[u8], out: &mut [u8]) {
    for (((px, &y), &cb), &cr) in out.chunks_exact_mut(3).zip(y).zip(cb).zip(cr) {
        let y = i32::from(y) << 16;
        let (cb, cr) = (i32::from(cb) - 128, i32::from(cr) - 128);
        let r = (y + 91_881 * cr + 32_768) >> 16;
        let g = (y - 22_554 * cb - 46_802 * cr + 32_768) >> 16;
        let b = (y + 116_130 * cb + 32_768) >> 16;
        px.copy_from_slice(&[clamp(r), clamp(g), clamp(b)]);
    }
}

fn clamp(v: i32) -> u8 {
    v.clamp(0, 255) as u8
}

/// One block's kept coefficients and (progressive) its non-zero bits, addressed by zigzag
/// position.
struct Block<'a> {
    coefs: &'a mut [i16],
    /// Bit `k`: the coefficient at zigzag position `k` is non-zero (refinement scans need that
    /// for coefficients that are not kept, too).
    nonzero: &'a mut u64,
    /// The index in `coefs` of each zigzag position's coefficient, or [`NOT_KEPT`].
    slots: &'a [u8; 64],
}

/// A slot index past any block's coefficients.
const NOT_KEPT: u8 = u8::MAX;

impl Block<'_> {
    fn slot(&mut self, k: usize) -> Option<&mut i16> {
        self.coefs.get_mut(usize::from(*self.slots.get(k)?))
    }

    fn set(&mut self, k: usize, value: i32) {
        if let Some(slot) = self.slot(k) {
            *slot = value as i16;
        }
        if value != 0 {
            *self.nonzero |= 1 << k;
        }
    }

    fn is_nonzero(&self, k: usize) -> bool {
        *self.nonzero >> k & 1 != 0
    }

    /// A refinement's correction bit for a non-zero coefficient: one more bit of magnitude.
    fn refine(&mut self, k: usize, bit: i32) {
        if let Some(slot) = self.slot(k) {
            let c = i32::from(*slot);
            if c & bit == 0 {
                *slot = if c >= 0 { c + bit } else { c - bit } as i16;
            }
        }
    }
}

/// The bits of zigzag positions `from..=to` (none when `from > to`).
fn band(from: usize, to: usize) -> u64 {
    if from > to || to > 63 {
        return 0;
    }
    (u64::MAX << from) & (u64::MAX >> (63 - to))
}

/// For each zigzag position, where a block keeping `kx` × `ky` coefficients stores it.
fn slots(kx: usize, ky: usize) -> [u8; 64] {
    let mut slots = [NOT_KEPT; 64];
    for (slot, &n) in slots.iter_mut().zip(&ZIGZAG) {
        let (row, col) = (usize::from(n) / 8, usize::from(n) % 8);
        if row < ky && col < kx {
            *slot = (row * kx + col) as u8;
        }
    }
    slots
}

fn decode_scan(
    frame: &mut Frame,
    scan: &Scan,
    dc_tables: &[Option<Huffman>; 4],
    ac_tables: &[Option<Huffman>; 4],
    restart_interval: usize,
    r: &mut BitReader<'_>,
    mut streaming: Option<&mut Output>,
) -> Option<()> {
    let progressive = frame.progressive;
    let needs_dc = !progressive || (scan.ss == 0 && scan.ah == 0);
    let needs_ac = !progressive || scan.ss > 0;
    let mut tables = Vec::with_capacity(scan.components.len());
    for sc in &scan.components {
        let dc = if needs_dc {
            Some(dc_tables.get(sc.dc)?.as_ref()?)
        } else {
            None
        };
        let ac = if needs_ac {
            Some(ac_tables.get(sc.ac)?.as_ref()?)
        } else {
            None
        };
        tables.push((dc, ac));
    }
    let interleaved = scan.components.len() > 1;
    let (mcus_x, mcus_y) = if interleaved {
        (frame.mcus_x, frame.mcus_y)
    } else {
        let c = &frame.components[scan.components[0].index];
        (c.scan_w, c.scan_h)
    };
    let mut predictors = [0i32; 3];
    let mut eob_run = 0u32;
    let mut left = restart_interval;
    for mcu_y in 0..mcus_y {
        for mcu_x in 0..mcus_x {
            if restart_interval > 0 {
                if left == 0 {
                    r.restart();
                    predictors = [0; 3];
                    eob_run = 0;
                    left = restart_interval;
                }
                left -= 1;
            }
            for (i, sc) in scan.components.iter().enumerate() {
                let c = &mut frame.components[sc.index];
                let (h, v) = if interleaved { (c.h, c.v) } else { (1, 1) };
                for by in 0..v {
                    // Streaming stores one MCU row of blocks; else all of them.
                    let row = if frame.streaming { by } else { mcu_y * v + by };
                    for bx in 0..h {
                        let block = row * c.bw + mcu_x * h + bx;
                        let per_block = c.kx * c.ky;
                        let mut unused = 0;
                        let mut b = Block {
                            coefs: c
                                .coefs
                                .get_mut(block * per_block..(block + 1) * per_block)?,
                            nonzero: if progressive {
                                c.nonzero.get_mut(block)?
                            } else {
                                &mut unused
                            },
                            slots: &c.slots,
                        };
                        let (dc, ac) = tables[i];
                        let pred = &mut predictors[i];
                        match (progressive, scan.ss == 0, scan.ah == 0) {
                            (false, _, _) => sequential(r, dc?, ac?, pred, &mut b)?,
                            (true, true, true) => dc_first(r, dc?, pred, scan.al, &mut b)?,
                            (true, true, false) => {
                                if r.bit() {
                                    if let Some(slot) = b.slot(0) {
                                        *slot |= 1 << scan.al;
                                    }
                                }
                            }
                            (true, false, true) => ac_first(r, ac?, scan, &mut eob_run, &mut b)?,
                            (true, false, false) => ac_refine(r, ac?, scan, &mut eob_run, &mut b)?,
                        }
                    }
                }
            }
        }
        if let Some(output) = streaming.as_deref_mut() {
            output.strip(frame, mcu_y)?;
        }
    }
    Some(())
}

fn sequential(
    r: &mut BitReader<'_>,
    dc: &Huffman,
    ac: &Huffman,
    pred: &mut i32,
    b: &mut Block<'_>,
) -> Option<()> {
    let dc = next_dc(r, dc, pred)?;
    // A streamed row's blocks still hold the previous row's coefficients.
    b.coefs.fill(0);
    b.set(0, dc);
    let mut k = 1;
    while k < 64 {
        let rs = r.decode(ac)?;
        let (run, size) = (usize::from(rs >> 4), u32::from(rs & 15));
        if size == 0 {
            if run == 15 {
                k += 16;
                continue;
            }
            break;
        }
        k += run;
        if k > 63 {
            return None;
        }
        b.set(k, r.receive_extend(size));
        k += 1;
    }
    Some(())
}

fn dc_first(
    r: &mut BitReader<'_>,
    dc: &Huffman,
    pred: &mut i32,
    al: u32,
    b: &mut Block<'_>,
) -> Option<()> {
    let dc = next_dc(r, dc, pred)?;
    b.set(0, dc.wrapping_shl(al));
    Some(())
}

/// The next DC coefficient: the component's predictor plus the difference coded next.
fn next_dc(r: &mut BitReader<'_>, dc: &Huffman, pred: &mut i32) -> Option<i32> {
    let t = r.decode(dc)?;
    if t > 16 {
        return None;
    }
    *pred = pred.wrapping_add(r.receive_extend(u32::from(t)));
    Some(*pred)
}

fn ac_first(
    r: &mut BitReader<'_>,
    ac: &Huffman,
    scan: &Scan,
    eob_run: &mut u32,
    b: &mut Block<'_>,
) -> Option<()> {
    if *eob_run > 0 {
        *eob_run -= 1;
        return Some(());
    }
    let mut k = scan.ss;
    while k <= scan.se {
        let rs = r.decode(ac)?;
        let (run, size) = (u32::from(rs >> 4), u32::from(rs & 15));
        if size == 0 {
            if run < 15 {
                *eob_run = (1 << run) - 1 + r.bits(run);
                break;
            }
            k += 16;
            continue;
        }
        k += run as usize;
        if k > 63 {
            return None;
        }
        b.set(k, r.receive_extend(size).wrapping_shl(scan.al));
        k += 1;
    }
    Some(())
}

fn ac_refine(
    r: &mut BitReader<'_>,
    ac: &Huffman,
    scan: &Scan,
    eob_run: &mut u32,
    b: &mut Block<'_>,
) -> Option<()> {
    let bit = 1i32 << scan.al;
    let mut k = scan.ss;
    if *eob_run == 0 {
        while k <= scan.se {
            let rs = r.decode(ac)?;
            let (mut run, size) = (u32::from(rs >> 4), rs & 15);
            let mut value = 0;
            if size != 0 {
                value = if r.bit() { bit } else { -bit };
            } else if run != 15 {
                *eob_run = (1 << run) + r.bits(run);
                break;
            }
            // Skip `run` zero coefficients, refining the non-zero ones passed on the way.
            while k <= scan.se {
                if b.is_nonzero(k) {
                    if r.bit() {
                        b.refine(k, bit);
                    }
                } else {
                    if run == 0 {
                        break;
                    }
                    run -= 1;
                }
                k += 1;
            }
            if value != 0 {
                if k > 63 {
                    return None;
                }
                b.set(k, value);
            }
            k += 1;
        }
    }
    if *eob_run > 0 {
        // The rest of the band is in the run: only its non-zero coefficients get a bit each,
        // found straight from the block's non-zero mask.
        let mut left = *b.nonzero & band(k, scan.se);
        while left != 0 {
            let k = left.trailing_zeros() as usize;
            left &= left - 1;
            if r.bit() {
                b.refine(k, bit);
            }
        }
        *eob_run -= 1;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progressive_frames_are_told_from_their_header() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/shrink/");
        let read = |name: &str| std::fs::read(format!("{dir}{name}")).unwrap();
        assert!(is_progressive(&read("p420.jpg")));
        assert!(is_progressive(&read("gray-progressive.jpg")));
        assert!(!is_progressive(&read("b422.jpg")));
        assert!(!is_progressive(&read("b420-three-scans.jpg")));
        assert!(has_split_sequential_scans(&read("b420-three-scans.jpg")));
        for name in ["b420-restart.jpg", "p420.jpg", "gray.jpg", "rgb.jpg"] {
            assert!(!has_split_sequential_scans(&read(name)), "{name}");
        }
        assert!(!has_split_sequential_scans(b"\xFF\xD8\xFF\xDA"));
        assert!(!is_progressive(b"\xFF\xD8\xFF"));
        assert!(!is_progressive(b""));
    }
}
