//! The bad-input matrix's cases: every class of hostile or unusual file, in every format, built
//! here (no fixture files). Shared by the engine's matrix test and the CLI's batch test.

// Each of the two test crates uses a part of it.
#![allow(dead_code)]

use std::io::Cursor;

use image::codecs::gif::GifEncoder;
use image::{DynamicImage, Frame, ImageBuffer, ImageFormat, Luma, LumaA, Rgb, Rgba};
use retouch_engine::ErrorKind;

use crate::fixtures::{self, crc32, png_chunk};

/// What an input may give.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expect {
    /// A correct result.
    Ok,
    /// A correct result or a `decode` error (e.g. a truncated file some decoders partly read).
    OkOrDecode,
    /// A `decode` error.
    Decode,
    /// A `limits` error, refused before any pixel buffer exists.
    Limits,
    /// A `decode` or `limits` error (a corrupted header may claim a huge size).
    Refused,
    /// Any of the above: a corrupted byte may land where it changes nothing that matters (a CRC
    /// the decoder does not check, a reserved field), or, in a HEIC's boxes, make it claim a
    /// variant we do not read (`unsupported`).
    Anything,
}

impl Expect {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::OkOrDecode => "ok|decode",
            Self::Decode => "decode",
            Self::Limits => "limits",
            Self::Refused => "decode|limits",
            Self::Anything => "ok|decode|limits|unsupported",
        }
    }

    pub fn allows(self, kind: Option<ErrorKind>) -> bool {
        matches!(
            (self, kind),
            (Self::Ok | Self::OkOrDecode | Self::Anything, None)
                | (
                    Self::OkOrDecode | Self::Decode | Self::Refused | Self::Anything,
                    Some(ErrorKind::Decode)
                )
                | (
                    Self::Limits | Self::Refused | Self::Anything,
                    Some(ErrorKind::Limits)
                )
                | (Self::Anything, Some(ErrorKind::Unsupported))
        )
    }
}

/// One input of the matrix: its class, a file name, its bytes and what it may give.
pub struct Case {
    pub class: &'static str,
    pub name: String,
    pub bytes: Vec<u8>,
    pub expect: Expect,
}

// ---------------------------------------------------------------- generators

fn colourful(w: u32, h: u32) -> ImageBuffer<Rgba<u8>, Vec<u8>> {
    ImageBuffer::from_fn(w, h, |x, y| {
        Rgba([
            (x * 7) as u8,
            (y * 5) as u8,
            ((x ^ y) * 3) as u8,
            96 + (x % 160) as u8,
        ])
    })
}

fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let img = match format {
        ImageFormat::Jpeg => DynamicImage::ImageRgb8(img.to_rgb8()),
        _ => img.clone(),
    };
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

const FORMATS: [(&str, ImageFormat); 5] = [
    ("png", ImageFormat::Png),
    ("jpg", ImageFormat::Jpeg),
    ("webp", ImageFormat::WebP),
    ("gif", ImageFormat::Gif),
    ("bmp", ImageFormat::Bmp),
];

/// The chunks of a PNG file as (type, data).
fn png_chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    let mut out = Vec::new();
    let mut at = 8;
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        let kind: [u8; 4] = png[at + 4..at + 8].try_into().unwrap();
        out.push((kind, png[at + 8..at + 8 + len].to_vec()));
        at += 12 + len;
    }
    out
}

/// A PNG whose IHDR claims `w` × `h` (valid CRCs, a few bytes of pixel data).
fn png_claiming(w: u32, h: u32, colour_type: u8) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let ihdr = [
        &w.to_be_bytes()[..],
        &h.to_be_bytes(),
        &[8, colour_type, 0, 0, 0],
    ]
    .concat();
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1]);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A two-frame animated PNG (APNG) built from a still PNG of the same size.
fn apng(w: u32, h: u32) -> Vec<u8> {
    let still = encode(&DynamicImage::ImageRgba8(colourful(w, h)), ImageFormat::Png);
    let chunks = png_chunks(&still);
    let fctl = |seq: u32| {
        [
            &seq.to_be_bytes()[..],
            &w.to_be_bytes(),
            &h.to_be_bytes(),
            &[0; 8],
            &[0, 1, 0, 10, 0, 0],
        ]
        .concat()
    };
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut seq = 0;
    for (kind, data) in &chunks {
        match kind {
            b"IHDR" => {
                png_chunk(&mut out, kind, data);
                png_chunk(&mut out, b"acTL", &[0, 0, 0, 2, 0, 0, 0, 0]);
            }
            b"IDAT" => {
                png_chunk(&mut out, b"fcTL", &fctl(seq));
                png_chunk(&mut out, kind, data);
                png_chunk(&mut out, b"fcTL", &fctl(seq + 1));
                png_chunk(
                    &mut out,
                    b"fdAT",
                    &[&(seq + 2).to_be_bytes()[..], data].concat(),
                );
                seq += 3;
            }
            _ => png_chunk(&mut out, kind, data),
        }
    }
    out
}

/// A PNG with an iCCP chunk (a made-up but well-formed zlib stream) before the pixels.
fn png_with_iccp(w: u32, h: u32) -> Vec<u8> {
    let still = encode(
        &DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(colourful(w, h)).to_rgb8()),
        ImageFormat::Png,
    );
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in png_chunks(&still) {
        png_chunk(&mut out, &kind, &data);
        if &kind == b"IHDR" {
            // name, NUL, method 0, then zlib of "not really a profile" (stored block).
            let profile = b"not really a profile";
            let mut z = vec![
                0x78,
                0x01,
                0x01,
                profile.len() as u8,
                0,
                !(profile.len() as u8),
                0xff,
            ];
            z.extend(profile);
            z.extend(adler32(profile).to_be_bytes());
            png_chunk(&mut out, b"iCCP", &[&b"icc\0\0"[..], &z].concat());
        }
    }
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

fn jpeg_with(
    color: jpeg_encoder::ColorType,
    w: u16,
    h: u16,
    channels: usize,
    icc: Option<&[u8]>,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 85);
    if let Some(icc) = icc {
        enc.add_icc_profile(icc).unwrap();
    }
    let data: Vec<u8> = (0..usize::from(w) * usize::from(h) * channels)
        .map(|i| (i * 13 % 251) as u8)
        .collect();
    enc.encode(&data, w, h, color).unwrap();
    out
}

/// A JPEG whose SOF claims `w` × `h`.
fn jpeg_claiming(w: u16, h: u16) -> Vec<u8> {
    let mut j = encode(
        &DynamicImage::ImageRgba8(colourful(16, 16)),
        ImageFormat::Jpeg,
    );
    let sof = j
        .windows(2)
        .position(|m| m[0] == 0xff && (m[1] == 0xc0 || m[1] == 0xc2))
        .unwrap();
    j[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    j[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    j
}

/// A GIF whose screen and first frame claim `w` × `h`.
fn gif_claiming(w: u16, h: u16) -> Vec<u8> {
    let mut out = b"GIF89a".to_vec();
    out.extend(w.to_le_bytes());
    out.extend(h.to_le_bytes());
    out.extend([0x80, 0, 0, 0, 0, 0, 255, 255, 255, 0x2c, 0, 0, 0, 0]);
    out.extend(w.to_le_bytes());
    out.extend(h.to_le_bytes());
    out.extend([0, 2, 2, 0x4c, 0x01, 0, 0x3b]);
    out
}

fn animated_gif(w: u32, h: u32, frames: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = GifEncoder::new(&mut out);
        let frames = (0..frames).map(|i| {
            Frame::new(ImageBuffer::from_fn(w, h, |x, y| {
                Rgba([(x * 9 + i * 80) as u8, (y * 9) as u8, 40, 255])
            }))
        });
        enc.encode_frames(frames).unwrap();
    }
    out
}

fn riff(chunks: &[u8]) -> Vec<u8> {
    [
        &b"RIFF"[..],
        &(chunks.len() as u32 + 4).to_le_bytes(),
        b"WEBP",
        chunks,
    ]
    .concat()
}

fn webp_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = [&kind[..], &(data.len() as u32).to_le_bytes(), data].concat();
    if data.len() % 2 == 1 {
        c.push(0);
    }
    c
}

fn u24(v: u32) -> [u8; 3] {
    let b = v.to_le_bytes();
    [b[0], b[1], b[2]]
}

/// A WebP whose VP8L header claims `w` × `h` (at most 16384 each).
fn webp_vp8l_claiming(w: u32, h: u32) -> Vec<u8> {
    let bits = (w - 1) | ((h - 1) << 14);
    riff(&webp_chunk(
        b"VP8L",
        &[&[0x2f][..], &bits.to_le_bytes(), &[0]].concat(),
    ))
}

/// A WebP whose VP8X canvas claims `w` × `h` (up to 2^24 each).
fn webp_vp8x_claiming(w: u32, h: u32) -> Vec<u8> {
    let vp8x = [&[0u8, 0, 0, 0][..], &u24(w - 1), &u24(h - 1)].concat();
    riff(
        &[
            webp_chunk(b"VP8X", &vp8x),
            webp_chunk(b"VP8L", &[0x2f, 0xff, 0xff, 0xff, 0x0f, 0]),
        ]
        .concat(),
    )
}

/// The VP8L chunk payload of a lossless WebP from `image`.
fn vp8l_payload(w: u32, h: u32) -> Vec<u8> {
    let still = encode(
        &DynamicImage::ImageRgba8(colourful(w, h)),
        ImageFormat::WebP,
    );
    let at = still.windows(4).position(|c| c == b"VP8L").unwrap();
    let len = u32::from_le_bytes(still[at + 4..at + 8].try_into().unwrap()) as usize;
    still[at + 8..at + 8 + len].to_vec()
}

/// A two-frame animated WebP (VP8X + ANIM + ANMF frames holding lossless data).
fn animated_webp(w: u32, h: u32) -> Vec<u8> {
    let frame = vp8l_payload(w, h);
    let vp8x = [&[0x12u8, 0, 0, 0][..], &u24(w - 1), &u24(h - 1)].concat(); // alpha + animation
    let mut chunks = webp_chunk(b"VP8X", &vp8x);
    chunks.extend(webp_chunk(b"ANIM", &[255, 255, 255, 255, 0, 0]));
    for _ in 0..2 {
        let header = [
            &u24(0)[..],
            &u24(0),
            &u24(w - 1),
            &u24(h - 1),
            &u24(100),
            &[0],
        ]
        .concat();
        chunks.extend(webp_chunk(
            b"ANMF",
            &[header, webp_chunk(b"VP8L", &frame)].concat(),
        ));
    }
    riff(&chunks)
}

/// A BMP header claiming `w` × `h` (negative height: top-down) with no pixels.
fn bmp_claiming(w: i32, h: i32) -> Vec<u8> {
    let mut out = b"BM".to_vec();
    out.extend(70u32.to_le_bytes());
    out.extend([0; 4]);
    out.extend(54u32.to_le_bytes());
    out.extend(40u32.to_le_bytes());
    out.extend(w.to_le_bytes());
    out.extend(h.to_le_bytes());
    out.extend(1u16.to_le_bytes());
    out.extend(24u16.to_le_bytes());
    out.extend([0; 40]);
    out
}

fn shared_image(name: &str) -> Option<Vec<u8>> {
    std::fs::read(fixtures::images_dir().join(name)).ok()
}

/// The CMYK profile of the CMYK fixture (Ghostscript's SWOP profile; see its README).
fn swop_profile() -> Vec<u8> {
    let jpeg = include_bytes!("../fixtures/cmyk/ladybird-swop.jpg");
    retouch_engine::codec::metadata::read(jpeg).icc.unwrap()
}

/// A CMYK profile whose A2B0 `mft2` table claims a 255⁴ grid (25 GB) and holds 64 bytes.
fn cmyk_profile_claiming_huge_lut() -> Vec<u8> {
    let mut lut = b"mft2\0\0\0\0".to_vec();
    lut.extend([4, 3, 255, 0]);
    for i in 0..9u32 {
        lut.extend(if i % 4 == 0 { 0x0001_0000u32 } else { 0 }.to_be_bytes());
    }
    lut.extend(4096u16.to_be_bytes());
    lut.extend(4096u16.to_be_bytes());
    lut.extend([0x55; 64]);
    let mut out = vec![0u8; 128];
    out[8] = 2;
    out[12..16].copy_from_slice(b"prtr");
    out[16..20].copy_from_slice(b"CMYK");
    out[20..24].copy_from_slice(b"Lab ");
    out[36..40].copy_from_slice(b"acsp");
    out.extend(1u32.to_be_bytes());
    out.extend(b"A2B0");
    out.extend(144u32.to_be_bytes());
    out.extend((lut.len() as u32).to_be_bytes());
    out.extend(lut);
    let len = out.len() as u32;
    out[..4].copy_from_slice(&len.to_be_bytes());
    out
}

// ---------------------------------------------------------------- the matrix

pub fn matrix() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut add = |class: &'static str, name: String, bytes: Vec<u8>, expect: Expect| {
        cases.push(Case {
            class,
            name,
            bytes,
            expect,
        });
    };
    let picture = DynamicImage::ImageRgba8(colourful(40, 30));

    add("empty", "empty".into(), Vec::new(), Expect::Decode);
    add("empty", "one-byte".into(), vec![0], Expect::Decode);
    add(
        "empty",
        "whitespace".into(),
        b" \n\t ".to_vec(),
        Expect::Decode,
    );

    for (ext, format) in FORMATS {
        let good = encode(&picture, format);
        add("good", format!("good.{ext}"), good.clone(), Expect::Ok);

        // Truncated at several points: inside the signature, the header, the data, the very end.
        let len = good.len();
        let mut cuts = vec![
            1,
            4,
            8,
            12,
            16,
            26,
            33,
            48,
            len / 4,
            len / 2,
            len * 3 / 4,
            len - 2,
            len - 1,
        ];
        cuts.retain(|&c| c > 0 && c < len);
        cuts.dedup();
        for cut in cuts {
            // A cut in the data may still decode (missing rows are blank), never anything else.
            add(
                "truncated",
                format!("truncated-{cut}of{len}.{ext}"),
                good[..cut].to_vec(),
                Expect::OkOrDecode,
            );
        }

        // Corrupt headers: each header byte inverted, then each set to 0xff.
        for at in 0..len.min(40) {
            for (how, f) in [
                ("inv", (|b: u8| !b) as fn(u8) -> u8),
                ("ff", |_| 0xff),
                ("00", |_| 0),
            ] {
                let mut bad = good.clone();
                if f(bad[at]) == bad[at] {
                    continue;
                }
                bad[at] = f(bad[at]);
                add(
                    "corrupt-header",
                    format!("corrupt-{how}-at{at}.{ext}"),
                    bad,
                    Expect::Anything,
                );
            }
        }
        // Garbage after a valid signature.
        let sig = match ext {
            "png" => 8,
            "webp" => 12,
            "gif" => 6,
            _ => 2,
        };
        let garbage: Vec<u8> = (0..200u32).map(|i| (i * 97 % 256) as u8).collect();
        add(
            "corrupt-header",
            format!("garbage-after-signature.{ext}"),
            [&good[..sig], &garbage].concat(),
            Expect::Refused,
        );

        // Wrong extension: the bytes decide, never the name.
        let other = if ext == "png" { "jpg" } else { "png" };
        add(
            "wrong-extension",
            format!("really-{ext}.{other}"),
            good.clone(),
            Expect::Ok,
        );

        // 1×1.
        add(
            "1x1",
            format!("one-pixel.{ext}"),
            encode(&DynamicImage::ImageRgba8(colourful(1, 1)), format),
            Expect::Ok,
        );
    }
    add(
        "wrong-extension",
        "text-file.png".into(),
        b"hello, this is not an image\n".to_vec(),
        Expect::Decode,
    );
    add(
        "wrong-extension",
        "tiff-as.jpg".into(),
        b"II*\0\x08\0\0\0\0\0\0\0".to_vec(),
        Expect::Decode,
    );
    add(
        "wrong-extension",
        "pdf-as.png".into(),
        b"%PDF-1.7\n%\xe2\xe3\n1 0 obj".to_vec(),
        Expect::Decode,
    );

    // Decompression bombs: tiny files claiming huge sizes.
    for (w, h) in [
        (100_000, 100_000),
        (10_001, 10_000),
        (40_000, 10),
        (u32::MAX, u32::MAX),
    ] {
        add(
            "bomb",
            format!("bomb-{w}x{h}.png"),
            png_claiming(w, h, 6),
            Expect::Refused,
        );
    }
    add(
        "bomb",
        "bomb-65500x65500-grey16.png".into(),
        {
            let mut p = png_claiming(65_500, 65_500, 0);
            p[24] = 16;
            let crc = crc32(&p[12..29]);
            p[29..33].copy_from_slice(&crc.to_be_bytes());
            p
        },
        Expect::Limits,
    );
    for (w, h) in [(65_500, 65_500), (65_535, 1600)] {
        add(
            "bomb",
            format!("bomb-{w}x{h}.jpg"),
            jpeg_claiming(w, h),
            Expect::Limits,
        );
    }
    for (w, h) in [(65_535, 65_535), (40_000, 2)] {
        add(
            "bomb",
            format!("bomb-{w}x{h}.gif"),
            gif_claiming(w, h),
            Expect::Limits,
        );
    }
    add(
        "bomb",
        "bomb-16000x16000-vp8l.webp".into(),
        webp_vp8l_claiming(16_000, 16_000),
        Expect::Limits,
    );
    // image-webp 0.2.4 reads a lossless header of 16384 (the format's maximum) as 0: refused as
    // "no pixels" (decode) — safe, though a real 16384-px lossless WebP cannot be opened.
    add(
        "bomb",
        "bomb-16384x16384-vp8l.webp".into(),
        webp_vp8l_claiming(16_384, 16_384),
        Expect::Refused,
    );
    add(
        "bomb",
        "bomb-16777216x16777216-vp8x.webp".into(),
        webp_vp8x_claiming(1 << 24, 1 << 24),
        Expect::Refused,
    );
    for (w, h) in [(100_000, 100_000), (30_000, -30_000), (i32::MAX, i32::MIN)] {
        add(
            "bomb",
            format!("bomb-{w}x{h}.bmp"),
            bmp_claiming(w, h),
            Expect::Refused,
        );
    }

    // Animated files: the first frame is edited.
    add(
        "animated",
        "animated-3-frames.gif".into(),
        animated_gif(24, 16, 3),
        Expect::Ok,
    );
    add(
        "animated",
        "animated-2-frames.png".into(),
        apng(24, 16),
        Expect::Ok,
    );
    add(
        "animated",
        "animated-2-frames.webp".into(),
        animated_webp(24, 16),
        Expect::Ok,
    );

    // Deep, CMYK, grey+alpha, ICC.
    let rgba16 = ImageBuffer::from_fn(20, 10, |x, y| {
        Rgba([(x * 3000) as u16, (y * 6000) as u16, 40_000, 50_000])
    });
    add(
        "16-bit",
        "rgba16.png".into(),
        encode(&DynamicImage::ImageRgba16(rgba16), ImageFormat::Png),
        Expect::Ok,
    );
    let rgb16 = ImageBuffer::from_fn(20, 10, |x, y| {
        Rgb([(x * 3000) as u16, (y * 6000) as u16, 65_535])
    });
    add(
        "16-bit",
        "rgb16.png".into(),
        encode(&DynamicImage::ImageRgb16(rgb16), ImageFormat::Png),
        Expect::Ok,
    );
    let grey16 = ImageBuffer::from_fn(20, 10, |x, _| Luma([(x * 3000) as u16]));
    add(
        "16-bit",
        "grey16.png".into(),
        encode(&DynamicImage::ImageLuma16(grey16), ImageFormat::Png),
        Expect::Ok,
    );
    let greya16 =
        ImageBuffer::from_fn(20, 10, |x, y| LumaA([(x * 3000) as u16, (y * 6000) as u16]));
    add(
        "16-bit",
        "grey-alpha16.png".into(),
        encode(&DynamicImage::ImageLumaA16(greya16), ImageFormat::Png),
        Expect::Ok,
    );
    add(
        "cmyk",
        "cmyk.jpg".into(),
        jpeg_with(jpeg_encoder::ColorType::Cmyk, 24, 16, 4, None),
        Expect::Ok,
    );
    add(
        "cmyk",
        "ycck.jpg".into(),
        jpeg_with(jpeg_encoder::ColorType::CmykAsYcck, 24, 16, 4, None),
        Expect::Ok,
    );
    let greya = ImageBuffer::from_fn(20, 10, |x, y| LumaA([(x * 12) as u8, (y * 25) as u8]));
    add(
        "grey-alpha",
        "grey-alpha8.png".into(),
        encode(&DynamicImage::ImageLumaA8(greya), ImageFormat::Png),
        Expect::Ok,
    );
    add(
        "grey-alpha",
        "grey.jpg".into(),
        jpeg_with(jpeg_encoder::ColorType::Luma, 24, 16, 1, None),
        Expect::Ok,
    );
    let icc: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
    add(
        "icc",
        "icc-rgb.jpg".into(),
        jpeg_with(jpeg_encoder::ColorType::Rgb, 24, 16, 3, Some(&icc)),
        Expect::Ok,
    );
    add("icc", "icc.png".into(), png_with_iccp(24, 16), Expect::Ok);
    // CMYK profiles: a real one (converted through it), and garbage, truncated, hostile or
    // mismatched ones (refused: the naive CMYK conversion applies, or the profile is ignored).
    let swop = swop_profile();
    let hostile_lut = cmyk_profile_claiming_huge_lut();
    let srgb = moxcms::ColorProfile::new_srgb().encode().unwrap();
    for (name, colour, channels, profile) in [
        ("cmyk-swop.jpg", jpeg_encoder::ColorType::Cmyk, 4, &swop[..]),
        (
            "ycck-swop.jpg",
            jpeg_encoder::ColorType::CmykAsYcck,
            4,
            &swop[..],
        ),
        (
            "cmyk-garbage-icc.jpg",
            jpeg_encoder::ColorType::Cmyk,
            4,
            &icc[..],
        ),
        (
            "cmyk-truncated-icc.jpg",
            jpeg_encoder::ColorType::Cmyk,
            4,
            &swop[..5000],
        ),
        (
            "cmyk-hostile-lut-icc.jpg",
            jpeg_encoder::ColorType::Cmyk,
            4,
            &hostile_lut[..],
        ),
        (
            "cmyk-with-rgb-icc.jpg",
            jpeg_encoder::ColorType::Cmyk,
            4,
            &srgb[..],
        ),
        (
            "rgb-with-cmyk-icc.jpg",
            jpeg_encoder::ColorType::Rgb,
            3,
            &swop[..],
        ),
    ] {
        add(
            "icc",
            name.into(),
            jpeg_with(colour, 24, 16, channels, Some(profile)),
            Expect::Ok,
        );
    }
    let cmyk_swop = jpeg_with(jpeg_encoder::ColorType::Cmyk, 24, 16, 4, Some(&swop));
    add(
        "icc",
        "cmyk-swop-truncated.jpg".into(),
        cmyk_swop[..cmyk_swop.len() - 200].to_vec(),
        Expect::OkOrDecode,
    );
    heic_cases(&mut add);
    for (class, name) in [("icc", "icc-profile.png"), ("grey-alpha", "gray-alpha.png")] {
        if let Some(bytes) = shared_image(name) {
            add(class, format!("shared-{name}"), bytes, Expect::Ok);
        }
    }
    cases
}

/// HEIC: real phone files (`heic/` of the shared photos), cut, corrupted, claiming huge sizes,
/// and a grid with a missing tile.
fn heic_cases(add: &mut impl FnMut(&'static str, String, Vec<u8>, Expect)) {
    let Some(grey) = shared_image("heic/L_exif_xmp_iptc.heic") else {
        return;
    };
    add("heic", "good-grey.heic".into(), grey.clone(), Expect::Ok);
    if let Some(bytes) = shared_image("heic/alpha.heic") {
        add("heic", "good-overlay.heic".into(), bytes, Expect::Ok);
    }
    if let Some(bytes) = shared_image("heic/truncated.heic") {
        add(
            "heic",
            "shared-truncated.heic".into(),
            bytes,
            Expect::Decode,
        );
    }
    for len in [12, 24, 100, 400, 2000, grey.len() / 2, grey.len() - 1] {
        add(
            "heic",
            format!("cut-{len}.heic"),
            grey[..len].to_vec(),
            Expect::Decode,
        );
    }
    // Every ispe box claiming 60000 × 60000: refused before any pixel buffer exists.
    let mut bomb = grey.clone();
    let mut at = 0;
    while let Some(i) = bomb[at..].windows(4).position(|x| x == b"ispe") {
        let p = at + i + 8;
        bomb[p..p + 4].copy_from_slice(&60_000u32.to_be_bytes());
        bomb[p + 4..p + 8].copy_from_slice(&60_000u32.to_be_bytes());
        at = p + 8;
    }
    add("heic", "bomb-60000x60000.heic".into(), bomb, Expect::Limits);
    // Bytes of the meta box (item info, locations, properties) and of the coded data flipped.
    let meta_end = 28 + 579.min(grey.len() - 28);
    for (i, pos) in (30..meta_end)
        .step_by(37)
        .chain((meta_end..grey.len()).step_by(4999))
        .enumerate()
    {
        let mut bad = grey.clone();
        bad[pos] ^= 0xA5;
        add(
            "heic",
            format!("corrupt-{i}-at-{pos}.heic"),
            bad,
            Expect::Anything,
        );
    }
    // A grid whose first tile reference points at an item that does not exist.
    if let Some(mut pug) = shared_image("heic/pug.heic") {
        if let Some(dimg) = pug.windows(4).position(|x| x == b"dimg") {
            pug[dimg + 8] = 0x7f;
            pug[dimg + 9] = 0x7f;
            add("heic", "grid-missing-tile.heic".into(), pug, Expect::Decode);
        }
    }
}
