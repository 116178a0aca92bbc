//! Inputs that must be refused with the right error kind, never a panic: empty, truncated,
//! corrupt, mislabelled, and tiny files whose headers claim enormous sizes (decompression bombs).

#![allow(clippy::unwrap_used)]

#[path = "fixtures/mod.rs"]
mod fixtures;

use fixtures::{png_chunk, read};
use retouch_engine::codec::{decode, encode, inspect, Limits};
use retouch_engine::contract::{Format, Quality};
use retouch_engine::ErrorKind;

/// Both `inspect` and `decode` refuse `bytes` with `kind`; returns decode's message.
fn refused(bytes: &[u8], kind: ErrorKind) -> String {
    let limits = Limits::default();
    let head = &bytes[..bytes.len().min(8)];
    let e = inspect(bytes, &limits).expect_err("inspect must refuse");
    assert_eq!(e.kind(), kind, "inspect {head:?}: {e}");
    let e = decode(bytes, &limits).expect_err("decode must refuse");
    assert_eq!(e.kind(), kind, "decode {head:?}: {e}");
    e.to_string()
}

fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]); // 8-bit RGBA
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1]);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

fn gif_claiming(width: u16, height: u16) -> Vec<u8> {
    let mut out = b"GIF89a".to_vec();
    out.extend(width.to_le_bytes());
    out.extend(height.to_le_bytes());
    out.extend([0x80, 0, 0]); // global colour table of 2 entries
    out.extend([0, 0, 0, 255, 255, 255]);
    out.push(0x2c); // image descriptor
    out.extend([0, 0, 0, 0]);
    out.extend(width.to_le_bytes());
    out.extend(height.to_le_bytes());
    out.push(0);
    out.extend([2, 2, 0x4c, 0x01, 0]); // LZW: min code size 2, one tiny sub-block
    out.push(0x3b);
    out
}

fn bmp_claiming(width: i32, height: i32) -> Vec<u8> {
    let mut out = b"BM".to_vec();
    out.extend(70u32.to_le_bytes());
    out.extend([0; 4]);
    out.extend(54u32.to_le_bytes());
    out.extend(40u32.to_le_bytes());
    out.extend(width.to_le_bytes());
    out.extend(height.to_le_bytes());
    out.extend(1u16.to_le_bytes());
    out.extend(24u16.to_le_bytes());
    out.extend([0; 24]); // no compression, sizes and palette counts zero
    out.extend([0; 16]);
    out
}

fn webp_vp8x_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut chunk = b"VP8X".to_vec();
    chunk.extend(10u32.to_le_bytes());
    chunk.extend([0, 0, 0, 0]);
    chunk.extend(&(width - 1).to_le_bytes()[..3]);
    chunk.extend(&(height - 1).to_le_bytes()[..3]);
    // a lossless image chunk claiming the same (VP8L stores 14 bits; the canvas rules)
    chunk.extend(b"VP8L");
    chunk.extend(5u32.to_le_bytes());
    chunk.extend([0x2f, 0xff, 0xff, 0xff, 0x0f, 0]);
    let mut out = b"RIFF".to_vec();
    out.extend((chunk.len() as u32 + 4).to_le_bytes());
    out.extend(b"WEBP");
    out.extend(chunk);
    out
}

fn webp_vp8l_claiming(width: u32, height: u32) -> Vec<u8> {
    let bits = (width - 1) | ((height - 1) << 14);
    let mut chunk = b"VP8L".to_vec();
    chunk.extend(5u32.to_le_bytes());
    chunk.push(0x2f);
    chunk.extend(bits.to_le_bytes());
    chunk.push(0);
    let mut out = b"RIFF".to_vec();
    out.extend((chunk.len() as u32 + 4).to_le_bytes());
    out.extend(b"WEBP");
    out.extend(chunk);
    out
}

fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
    let mut out = vec![0xff, 0xd8];
    // DQT: one table of ones
    out.extend([0xff, 0xdb, 0, 67, 0]);
    out.extend([1; 64]);
    // SOF0: 8-bit, height, width, one component
    out.extend([0xff, 0xc0, 0, 11, 8]);
    out.extend(height.to_be_bytes());
    out.extend(width.to_be_bytes());
    out.extend([1, 1, 0x11, 0]);
    // DHT: DC table 0 with a single 1-bit code for category 0
    out.extend([0xff, 0xc4, 0, 20, 0x00, 1]);
    out.extend([0; 15]);
    out.push(0);
    // SOS
    out.extend([0xff, 0xda, 0, 8, 1, 1, 0x00, 0, 63, 0]);
    out.extend([0; 16]);
    out.extend([0xff, 0xd9]);
    out
}

#[test]
fn empty_file_says_so() {
    assert_eq!(
        refused(b"", ErrorKind::Decode),
        "cannot decode image: the file is empty"
    );
}

#[test]
fn unknown_bytes_and_wrong_extensions() {
    let msg = refused(
        b"this is a text file saved as photo.jpg\n",
        ErrorKind::Decode,
    );
    assert!(
        msg.contains("not a JPEG, PNG, WebP, GIF, BMP or HEIC"),
        "{msg}"
    );
    // The extension is never trusted: a PNG called .jpg is a PNG.
    let info = inspect(&read("transparent.png"), &Limits::default()).unwrap();
    assert_eq!(format!("{}", info.format), "PNG");
}

#[test]
fn tiny_files_claiming_huge_sizes_are_refused_before_decoding() {
    let bombs: Vec<(&str, Vec<u8>)> = vec![
        ("png", png_claiming(60_000, 60_000)),
        ("gif", gif_claiming(60_000, 60_000)),
        ("bmp", bmp_claiming(60_000, 60_000)),
        ("webp vp8x", webp_vp8x_claiming(60_000, 60_000)),
        ("webp vp8l", webp_vp8l_claiming(16_000, 16_000)),
        ("jpeg", jpeg_claiming(60_000, 60_000)),
    ];
    for (what, bytes) in bombs {
        assert!(bytes.len() < 1024, "{what} is {} bytes", bytes.len());
        let msg = refused(&bytes, ErrorKind::Limits);
        assert!(msg.contains("over the limit of 100 MP"), "{what}: {msg}");
    }
    assert_eq!(
        refused(&png_claiming(60_000, 60_000), ErrorKind::Limits),
        "image is 60000 × 60000 = 3600 MP, over the limit of 100 MP"
    );
}

#[test]
fn one_long_side_is_refused_too() {
    let msg = refused(&png_claiming(40_000, 2), ErrorKind::Limits);
    assert!(
        msg.contains("longest side (40000 px) is over the limit of 32768 px"),
        "{msg}"
    );
}

#[test]
fn custom_limits_apply() {
    let bytes = read("GreenMeadow.jpg");
    let tight = Limits {
        max_pixels: 1_000_000,
        ..Limits::default()
    };
    let e = inspect(&bytes, &tight).unwrap_err();
    assert_eq!(
        e.to_string(),
        "image is 1280 × 1024 = 1.3 MP, over the limit of 1.0 MP"
    );
    let small = Limits {
        max_input_bytes: 1000,
        ..Limits::default()
    };
    assert_eq!(
        decode(&bytes, &small).unwrap_err().kind(),
        ErrorKind::Limits
    );
}

#[test]
fn truncated_files_fail_cleanly_or_decode_what_is_there() {
    // Small files keep this quick: a real JPEG, and a PNG and a WebP made from a crop of it.
    let photo = decode(&read("FreshFlower.jpg"), &Limits::default())
        .unwrap()
        .frame
        .crop_imm(600, 400, 300, 200);
    let quality = Quality::new(80).unwrap();
    let files = [
        ("FreshFlower.jpg", read("FreshFlower.jpg")),
        (
            "crop.png",
            encode(&photo.to_luma_alpha8().into(), Format::Png, quality).unwrap(),
        ),
        ("crop.webp", encode(&photo, Format::Webp, quality).unwrap()),
    ];
    for (name, bytes) in files {
        let full = inspect(&bytes, &Limits::default()).unwrap();
        for cut in [1, 2, 8, 20, 100, 400, bytes.len() / 2, bytes.len() - 1] {
            match decode(&bytes[..cut], &Limits::default()) {
                Err(e) => assert_eq!(e.kind(), ErrorKind::Decode, "{name} cut at {cut}: {e}"),
                // A JPEG cut inside its scan data decodes as far as it goes (as browsers do);
                // a file missing only its end marker is whole.
                Ok(d) => {
                    let trailer = cut + 16 > bytes.len();
                    assert!(
                        name.ends_with(".jpg") || trailer,
                        "{name} cut at {cut} decoded"
                    );
                    assert_eq!(
                        (d.frame.width(), d.frame.height()),
                        (full.width, full.height)
                    );
                }
            }
        }
    }
}

#[test]
fn corrupt_headers_are_decode_errors() {
    let mut png = read("transparent.png");
    png[16..20].copy_from_slice(&[0xde, 0xad, 0xbe, 0xef]); // IHDR width, CRC now wrong
    refused(&png, ErrorKind::Decode);

    let mut jpeg = read("GreenMeadow.jpg");
    for b in &mut jpeg[2..600] {
        *b = 0x5a;
    }
    refused(&jpeg, ErrorKind::Decode);

    refused(b"GIF89a\x01", ErrorKind::Decode);
    refused(b"BM\0\0", ErrorKind::Decode);
    refused(b"RIFF\x04\0\0\0WEBP", ErrorKind::Decode);
    refused(&png_claiming(0, 10), ErrorKind::Decode);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Any bytes after any supported signature: an error of the right kind or a picture, never a panic.
    #[test]
    fn garbage_after_a_valid_signature_never_panics(
        signature in 0usize..5,
        tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
    ) {
        let signatures: [&[u8]; 5] = [
            b"\xff\xd8\xff",
            b"\x89PNG\r\n\x1a\n",
            b"GIF89a",
            b"BM",
            b"RIFF\0\0\0\0WEBPVP8 ",
        ];
        let mut bytes = signatures[signature].to_vec();
        bytes.extend(tail);
        if let Err(e) = decode(&bytes, &Limits::default()) {
            proptest::prop_assert!(matches!(e.kind(), ErrorKind::Decode | ErrorKind::Limits), "{}", e);
        }
    }
}
