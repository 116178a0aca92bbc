//! Lists a HEIF file's items and their properties (debugging aid):
//! `cargo run -p retouch-heif --example heif_items -- in.heic`

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: heif_items IN.heic")?;
    let bytes = std::fs::read(path)?;
    let ctx = heic_rs::context::Context::open(&bytes).map_err(|e| e.to_string())?;
    println!("primary {}", ctx.meta.primary);
    for item in &ctx.meta.items {
        let p = ctx.props(item.id).map_err(|e| e.to_string())?;
        println!(
            "item {} {} hidden={} ispe={:?} nclx={:?} icc={} transforms={:?} auxc={:?} hvcc_chroma={:?}",
            item.id,
            String::from_utf8_lossy(&item.item_type),
            item.hidden,
            p.ispe.map(|i| (i.width, i.height)),
            p.nclx,
            p.icc.map_or(0, <[u8]>::len),
            p.transforms,
            p.auxc.map(|a| a.urn),
            p.hvcc.as_ref().map(|h| (h.chroma_format, h.bit_depth_luma)),
        );
    }
    for r in &ctx.meta.refs {
        println!("ref {:?} {} -> {:?}", r.kind, r.from, r.to);
    }
    Ok(())
}
