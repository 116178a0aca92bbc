//! What is added to or saved from the picture: format and quality, borders, and text.
//!
//! Quality words: "high quality" 90, "best/maximum quality" 100, "medium" 75, "low quality" 60;
//! "compress" (no number) 70. Border words: "thin" 5 px, "thick"/"wide"/"big" 30 px, default
//! 10 px black (the contract's defaults are left out of the call). Text sizes: "small" 16,
//! "large"/"big" 48, "huge" 72; a watermark sits bottom right unless placed.

use super::clause::Clause;
use super::lexer::{Kind, Unit};
use retouch_contract::{
    AdjustQualityParams, BorderParams, BoundedText, Color, ConvertFormatParams, FontSize, Format,
    Gravity, Quality, TextParams, Thickness, Tool,
};

/// What a clause asked to add or save.
#[derive(Default)]
pub(crate) struct Output {
    pub calls: Vec<(usize, Tool)>,
    pub notes: Vec<String>,
    pub incomplete: Vec<String>,
}

pub(crate) fn extract(c: &mut Clause) -> Output {
    let mut o = Output::default();
    text(c, &mut o);
    border(c, &mut o);
    format_and_quality(c, &mut o);
    o.calls.sort_by_key(|(at, _)| *at);
    o
}

fn quality(v: f64) -> Option<Quality> {
    v.is_finite().then(|| Quality::saturating(v.round() as i64))
}

fn format_and_quality(c: &mut Clause, o: &mut Output) {
    let fmt_at = (0..c.len()).find(|&i| {
        c.word(i).is_some_and(|w| {
            Format::from_name(w).is_some()
                || matches!(w, "gif" | "tiff" | "tif" | "heic" | "avif" | "bmp")
        })
    });
    let q_at = c.find(&["quality", "q", "compression"]);
    let compress = c.find(&[
        "compress",
        "compressed",
        "compression",
        "optimize",
        "optimise",
        "optimized",
        "filesize",
    ]);
    let q_words: &[(&str, f64)] = &[
        ("highest", 100.0),
        ("best", 100.0),
        ("maximum", 100.0),
        ("max", 100.0),
        ("full", 100.0),
        ("high", 90.0),
        ("good", 85.0),
        ("medium", 75.0),
        ("normal", 75.0),
        ("low", 60.0),
        ("lower", 60.0),
        ("lowest", 30.0),
    ];
    let mut q = None;
    let mut at = fmt_at;
    if let Some(qi) = q_at {
        // "quality 80", "80 quality", "quality of 80", "q80", "80% quality".
        let num = (qi.saturating_sub(2)..(qi + 4).min(c.len())).find(|&i| {
            !c.is_used(i) && matches!(c.toks[i].number(), Some((_, Unit::None | Unit::Percent)))
        });
        if let Some(n) = num {
            q = c.toks[n].number().and_then(|(v, _)| quality(v));
            c.take(n);
            c.take(qi);
        } else if let Some((wi, v)) = q_words.iter().find_map(|(w, v)| {
            c.find(&[w])
                .filter(|i| i + 1 == qi || i + 2 == qi)
                .map(|i| (i, *v))
        }) {
            q = quality(v);
            c.take(wi);
            c.take(qi);
        } else if fmt_at.is_none() && compress.is_none() {
            // "improve the quality" is about the picture, not the encoder.
            return;
        } else {
            c.take(qi);
        }
        at = at.or(Some(qi));
    }
    if let Some(f) = fmt_at {
        // "webp at 80", "jpeg 70", "png, 80%".
        if q.is_none() {
            let num = (f + 1..(f + 4).min(c.len())).find(|&i| {
                !c.is_used(i) && matches!(c.toks[i].number(), Some((v, Unit::None | Unit::Percent)) if (1.0..=100.0).contains(&v))
            });
            if let Some(n) = num {
                q = c.toks[n].number().and_then(|(v, _)| quality(v));
                c.take(n);
            }
        }
    }
    if q.is_none() {
        if let Some(ci) = compress {
            c.take(ci);
            let strong = c.has(&["~strong", "heavily", "much", "significantly"]);
            let light = c.has(&["~slight", "slightly", "~some", "~tiny", "lightly"]);
            q = quality(if strong {
                50.0
            } else if light {
                80.0
            } else {
                70.0
            });
            o.notes.push(format!(
                "\"compress\" read as quality {}",
                q.map_or(70, Quality::get)
            ));
            at = at.or(Some(ci));
        }
    }
    let Some(at) = at else { return };
    match fmt_at.and_then(|f| c.word(f).map(|w| (f, w))) {
        Some((f, w)) => {
            c.take(f);
            for w in [
                "convert",
                "converted",
                "save",
                "saved",
                "export",
                "exported",
                "as",
                "to",
                "into",
                "format",
                "file",
                "at",
                "a",
                "an",
                "in",
            ] {
                if let Some(i) = c.find(&[w]) {
                    c.take(i);
                }
            }
            match Format::from_name(w) {
                Some(format) => o.calls.push((
                    at,
                    Tool::ConvertFormat(ConvertFormatParams { format, quality: q }),
                )),
                None => {
                    o.incomplete.push(c.span(f, f + 1).to_owned());
                    o.notes
                        .push(format!("{w} output is not supported: jpg, png or webp"));
                }
            }
        }
        None if q.is_some() => {
            for w in [
                "at", "set", "change", "reduce", "lower", "increase", "file", "to", "the", "for",
                "web",
            ] {
                if let Some(i) = c.find(&[w]) {
                    c.take(i);
                }
            }
            o.calls
                .push((at, Tool::AdjustQuality(AdjustQualityParams { quality: q })));
        }
        None => {}
    }
}

/// A colour named in the clause (hex, or a CSS name of one or two words), not yet used.
fn colour(c: &mut Clause, skip: &[&str]) -> Option<Color> {
    for i in 0..c.len() {
        if c.is_used(i) {
            continue;
        }
        if let Kind::Hex(col) = c.toks[i].kind {
            c.take(i);
            return Some(col);
        }
        let Some(w) = c.word(i) else { continue };
        if skip.contains(&w) || w.len() < 3 {
            continue;
        }
        if let Some(next) = c.word(i + 1) {
            if matches!(w, "light" | "dark" | "pale" | "deep" | "medium") {
                if let Some(col) = Color::from_name(&format!("{w}{next}")) {
                    c.take(i);
                    c.take(i + 1);
                    return Some(col);
                }
            }
        }
        if matches!(w, "light" | "dark" | "transparent") {
            continue;
        }
        if let Some(col) = Color::from_name(w) {
            c.take(i);
            return Some(col);
        }
    }
    None
}

fn border(c: &mut Clause, o: &mut Output) {
    let Some(at) = c.find(&[
        "border",
        "borders",
        "frame",
        "framed",
        "edging",
        "passepartout",
        "matte",
    ]) else {
        return;
    };
    let w = c.any_word(at).unwrap_or_default();
    if matches!(w, "frame" | "framed")
        && !c.has(&[
            "add", "put", "with", "give", "thin", "thick", "white", "black",
        ])
    {
        return;
    }
    c.take(at);
    let mut p = BorderParams::default();
    let num = (0..c.len())
        .find(|&i| !c.is_used(i) && matches!(c.toks[i].number(), Some((_, Unit::Px | Unit::None))));
    if let Some(n) = num {
        p.width = c.toks[n]
            .number()
            .map(|(v, _)| Thickness::saturating(v.abs().round() as i64));
        c.take(n);
    } else if let Some(i) = c.find(&["thin", "narrow", "fine", "slim"]) {
        c.take(i);
        p.width = Thickness::new(5);
    } else if let Some(i) = c.find(&["thick", "wide", "big", "heavy", "fat", "large"]) {
        c.take(i);
        p.width = Thickness::new(30);
    } else if let Some(i) = c.find(&["medium"]) {
        c.take(i);
        p.width = Thickness::new(15);
    }
    p.color = colour(c, &[]).filter(|col| *col != Color::BLACK);
    for w in [
        "add", "put", "with", "around", "a", "an", "of", "wide", "width", "colored", "coloured",
        "solid", "simple", "nice",
    ] {
        if let Some(i) = c.find(&[w]) {
            c.take(i);
        }
    }
    o.calls.push((at, Tool::AddBorder(p)));
}

/// Where text goes, from position words.
fn position(c: &mut Clause) -> Option<Gravity> {
    let mut vertical = None;
    let mut horizontal = None;
    for i in 0..c.len() {
        let Some(w) = c.word(i) else { continue };
        let g = match w {
            "topleft" => Some(Gravity::NorthWest),
            "topright" => Some(Gravity::NorthEast),
            "bottomleft" => Some(Gravity::SouthWest),
            "bottomright" => Some(Gravity::SouthEast),
            "center" | "centre" | "middle" | "centered" | "centred" => Some(Gravity::Center),
            _ => None,
        };
        if let Some(g) = g {
            c.take(i);
            return Some(g);
        }
        match w {
            "top" | "upper" | "above" | "north" => vertical = vertical.or(Some((i, 'n'))),
            "bottom" | "lower" | "below" | "south" | "foot" => {
                vertical = vertical.or(Some((i, 's')));
            }
            "left" | "west" => horizontal = horizontal.or(Some((i, 'w'))),
            "right" | "east" => horizontal = horizontal.or(Some((i, 'e'))),
            _ => {}
        }
    }
    for (i, _) in [vertical, horizontal].into_iter().flatten() {
        c.take(i);
    }
    if let Some(i) = c.find(&["corner", "side", "edge"]) {
        c.take(i);
        if vertical.is_none() && horizontal.is_none() {
            return Some(Gravity::SouthEast);
        }
    }
    Some(match (vertical.map(|v| v.1), horizontal.map(|h| h.1)) {
        (Some('n'), Some('w')) => Gravity::NorthWest,
        (Some('n'), Some(_)) => Gravity::NorthEast,
        (Some('n'), None) => Gravity::North,
        (Some(_), Some('w')) => Gravity::SouthWest,
        (Some(_), Some(_)) => Gravity::SouthEast,
        (Some(_), None) => Gravity::South,
        (None, Some('w')) => Gravity::West,
        (None, Some(_)) => Gravity::East,
        (None, None) => return None,
    })
}

/// Words that end unquoted text: where it goes, its colour and size.
fn ends_text(w: &str) -> bool {
    matches!(
        w,
        "at" | "on"
            | "in"
            | "top"
            | "bottom"
            | "left"
            | "right"
            | "topleft"
            | "topright"
            | "bottomleft"
            | "bottomright"
            | "center"
            | "centre"
            | "middle"
            | "corner"
            | "upper"
            | "lower"
            | "with"
            | "size"
            | "fontsize"
            | "font"
            | "using"
            | "colored"
            | "coloured"
            | "across"
            | "along"
            | "over"
    )
}

fn text(c: &mut Clause, o: &mut Output) {
    let trigger = c.find(&[
        "text",
        "caption",
        "captions",
        "write",
        "writing",
        "label",
        "title",
        "watermark",
        "signature",
        "saying",
        "says",
        "reads",
        "reading",
        "words",
        "stamp",
        "inscription",
        "lettering",
    ]);
    let quoted = (0..c.len()).find(|&i| !c.is_used(i) && c.toks[i].kind == Kind::Quoted);
    let verb = c.find(&[
        "add", "put", "write", "place", "insert", "overlay", "type", "stamp",
    ]);
    // "text", "words", "label" need a verb or quotes ("make the red text darker" is not adding text).
    let strong = trigger.and_then(|t| c.any_word(t)).is_some_and(|w| {
        matches!(
            w,
            "caption"
                | "captions"
                | "watermark"
                | "signature"
                | "write"
                | "saying"
                | "says"
                | "reads"
                | "stamp"
                | "inscription"
        )
    });
    // "add a 'peach' tone" quotes a colour, not text.
    let quoted_tone =
        quoted.is_some_and(|q| c.any_word(q + 1).is_some_and(super::words::is_tone_word));
    if quoted_tone || !(strong || (trigger.is_some() || quoted.is_some()) && verb.is_some()) {
        return;
    }
    let at = verb.or(trigger).or(quoted).unwrap_or(0);
    let is_watermark = trigger.is_some_and(|t| c.any_word(t) == Some("watermark"));
    let content: String = if let Some(qi) = quoted {
        c.take(qi);
        c.toks[qi].text.clone()
    } else if let Some(t) = trigger {
        // The words after the trigger up to a position, colour or size word.
        let mut s = t + 1;
        while s < c.len()
            && c.any_word(s).is_some_and(|w| {
                matches!(
                    w,
                    "that"
                        | "saying"
                        | "says"
                        | "reads"
                        | "reading"
                        | "of"
                        | "with"
                        | "the"
                        | "text"
                        | "words"
                        | ":"
                ) && !is_watermark
                    || matches!(c.toks[s].kind, Kind::Sym(':' | '-' | '—'))
            })
        {
            s += 1;
        }
        let mut e = s;
        while e < c.len() && !c.any_word(e).is_some_and(ends_text) && !c.is_used(e) {
            e += 1;
        }
        // A trailing colour name belongs to the style, not the text ("… in red" is caught above).
        let text = c.span(s, e).trim().to_owned();
        for i in s..e {
            c.take(i);
        }
        text
    } else {
        String::new()
    };
    if let Some(t) = trigger {
        c.take(t);
    }
    if let Some(v) = verb {
        c.take(v);
    }
    if content.trim().is_empty() {
        o.incomplete.push(c.span(at, at + 1).to_owned());
        o.notes
            .push("text needs the words to write, e.g. add text \"Hello\" at the top".into());
        return;
    }
    let content: String = content.chars().take(500).collect();
    let Some(text) = BoundedText::<500>::new(content) else {
        return;
    };
    let mut p = TextParams {
        text,
        font_size: None,
        color: None,
        position: position(c),
        margin: None,
    };
    if p.position.is_none() && is_watermark {
        p.position = Some(Gravity::SouthEast);
        o.notes.push("watermark placed bottom right".into());
    }
    // Size: "size 48", "48px", "large".
    let num = (0..c.len())
        .find(|&i| !c.is_used(i) && matches!(c.toks[i].number(), Some((_, Unit::Px | Unit::None))));
    if let Some(n) = num {
        p.font_size = c.toks[n]
            .number()
            .map(|(v, _)| FontSize::saturating(v.round() as i64));
        c.take(n);
    } else {
        for (w, v) in [
            ("small", 16),
            ("tiny", 12),
            ("large", 48),
            ("big", 48),
            ("huge", 72),
            ("bigger", 36),
            ("larger", 36),
        ] {
            if let Some(i) = c.find(&[w]) {
                c.take(i);
                p.font_size = FontSize::new(v);
                break;
            }
        }
    }
    p.color = colour(c, &[]).filter(|col| *col != Color::WHITE);
    for w in [
        "add",
        "at",
        "on",
        "in",
        "the",
        "with",
        "size",
        "fontsize",
        "font",
        "colored",
        "coloured",
        "a",
        "of",
        "letters",
        "words",
        "text",
        "type",
        "lettering",
    ] {
        while let Some(i) = c.find(&[w]) {
            c.take(i);
        }
    }
    o.calls.push((at, Tool::AddText(p)));
}
