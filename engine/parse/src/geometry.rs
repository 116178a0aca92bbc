//! Size and shape: resize, rotate, flip and crop.
//!
//! Choices where people are vague (each says so in the notes):
//! - "smaller"/"bigger" with no number scale by `1/(1 + a/50)` and `1 + a/50` for the intensity
//!   amount `a` (default 25: ⅔ and 1.5×);
//! - "thumbnail" with no number fits inside 200×200; "rotate" with no angle turns 90° clockwise;
//! - "crop to 800x600" fills 800×600 exactly (resize, fit cover), since a crop rectangle needs a
//!   place; "crop 4x5" (both sides up to 32) is an aspect ratio;
//! - a bare "crop" or "zoom in" says nothing about where: it is left unparsed with a hint.

use super::adjust::{fmt_num, strength};
use super::clause::Clause;
use super::lexer::{Kind, Unit};
use retouch_contract::{
    AspectRatio, CropParams, Degrees, Direction, Fit, FlipParams, Gravity, Offset, Pixels,
    ResizeParams, RotateParams, Scale, Tool,
};

/// What geometry a clause asked for.
#[derive(Default)]
pub(crate) struct Geometry {
    pub calls: Vec<(usize, Tool)>,
    pub notes: Vec<String>,
    /// Fragments understood as a request that lacks a needed value ("crop" with no size).
    pub incomplete: Vec<String>,
}

fn pixels(v: f64) -> Option<Pixels> {
    (v.is_finite() && v >= 0.5).then(|| Pixels::saturating(v.round() as i64))
}

fn scale(v: f64) -> Option<Scale> {
    Scale::new((v.clamp(0.01, 16.0) * 1000.0).round() / 1000.0)
}

/// Extracts resize, crop, rotate and flip from a clause, in that order of checking.
pub(crate) fn extract(c: &mut Clause) -> Geometry {
    let mut g = Geometry::default();
    crop(c, &mut g);
    rotate(c, &mut g);
    flip(c, &mut g);
    resize(c, &mut g);
    g.calls.sort_by_key(|(at, _)| *at);
    g
}

fn gravity_in(c: &mut Clause) -> Option<Gravity> {
    let table: &[(&str, Gravity)] = &[
        ("topleft", Gravity::NorthWest),
        ("topright", Gravity::NorthEast),
        ("bottomleft", Gravity::SouthWest),
        ("bottomright", Gravity::SouthEast),
        ("top", Gravity::North),
        ("upper", Gravity::North),
        ("bottom", Gravity::South),
        ("lower", Gravity::South),
        ("left", Gravity::West),
        ("right", Gravity::East),
        ("center", Gravity::Center),
        ("centre", Gravity::Center),
        ("middle", Gravity::Center),
        ("centered", Gravity::Center),
    ];
    for (w, grav) in table {
        if let Some(i) = c.find(&[w]) {
            c.take(i);
            return Some(*grav);
        }
    }
    None
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// An aspect ratio from two positive numbers, reduced and kept within 1..=100.
fn ratio(w: f64, h: f64) -> Option<AspectRatio> {
    if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
        return None;
    }
    // Decimals such as 2.35:1 become 235:100.
    let (mut a, mut b) = ((w * 100.0).round() as u64, (h * 100.0).round() as u64);
    if a == 0 || b == 0 {
        return None;
    }
    let d = gcd(a, b);
    a /= d;
    b /= d;
    if a > 100 || b > 100 {
        let k = a.max(b) as f64 / 100.0;
        a = ((a as f64 / k).round() as u64).max(1);
        b = ((b as f64 / k).round() as u64).max(1);
    }
    Some(AspectRatio {
        width: a.clamp(1, 100) as u32,
        height: b.clamp(1, 100) as u32,
    })
}

fn crop(c: &mut Clause, g: &mut Geometry) {
    let trigger = c.find(&[
        "crop", "cropped", "cropping", "trim", "trimmed", "recrop", "shave", "cut", "zoom",
    ]);
    let square = c.find(&["square", "squared"]);
    let ratio_tok =
        (0..c.len()).find(|&i| !c.is_used(i) && matches!(c.toks[i].kind, Kind::Ratio(..)));
    let aspect_word = c.find(&["aspect", "ratio"]);
    let named_ratio = c.find(&[
        "widescreen",
        "panorama",
        "panoramic",
        "portrait",
        "landscape",
        "vertical",
        "horizontal",
    ]);
    if trigger.is_none()
        && ratio_tok.is_none()
        && !(square.is_some() && c.has(&["make", "square", "crop"]))
    {
        return;
    }
    let at = trigger.or(ratio_tok).or(square).unwrap_or(0);
    // Trim: "crop 100 px off each side", "trim 20px".
    let trim_num = (0..c.len())
        .find(|&i| !c.is_used(i) && matches!(c.toks[i].number(), Some((_, Unit::Px | Unit::None))));
    let zoom_only = trigger.is_some_and(|t| c.any_word(t) == Some("zoom"));
    if let Some(n) = trim_num {
        let sides = c.has(&[
            "off", "allsides", "from", "around", "border", "edges", "sides", "margin", "margins",
            "each", "every",
        ]);
        let trimmy =
            trigger.is_some_and(|t| matches!(c.any_word(t), Some("trim" | "trimmed" | "shave")));
        if (sides || trimmy) && !zoom_only {
            let (v, _) = c.toks[n].number().unwrap_or((0.0, Unit::None));
            c.take(n);
            for w in [
                "off", "allsides", "from", "around", "border", "edges", "sides", "each", "every",
                "side", "edge",
            ] {
                if let Some(i) = c.find(&[w]) {
                    c.take(i);
                }
            }
            take_trigger(c, trigger);
            g.calls.push((
                at,
                Tool::Crop(CropParams {
                    trim: Some(Offset::saturating(v.abs().round() as i64)),
                    ..CropParams::default()
                }),
            ));
            return;
        }
    }
    // Aspect ratio.
    let mut ar = None;
    if let Some(i) = ratio_tok {
        if let Kind::Ratio(w, h) = c.toks[i].kind {
            ar = ratio(w, h);
            c.take(i);
        }
    } else if let Some(i) = square {
        ar = ratio(1.0, 1.0);
        c.take(i);
    } else if let Some(i) = (0..c.len()).find(|&i| {
        !c.is_used(i) && matches!(c.toks[i].kind, Kind::Size(w, h) if w <= 32.0 && h <= 32.0)
    }) {
        if let Kind::Size(w, h) = c.toks[i].kind {
            ar = ratio(w, h);
            c.take(i);
        }
    } else if let Some(i) = named_ratio {
        let (w, h, name) = match c.any_word(i) {
            Some("widescreen") => (16.0, 9.0, "16:9"),
            Some("panorama" | "panoramic") => (3.0, 1.0, "3:1"),
            Some("portrait" | "vertical") => (4.0, 5.0, "4:5"),
            _ => (3.0, 2.0, "3:2"),
        };
        if trigger.is_some() && !zoom_only {
            ar = ratio(w, h);
            g.notes.push(format!(
                "{} crop read as {name}",
                c.any_word(i).unwrap_or_default()
            ));
            c.take(i);
        }
    }
    if let Some(ar) = ar {
        take_trigger(c, trigger);
        if let Some(i) = aspect_word {
            c.take(i);
        }
        let gravity = gravity_in(c).filter(|g| *g != Gravity::Center);
        g.calls.push((
            at,
            Tool::Crop(CropParams {
                aspect_ratio: Some(ar),
                gravity,
                ..CropParams::default()
            }),
        ));
        return;
    }
    // A size with crop: fill that size exactly.
    if let Some(i) =
        (0..c.len()).find(|&i| !c.is_used(i) && matches!(c.toks[i].kind, Kind::Size(..)))
    {
        if let (Kind::Size(w, h), Some(_), Some(pw), Some(ph)) = (
            c.toks[i].kind.clone(),
            trigger,
            c.toks[i].size().and_then(|(w, _)| pixels(w)),
            c.toks[i].size().and_then(|(_, h)| pixels(h)),
        ) {
            c.take(i);
            take_trigger(c, trigger);
            let corner = gravity_in(c);
            let tool = if corner == Some(Gravity::NorthWest) {
                Tool::Crop(CropParams {
                    x: Offset::new(0),
                    y: Offset::new(0),
                    width: Some(pw),
                    height: Some(ph),
                    ..CropParams::default()
                })
            } else {
                g.notes.push(format!(
                    "crop to {}x{} done as a resize that fills it (fit cover, centred)",
                    fmt_num(w),
                    fmt_num(h)
                ));
                Tool::Resize(ResizeParams {
                    width: Some(pw),
                    height: Some(ph),
                    fit: Some(Fit::Cover),
                    ..ResizeParams::default()
                })
            };
            g.calls.push((at, tool));
            return;
        }
    }
    // "crop" or "zoom in" with nothing that says how.
    if let Some(t) = trigger {
        c.take(t);
        let w = c.any_word(t).unwrap_or("crop");
        if matches!(w, "cut") {
            return;
        }
        g.incomplete.push(c.span(t, t + 1).to_owned());
        g.notes.push(format!(
            "\"{w}\" needs to say how: a ratio (\"crop to 16:9\", \"square crop\"), pixels off each side (\"crop 50 px off each side\") or a size"
        ));
    }
}

fn take_trigger(c: &mut Clause, trigger: Option<usize>) {
    if let Some(t) = trigger {
        c.take(t);
    }
    for w in ["to", "into", "crop", "cropped", "format", "ratio", "aspect"] {
        if let Some(i) = c.find(&[w]) {
            c.take(i);
        }
    }
}

fn rotate(c: &mut Clause, g: &mut Geometry) {
    let verb = c.find(&[
        "rotate",
        "rotated",
        "rotating",
        "rotation",
        "spin",
        "tilt",
        "tilted",
        "straighten",
        "straightened",
        "turn",
        "turned",
        "flip",
        "flipped",
    ]);
    let upside = c.find(&["upsidedown"]);
    let sideways = c.find(&["sideways"]);
    let rightside = c.find(&["rightsideup", "upright"]);
    let cw = c.find(&["cw", "right"]);
    let ccw = c.find(&["ccw", "left"]);
    let verb_word = verb.and_then(|v| c.any_word(v));
    let is_flip = matches!(verb_word, Some("flip" | "flipped"));
    let is_turn = matches!(verb_word, Some("turn" | "turned"));
    let degrees = (0..c.len()).find(|&i| {
        !c.is_used(i)
            && match c.toks[i].number() {
                Some((_, Unit::Degrees)) => true,
                Some((v, Unit::None)) => {
                    verb.is_some_and(|v0| i > v0 && i <= v0 + 4) && v.abs() <= 360.0 && v != 0.0
                }
                _ => false,
            }
    });
    // Decide whether this clause is a rotation at all.
    let is_rotation = match verb_word {
        None => {
            !c.has(&["hue", "hues", "color", "colors", "colour", "colours"])
                && (degrees
                    .is_some_and(|i| c.toks[i].number().is_some_and(|(_, u)| u == Unit::Degrees))
                    || (upside.is_some() && !c.has(&["flip"])))
        }
        Some(_) if is_flip => degrees.is_some() || (rightside.is_some()),
        Some(_) if is_turn => {
            degrees.is_some()
                || upside.is_some()
                || sideways.is_some()
                || rightside.is_some()
                || c.has(&["cw", "ccw", "around", "left", "right"]) && !c.has(&["into", "to"])
                || c.has(&["cw", "ccw"])
        }
        Some(_) => true,
    };
    if !is_rotation {
        return;
    }
    let at = verb.or(upside).or(degrees).unwrap_or(0);
    let counter = ccw.is_some()
        && cw.is_none_or(|r| ccw.is_some_and(|l| l < r) && c.any_word(r) != Some("cw"));
    let dir = if counter { -1.0 } else { 1.0 };
    let mut note = None;
    let deg = if let Some(i) = degrees {
        let (v, _) = c.toks[i].number().unwrap_or((90.0, Unit::None));
        c.take(i);
        if v < 0.0 {
            v
        } else {
            dir * v
        }
    } else if upside.is_some()
        || rightside.is_some_and(|i| c.any_word(i) == Some("rightsideup"))
        || c.has(&["around"]) && is_turn
    {
        if rightside.is_some() {
            note = Some("\"right side up\" read as 180°".to_owned());
        }
        180.0
    } else if sideways.is_some() || cw.is_some() || ccw.is_some() || c.has(&["quarter"]) {
        dir * 90.0
    } else if c.has(&["half"]) {
        180.0
    } else if matches!(
        verb_word,
        Some("straighten" | "straightened" | "tilt" | "tilted")
    ) || (0..c.len()).any(|i| {
        c.word(i)
            .is_some_and(|w| super::words::intensity(w).is_some())
    }) {
        // "straighten" or "rotate slightly": the angle cannot be guessed.
        if let Some(v) = verb {
            c.take(v);
            g.incomplete.push(c.span(v, v + 1).to_owned());
        }
        let _ = strength(c);
        g.notes
            .push("a small rotation needs an angle, e.g. \"rotate 3 degrees left\"".into());
        return;
    } else {
        note = Some("no angle given: rotated 90° clockwise".to_owned());
        90.0
    };
    for i in [verb, upside, sideways, rightside, cw, ccw]
        .into_iter()
        .flatten()
    {
        c.take(i);
    }
    for w in [
        "to",
        "the",
        "by",
        "around",
        "quarter",
        "half",
        "degrees",
        "clockwise",
        "so",
        "it",
    ] {
        if let Some(i) = c.find(&[w]) {
            c.take(i);
        }
    }
    if let Some(n) = note {
        g.notes.push(n);
    }
    if let Some(d) = Degrees::new(deg.clamp(-360.0, 360.0)) {
        g.calls.push((
            at,
            Tool::Rotate(RotateParams {
                degrees: d,
                background: None,
            }),
        ));
    }
}

fn flip(c: &mut Clause, g: &mut Geometry) {
    let Some(at) = c.find(&[
        "flip",
        "flipped",
        "flipping",
        "mirror",
        "mirrored",
        "mirroring",
        "reflect",
    ]) else {
        return;
    };
    c.take(at);
    let vertical = c.find(&[
        "vertically",
        "vertical",
        "upsidedown",
        "top",
        "bottom",
        "vert",
    ]);
    let horizontal = c.find(&[
        "horizontally",
        "horizontal",
        "sideways",
        "left",
        "right",
        "leftright",
        "horiz",
        "side",
    ]);
    let direction = match (vertical, horizontal) {
        (Some(v), Some(h)) if h < v => Direction::Horizontal,
        (Some(_), _) => Direction::Vertical,
        _ => Direction::Horizontal,
    };
    for i in [vertical, horizontal].into_iter().flatten() {
        c.take(i);
    }
    if let Some(i) = c.find(&["image"]) {
        c.take(i);
    }
    g.calls.push((at, Tool::Flip(FlipParams { direction })));
}

fn resize(c: &mut Clause, g: &mut Geometry) {
    let trigger = c.find(&[
        "resize",
        "resized",
        "resizing",
        "scale",
        "scaled",
        "rescale",
        "shrink",
        "shrunk",
        "enlarge",
        "enlarged",
        "upscale",
        "upsize",
        "downscale",
        "downsize",
        "downsized",
        "size",
        "sized",
        "smaller",
        "bigger",
        "larger",
        "thumbnail",
        "thumbnails",
        "thumb",
        "thumbs",
        "max",
        "maximum",
        "half",
        "halve",
        "double",
        "twice",
        "quarter",
        "triple",
        "wide",
        "width",
        "tall",
        "height",
        "high",
        "across",
        "long",
        "longest",
    ]);
    let size_tok =
        (0..c.len()).find(|&i| !c.is_used(i) && matches!(c.toks[i].kind, Kind::Size(..)));
    let times = (0..c.len())
        .find(|&i| !c.is_used(i) && matches!(c.toks[i].number(), Some((_, Unit::Times))));
    if trigger.is_none() && size_tok.is_none() && times.is_none() {
        return;
    }
    let at = trigger.or(size_tok).or(times).unwrap_or(0);
    let trigger_word = trigger.and_then(|i| c.any_word(i)).unwrap_or("");
    let mut p = ResizeParams::default();
    // Thumbnails and maxima: fit inside a square box.
    let thumb = c.find(&["thumbnail", "thumbnails", "thumb", "thumbs"]);
    let max = c.find(&["max", "maximum", "long", "longest"]);
    let number_px = |c: &Clause| {
        (0..c.len()).find(|&i| {
            !c.is_used(i)
                && matches!(c.toks[i].number(), Some((v, Unit::Px | Unit::None)) if v >= 1.0)
        })
    };
    let width_at = c.find(&["wide", "width", "across", "w"]);
    let height_at = c.find(&["tall", "height", "high", "h"]);
    if let Some(i) = size_tok {
        if let Kind::Size(w, h) = c.toks[i].kind {
            c.take(i);
            p.width = pixels(w);
            p.height = pixels(h);
            if c.has(&["exactly", "stretch", "stretched", "distort", "exact"]) {
                p.fit = Some(Fit::Fill);
            } else if c.has(&["cover", "fill"]) {
                p.fit = Some(Fit::Cover);
            }
        }
    } else if let Some(ti) = times {
        let (v, _) = c.toks[ti].number().unwrap_or((1.0, Unit::Times));
        c.take(ti);
        let v = if c.has(&[
            "smaller",
            "shrink",
            "reduce",
            "down",
            "downscale",
            "downsize",
        ]) && v > 1.0
        {
            1.0 / v
        } else {
            v
        };
        p.scale = scale(v);
    } else if let (Some(_), Some(n)) = (thumb.or(max), number_px(c)) {
        let (v, _) = c.toks[n].number().unwrap_or((200.0, Unit::Px));
        c.take(n);
        if width_at.is_some() && height_at.is_none() {
            p.width = pixels(v);
        } else if height_at.is_some() && width_at.is_none() {
            p.height = pixels(v);
        } else {
            p.width = pixels(v);
            p.height = pixels(v);
            p.fit = Some(Fit::Inside);
        }
        if max.is_some() {
            p.without_enlargement = Some(true);
        }
    } else if let Some(t) = thumb {
        let _ = t;
        p.width = pixels(200.0);
        p.height = pixels(200.0);
        p.fit = Some(Fit::Inside);
        g.notes
            .push("thumbnail with no size: fit inside 200x200".into());
    } else if width_at.is_some() || height_at.is_some() {
        // "1200 px wide", "width 1200", "800 tall".
        let near = |c: &Clause, at: usize| {
            (at.saturating_sub(3)..(at + 4).min(c.len())).find(|&i| {
                !c.is_used(i)
                    && matches!(c.toks[i].number(), Some((v, Unit::Px | Unit::None)) if v >= 1.0)
            })
        };
        if let Some(wa) = width_at {
            if let Some(n) = near(c, wa) {
                p.width = pixels(c.toks[n].number().map_or(0.0, |x| x.0));
                c.take(n);
            }
        }
        if let Some(ha) = height_at {
            if let Some(n) = near(c, ha) {
                p.height = pixels(c.toks[n].number().map_or(0.0, |x| x.0));
                c.take(n);
            }
        }
    }
    if p.width.is_none() && p.height.is_none() && p.scale.is_none() {
        // Percentages, halves and doubles, bare numbers, or "smaller"/"bigger".
        let pct = (0..c.len())
            .find(|&i| !c.is_used(i) && matches!(c.toks[i].number(), Some((_, Unit::Percent))));
        let down = c.has(&[
            "smaller",
            "shrink",
            "shrunk",
            "reduce",
            "decrease",
            "downscale",
            "downsize",
            "downsized",
            "less",
            "lower",
        ]);
        let up = c.has(&[
            "bigger", "larger", "enlarge", "enlarged", "upscale", "upsize", "increase", "grow",
        ]);
        if let Some(i) = pct {
            let (v, _) = c.toks[i].number().unwrap_or((100.0, Unit::Percent));
            c.take(i);
            let by = c.preceded_by(i, &["by"], 1);
            let s = if down && (by || c.has(&["smaller"])) {
                1.0 - v / 100.0
            } else if up && (by || c.has(&["bigger", "larger"])) {
                1.0 + v / 100.0
            } else {
                v / 100.0
            };
            if s <= 0.0 {
                return;
            }
            p.scale = scale(s);
        } else if let Some(i) = c.find(&["half", "halve"]) {
            c.take(i);
            p.scale = scale(0.5);
        } else if let Some(i) = c.find(&["double", "twice"]) {
            c.take(i);
            p.scale = scale(2.0);
        } else if let Some(i) = c.find(&["quarter"]) {
            c.take(i);
            p.scale = scale(0.25);
        } else if let Some(i) = c.find(&["triple"]) {
            c.take(i);
            p.scale = scale(3.0);
        } else if let Some(n) = number_px(c).filter(|_| {
            matches!(
                trigger_word,
                "resize"
                    | "resized"
                    | "resizing"
                    | "scale"
                    | "scaled"
                    | "rescale"
                    | "size"
                    | "sized"
            )
        }) {
            let (v, unit) = c.toks[n].number().unwrap_or((1.0, Unit::None));
            c.take(n);
            if unit == Unit::None
                && v <= 16.0
                && matches!(trigger_word, "scale" | "scaled" | "rescale")
            {
                p.scale = scale(v);
            } else {
                p.width = pixels(v);
                p.height = pixels(v);
                p.fit = Some(Fit::Inside);
                g.notes
                    .push(format!("one size given: fit inside {0}x{0}", fmt_num(v)));
            }
        } else if down || up {
            let s = strength(c);
            let k = s.amount / 50.0;
            let v = if down { 1.0 / (1.0 + k) } else { 1.0 + k };
            p.scale = scale(v);
            g.notes.push(format!(
                "no size given: scaled by {}",
                fmt_num((v * 1000.0).round() / 1000.0)
            ));
        } else {
            return;
        }
    }
    if p.width.is_none() && p.height.is_none() && p.scale.is_none() {
        return;
    }
    if let Some(t) = trigger {
        c.take(t);
    }
    for w in [
        "to",
        "by",
        "resize",
        "scale",
        "size",
        "smaller",
        "bigger",
        "larger",
        "shrink",
        "enlarge",
        "reduce",
        "increase",
        "wide",
        "width",
        "tall",
        "height",
        "high",
        "across",
        "max",
        "maximum",
        "thumbnail",
        "thumbnails",
        "thumb",
        "thumbs",
        "down",
        "up",
        "exactly",
        "stretch",
        "cover",
        "fill",
        "long",
        "longest",
        "edge",
        "side",
        "of",
        "upscale",
        "downscale",
        "downsize",
        "times",
        "original",
    ] {
        while let Some(i) = c.find(&[w]) {
            c.take(i);
        }
    }
    g.calls.push((at, Tool::Resize(p)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_reduce_and_stay_in_range() {
        assert_eq!(
            ratio(1920.0, 1080.0),
            Some(AspectRatio {
                width: 16,
                height: 9
            })
        );
        assert_eq!(
            ratio(2.35, 1.0),
            Some(AspectRatio {
                width: 47,
                height: 20
            })
        );
        assert_eq!(ratio(1000.0, 3.0).map(|r| r.width), Some(100));
        assert_eq!(ratio(0.0, 3.0), None);
    }
}
