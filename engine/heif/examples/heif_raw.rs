//! Decodes a HEIF file to raw interleaved 8-bit pixels, for comparing against another decoder:
//! `cargo run --release -p retouch-heif --features parallel --example heif_raw -- in.heic out.raw`
//! prints `width height channels milliseconds`.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        return Err("usage: heif_raw IN.heic OUT.raw".into());
    };
    let bytes = std::fs::read(input)?;
    let start = Instant::now();
    let image = retouch_heif::decode(&bytes, 100_000_000)?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    std::fs::write(output, &image.pixels)?;
    println!(
        "{} {} {} {ms:.0}",
        image.width, image.height, image.channels
    );
    Ok(())
}
