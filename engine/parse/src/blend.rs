//! Rules and model together.
//!
//! The rules ([`super::parse_rules`]) keep what they are good at: numbers, units and
//! parameters, object-level requests routed to `generate_with_llm`, and every tool outside the
//! edit families. The [`intent`](super::intent) model then decides which families the request
//! means:
//! - a family the rules found stays unless the model gives it less than the family's `drop`
//!   probability; then it is left out and a note says so, as a suggestion to add back. A
//!   request that names the family outright ("sharpen", "black and white", "blur"; for a
//!   generative edit "remove", "replace", "add", "background", ...) keeps it
//!   whatever the model says, crop, rotate and flip are never dropped, and when drops would
//!   leave the plan empty (nothing added either) the rules' plan is kept whole;
//! - a family the rules missed that reaches the model's threshold (`add`) becomes a modest step
//!   of its own, with a note saying why it is there.
//!
//! The thresholds per family come from the trainer (`engine/parse/intent/train.py`, `pick_blend`):
//! chosen on out-of-fold cross-validation over the training requests against the rules' own
//! output, never on the dev file.
//!
//! | family added | step | amount `a` |
//! |---|---|---|
//! | light | `adjust.brightness` `±a` (− for darken, dim, overexposed) | 10; with an intensity word half its amount ("a bit" 8, "a lot" 20) |
//! | contrast | `adjust.contrast` `+a` | as above |
//! | saturation | `adjust.saturation` `±a` (− for desaturate, muted) | as above |
//! | color | `adjust.temperature` `±a/2` (− for cool, cold, blue) | as above |
//! | sharpen | `apply_filter` sharpen, `amount` `a/20` | as above |
//! | blur | `apply_filter` blur, `sigma` `a/5` px | as above |
//! | bw | `apply_filter` grayscale | |
//!
//! Crop, rotate and flip need a side, an angle or a direction the words must give, a generative
//! edit needs a prompt the rules can cut from the request, and denoise and dehaze have no tool
//! yet: the model never adds those. (Crop from side words, "cut off the bottom", would need a
//! crop in percent; the contract's crop is in pixels, so it stays the rules' own.)

use super::intent::{intent, Family, Intent};
use super::words::{boost, intensity, is_booster, soften, DEFAULT};
use super::ParsedCommand;
use retouch_contract::{
    AdjustParams, Amount, FilterName, FilterParams, Percent, Sigma, Tool, ToolCall, MAX_TOOL_CALLS,
};

/// The amount of a step the model adds when the request has no intensity word.
const MODEST: f64 = 10.0;

/// Which families a call counts for (as the scorer counts them), and which part of it.
fn families(tool: &Tool) -> Vec<Family> {
    match tool {
        Tool::Adjust(p) => {
            let mut f = Vec::new();
            if p.brightness.is_some() || p.exposure.is_some() || p.gamma.is_some() {
                f.push(Family::Light);
            }
            if p.contrast.is_some() {
                f.push(Family::Contrast);
            }
            if p.saturation.is_some() {
                f.push(Family::Saturation);
            }
            if p.hue.is_some() || p.temperature.is_some() || p.tint.is_some() {
                f.push(Family::Color);
            }
            f
        }
        Tool::ApplyFilter(p) => match p.filter {
            FilterName::Grayscale => vec![Family::Bw],
            FilterName::Sepia => vec![Family::Color],
            FilterName::Blur => vec![Family::Blur],
            FilterName::Sharpen => vec![Family::Sharpen],
            FilterName::Normalize => vec![Family::Contrast],
            FilterName::Negate => Vec::new(),
        },
        Tool::Crop(_) => vec![Family::Crop],
        Tool::Rotate(_) => vec![Family::Rotate],
        Tool::Flip(_) => vec![Family::Flip],
        Tool::GenerateWithLlm(_) => vec![Family::Generative],
        _ => Vec::new(),
    }
}

/// Clears the parts of an adjustment that belong to `family`.
fn clear(p: &mut AdjustParams, family: Family) {
    match family {
        Family::Light => {
            p.brightness = None;
            p.exposure = None;
            p.gamma = None;
        }
        Family::Contrast => p.contrast = None,
        Family::Saturation => p.saturation = None,
        Family::Color => {
            p.hue = None;
            p.temperature = None;
            p.tint = None;
        }
        _ => {}
    }
}

fn is_empty(p: &AdjustParams) -> bool {
    *p == AdjustParams::default()
}

fn name(f: Family) -> &'static str {
    super::intent::FAMILIES[f as usize]
}

/// The request's words, lower-cased (for direction and intensity words).
fn words(command: &str) -> Vec<String> {
    command
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(256)
        .map(str::to_lowercase)
        .collect()
}

/// The amount of an added step: half the first intensity word's amount ("a bit" 15 → 8,
/// "significantly" 40 → 20, "very slightly" 5 → 3), else [`MODEST`].
fn amount(words: &[String]) -> f64 {
    for (i, w) in words.iter().enumerate() {
        if let Some(a) = intensity(w) {
            let boosted = i > 0 && is_booster(&words[i - 1]);
            // "very" raises a strong word and lowers a slight one ("very slightly").
            let a = match (boosted, a < DEFAULT) {
                (false, _) => a,
                (true, true) => soften(a),
                (true, false) => boost(a),
            };
            return (a / 2.0).round().clamp(3.0, 40.0);
        }
    }
    MODEST
}

fn has(words: &[String], any: &[&str]) -> bool {
    words.iter().any(|w| any.contains(&w.as_str()))
}

/// Applies the model to what the rules made of `command`.
pub(super) fn blend(command: &str, parsed: &mut ParsedCommand) {
    let it = intent(command);
    let mut notes = Vec::new();
    let rules = parsed.tool_calls.clone();
    drop_contradicted(command, &it, parsed, &mut notes);
    add_missing(command, &it, parsed, &mut notes);
    if parsed.tool_calls.is_empty() && !rules.is_empty() {
        // A request the rules understood never ends with an empty plan: the model's doubt
        // alone is not an answer.
        parsed.tool_calls = rules;
        return;
    }
    if rules
        .iter()
        .any(|c| matches!(c.tool, Tool::GenerateWithLlm(_)))
        && !parsed.is_generative()
    {
        parsed
            .notes
            .retain(|n| !n.ends_with("sent to the generative provider"));
    }
    for n in notes {
        if !parsed.notes.contains(&n) {
            parsed.notes.push(n);
        }
    }
}

/// Whether the request's words name `family` outright: then the rules' detection of it is never
/// dropped (the model cannot know better than "sharpen it" or "remove the man"). Crop, rotate and flip are found
/// from their own words only. The same lists as the trainer's `NAMING`.
fn names_family(family: Family, padded: &str) -> bool {
    let words: &[&str] = match family {
        Family::Sharpen => &[
            "sharpen",
            "sharpened",
            "sharpening",
            "sharper",
            "sharpness",
            "sharp",
        ],
        Family::Bw => &[
            "grayscale",
            "greyscale",
            "monochrome",
            "black and white",
            "b w",
            "bw",
        ],
        Family::Blur => &["blur", "blurred", "bokeh"],
        Family::Generative => &[
            "remove",
            "removed",
            "removing",
            "erase",
            "delete",
            "replace",
            "rid",
            "add",
            "background",
            "backround",
            "photoshop",
            "colorize",
            "colourize",
            "colorise",
            "colourise",
        ],
        Family::Crop | Family::Rotate | Family::Flip => return true,
        _ => return false,
    };
    words.iter().any(|w| {
        padded
            .match_indices(w)
            .any(|(at, _)| padded[..at].ends_with(' ') && padded[at + w.len()..].starts_with(' '))
    })
}

fn drop_contradicted(
    command: &str,
    it: &Intent,
    parsed: &mut ParsedCommand,
    notes: &mut Vec<String>,
) {
    let padded = format!(" {} ", super::intent::tokens(command).join(" "));
    let contradicted = |f: Family| !names_family(f, &padded) && it.score(f) < Intent::drop_below(f);
    let left_out = |f: Family, notes: &mut Vec<String>| {
        notes.push(format!(
            "{} left out: requests worded like this rarely ask for it (model {:.2}); add it back if wanted",
            name(f),
            it.score(f)
        ));
    };
    parsed.tool_calls.retain_mut(|call| {
        let fams = families(&call.tool);
        if fams.is_empty() {
            return true;
        }
        if let Tool::Adjust(p) = &mut call.tool {
            for f in fams {
                if contradicted(f) {
                    clear(p, f);
                    left_out(f, notes);
                }
            }
            return !is_empty(p);
        }
        if fams.iter().all(|f| contradicted(*f)) {
            for f in fams {
                left_out(f, notes);
            }
            return false;
        }
        true
    });
}

fn add_missing(command: &str, it: &Intent, parsed: &mut ParsedCommand, notes: &mut Vec<String>) {
    let found: Vec<Family> = parsed
        .tool_calls
        .iter()
        .flat_map(|c| families(&c.tool))
        .collect();
    // A blur the rules sent to the generative edit is a local one ("blur the background").
    let local_blur = found.contains(&Family::Generative);
    let wanted = |f: Family| {
        !found.contains(&f)
            && it.score(f) >= Intent::add_at(f)
            && !(f == Family::Blur && local_blur)
    };
    let words = words(command);
    let a = amount(&words);
    let why = |f: Family, step: String| {
        format!(
            "{step} added: requests worded like this usually change {} (model {:.2}); remove it if not wanted",
            name(f),
            it.score(f)
        )
    };
    let mut adjust = AdjustParams::default();
    if wanted(Family::Light) {
        let dark = has(
            &words,
            &[
                "darker",
                "darken",
                "darkened",
                "darkening",
                "dim",
                "dimmer",
                "dimmed",
                "overexposed",
                "overexposure",
            ],
        );
        let v = if dark { -a } else { a };
        adjust.brightness = Percent::new(v);
        notes.push(why(Family::Light, format!("brightness {v:+}")));
    }
    if wanted(Family::Contrast) {
        adjust.contrast = Percent::new(a);
        notes.push(why(Family::Contrast, format!("contrast {a:+}")));
    }
    if wanted(Family::Saturation) {
        let less = has(
            &words,
            &[
                "desaturate",
                "desaturated",
                "desaturation",
                "muted",
                "mute",
                "oversaturated",
            ],
        );
        let v = if less { -a } else { a };
        adjust.saturation = Percent::new(v);
        notes.push(why(Family::Saturation, format!("saturation {v:+}")));
    }
    if wanted(Family::Color) {
        let cool = has(
            &words,
            &[
                "cool", "cooler", "cold", "colder", "blue", "bluer", "blueish",
            ],
        );
        let v = (a / 2.0).round().max(3.0);
        let v = if cool { -v } else { v };
        adjust.temperature = Percent::new(v);
        notes.push(why(Family::Color, format!("warmth {v:+}")));
    }
    let mut filters = Vec::new();
    if wanted(Family::Sharpen) {
        let amount = (a / 20.0 * 100.0).round() / 100.0;
        filters.push(Tool::ApplyFilter(FilterParams {
            filter: FilterName::Sharpen,
            sigma: None,
            amount: Amount::new(amount),
            intensity: None,
        }));
        notes.push(why(Family::Sharpen, format!("sharpen (amount {amount})")));
    }
    if wanted(Family::Blur) {
        let sigma = (a / 5.0 * 10.0).round() / 10.0;
        filters.push(Tool::ApplyFilter(FilterParams {
            filter: FilterName::Blur,
            sigma: Sigma::new(sigma),
            amount: None,
            intensity: None,
        }));
        notes.push(why(Family::Blur, format!("blur ({sigma} px)")));
    }
    if wanted(Family::Bw) {
        filters.push(Tool::ApplyFilter(FilterParams {
            filter: FilterName::Grayscale,
            sigma: None,
            amount: None,
            intensity: None,
        }));
        notes.push(why(Family::Bw, "black and white".to_owned()));
    }
    let calls = &mut parsed.tool_calls;
    // Added steps go before the output steps (text, border, format, quality).
    let mut at = calls
        .iter()
        .position(|c| {
            matches!(
                c.tool,
                Tool::AddText(_)
                    | Tool::AddBorder(_)
                    | Tool::ConvertFormat(_)
                    | Tool::AdjustQuality(_)
            )
        })
        .unwrap_or(calls.len());
    if !is_empty(&adjust) {
        // Into the rules' adjustment when it has room, else a step of its own.
        let merged = calls.iter_mut().any(|c| match &mut c.tool {
            Tool::Adjust(p) if disjoint(p, &adjust) => {
                super::merge(p, &adjust);
                true
            }
            _ => false,
        });
        if !merged {
            calls.insert(at, ToolCall::all(Tool::Adjust(adjust)));
            at += 1;
        }
    }
    for f in filters {
        calls.insert(at, ToolCall::all(f));
        at += 1;
    }
    if calls.len() > MAX_TOOL_CALLS {
        calls.truncate(MAX_TOOL_CALLS);
    }
}

fn disjoint(a: &AdjustParams, b: &AdjustParams) -> bool {
    super::disjoint(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_named_outright() {
        let named = |f, s: &str| {
            names_family(
                f,
                &format!(" {} ", super::super::intent::tokens(s).join(" ")),
            )
        };
        assert!(named(Family::Bw, "Make it B&W"));
        assert!(named(Family::Bw, "black and white please"));
        assert!(!named(Family::Bw, "the black car and white house"));
        assert!(named(Family::Sharpen, "sharpen it a bit"));
        assert!(!named(Family::Sharpen, "make it clearer"));
        assert!(named(Family::Rotate, "anything"));
        assert!(!named(Family::Light, "brighter"));
    }

    #[test]
    fn strength_comes_from_words() {
        let w = |s: &str| words(s);
        assert_eq!(amount(&w("brighten it")), MODEST);
        assert_eq!(amount(&w("a bit brighter")), 8.0);
        assert_eq!(amount(&w("Significantly increase the lighting")), 20.0);
        assert_eq!(amount(&w("make it a lot brighter")), 20.0);
        assert_eq!(amount(&w("very slightly")), 3.0);
        assert_eq!(amount(&w("very strongly")), 30.0);
    }
}
