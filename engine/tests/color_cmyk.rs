//! CMYK JPEGs with an embedded CMYK ICC profile come out in the right colours: converted through
//! the profile to sRGB and checked against littleCMS (Pillow's `ImageCms.profileToProfile` with the
//! same profile), for Adobe CMYK (APP14 transform 0) and YCCK (transform 2). With `metadata:
//! keep` the output still carries no CMYK profile (read back with exiftool). The fixture and its
//! origin: `fixtures/cmyk/README.md`.
//!
//! The reference uses what `codec::color` uses: perceptual intent (the profile's A2B0 table),
//! no black-point compensation. littleCMS forces black-point compensation for perceptual intent
//! whenever a v4 profile is in the chain, and its built-in sRGB is v4.4, so the reference's sRGB
//! is that profile with its header version set to 2.1 (the same tags; littleCMS reads them
//! alike). littleCMS's own perceptual result (with that compensation: deeper blacks) is printed
//! for comparison.

#![allow(clippy::unwrap_used)]

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use retouch_engine::codec::{self, metadata, Limits};
use retouch_engine::contract::{parse_options, parse_tool_calls, Format};
use retouch_engine::pipeline::{ImageInput, Job, Output};

/// ΔE bounds against littleCMS, mean and max (measured: see `cmyk_profile_matches_littlecms`).
const MEAN_DE76: f64 = 0.5;
const MAX_DE76: f64 = 2.5;
const MEAN_DE2000: f64 = 0.35;
const MAX_DE2000: f64 = 2.5;

fn fixture() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cmyk/ladybird-swop.jpg");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn scratch(name: &str) -> PathBuf {
    fixtures::scratch("color_cmyk", name)
}

fn run(bytes: &[u8], options: &str) -> Output {
    let job = Job {
        tool_calls: parse_tool_calls("[]").unwrap(),
        options: parse_options(options).unwrap(),
        limits: Limits::default(),
    };
    let input = ImageInput {
        bytes,
        name: "print.jpg",
        id: None,
        tags: &[],
    };
    job.run(&input, &mut |_| ControlFlow::Continue(())).unwrap()
}

/// What Pillow makes of a CMYK JPEG (read Adobe-inverted, as we do): [`Reference::Perceptual`]
/// is the reference (see the module notes).
#[derive(Debug, Clone, Copy)]
enum Reference {
    /// littleCMS, perceptual, no black-point compensation.
    Perceptual,
    /// littleCMS, perceptual with its forced black-point compensation.
    PerceptualBpc,
    /// Pillow's naive conversion, ignoring the profile.
    Naive,
}

fn pillow_rgb(jpeg: &[u8], reference: Reference) -> Vec<u8> {
    let (src, out) = (scratch("in.jpg"), scratch("ref.png"));
    std::fs::write(&src, jpeg).unwrap();
    let script = "import io,sys\nfrom PIL import Image, ImageCms\n\
        im=Image.open(sys.argv[1]); assert im.mode=='CMYK', im.mode\n\
        srgb=ImageCms.ImageCmsProfile(ImageCms.createProfile('sRGB'))\n\
        v2=bytearray(srgb.tobytes()); v2[8:10]=b'\\x02\\x10'\n\
        src=ImageCms.ImageCmsProfile(io.BytesIO(im.info['icc_profile']))\n\
        if sys.argv[3]=='Naive': out=im.convert('RGB')\n\
        else: out=ImageCms.profileToProfile(im,src,\
        srgb if sys.argv[3]=='PerceptualBpc' else ImageCms.ImageCmsProfile(io.BytesIO(bytes(v2))),\
        renderingIntent=0,outputMode='RGB')\n\
        out.save(sys.argv[2])\n";
    // Debian's python3 with python3-pil (a pyenv python on PATH may lack Pillow).
    let python = std::env::var("RETOUCH_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
    fixtures::tool(
        &python,
        &[
            "-c",
            script,
            src.to_str().unwrap(),
            out.to_str().unwrap(),
            &format!("{reference:?}"),
        ],
    );
    image::open(&out).unwrap().to_rgb8().into_raw()
}

fn decoded_rgb(bytes: &[u8]) -> Vec<u8> {
    image::load_from_memory(bytes).unwrap().to_rgb8().into_raw()
}

/// CIEDE2000 (Sharma, Wu, Dalal 2005), kL = kC = kH = 1.
fn de2000(x: [f64; 3], y: [f64; 3]) -> f64 {
    use std::f64::consts::PI;
    let (l1, a1, b1) = (x[0], x[1], x[2]);
    let (l2, a2, b2) = (y[0], y[1], y[2]);
    let c_bar = (a1.hypot(b1) + a2.hypot(b2)) / 2.0;
    let g = 0.5 * (1.0 - (c_bar.powi(7) / (c_bar.powi(7) + 25f64.powi(7))).sqrt());
    let (a1p, a2p) = ((1.0 + g) * a1, (1.0 + g) * a2);
    let (c1p, c2p) = (a1p.hypot(b1), a2p.hypot(b2));
    let hue = |b: f64, a: f64| {
        if a == 0.0 && b == 0.0 {
            0.0
        } else {
            b.atan2(a).rem_euclid(2.0 * PI)
        }
    };
    let (h1p, h2p) = (hue(b1, a1p), hue(b2, a2p));
    let dl = l2 - l1;
    let dc = c2p - c1p;
    let dh = if c1p * c2p == 0.0 {
        0.0
    } else {
        let d = h2p - h1p;
        if d > PI {
            d - 2.0 * PI
        } else if d < -PI {
            d + 2.0 * PI
        } else {
            d
        }
    };
    let dh_big = 2.0 * (c1p * c2p).sqrt() * (dh / 2.0).sin();
    let l_bar = (l1 + l2) / 2.0;
    let c_bar_p = (c1p + c2p) / 2.0;
    let h_bar = if c1p * c2p == 0.0 {
        h1p + h2p
    } else if (h1p - h2p).abs() <= PI {
        (h1p + h2p) / 2.0
    } else if h1p + h2p < 2.0 * PI {
        (h1p + h2p + 2.0 * PI) / 2.0
    } else {
        (h1p + h2p - 2.0 * PI) / 2.0
    };
    let t = 1.0 - 0.17 * (h_bar - PI / 6.0).cos()
        + 0.24 * (2.0 * h_bar).cos()
        + 0.32 * (3.0 * h_bar + PI / 30.0).cos()
        - 0.20 * (4.0 * h_bar - 63.0 * PI / 180.0).cos();
    let d_theta = (30.0 * PI / 180.0) * (-((h_bar * 180.0 / PI - 275.0) / 25.0).powi(2)).exp();
    let rc = 2.0 * (c_bar_p.powi(7) / (c_bar_p.powi(7) + 25f64.powi(7))).sqrt();
    let sl = 1.0 + 0.015 * (l_bar - 50.0).powi(2) / (20.0 + (l_bar - 50.0).powi(2)).sqrt();
    let sc = 1.0 + 0.045 * c_bar_p;
    let sh = 1.0 + 0.015 * c_bar_p * t;
    let rt = -(2.0 * d_theta).sin() * rc;
    ((dl / sl).powi(2) + (dc / sc).powi(2) + (dh_big / sh).powi(2) + rt * (dc / sc) * (dh_big / sh))
        .sqrt()
}

/// Mean and max of ΔE76 and ΔE2000 between two RGB buffers.
struct Delta {
    mean76: f64,
    max76: f64,
    mean2000: f64,
    max2000: f64,
}

fn delta(a: &[u8], b: &[u8]) -> Delta {
    assert_eq!(a.len(), b.len(), "sizes differ");
    let mut d = Delta {
        mean76: 0.0,
        max76: 0.0,
        mean2000: 0.0,
        max2000: 0.0,
    };
    let n = (a.len() / 3) as f64;
    for (p, q) in a.chunks_exact(3).zip(b.chunks_exact(3)) {
        let (l, m) = (fixtures::lab(p), fixtures::lab(q));
        let (e76, e2000) = (fixtures::de76(l, m), de2000(l, m));
        d.mean76 += e76 / n;
        d.mean2000 += e2000 / n;
        d.max76 = d.max76.max(e76);
        d.max2000 = d.max2000.max(e2000);
    }
    d
}

impl std::fmt::Display for Delta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ΔE76 mean {:.3} max {:.3}, ΔE2000 mean {:.3} max {:.3}",
            self.mean76, self.max76, self.mean2000, self.max2000
        )
    }
}

fn assert_within(name: &str, d: &Delta) {
    assert!(
        d.mean76 <= MEAN_DE76
            && d.max76 <= MAX_DE76
            && d.mean2000 <= MEAN_DE2000
            && d.max2000 <= MAX_DE2000,
        "{name}: {d}"
    );
}

/// The fixture's CMYK samples (0 = no ink), as jpeg-decoder reads them.
fn cmyk_samples(jpeg: &[u8]) -> (Vec<u8>, u16, u16) {
    let mut dec = jpeg_decoder::Decoder::new(std::io::Cursor::new(jpeg));
    let samples = dec.decode().unwrap();
    let info = dec.info().unwrap();
    assert_eq!(info.pixel_format, jpeg_decoder::PixelFormat::CMYK32);
    (samples, info.width, info.height)
}

/// The same CMYK re-encoded with jpeg-encoder as `color` (Adobe CMYK or YCCK), baseline or
/// progressive, profile embedded.
fn reencoded(color: jpeg_encoder::ColorType, progressive: bool) -> Vec<u8> {
    let source = fixture();
    let (samples, w, h) = cmyk_samples(&source);
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 95);
    enc.set_progressive(progressive);
    enc.add_icc_profile(&metadata::read(&source).icc.unwrap())
        .unwrap();
    enc.encode(&samples, w, h, color).unwrap();
    out
}

#[test]
fn cmyk_profile_matches_littlecms() {
    let jpeg = fixture();
    let ours = decoded_rgb(&run(&jpeg, r#"{"outputFormat":"png"}"#).bytes);
    let reference = pillow_rgb(&jpeg, Reference::Perceptual);
    let d = delta(&ours, &reference);
    let naive = delta(&pillow_rgb(&jpeg, Reference::Naive), &reference);
    eprintln!("Adobe CMYK + SWOP profile vs littleCMS perceptual: {d}");
    eprintln!(
        "  (vs littleCMS perceptual with black-point compensation: {})",
        delta(&ours, &pillow_rgb(&jpeg, Reference::PerceptualBpc))
    );
    eprintln!("  (naive formula, no profile, vs littleCMS perceptual: {naive})");
    assert_within("Adobe CMYK", &d);
    // The profile is what makes the difference: the naive conversion is far off.
    assert!(naive.mean76 > 10.0 * d.mean76, "{naive}");
}

#[test]
fn ycck_and_progressive_match_littlecms_too() {
    for (name, color, progressive) in [
        (
            "Adobe CMYK (transform 0)",
            jpeg_encoder::ColorType::Cmyk,
            false,
        ),
        (
            "YCCK (transform 2)",
            jpeg_encoder::ColorType::CmykAsYcck,
            false,
        ),
        (
            "progressive Adobe CMYK",
            jpeg_encoder::ColorType::Cmyk,
            true,
        ),
        (
            "progressive YCCK",
            jpeg_encoder::ColorType::CmykAsYcck,
            true,
        ),
    ] {
        let jpeg = reencoded(color, progressive);
        let ours = decoded_rgb(&run(&jpeg, r#"{"outputFormat":"png"}"#).bytes);
        let d = delta(&ours, &pillow_rgb(&jpeg, Reference::Perceptual));
        eprintln!("{name}, re-encoded by jpeg-encoder: {d}");
        assert_within(name, &d);
    }
}

#[test]
fn decode_converts_and_applies_the_orientation() {
    let jpeg = fixture();
    let upright = codec::decode(&jpeg, &Limits::default()).unwrap().frame;
    assert_eq!(upright.color(), image::ColorType::Rgb8);
    assert_eq!((upright.width(), upright.height()), (320, 200));
    // EXIF Orientation 6 (big-endian TIFF, one IFD entry): shown turned 90° clockwise.
    let exif = b"MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0".to_vec();
    let meta = metadata::Metadata {
        exif: Some(exif),
        ..metadata::read(&jpeg)
    };
    let turned = metadata::embed(jpeg, Format::Jpg, &meta);
    let decoded = codec::decode(&turned, &Limits::default()).unwrap();
    assert_eq!((decoded.info.width, decoded.info.height), (200, 320));
    assert_eq!(decoded.frame, upright.rotate90());
}

/// exiftool's tags, `group:tag` → value.
fn exiftool(bytes: &[u8], name: &str) -> serde_json::Map<String, serde_json::Value> {
    let path = scratch(name);
    std::fs::write(&path, bytes).unwrap();
    let json: serde_json::Value = serde_json::from_str(&fixtures::tool(
        "exiftool",
        &["-j", "-G1", "-a", path.to_str().unwrap()],
    ))
    .unwrap();
    json[0].as_object().unwrap().clone()
}

#[test]
fn output_never_carries_the_cmyk_profile() {
    let jpeg = fixture();
    let input_tags = exiftool(&jpeg, "input.jpg");
    assert_eq!(input_tags["ICC-header:ColorSpaceData"], "CMYK");
    let converted = decoded_rgb(&run(&jpeg, r#"{"outputFormat":"png"}"#).bytes);
    for options in [
        r#"{}"#,
        r#"{"metadata":"keep"}"#,
        r#"{"metadata":"keep","neverLarger":true}"#,
        r#"{"metadata":"copyright"}"#,
        r#"{"metadata":"keep","outputFormat":"png"}"#,
        r#"{"metadata":"keep","outputFormat":"webp"}"#,
    ] {
        let out = run(&jpeg, options);
        assert!(!out.kept_input, "{options}: CMYK input is never kept");
        let tags = exiftool(&out.bytes, "output");
        let stale: Vec<_> = tags
            .keys()
            .filter(|k| k.starts_with("ICC") || k.starts_with("Adobe:"))
            .collect();
        assert!(stale.is_empty(), "{options}: {stale:?}");
        if let Some(components) = tags.get("File:ColorComponents") {
            assert_eq!(components, 3, "{options}");
        }
        // Converted pixels whatever the policy: near the PNG's (these outputs are lossy, at
        // quality 80), where the naive conversion is ΔE76 27 away on average.
        let d = delta(&decoded_rgb(&out.bytes), &converted);
        assert!(d.mean76 < 4.0, "{options}: {d}");
    }
}
