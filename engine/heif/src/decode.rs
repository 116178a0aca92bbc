//! HEIF decoding: heic-rs parses the boxes and decodes each HEVC picture; the derivations
//! (`grid`, `iovl`), the colour conversion's parameters, alpha and the transforms are done here.

use std::borrow::Cow;

use heic_rs::context::Context;
use heic_rs::hevc::Frame;
use heic_rs::meta::iref::{targets, RefKind};
use heic_rs::props::colr::{MatrixCoefficients, Nclx, Range};
use heic_rs::props::ItemProps;
use heic_rs::{PixelLayout, Transform};

use crate::error::{Error, Result};
use crate::vui;

/// Deepest chain of derived items followed (an overlay of grids is depth 2).
const MAX_DEPTH: u32 = 3;
/// Most pixels any intermediate picture may have, whatever the caller's limit (a guard against
/// a file whose tiles claim more than its declared size).
const ABSOLUTE_MAX_PIXELS: u64 = 1 << 30;

/// What the header says, read without decoding pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    /// Width as displayed (rotation, mirror and crop applied).
    pub width: u32,
    /// Height as displayed.
    pub height: u32,
    /// Bits per sample of the coded pictures.
    pub bit_depth: u8,
    /// Whether an alpha plane is attached.
    pub has_alpha: bool,
    /// Whether the pictures are grey (HEVC monochrome).
    pub grey: bool,
}

/// A decoded image: upright 8-bit pixels and the file's metadata blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA.
    pub channels: u8,
    /// `width × height × channels` bytes, rows top to bottom.
    pub pixels: Vec<u8>,
    /// The ICC profile the pixels are in.
    pub icc: Option<Vec<u8>>,
    /// EXIF as a TIFF structure. Its Orientation is informative only: HEIF's own rotation and
    /// mirror properties are what make a picture upright, and they are already applied.
    pub exif: Option<Vec<u8>>,
    /// The XMP packet.
    pub xmp: Option<Vec<u8>>,
    /// What is wrong with the file, when something is (it still decoded).
    pub damage: Option<crate::integrity::Damage>,
}

fn lib(e: heic_rs::Error) -> Error {
    match e {
        heic_rs::Error::Truncated(what) => Error::Truncated(format!("reading {what}")),
        heic_rs::Error::Unsupported(what) => Error::Unsupported(what.to_owned()),
        heic_rs::Error::MissingItem(id) => {
            Error::Malformed(format!("item {id} is referenced but missing"))
        }
        other => Error::Malformed(other.to_string()),
    }
}

/// Reads the primary image's size, depth and alpha; no pixel decode.
pub fn probe(bytes: &[u8]) -> Result<Info> {
    let ctx = Context::open(bytes).map_err(lib)?;
    let id = ctx.meta.primary;
    let p = ctx.props(id).map_err(lib)?;
    let (w, h) = coded_size(&ctx, id, &p)?;
    let (width, height) = heic_rs::transform::transformed_size(w, h, &p.transforms).map_err(lib)?;
    let coded = first_coded(&ctx, id, 0)?;
    let cp = ctx.props(coded).map_err(lib)?;
    let hvcc = cp
        .hvcc
        .as_ref()
        .ok_or_else(|| Error::Malformed("a coded picture without its hvcC box".into()))?;
    Ok(Info {
        width,
        height,
        bit_depth: hvcc.bit_depth_luma.max(hvcc.bit_depth_chroma),
        has_alpha: ctx.alpha_item(id).map_err(lib)?.is_some(),
        grey: hvcc.chroma_format == 0,
    })
}

/// Decodes the primary image, refusing more than `max_pixels` before allocating.
pub fn decode(bytes: &[u8], max_pixels: u64) -> Result<Image> {
    let info = probe(bytes)?;
    let (w, h) = (info.width, info.height);
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(Error::TooLarge {
            width: w,
            height: h,
        });
    }
    if info.bit_depth > 10 {
        return Err(Error::Unsupported(format!(
            "{}-bit samples",
            info.bit_depth
        )));
    }
    let limit = max_pixels.saturating_mul(2).min(ABSOLUTE_MAX_PIXELS);
    let ctx = Context::open(bytes).map_err(lib)?;
    let id = ctx.meta.primary;
    let p = ctx.props(id).map_err(lib)?;
    let channels = if info.grey { 1 } else { 3 };
    let colour = render(&ctx, id, &p, Plane::Colour { channels }, limit, 0)?;
    let alpha = match ctx.alpha_item(id).map_err(lib)? {
        Some(a) => {
            let ap = ctx.props(a).map_err(lib)?;
            let plane = render(&ctx, a, &ap, Plane::Alpha, limit, 0)?;
            // An alpha plane of another size than its image is ignored, as libheif does.
            (plane.width == colour.width && plane.height == colour.height).then_some(plane)
        }
        None => None,
    };
    let picture = match alpha {
        Some(a) => interleave_alpha(&colour, &a.data),
        None => colour,
    };
    let layout = match picture.channels {
        1 => PixelLayout::Gray8,
        3 => PixelLayout::Rgb8,
        _ => PixelLayout::Rgba8,
    };
    // heic-rs has no grey + alpha layout: carry such a picture as RGBA through the transforms.
    let (picture, grey_alpha) = if picture.channels == 2 {
        (grey_alpha_to_rgba(&picture), true)
    } else {
        (picture, false)
    };
    let image = heic_rs::Image {
        data: picture.data,
        width: picture.width,
        height: picture.height,
        layout,
    };
    let image = heic_rs::transform::apply_all(image, &p.transforms).map_err(lib)?;
    let (pixels, channels) = if grey_alpha {
        (rgba_to_grey_alpha(&image.data), 2)
    } else {
        (image.data, picture.channels)
    };
    let meta = metadata(bytes)?;
    Ok(Image {
        width: image.width,
        height: image.height,
        channels,
        pixels,
        icc: meta.icc,
        exif: meta.exif,
        xmp: meta.xmp,
        damage: crate::integrity::check(bytes),
    })
}

/// The primary image's metadata blocks without decoding it: (ICC profile, EXIF, XMP).
pub fn metadata(bytes: &[u8]) -> Result<Metadata> {
    let ctx = Context::open(bytes).map_err(lib)?;
    let id = ctx.meta.primary;
    let p = ctx.props(id).map_err(lib)?;
    Ok(Metadata {
        icc: ctx
            .icc(&p)
            .map(<[u8]>::to_vec)
            .or_else(|| first_icc(&ctx, id)),
        exif: ctx.exif(id).ok().flatten().map(<[u8]>::to_vec),
        xmp: ctx
            .xmp_item(id)
            .and_then(|x| ctx.item_data(x).ok())
            .map(Cow::into_owned),
    })
}

impl Info {
    /// A header-only decoded frame ([`crate::frame`]) of this size, for the engine's limit checks.
    pub fn to_frame(&self) -> Vec<u8> {
        crate::frame::write(&crate::frame::FrameRef {
            source: crate::frame::SOURCE_HEIF,
            width: self.width,
            height: self.height,
            channels: u8::from(!self.grey) * 2 + 1 + u8::from(self.has_alpha),
            icc: None,
            exif: None,
            xmp: None,
            damage: None,
            pixels: &[],
        })
    }
}

/// A HEIF file's metadata blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The ICC profile.
    pub icc: Option<Vec<u8>>,
    /// EXIF as a TIFF structure.
    pub exif: Option<Vec<u8>>,
    /// The XMP packet.
    pub xmp: Option<Vec<u8>>,
}

impl Image {
    /// This image as a decoded-frame container ([`crate::frame`]).
    pub fn to_frame(&self) -> Vec<u8> {
        crate::frame::write(&self.frame_ref(&self.pixels))
    }

    /// The decoded-frame container without its pixels: `frame_header()` followed by `pixels` is
    /// [`Image::to_frame`], so a caller can put the two together where it wants them (the wasm
    /// module, in JS memory, without a second copy of the pixels in its own).
    pub fn frame_header(&self) -> Vec<u8> {
        crate::frame::write(&self.frame_ref(&[]))
    }

    fn frame_ref<'a>(&'a self, pixels: &'a [u8]) -> crate::frame::FrameRef<'a> {
        crate::frame::FrameRef {
            source: crate::frame::SOURCE_HEIF,
            width: self.width,
            height: self.height,
            channels: self.channels,
            icc: self.icc.as_deref(),
            exif: self.exif.as_deref(),
            xmp: self.xmp.as_deref(),
            damage: self
                .damage
                .as_ref()
                .map(|d| (d.truncated, d.message.as_str())),
            pixels,
        }
    }
}

/// The ICC profile of the first coded picture, for files that put it there instead of on the
/// derived item.
fn first_icc(ctx: &Context<'_>, id: u32) -> Option<Vec<u8>> {
    let coded = first_coded(ctx, id, 0).ok()?;
    ctx.props(coded).ok()?.icc.map(<[u8]>::to_vec)
}

fn coded_size(ctx: &Context<'_>, id: u32, p: &ItemProps<'_>) -> Result<(u32, u32)> {
    if let Some(ispe) = p.ispe {
        return Ok((ispe.width, ispe.height));
    }
    let item = ctx
        .meta
        .item(id)
        .ok_or_else(|| Error::Malformed(format!("item {id} is referenced but missing")))?;
    if &item.item_type == b"iovl" {
        let data = ctx.item_data(id).map_err(lib)?;
        let o = Overlay::parse(&data, 0)?;
        return Ok((o.width, o.height));
    }
    ctx.coded_size(id, p).map_err(lib)
}

/// The first coded (hvc1) picture an item is made of.
fn first_coded(ctx: &Context<'_>, id: u32, depth: u32) -> Result<u32> {
    let item = ctx
        .meta
        .item(id)
        .ok_or_else(|| Error::Malformed(format!("item {id} is referenced but missing")))?;
    match &item.item_type {
        b"hvc1" => Ok(id),
        b"grid" | b"iovl" if depth < MAX_DEPTH => {
            let first = targets(&ctx.meta.refs, id, RefKind::Dimg)
                .first()
                .copied()
                .ok_or_else(|| Error::Malformed(format!("derived item {id} has no inputs")))?;
            first_coded(ctx, first, depth + 1)
        }
        b"grid" | b"iovl" => Err(Error::Malformed("derived images nested too deeply".into())),
        other => Err(unsupported_coding(*other)),
    }
}

fn unsupported_coding(kind: [u8; 4]) -> Error {
    let name = String::from_utf8_lossy(&kind).trim().to_owned();
    Error::Unsupported(match name.as_str() {
        "av01" => "AV1 coding (an AVIF image in a HEIF file)".to_owned(),
        "jpeg" => "JPEG-coded pictures".to_owned(),
        "unci" => "uncompressed pictures".to_owned(),
        "vvc1" => "VVC (H.266) coding".to_owned(),
        _ => format!("pictures coded as `{name}`"),
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Plane {
    /// RGB (3) or grey (1), converted from YCbCr.
    Colour { channels: u8 },
    /// The luma samples scaled to 8 bits, as they are (alpha is not video-range coded).
    Alpha,
}

impl Plane {
    const fn channels(self) -> u8 {
        match self {
            Self::Colour { channels } => channels,
            Self::Alpha => 1,
        }
    }
}

/// A picture of 1 to 4 interleaved 8-bit channels.
struct Picture {
    width: u32,
    height: u32,
    channels: u8,
    data: Vec<u8>,
}

impl Picture {
    fn filled(width: u32, height: u32, channels: u8, fill: &[u8], limit: u64) -> Result<Self> {
        let pixels = u64::from(width) * u64::from(height);
        if pixels > limit || width == 0 || height == 0 {
            return Err(Error::TooLarge { width, height });
        }
        let n = usize::from(channels);
        let mut data = vec![0u8; pixels as usize * n];
        if fill.iter().take(n).any(|v| *v != 0) {
            for px in data.chunks_exact_mut(n) {
                px.copy_from_slice(&fill[..n]);
            }
        }
        Ok(Self {
            width,
            height,
            channels,
            data,
        })
    }

    /// Copies `src` into self with its top-left corner at (`x`, `y`), clipped to both.
    fn paste(&mut self, src: &Picture, x: i64, y: i64) {
        let n = usize::from(self.channels);
        if src.channels != self.channels {
            return;
        }
        let (dw, dh) = (i64::from(self.width), i64::from(self.height));
        let x0 = x.max(0);
        let x1 = (x + i64::from(src.width)).min(dw);
        let y0 = y.max(0);
        let y1 = (y + i64::from(src.height)).min(dh);
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        let len = (x1 - x0) as usize * n;
        for row in y0..y1 {
            let s = (((row - y) * i64::from(src.width) + (x0 - x)) as usize) * n;
            let d = ((row * dw + x0) as usize) * n;
            self.data[d..d + len].copy_from_slice(&src.data[s..s + len]);
        }
    }
}

/// Renders item `id` (coded, grid or overlay) as `plane`.
fn render(
    ctx: &Context<'_>,
    id: u32,
    p: &ItemProps<'_>,
    plane: Plane,
    limit: u64,
    depth: u32,
) -> Result<Picture> {
    if depth > MAX_DEPTH {
        return Err(Error::Malformed("derived images nested too deeply".into()));
    }
    let item = ctx
        .meta
        .item(id)
        .ok_or_else(|| Error::Malformed(format!("item {id} is referenced but missing")))?;
    match &item.item_type {
        b"hvc1" => coded(ctx, id, p, p.nclx, plane, limit, None),
        b"grid" => grid(ctx, id, p, plane, limit),
        b"iovl" => overlay(ctx, id, plane, limit, depth),
        other => Err(unsupported_coding(*other)),
    }
}

/// One HEVC picture.
fn coded(
    ctx: &Context<'_>,
    id: u32,
    p: &ItemProps<'_>,
    parent_nclx: Option<Nclx>,
    plane: Plane,
    limit: u64,
    visible: Option<(u32, u32)>,
) -> Result<Picture> {
    let hvcc = p
        .hvcc
        .as_ref()
        .ok_or_else(|| Error::Malformed(format!("picture {id} has no hvcC box")))?;
    let data = ctx.item_data(id).map_err(lib)?;
    let nals = hvcc.split_nals(&data).map_err(lib)?;
    let params = hvcc.parameter_sets();
    if params.is_empty() {
        return Err(Error::Malformed(
            "an hvcC box without parameter sets".into(),
        ));
    }
    let mut frame = heic_rs::hevc::decode_still(&params, &nals).map_err(lib)?;
    frame.validate().map_err(lib)?;
    if u64::from(frame.width) * u64::from(frame.height) > limit {
        return Err(Error::TooLarge {
            width: frame.width,
            height: frame.height,
        });
    }
    if let Some((w, h)) = visible {
        if frame.width < w || frame.height < h {
            return Err(Error::Malformed(format!(
                "picture {id} is {} × {}, smaller than its place in the grid ({w} × {h})",
                frame.width, frame.height
            )));
        }
        // A tile overhanging the grid's edge holds padding past it (often zeros): crop before
        // the colour conversion, whose chroma upsampling would otherwise blend the padding into
        // the last visible column and row. The planes' strides stay, so no copy is needed.
        frame.width = w;
        frame.height = h;
    }
    match plane {
        Plane::Alpha => Ok(alpha_samples(&frame)),
        Plane::Colour { channels } => {
            let nclx = p
                .nclx
                .or(parent_nclx)
                .map_or_else(|| stream_nclx(&params), specified);
            let layout = if channels == 1 {
                PixelLayout::Gray8
            } else {
                PixelLayout::Rgb8
            };
            let image =
                heic_rs::color::convert(&frame, None, nclx, layout, limit, Some(1)).map_err(lib)?;
            Ok(Picture {
                width: image.width,
                height: image.height,
                channels,
                data: image.data,
            })
        }
    }
}

/// The conversion a picture without an `nclx` box gets: what its HEVC stream's VUI says (phones
/// write full range, BT.601), and where that is silent the syntax's inferred values, limited
/// range and an unspecified matrix, read as BT.601 (both as libheif does).
fn stream_nclx(params: &[&[u8]]) -> Nclx {
    let signal = params
        .iter()
        .find(|n| n.first().is_some_and(|b| (b >> 1) & 0x3f == 33))
        .and_then(|sps| vui::signal(sps));
    let matrix_code = match signal.and_then(|s| s.matrix) {
        // 2 = unspecified: the default.
        Some(m) if m != 2 => u16::from(m),
        _ => 6,
    };
    Nclx {
        primaries: 1,
        transfer: 13,
        matrix: MatrixCoefficients::from_code(matrix_code),
        matrix_code,
        range: if signal.is_some_and(|s| s.full_range) {
            Range::Full
        } else {
            Range::Limited
        },
    }
}

/// An `nclx` whose matrix is "unspecified" (2) gets BT.601, as libheif gives it (heic-rs would
/// use BT.709).
fn specified(nclx: Nclx) -> Nclx {
    if nclx.matrix == MatrixCoefficients::Unspecified {
        Nclx {
            matrix: MatrixCoefficients::Bt601,
            matrix_code: 6,
            ..nclx
        }
    } else {
        nclx
    }
}

/// Luma samples scaled to 8 bits (rounded), for an alpha plane.
fn alpha_samples(frame: &Frame) -> Picture {
    let (w, h) = (frame.width as usize, frame.height as usize);
    let stride = frame.y_stride as usize;
    let max = (1u32 << frame.bit_depth.clamp(1, 16)) - 1;
    let mut data = Vec::with_capacity(w * h);
    for row in frame.y.chunks(stride).take(h) {
        data.extend(row.iter().take(w).map(|&v| {
            let v = u32::from(v).min(max);
            ((v * 255 + max / 2) / max) as u8
        }));
    }
    data.resize(w * h, 0);
    Picture {
        width: frame.width,
        height: frame.height,
        channels: 1,
        data,
    }
}

/// A `grid`: tiles decoded and converted one by one into the output (a tile row at a time in
/// parallel with the `parallel` feature), so no full-size YCbCr picture ever exists.
fn grid(
    ctx: &Context<'_>,
    id: u32,
    p: &ItemProps<'_>,
    plane: Plane,
    limit: u64,
) -> Result<Picture> {
    let (g, tiles) = ctx
        .grid(id)
        .map_err(lib)?
        .ok_or_else(|| Error::Malformed(format!("grid item {id} is not a grid")))?;
    let out_pixels = u64::from(g.output_width) * u64::from(g.output_height);
    if out_pixels > limit {
        return Err(Error::TooLarge {
            width: g.output_width,
            height: g.output_height,
        });
    }
    let first = *tiles
        .first()
        .ok_or_else(|| Error::Malformed("a grid without tiles".into()))?;
    let first_props = ctx.props(first).map_err(lib)?;
    let (tw, th) = first_props
        .ispe
        .map(|i| (i.width, i.height))
        .ok_or_else(|| Error::Malformed("a grid tile without its size (ispe)".into()))?;
    let columns = g.columns as usize;
    if tw == 0
        || th == 0
        || u64::from(tw) * u64::from(g.columns) < u64::from(g.output_width)
        || u64::from(th) * u64::from(g.rows) < u64::from(g.output_height)
    {
        return Err(Error::Malformed(format!(
            "a grid of {}×{} tiles of {tw} × {th} cannot cover {} × {}",
            g.columns, g.rows, g.output_width, g.output_height
        )));
    }
    let channels = plane.channels();
    let n = usize::from(channels);
    let mut out = Picture::filled(g.output_width, g.output_height, channels, &[0; 4], limit)?;
    let band_len = th as usize * g.output_width as usize * n;
    let tile = |index: usize, visible: (u32, u32)| -> Result<Picture> {
        let t = *tiles
            .get(index)
            .ok_or_else(|| Error::Malformed(format!("grid tile {index} is missing")))?;
        let tp = ctx.props(t).map_err(lib)?;
        if tp.ispe.is_some_and(|i| (i.width, i.height) != (tw, th)) {
            return Err(Error::Malformed(format!(
                "grid tile {index} is not {tw} × {th} as the first"
            )));
        }
        coded(ctx, t, &tp, p.nclx, plane, limit, Some(visible))
    };
    let fill_band = |(row, band): (usize, &mut [u8])| -> Result<()> {
        let rows = band.len() / (g.output_width as usize * n);
        let mut strip = Picture {
            width: g.output_width,
            height: rows as u32,
            channels,
            data: std::mem::take(&mut band.to_vec()),
        };
        for col in 0..columns {
            let x = col as u32 * tw;
            let visible = (tw.min(g.output_width - x), rows as u32);
            let pic = tile(row * columns + col, visible)?;
            strip.paste(&pic, i64::from(x), 0);
        }
        band.copy_from_slice(&strip.data);
        Ok(())
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        out.data
            .par_chunks_mut(band_len)
            .enumerate()
            .try_for_each(fill_band)?;
    }
    #[cfg(not(feature = "parallel"))]
    {
        out.data
            .chunks_mut(band_len)
            .enumerate()
            .try_for_each(fill_band)?;
    }
    Ok(out)
}

/// The `iovl` overlay's description (ISO/IEC 23008-12, 6.6.2.3).
struct Overlay {
    fill: [u16; 4],
    width: u32,
    height: u32,
    offsets: Vec<(i64, i64)>,
}

impl Overlay {
    fn parse(data: &[u8], inputs: usize) -> Result<Self> {
        let short = || Error::Truncated("reading the overlay (iovl) description".into());
        let (&version, rest) = data.split_first().ok_or_else(short)?;
        if version != 0 {
            return Err(Error::Unsupported(format!(
                "an overlay of version {version}"
            )));
        }
        let (&flags, mut rest) = rest.split_first().ok_or_else(short)?;
        let wide = flags & 1 != 0;
        let mut take = |n: usize| -> Result<u64> {
            let b = rest.get(..n).ok_or_else(short)?;
            rest = &rest[n..];
            Ok(b.iter().fold(0u64, |acc, v| acc << 8 | u64::from(*v)))
        };
        let mut fill = [0u16; 4];
        for f in &mut fill {
            *f = take(2)? as u16;
        }
        let field = if wide { 4 } else { 2 };
        let width = take(field)? as u32;
        let height = take(field)? as u32;
        let signed = |v: u64| -> i64 {
            if wide {
                i64::from(v as u32 as i32)
            } else {
                i64::from(v as u16 as i16)
            }
        };
        let mut offsets = Vec::with_capacity(inputs.min(1024));
        for _ in 0..inputs {
            let x = signed(take(field)?);
            let y = signed(take(field)?);
            offsets.push((x, y));
        }
        Ok(Self {
            fill,
            width,
            height,
            offsets,
        })
    }
}

/// An `iovl`: its inputs drawn in order onto a canvas of the fill colour.
fn overlay(ctx: &Context<'_>, id: u32, plane: Plane, limit: u64, depth: u32) -> Result<Picture> {
    let inputs = targets(&ctx.meta.refs, id, RefKind::Dimg).to_vec();
    if inputs.contains(&id) {
        return Err(Error::Malformed(format!("overlay {id} includes itself")));
    }
    let data = ctx.item_data(id).map_err(lib)?;
    let o = Overlay::parse(&data, inputs.len())?;
    let fill = match plane {
        Plane::Alpha => [(o.fill[3] >> 8) as u8; 4],
        Plane::Colour { channels: 1 } => [(o.fill[0] >> 8) as u8; 4],
        Plane::Colour { .. } => [
            (o.fill[0] >> 8) as u8,
            (o.fill[1] >> 8) as u8,
            (o.fill[2] >> 8) as u8,
            0,
        ],
    };
    let mut canvas = Picture::filled(o.width, o.height, plane.channels(), &fill, limit)?;
    for (input, (x, y)) in inputs.iter().zip(&o.offsets) {
        let ip = ctx.props(*input).map_err(lib)?;
        let mut pic = render(ctx, *input, &ip, plane, limit, depth + 1)?;
        // An input with an alpha plane of its own is blended over what is below it.
        let alpha = match (plane, ctx.alpha_item(*input).map_err(lib)?) {
            (Plane::Colour { .. }, Some(a)) => {
                let ap = ctx.props(a).map_err(lib)?;
                let a = render(ctx, a, &ap, Plane::Alpha, limit, depth + 1)?;
                (a.width == pic.width && a.height == pic.height).then_some(a)
            }
            _ => None,
        };
        if let Some(a) = alpha {
            pic = blend_under(&canvas, pic, &a, (*x, *y));
        }
        // An input's own rotation and mirror apply before it is placed.
        if ip
            .transforms
            .iter()
            .any(|t| !matches!(t, Transform::Crop(_)))
        {
            pic = transformed(pic, &ip.transforms)?;
        }
        canvas.paste(&pic, *x, *y);
    }
    Ok(canvas)
}

/// `pic` with `alpha` applied over the part of `canvas` it will cover at `at`.
fn blend_under(canvas: &Picture, mut pic: Picture, alpha: &Picture, at: (i64, i64)) -> Picture {
    let n = usize::from(pic.channels);
    let (cw, ch) = (i64::from(canvas.width), i64::from(canvas.height));
    for y in 0..i64::from(pic.height) {
        let cy = y + at.1;
        for x in 0..i64::from(pic.width) {
            let cx = x + at.0;
            let i = (y * i64::from(pic.width) + x) as usize;
            let a = u32::from(alpha.data[i]);
            if a == 255 {
                continue;
            }
            let below = (cx >= 0 && cy >= 0 && cx < cw && cy < ch)
                .then(|| &canvas.data[((cy * cw + cx) as usize) * n..][..n]);
            for c in 0..n {
                let b = below.map_or(0, |b| u32::from(b[c]));
                let v = u32::from(pic.data[i * n + c]);
                pic.data[i * n + c] = ((v * a + b * (255 - a) + 127) / 255) as u8;
            }
        }
    }
    pic
}

fn transformed(pic: Picture, transforms: &[Transform]) -> Result<Picture> {
    let layout = match pic.channels {
        1 => PixelLayout::Gray8,
        3 => PixelLayout::Rgb8,
        _ => PixelLayout::Rgba8,
    };
    let channels = pic.channels;
    let image = heic_rs::transform::apply_all(
        heic_rs::Image {
            data: pic.data,
            width: pic.width,
            height: pic.height,
            layout,
        },
        transforms,
    )
    .map_err(lib)?;
    Ok(Picture {
        width: image.width,
        height: image.height,
        channels,
        data: image.data,
    })
}

fn interleave_alpha(colour: &Picture, alpha: &[u8]) -> Picture {
    let n = usize::from(colour.channels);
    let mut data = Vec::with_capacity(colour.data.len() + alpha.len());
    for (px, a) in colour.data.chunks_exact(n).zip(alpha) {
        data.extend_from_slice(px);
        data.push(*a);
    }
    Picture {
        width: colour.width,
        height: colour.height,
        channels: colour.channels + 1,
        data,
    }
}

fn grey_alpha_to_rgba(p: &Picture) -> Picture {
    let mut data = Vec::with_capacity(p.data.len() * 2);
    for px in p.data.chunks_exact(2) {
        data.extend_from_slice(&[px[0], px[0], px[0], px[1]]);
    }
    Picture {
        width: p.width,
        height: p.height,
        channels: 4,
        data,
    }
}

fn rgba_to_grey_alpha(data: &[u8]) -> Vec<u8> {
    data.chunks_exact(4).flat_map(|px| [px[0], px[3]]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_header_then_the_pixels_is_the_frame() {
        let image = Image {
            width: 3,
            height: 2,
            channels: 4,
            pixels: (0..24).collect(),
            icc: Some(vec![1, 2, 3]),
            exif: None,
            xmp: Some(b"<x/>".to_vec()),
            damage: Some(crate::integrity::Damage {
                truncated: true,
                message: "the file ends early".into(),
            }),
        };
        let mut joined = image.frame_header();
        joined.extend_from_slice(&image.pixels);
        assert_eq!(joined, image.to_frame());
        let read = crate::frame::read(&joined).unwrap();
        assert_eq!((read.width, read.height, read.pixels.len()), (3, 2, 24));
    }

    #[test]
    fn overlay_description_is_read_and_checked() {
        let mut d = vec![0u8, 0];
        d.extend_from_slice(&[0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff]);
        d.extend_from_slice(&[0x05, 0xa0, 0x03, 0xc0]); // 1440 × 960
        d.extend_from_slice(&[0, 10, 0xff, 0xf6]); // (10, -10)
        let o = Overlay::parse(&d, 1).expect("valid");
        assert_eq!((o.width, o.height), (1440, 960));
        assert_eq!(o.offsets, vec![(10, -10)]);
        assert_eq!(o.fill, [0xffff, 0, 0, 0xffff]);
        assert!(matches!(Overlay::parse(&d, 2), Err(Error::Truncated(_))));
        assert!(matches!(
            Overlay::parse(&[1, 0], 0),
            Err(Error::Unsupported(_))
        ));
    }

    #[test]
    fn nothing_but_heif_is_read() {
        assert!(probe(b"").is_err());
        assert!(decode(b"\xff\xd8\xff\xe0", 1 << 20).is_err());
    }
}
