//! Measures the command parser against real edit requests.
//!
//! ```text
//! cargo run --release -p retouch-parse --example parser_eval -- [FILE.jsonl] [--errors N]
//! ```
//!
//! Each line of FILE (default `../shared/data/edit-requests-dev.jsonl` next to the repository) is
//! `{"request": TEXT, "operators": [...]}`, the operators being the edits a professional made for
//! that request. Our tool calls are mapped to those operator families (the mapping is printed),
//! and the command prints per family and overall (micro) precision and recall, plus coverage: the
//! share of requests that got at least one step (a generative routing counts).
//!
//! With `--errors N` it also prints N requests with false positives or misses, to study.
//! With `-` as FILE it reads one command per line from stdin and prints what the parser made of it.
//! With `--rules-only` it uses the rules without the intent model (`parse_rules`), e.g. for
//! `engine/parse/intent/train.py --rules`. With `--gate` it exits 1 when the overall (micro) scores
//! fall below [`GATE`], a few points under what the parser scores on the dev file: the
//! regression gate of `scripts/test.sh`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};
use std::path::PathBuf;

use retouch_contract::{FilterName, Fit, Tool, ToolCall};
use retouch_parse::{parse_command, parse_rules, ParsedCommand};
use serde_json::Value;

/// The least overall precision, recall and F1 `--gate` accepts on the dev file: about three
/// points under what rules and model score there (0.749 / 0.549 / 0.633 in this mapping; the
/// rules alone 0.713 / 0.346 / 0.466).
const GATE: (f64, f64, f64) = (0.73, 0.52, 0.61);

/// The operator families of the data set, in its order.
const FAMILIES: &[&str] = &[
    "brightness",
    "contrast",
    "saturation",
    "lightness",
    "hue",
    "tint",
    "sharpness",
    "crop",
    "rotate",
    "flip",
    "gaussain_blur",
    "black&white",
    "denoise",
    "dehaze",
    "exposure",
    "inpaint_obj",
    "color_bg",
    "deform_obj",
    "rotate_obj",
    "flip_obj",
];

/// How our calls map to families, printed with the results.
const MAPPING: &str = "\
adjust.brightness -> brightness, lightness   adjust.gamma -> lightness   adjust.exposure -> exposure, brightness
adjust.contrast -> contrast   adjust.saturation -> saturation   adjust.hue -> hue
adjust.temperature, adjust.tint -> tint   apply_filter sharpen -> sharpness   blur -> gaussain_blur
grayscale -> black&white   sepia -> saturation, tint   normalize -> brightness, contrast
crop, resize (fit cover) -> crop   rotate -> rotate   flip -> flip
generate_with_llm -> by its prompt: blur -> gaussain_blur; the background itself (not `in the
  background`) or transparent -> color_bg; noise/grain -> denoise; haze/fog -> dehaze;
  rotate/upright -> rotate_obj; flip/mirror -> flip_obj; bigger/smaller/wider/thinner/taller/
  stretch/widen -> deform_obj; crop/zoom (not `crop out`) -> crop; remove/erase/delete/replace/
  add/take out/... other than the background, or anything else -> inpaint_obj
(resize, convert_format, adjust_quality, add_border, add_text, negate: no family)";

fn families_of(call: &ToolCall, out: &mut BTreeSet<&'static str>) {
    match &call.tool {
        Tool::Adjust(p) => {
            if p.brightness.is_some() {
                out.extend(["brightness", "lightness"]);
            }
            if p.gamma.is_some() {
                out.insert("lightness");
            }
            if p.exposure.is_some() {
                out.extend(["exposure", "brightness"]);
            }
            if p.contrast.is_some() {
                out.insert("contrast");
            }
            if p.saturation.is_some() {
                out.insert("saturation");
            }
            if p.hue.is_some() {
                out.insert("hue");
            }
            if p.temperature.is_some() || p.tint.is_some() {
                out.insert("tint");
            }
        }
        Tool::ApplyFilter(f) => match f.filter {
            FilterName::Sharpen => {
                out.insert("sharpness");
            }
            FilterName::Blur => {
                out.insert("gaussain_blur");
            }
            FilterName::Grayscale => {
                out.insert("black&white");
            }
            FilterName::Sepia => out.extend(["saturation", "tint"]),
            FilterName::Normalize => out.extend(["brightness", "contrast"]),
            FilterName::Negate => {}
        },
        Tool::Crop(_) => {
            out.insert("crop");
        }
        Tool::Resize(p) if p.fit == Some(Fit::Cover) => {
            out.insert("crop");
        }
        Tool::Rotate(_) => {
            out.insert("rotate");
        }
        Tool::Flip(_) => {
            out.insert("flip");
        }
        Tool::GenerateWithLlm(g) => {
            let p = g.prompt.as_str().to_lowercase();
            let has = |ws: &[&str]| ws.iter().any(|w| p.contains(w));
            let mut any = false;
            let mut add = |f: &'static str, hit: bool| {
                if hit {
                    out.insert(f);
                    any = true;
                }
            };
            let blur = has(&["blur", "bokeh", "out of focus"]);
            // "remove the background" changes the background; "the man in the background" is an object.
            let background_edit = ["background", "backround", "backdrop"].iter().any(|b| {
                p.match_indices(b).any(|(at, _)| {
                    let before = p[..at].trim_end();
                    !["in the", "from the", "of the", "on the", "in", "from"]
                        .iter()
                        .any(|x| before.ends_with(x))
                })
            }) || has(&["transparent"]);
            add("gaussain_blur", blur);
            add("color_bg", background_edit && !blur);
            add("denoise", has(&["noise", "grain"]));
            add("dehaze", has(&["haze", "hazy", "fog"]));
            add("rotate_obj", has(&["rotate", "upright"]));
            add("flip_obj", has(&["flip", "mirror"]));
            add(
                "deform_obj",
                has(&[
                    "bigger", "smaller", "wider", "thinner", "taller", "stretch", "widen", "slim",
                ]),
            );
            add("crop", has(&["crop", "zoom"]) && !has(&["crop out"]));
            let removal = has(&[
                "remove",
                "erase",
                "delete",
                "take out",
                "taken out",
                "get rid",
                "replace",
                "add ",
                "edit out",
                "crop out",
                "photoshop",
                "out of",
                "eliminate",
            ]);
            if (removal && !background_edit) || !any {
                out.insert("inpaint_obj");
            }
        }
        _ => {}
    }
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: u32,
    fp: u32,
    fn_: u32,
    support: u32,
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        0.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut show_errors = 0usize;
    let (mut rules_only, mut gate) = (false, false);
    while let Some(a) = args.next() {
        if a == "--rules-only" {
            rules_only = true;
        } else if a == "--gate" {
            gate = true;
        } else if a == "--errors" {
            show_errors = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
        } else {
            path = Some(a);
        }
    }
    let parse: fn(&str) -> ParsedCommand = if rules_only {
        parse_rules
    } else {
        parse_command
    };
    if path.as_deref() == Some("-") {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            let _ = writeln!(out, "{}", parse(&line).to_json());
        }
        return;
    }
    let path = path.map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/data/edit-requests-dev.jsonl")
        },
        PathBuf::from,
    );
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("parser_eval: cannot read {}: {e}", path.display());
            std::process::exit(2);
        }
    };
    let mut counts: BTreeMap<&str, Counts> =
        FAMILIES.iter().map(|f| (*f, Counts::default())).collect();
    let (mut n, mut covered, mut generative) = (0u32, 0u32, 0u32);
    let mut errors = Vec::new();
    let started = std::time::Instant::now();
    let mut parse_time = std::time::Duration::ZERO;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            eprintln!("parser_eval: skipping a line that is not JSON");
            continue;
        };
        let request = v["request"].as_str().unwrap_or_default();
        let gold: BTreeSet<&str> = v["operators"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .filter_map(|o| FAMILIES.iter().find(|f| **f == o).copied())
                    .collect()
            })
            .unwrap_or_default();
        let t0 = std::time::Instant::now();
        let parsed = parse(request);
        parse_time += t0.elapsed();
        n += 1;
        if !parsed.tool_calls.is_empty() {
            covered += 1;
        }
        if parsed.is_generative() {
            generative += 1;
        }
        let mut predicted = BTreeSet::new();
        for call in &parsed.tool_calls {
            families_of(call, &mut predicted);
        }
        for f in FAMILIES {
            let c = counts.entry(f).or_default();
            let (p, g) = (predicted.contains(f), gold.contains(f));
            c.tp += u32::from(p && g);
            c.fp += u32::from(p && !g);
            c.fn_ += u32::from(!p && g);
            c.support += u32::from(g);
        }
        let fp: Vec<&str> = predicted.difference(&gold).copied().collect();
        let missed: Vec<&str> = gold.difference(&predicted).copied().collect();
        if errors.len() < show_errors && (!fp.is_empty() || predicted.is_empty()) {
            errors.push(format!("{request}\n    gold {gold:?}\n    ours {predicted:?}  (false {fp:?}, missed {missed:?})\n    {}", parsed.to_json()));
        }
    }
    println!("Mapping of tool calls to operator families:\n{MAPPING}\n");
    println!(
        "{:<14} {:>9} {:>7} {:>7} {:>8}",
        "family", "precision", "recall", "F1", "support"
    );
    let mut total = Counts::default();
    for f in FAMILIES {
        let c = counts[f];
        total.tp += c.tp;
        total.fp += c.fp;
        total.fn_ += c.fn_;
        total.support += c.support;
        let (p, r) = (ratio(c.tp, c.tp + c.fp), ratio(c.tp, c.tp + c.fn_));
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        println!("{f:<14} {p:>9.3} {r:>7.3} {f1:>7.3} {:>8}", c.support);
    }
    let (p, r) = (
        ratio(total.tp, total.tp + total.fp),
        ratio(total.tp, total.tp + total.fn_),
    );
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    println!(
        "{:<14} {p:>9.3} {r:>7.3} {f1:>7.3} {:>8}",
        "overall(micro)", total.support
    );
    println!(
        "\nrequests: {n}; coverage (>=1 step or generative routing): {:.1}%; generative routings: {:.1}%",
        100.0 * ratio(covered, n),
        100.0 * ratio(generative, n)
    );
    println!(
        "parse time: {:.1} µs per request on average ({} requests, {:.0} ms total run)",
        parse_time.as_secs_f64() * 1e6 / f64::from(n.max(1)),
        n,
        started.elapsed().as_secs_f64() * 1e3
    );
    for e in errors {
        println!("\n{e}");
    }
    if gate && (p < GATE.0 || r < GATE.1 || f1 < GATE.2) {
        eprintln!(
            "parser_eval: below the regression gate: precision {p:.3} recall {r:.3} F1 {f1:.3}, \
             expected at least {:.3} / {:.3} / {:.3}",
            GATE.0, GATE.1, GATE.2
        );
        std::process::exit(1);
    }
}
