//! Colour and tone: brighter/darker, exposure, contrast, saturation, warmth, colour tones, hue,
//! black and white, sepia, sharpen, blur, and their reversals ("less contrast", "too bright",
//! "remove the yellow tone").
//!
//! Amounts come from the intensity table in [`super::words`]; each property maps the amount
//! (a percentage, default 25) onto its own parameter:
//!
//! | property | parameter | from amount `a` |
//! |---|---|---|
//! | brightness, contrast, saturation, warmth, tint | `adjust` percent | `±a` |
//! | colour tone ("a yellow tone") | `adjust.temperature`/`tint` | `±a` along the colour's direction |
//! | hue | `adjust.hue` degrees | explicit degrees, else `±1.2·a` (30°) |
//! | exposure | `adjust.exposure` stops | explicit stops; `p %` → `log2(1 + p/100)`; else `±a/50` (0.5 EV) |
//! | mid-tones / gamma | `adjust.gamma` | explicit; else `1 ± a/100` |
//! | sharpen | `apply_filter` sharpen `amount` | `a/25` (1 = a normal unsharp mask) |
//! | blur, soften | `apply_filter` blur `sigma` | explicit px; else `a/5` (5 px); soften is "slightly" |
//! | sepia | `apply_filter` sepia `intensity` | `a/31.25` (0.8); vintage/retro/old is 0.5 |
//! | dehaze | `adjust` | contrast `+0.8a`, saturation `+0.4a`, brightness `−0.2a` |
//!
//! Noise and grain have no parametric tool (a blur would destroy detail): "denoise" is routed to
//! the generative provider, like restoration.

use super::clause::Clause;
use super::lexer::{Kind, Unit};
use super::words::{self, boost, intensity, is_booster, is_tone_word, soften, tone_direction};
use retouch_contract::{
    AdjustParams, Amount, FilterName, FilterParams, Fraction, Gamma, HueDegrees, Percent, Sigma,
    Stops, Tool,
};

/// A property a clause can change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Prop {
    Brightness,
    Exposure,
    Contrast,
    Saturation,
    Temperature,
    Tint,
    Hue,
    Gamma,
    Sharpen,
    Blur,
    Grayscale,
    Sepia,
    Vintage,
    Negate,
    Normalize,
    Denoise,
    Dehaze,
    /// A colour tone as (temperature, tint) direction.
    Tone(f64, f64),
}

/// How a word names a property: its direction, and whether it names a problem (whose fix is the
/// same whatever the verb: "fix/reduce/remove the overexposure").
struct PropWord {
    prop: Prop,
    sign: f64,
    problem: bool,
}

fn prop_word(w: &str) -> Option<PropWord> {
    use Prop::{
        Blur, Brightness, Contrast, Dehaze, Denoise, Exposure, Gamma, Grayscale, Hue, Negate,
        Normalize, Saturation, Sepia, Sharpen, Temperature, Tint, Vintage,
    };
    let (prop, sign, problem) = match w {
        "bright" | "brighter" | "brighten" | "brightened" | "brightening" | "brightness"
        | "brighness" | "brightnes" | "lighten" | "lightened" | "lightening" | "lighter"
        | "lightness" | "luminosity" | "luminance" | "brighted" | "brigher" => {
            (Brightness, 1.0, false)
        }
        "dark" | "darker" | "darken" | "darkened" | "darkening" | "darkness" | "dim" | "dimmer"
        | "dimmed" | "dimmen" | "dull" | "duller" | "gloomy" => {
            if matches!(w, "dull" | "duller") {
                (Saturation, -1.0, false)
            } else {
                (Brightness, -1.0, false)
            }
        }
        "glare" => (Brightness, -1.0, true),
        "exposure" | "expose" => (Exposure, 1.0, false),
        "overexposed" => (Exposure, -1.0, true),
        "underexposed" => (Exposure, 1.0, true),
        "contrast" | "contrasty" | "contrasted" | "punchy" | "punch" | "depth" | "hardness" => {
            (Contrast, 1.0, false)
        }
        "flat" | "flatter" => (Contrast, -1.0, false),
        "saturation" | "saturate" | "saturated" | "saturating" | "vivid" | "vivider"
        | "vibrant" | "vibrance" | "vibrancy" | "colorful" | "colourful" | "colorfull"
        | "colourfull" | "rich" | "richer" | "intensity" | "pop" | "pops" | "popping" => {
            (Saturation, 1.0, false)
        }
        "desaturate" | "desaturated" | "muted" | "mute" | "washedout" | "faded" | "fade"
        | "pale" | "paler" | "unsaturated" => (Saturation, -1.0, false),
        "warm" | "warmer" | "warmth" | "warmed" | "warmen" | "warming" | "temperature" => {
            (Temperature, 1.0, false)
        }
        "cool" | "cooler" | "cold" | "colder" | "cooled" | "cooling" => (Temperature, -1.0, false),
        "tint" => (Tint, 1.0, false),
        "hue" | "hues" => (Hue, 1.0, false),
        "gamma" | "midtones" => (Gamma, 1.0, false),
        "sharpen" | "sharpened" | "sharpening" | "sharp" | "sharper" | "sharpness" | "crisp"
        | "crisper" | "crispy" | "crispness" | "clear" | "clearer" | "clarity" | "clearness"
        | "definition" | "defined" | "detail" | "details" | "detailed" | "focus" | "focused"
        | "focussed" | "unblur" | "deblur" | "hd" | "sharpe" | "sharpern" | "clearly" => {
            (Sharpen, 1.0, false)
        }
        "blur" | "blurred" | "blurry" | "blury" | "blurriness" | "blurr" | "blurring"
        | "blurrier" | "fuzzy" | "soften" | "softer" | "soft" | "smoothen" => (Blur, 1.0, false),
        "grayscale" | "greyscale" | "monochrome" | "mono" | "monochromatic" | "colorless"
        | "colourless" | "noir" | "gray" | "grey" => (Grayscale, 1.0, false),
        "sepia" => (Sepia, 1.0, false),
        "vintage" | "retro" | "antique" | "aged" | "old" | "older" | "nostalgic" => {
            (Vintage, 1.0, false)
        }
        "invert" | "inverted" | "negative" | "negate" | "inverse" => (Negate, 1.0, false),
        "normalize" | "normalise" | "normalized" | "normalised" | "colorization"
        | "colourization" | "lighting" | "levels" | "balance" | "balanced" => {
            (Normalize, 1.0, true)
        }
        "noise" | "noisy" | "denoise" | "grain" | "grainy" | "graininess" | "speckles"
        | "artifacts" | "artefacts" | "pixelated" => (Denoise, 1.0, true),
        "haze" | "hazy" | "dehaze" | "fog" | "foggy" | "mist" | "misty" | "smog" | "haziness"
        | "murky" => (Dehaze, 1.0, true),
        _ => return None,
    };
    Some(PropWord {
        prop,
        sign,
        problem,
    })
}

/// Property names that say no direction by themselves ("contrast", "saturation").
fn is_property_noun(w: &str) -> bool {
    matches!(
        w,
        "brightness"
            | "lightness"
            | "luminosity"
            | "exposure"
            | "contrast"
            | "saturation"
            | "vibrance"
            | "vibrancy"
            | "intensity"
            | "warmth"
            | "temperature"
            | "tint"
            | "hue"
            | "hues"
            | "gamma"
            | "sharpness"
            | "clarity"
            | "definition"
            | "detail"
            | "details"
            | "colors"
            | "colours"
            | "color"
            | "colour"
            | "depth"
    )
}

/// Verbs and adverbs that reverse what follows ("less", "reduce", "too", "not so").
fn is_reverser(w: &str) -> bool {
    matches!(
        w,
        "less"
            | "reduce"
            | "reduced"
            | "reducing"
            | "decrease"
            | "decreased"
            | "decreasing"
            | "lower"
            | "lowered"
            | "lowering"
            | "lessen"
            | "lessened"
            | "diminish"
            | "minimize"
            | "minimise"
            | "remove"
            | "removed"
            | "removing"
            | "drop"
            | "fewer"
            | "weaken"
            | "notso"
            | "too"
            | "without"
            | "eliminate"
            | "kill"
            | "subtract"
            | "lose"
            | "overly"
            | "excessive"
            | "un"
            | "not"
            | "no"
            | "delete"
            | "erase"
            | "cut"
            | "counter"
            | "correct"
            | "neutralize"
            | "neutralise"
    )
}

/// Verbs that ask for more (they confirm the direction, they never reverse it).
pub(crate) fn is_increaser(w: &str) -> bool {
    matches!(
        w,
        "more"
            | "increase"
            | "increased"
            | "increasing"
            | "boost"
            | "boosted"
            | "raise"
            | "add"
            | "adding"
            | "added"
            | "enhance"
            | "enhanced"
            | "enhancing"
            | "improve"
            | "improved"
            | "higher"
            | "bump"
            | "pump"
            | "intensify"
            | "amplify"
            | "heighten"
            | "strengthen"
            | "maximize"
            | "maximise"
            | "stronger"
            | "emphasize"
            | "emphasise"
            | "accentuate"
            | "deepen"
            | "greater"
            | "plus"
            | "bring"
    )
}

/// Words that stand for the whole-image "make it better" when nothing more specific is asked.
fn is_enhancer(w: &str) -> bool {
    matches!(
        w,
        "enhance" | "enhanced" | "improve" | "improved" | "better" | "fix" | "touch" | "nicer"
    )
}

/// Whether the word names a property (used to tell "remove the blue tone" from "remove the car").
pub(crate) fn is_property_word(w: &str) -> bool {
    prop_word(w).is_some() || is_tone_word(w) || tone_direction(w).is_some()
}

/// The strength read from a clause: the amount, and how it was chosen (for the notes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Strength {
    pub amount: f64,
    /// An explicit number ("by 10%", "+20").
    pub explicit: bool,
    /// The number carried its own sign ("+20", "-15"): it overrides any reversal.
    pub signed: bool,
    /// Set when an intensity word chose the amount.
    pub worded: bool,
}

/// What a clause's adjustment words mean, carried to a following clause that only names a
/// property ("increase brightness, contrast and saturation").
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Mood {
    pub reversed: bool,
    pub strength: Strength,
}

/// Reads the strength: an explicit percentage, else the intensity words, else the default.
pub(crate) fn strength(c: &mut Clause) -> Strength {
    for i in 0..c.len() {
        if c.is_used(i) {
            continue;
        }
        let Kind::Number {
            value,
            unit,
            signed,
        } = c.toks[i].kind
        else {
            continue;
        };
        let by = c.preceded_by(i, &["by", "of"], 1);
        if unit == Unit::Percent || (unit == Unit::None && (signed || by)) {
            c.take(i);
            return Strength {
                amount: if signed { value } else { value.abs() },
                explicit: true,
                signed,
                worded: false,
            };
        }
    }
    let mut amount = None;
    let mut boosted = false;
    for i in 0..c.len() {
        let Some(w) = c.word(i) else { continue };
        if let Some(a) = intensity(w) {
            // "much" right after "not" is not an intensity ("not much").
            amount.get_or_insert(a);
            c.take(i);
        } else if is_booster(w) {
            boosted = true;
            c.take(i);
        }
    }
    let worded = amount.is_some() || boosted;
    let mut a = amount.unwrap_or(words::DEFAULT);
    if boosted {
        a = if a < words::DEFAULT {
            soften(a)
        } else {
            boost(a)
        };
    }
    Strength {
        amount: a,
        explicit: false,
        signed: false,
        worded,
    }
}

/// A property found in a clause.
struct Found {
    at: usize,
    prop: Prop,
    sign: f64,
    /// A problem word ("overexposed", "noise"): its fix does not depend on the verb.
    problem: bool,
}

/// The properties a clause names, in order. `tone_context` says whether colour words are tones.
fn find_props(c: &Clause) -> Vec<Found> {
    let has_tone_word = (0..c.len()).any(|i| {
        c.word(i).is_some_and(|w| {
            is_tone_word(w) && !matches!(w, "color" | "colour" | "colors" | "colours" | "light")
        })
    });
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let Some(w) = c.word(i) else {
            i += 1;
            continue;
        };
        // Colour tones: "a yellow tone", "reddish", "more blue", "redness".
        if let Some((t, g)) = tone_direction(w) {
            let derived =
                w.ends_with("ish") || w.ends_with("ness") || w.ends_with("er") || w.ends_with("ey");
            let next_is_tone = c.followed_by(
                i,
                &[
                    "tone", "tones", "tint", "tints", "hue", "hues", "cast", "tinge", "filter",
                    "ton", "color", "colour", "colors", "colours", "light", "glow", "feel",
                    "overlay", "shade",
                ],
                2,
            );
            let after_more = c.preceded_by(
                i,
                &[
                    "more", "less", "add", "adding", "some", "increase", "reduce", "remove",
                    "decrease", "bit", "~slight", "~some",
                ],
                2,
            );
            let made = c.preceded_by(
                i,
                &[
                    "make", "turn", "filter", "tint", "into", "colour", "color", "paint",
                ],
                3,
            );
            let is_temp_word =
                matches!(w, "warm" | "warmer" | "warmth" | "cool" | "cooler" | "cold");
            if !is_temp_word && (derived || next_is_tone || has_tone_word || after_more || made) {
                out.push(Found {
                    at: i,
                    prop: Prop::Tone(t, g),
                    sign: 1.0,
                    problem: false,
                });
                i += 1;
                continue;
            }
        }
        if let Some(p) = prop_word(w) {
            // "light blue" is a colour, "hue" next to a colour is a tone (handled above).
            let skip = (p.prop == Prop::Hue && has_colour_near(c, i))
                || (p.prop == Prop::Tint && has_colour_near(c, i))
                || (matches!(w, "gray" | "grey")
                    && !c.followed_by(i, &["scale", "tone", "tones"], 1)
                    && !c.preceded_by(i, &["to", "into"], 1))
                || (w == "old"
                    && !c.has(&[
                        "look",
                        "looks",
                        "looking",
                        "photo",
                        "style",
                        "fashioned",
                        "feel",
                        "effect",
                        "make",
                    ]))
                || (w == "clear" && c.followed_by(i, &["background"], 3));
            if !skip {
                out.push(Found {
                    at: i,
                    prop: p.prop,
                    sign: p.sign,
                    problem: p.problem,
                });
            }
        }
        i += 1;
    }
    out
}

fn has_colour_near(c: &Clause, i: usize) -> bool {
    let lo = i.saturating_sub(3);
    let hi = (i + 4).min(c.len());
    (lo..hi).any(|k| c.any_word(k).and_then(tone_direction).is_some())
}

/// Whether the clause names any colour or tone property (used by the router and the verb logic).
pub(crate) fn mentions_property(c: &Clause) -> bool {
    !find_props(c).is_empty()
        || (0..c.len()).any(|i| {
            c.word(i).is_some_and(|w| {
                is_enhancer(w) || w == "colors" || w == "colours" || w == "color" || w == "colour"
            })
        })
}

/// What the clause asked for.
pub(crate) struct Adjustments {
    /// Tool calls, each with the index of the word that asked for it.
    pub calls: Vec<(usize, Tool)>,
    pub notes: Vec<String>,
    /// A request that needs the generative provider ("remove the noise").
    pub generative: bool,
    /// The clause's mood, for a following clause that only names a property.
    pub mood: Option<Mood>,
}

/// Extracts colour and tone adjustments. `inherited` is the mood of the previous clause.
pub(crate) fn extract(c: &mut Clause, inherited: Option<Mood>) -> Adjustments {
    let mut out = Adjustments {
        calls: Vec::new(),
        notes: Vec::new(),
        generative: false,
        mood: None,
    };
    let mut found = find_props(c);
    // Colour words as saturation: "enhance the colors", "more color", "make the colors pop";
    // "remove the color" is black and white.
    let colour_at = c.find(&["colors", "colours", "color", "colour", "colores"]);
    if let Some(ci) = colour_at {
        let reversed_all = c.preceded_by(ci, &["remove", "removed", "no", "without"], 3);
        let more = (0..c.len()).any(|i| {
            c.word(i).is_some_and(|w| {
                is_increaser(w)
                    || is_reverser(w)
                    || matches!(
                        w,
                        "brighter"
                            | "brighten"
                            | "bright"
                            | "stronger"
                            | "deeper"
                            | "stand"
                            | "natural"
                            | "realistic"
                            | "fix"
                            | "correct"
                            | "balance"
                            | "adjust"
                            | "saturate"
                    )
            })
        });
        let named = found.iter().any(|f| {
            matches!(
                f.prop,
                Prop::Tone(..)
                    | Prop::Saturation
                    | Prop::Normalize
                    | Prop::Grayscale
                    | Prop::Sepia
                    | Prop::Hue
                    | Prop::Temperature
            )
        });
        if reversed_all && !named {
            found.push(Found {
                at: ci,
                prop: Prop::Grayscale,
                sign: 1.0,
                problem: false,
            });
            c.take(ci);
        } else if !named && more {
            let fix = c.has(&[
                "fix",
                "correct",
                "natural",
                "realistic",
                "balance",
                "adjust",
                "normal",
            ]);
            let brighten = c.has(&["brighter", "brighten", "bright"]);
            if brighten {
                found.retain(|f| f.prop != Prop::Brightness);
            }
            found.push(Found {
                at: ci,
                prop: if fix {
                    Prop::Normalize
                } else {
                    Prop::Saturation
                },
                sign: 1.0,
                problem: fix,
            });
            c.take(ci);
        }
    }
    // "enhance", "improve", "make it better", "fix the photo": auto-levels when nothing else.
    if found.is_empty() {
        if let Some(i) = c.find_by(is_enhancer) {
            let w = c.word(i).unwrap_or_default();
            let lone_fix = w == "fix"
                && !c
                    .toks
                    .iter()
                    .any(|t| t.word().is_some_and(words::is_image_word));
            let touch = w == "touch" && !c.followed_by(i, &["up"], 1);
            if !lone_fix && !touch {
                found.push(Found {
                    at: i,
                    prop: Prop::Normalize,
                    sign: 1.0,
                    problem: true,
                });
                c.take(i);
                if c.has(&["quality"]) {
                    if let Some(q) = c.find(&["quality"]) {
                        c.take(q);
                    }
                }
            }
        }
    }
    if found.is_empty() {
        return out;
    }
    let own_verbs: Vec<usize> = (0..c.len())
        .filter(|&i| {
            c.word(i)
                .is_some_and(|w| is_reverser(w) || is_increaser(w) || is_enhancer(w))
        })
        .collect();
    let own_strength_words = (0..c.len()).any(|i| {
        c.word(i)
            .is_some_and(|w| intensity(w).is_some() || is_booster(w))
            || matches!(c.toks[i].number(), Some((_, Unit::Percent)))
    });
    // Reversal: an odd number of reversing words before the property, or "X down".
    let reversed_at = |c: &Clause, at: usize| -> bool {
        let mut n = (0..c.len())
            .filter(|&i| {
                c.word(i).is_some_and(is_reverser) && (i < at || c.any_word(i) == Some("too"))
            })
            .count();
        if c.followed_by(at, &["down"], 2) && !c.has(&["cool"]) {
            n += 1;
        }
        if matches!(c.any_word(at), Some("less" | "fewer")) {
            n += 1;
        }
        n % 2 == 1
    };
    let reversals: Vec<bool> = found.iter().map(|f| reversed_at(c, f.at)).collect();
    let mut strength = strength(c);
    let mut reversed_override = None;
    // Only a bare list of property nouns continues the previous clause ("…, contrast and
    // saturation"); "sharpen" or "darker" carry their own direction.
    let only_nouns = found
        .iter()
        .all(|f| c.any_word(f.at).is_some_and(is_property_noun));
    if own_verbs.is_empty() && only_nouns {
        if let Some(m) = inherited {
            if !own_strength_words {
                strength = m.strength;
            }
            reversed_override = Some(m.reversed);
        }
    }
    for v in &own_verbs {
        c.take(*v);
    }
    for i in 0..c.len() {
        if c.word(i).is_some_and(|w| {
            w == "down"
                || (is_tone_word(w)
                    && !matches!(w, "color" | "colour" | "colors" | "colours" | "light"))
        }) {
            c.take(i);
        }
    }
    if strength.worded {
        out.notes
            .push(format!("intensity read as {}%", fmt_num(strength.amount)));
    }
    let mut adjust = AdjustParams::default();
    let mut adjust_at = None;
    let mut clause_reversed = false;
    for (f, own_reversal) in found.iter().zip(reversals) {
        c.take(f.at);
        let problem = f.problem;
        let reversed = reversed_override.unwrap_or(own_reversal);
        clause_reversed |= reversed;
        let sign = if problem || strength.signed {
            f.sign.signum()
        } else if reversed {
            -f.sign
        } else {
            f.sign
        };
        let a = strength.amount;
        let set = |field: &mut Option<Percent>, v: f64| {
            if field.is_none() && v.abs() >= 0.5 {
                *field = Percent::new(v.clamp(-100.0, 100.0).round());
            }
        };
        match f.prop {
            Prop::Brightness => set(&mut adjust.brightness, sign * a),
            Prop::Contrast => set(&mut adjust.contrast, sign * a),
            Prop::Saturation => set(&mut adjust.saturation, sign * a),
            Prop::Temperature => set(&mut adjust.temperature, sign * a),
            Prop::Tint => set(&mut adjust.tint, sign * a),
            Prop::Tone(t, g) => {
                set(&mut adjust.temperature, sign * a * t);
                set(&mut adjust.tint, sign * a * g);
            }
            Prop::Dehaze => {
                set(&mut adjust.contrast, 0.8 * a);
                set(&mut adjust.saturation, 0.4 * a);
                set(&mut adjust.brightness, -0.2 * a);
                out.notes
                    .push("dehaze: more contrast and saturation, slightly darker".into());
            }
            Prop::Hue => {
                let scale = if strength.explicit { 1.0 } else { 1.2 };
                let deg = take_number(c, &[Unit::Degrees, Unit::None]).unwrap_or(scale * a * sign);
                if adjust.hue.is_none() {
                    adjust.hue = HueDegrees::new(deg.clamp(-180.0, 180.0).round());
                }
            }
            Prop::Exposure => {
                let stops = take_number(c, &[Unit::Stops])
                    .or_else(|| {
                        strength.explicit.then(|| {
                            let p = (sign * strength.amount / 100.0).clamp(-0.99, 15.0);
                            (1.0 + p).log2()
                        })
                    })
                    .unwrap_or(sign * a / 50.0);
                if adjust.exposure.is_none() {
                    adjust.exposure = Stops::new((stops.clamp(-5.0, 5.0) * 100.0).round() / 100.0);
                }
            }
            Prop::Gamma => {
                let g = take_number(c, &[Unit::None])
                    .filter(|v| *v > 0.0)
                    .unwrap_or(1.0 + sign * a / 100.0);
                if adjust.gamma.is_none() {
                    adjust.gamma = Gamma::new((g.clamp(0.1, 10.0) * 100.0).round() / 100.0);
                }
            }
            Prop::Sharpen | Prop::Blur => {
                let sharpen = (f.prop == Prop::Sharpen) == (sign > 0.0);
                let px = take_number(c, &[Unit::Px]);
                let tool = if sharpen {
                    Tool::ApplyFilter(FilterParams {
                        filter: FilterName::Sharpen,
                        sigma: px.and_then(|v| Sigma::new(v.clamp(0.3, 100.0))),
                        amount: Amount::new(((a / 25.0).clamp(0.0, 10.0) * 100.0).round() / 100.0),
                        intensity: None,
                    })
                } else {
                    let soft = matches!(
                        c.any_word(f.at),
                        Some("soften" | "softer" | "soft" | "smoothen")
                    );
                    let amount = if soft && !strength.worded {
                        words::SLIGHT
                    } else {
                        a
                    };
                    let sigma = px.unwrap_or(amount / 5.0);
                    Tool::ApplyFilter(FilterParams {
                        filter: FilterName::Blur,
                        sigma: Sigma::new((sigma.clamp(0.3, 100.0) * 10.0).round() / 10.0),
                        amount: None,
                        intensity: None,
                    })
                };
                out.calls.push((f.at, tool));
            }
            Prop::Grayscale => {
                if reversed {
                    out.generative = true;
                } else {
                    out.calls.push((f.at, filter(FilterName::Grayscale)));
                }
            }
            Prop::Sepia | Prop::Vintage => {
                if reversed {
                    set(&mut adjust.temperature, -a);
                } else {
                    let i = if f.prop == Prop::Vintage && !strength.worded {
                        0.5
                    } else {
                        (a / 31.25).clamp(0.0, 1.0)
                    };
                    out.calls.push((
                        f.at,
                        Tool::ApplyFilter(FilterParams {
                            filter: FilterName::Sepia,
                            sigma: None,
                            amount: None,
                            intensity: Fraction::new((i * 100.0).round() / 100.0),
                        }),
                    ));
                }
            }
            Prop::Negate => out.calls.push((f.at, filter(FilterName::Negate))),
            Prop::Normalize => out.calls.push((f.at, filter(FilterName::Normalize))),
            Prop::Denoise => {
                out.generative = true;
                out.notes.push(
                    "noise and grain need the generative provider (no parametric denoise)".into(),
                );
            }
        }
        if adjust != AdjustParams::default() && adjust_at.is_none() {
            adjust_at = Some(f.at);
        }
    }
    if let Some(at) = adjust_at {
        out.calls.push((at, Tool::Adjust(adjust)));
    }
    out.calls.sort_by_key(|(at, _)| *at);
    out.mood = Some(Mood {
        reversed: reversed_override.unwrap_or(clause_reversed),
        strength,
    });
    out
}

fn filter(name: FilterName) -> Tool {
    Tool::ApplyFilter(FilterParams {
        filter: name,
        sigma: None,
        amount: None,
        intensity: None,
    })
}

/// Takes the first unused number with one of `units`.
fn take_number(c: &mut Clause, units: &[Unit]) -> Option<f64> {
    for i in 0..c.len() {
        if c.is_used(i) {
            continue;
        }
        if let Kind::Number { value, unit, .. } = c.toks[i].kind {
            if units.contains(&unit) {
                c.take(i);
                return Some(value);
            }
        }
    }
    None
}

pub(crate) fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e9 {
        format!("{}", v as i64)
    } else {
        format!("{v:.2}")
    }
}
