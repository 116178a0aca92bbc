//! XMP packets as text: removing the `exif:GPS…` properties, resetting `tiff:Orientation`, and
//! building a copyright-only packet from `dc:creator` and `dc:rights`.
//!
//! Properties are found by their conventional prefixes (`exif:`, `tiff:`, `dc:`), which is how
//! every writer we know of (Adobe, exiftool, cameras, phones) spells them. A packet that is not
//! UTF-8 is dropped.

/// The packet without GPS properties (unless `keep_gps`) and with Orientation 1.
pub(super) fn keep(xmp: &[u8], keep_gps: bool) -> Option<Vec<u8>> {
    let mut text = std::str::from_utf8(xmp).ok()?.to_owned();
    if !keep_gps {
        text = remove_properties(&text, "exif:GPS");
    }
    text = set_orientation_1(&text);
    Some(text.into_bytes())
}

/// A new packet with only `dc:creator` and `dc:rights` (copied as written), or `None`.
pub(super) fn copyright_only(xmp: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(xmp).ok()?;
    let kept: Vec<&str> = ["dc:creator", "dc:rights"]
        .into_iter()
        .filter_map(|name| element(text, name))
        .collect();
    if kept.is_empty() {
        return None;
    }
    Some(packet(&kept.join("\n   ")).into_bytes())
}

/// A minimal XMP packet whose one description holds `body`.
fn packet(body: &str) -> String {
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n \
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n  \
         <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n   \
         {body}\n  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"
    )
}

/// The whole element `<name …>…</name>` (first occurrence), when present.
fn element<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let start = find_open(text, name, 0)?;
    let close = format!("</{name}>");
    let end = text[start..].find(&close)? + start + close.len();
    Some(&text[start..end])
}

/// The start of the next `<name` followed by `>`, `/`, or whitespace, from `from`.
fn find_open(text: &str, name: &str, from: usize) -> Option<usize> {
    let pat = format!("<{name}");
    let mut at = from;
    while let Some(i) = text.get(at..)?.find(&pat) {
        let start = at + i;
        let after = text[start + pat.len()..].chars().next();
        if matches!(after, Some('>' | '/' | ' ' | '\t' | '\r' | '\n')) {
            return Some(start);
        }
        at = start + pat.len();
    }
    None
}

/// Removes every property whose qualified name starts with `prefix`, in both forms: elements
/// (`<exif:GPSLatitude>…</exif:GPSLatitude>`, including nested ones) and attributes
/// (`exif:GPSLatitude="…"`).
fn remove_properties(text: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let elem = rest.find(&format!("<{prefix}"));
        let attr = find_attribute(rest, prefix);
        match (elem, attr) {
            (Some(e), a) if a.is_none_or(|a| e < a) => {
                out.push_str(&rest[..e]);
                rest = &rest[e..];
                let name_end = rest[1..]
                    .find(|c: char| c == '>' || c == '/' || c.is_whitespace())
                    .map_or(rest.len(), |i| i + 1);
                let name = &rest[1..name_end];
                let open_end = rest.find('>').map_or(rest.len(), |i| i + 1);
                if rest[..open_end].ends_with("/>") {
                    rest = &rest[open_end..];
                } else {
                    let close = format!("</{name}>");
                    rest = rest.find(&close).map_or("", |i| &rest[i + close.len()..]);
                }
            }
            (_, Some(a)) => {
                out.push_str(rest[..a].trim_end_matches([' ', '\t', '\r', '\n']));
                rest = &rest[a..];
                let eq = rest.find('=').unwrap_or(rest.len());
                let after_eq = &rest[eq..];
                let quote = after_eq.chars().nth(1).filter(|q| *q == '"' || *q == '\'');
                rest = match quote {
                    Some(q) => after_eq[2..].find(q).map_or("", |i| &after_eq[2 + i + 1..]),
                    None => &after_eq[after_eq.len().min(1)..],
                };
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// The position of the next attribute `prefix…=` (preceded by whitespace).
fn find_attribute(text: &str, prefix: &str) -> Option<usize> {
    let mut at = 0;
    while let Some(i) = text.get(at..)?.find(prefix) {
        let start = at + i;
        let before = text[..start].chars().next_back();
        let name_len = text[start..]
            .find(|c: char| c == '=' || c == '>' || c.is_whitespace())
            .unwrap_or(0);
        let is_attr = before.is_some_and(char::is_whitespace)
            && text[start + name_len..].trim_start().starts_with('=');
        if is_attr {
            return Some(start);
        }
        at = start + prefix.len();
    }
    None
}

/// `tiff:Orientation` (either form) becomes 1: the pixels are already upright.
fn set_orientation_1(text: &str) -> String {
    let mut out = text.to_owned();
    for (open, close) in [
        ("tiff:Orientation=\"", "\""),
        ("tiff:Orientation='", "'"),
        ("<tiff:Orientation>", "</tiff:Orientation>"),
    ] {
        if let Some(i) = out.find(open) {
            let v = i + open.len();
            if let Some(j) = out[v..].find(close) {
                out.replace_range(v..v + j, "1");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
   exif:GPSLatitude="48,51.5N" tiff:Orientation="6" exif:ExposureTime="1/100">
  <exif:GPSLongitude>2,21.1E</exif:GPSLongitude>
  <exif:GPSVersionID><rdf:Seq><rdf:li>2</rdf:li></rdf:Seq></exif:GPSVersionID>
  <dc:creator><rdf:Seq><rdf:li>Jo Rust</rdf:li></rdf:Seq></dc:creator>
  <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">CC BY 4.0</rdf:li></rdf:Alt></dc:rights>
  <dc:subject><rdf:Bag><rdf:li>holiday</rdf:li></rdf:Bag></dc:subject>
 </rdf:Description></rdf:RDF></x:xmpmeta>"#;

    #[test]
    fn keep_removes_gps_both_forms_and_resets_orientation() {
        let k = String::from_utf8(keep(SAMPLE.as_bytes(), false).unwrap()).unwrap();
        assert!(!k.contains("GPS"), "{k}");
        assert!(!k.contains("48,51"));
        assert!(k.contains("tiff:Orientation=\"1\""));
        assert!(k.contains("exif:ExposureTime=\"1/100\""));
        assert!(k.contains("holiday"));
        let g = String::from_utf8(keep(SAMPLE.as_bytes(), true).unwrap()).unwrap();
        assert!(g.contains("exif:GPSLatitude=\"48,51.5N\""));
    }

    #[test]
    fn copyright_only_keeps_creator_and_rights() {
        let c = String::from_utf8(copyright_only(SAMPLE.as_bytes()).unwrap()).unwrap();
        assert!(c.contains("Jo Rust") && c.contains("CC BY 4.0"));
        assert!(!c.contains("holiday") && !c.contains("GPS") && !c.contains("Orientation"));
        assert!(copyright_only(b"<x:xmpmeta/>").is_none());
    }

    #[test]
    fn odd_text_does_not_panic() {
        for s in [
            "<exif:GPS",
            " exif:GPSA=",
            " exif:GPSA=\"x",
            "<exif:GPSA>open",
            "\u{e9}exif:GPS",
        ] {
            let _ = keep(s.as_bytes(), false);
            let _ = copyright_only(s.as_bytes());
        }
        assert!(keep(&[0xff, 0xfe], false).is_none());
    }
}
