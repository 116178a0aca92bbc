//! Properties of the parser on arbitrary text: it never panics, and every call it returns passes
//! the contract's validator unchanged (valid by construction).

use proptest::prelude::*;
use retouch_contract::tool_calls_from_value;
use retouch_parse::parse_command;

/// Words the parser knows, so random commands reach deep into its rules.
const VOCAB: &[&str] = &[
    "make",
    "it",
    "brighter",
    "darker",
    "a",
    "bit",
    "slightly",
    "very",
    "a lot",
    "less",
    "more",
    "too",
    "not so",
    "contrast",
    "saturation",
    "warmer",
    "cooler",
    "yellow",
    "tone",
    "tint",
    "hue",
    "black and white",
    "sepia",
    "vintage",
    "sharpen",
    "blur",
    "soften",
    "denoise",
    "dehaze",
    "exposure",
    "rotate",
    "left",
    "right",
    "upside down",
    "sideways",
    "flip",
    "mirror",
    "vertically",
    "crop",
    "square",
    "16:9",
    "4:3",
    "off each side",
    "px",
    "%",
    "degrees",
    "resize",
    "to",
    "1200x800",
    "wide",
    "tall",
    "thumbnails of",
    "max",
    "half",
    "double",
    "2x",
    "x0.5",
    "webp",
    "jpeg",
    "png",
    "at",
    "quality",
    "high",
    "compress",
    "border",
    "thick",
    "red",
    "#ff0000",
    "#abc",
    "text",
    "'Hello'",
    "\"Olá\"",
    "watermark",
    "©",
    "top",
    "bottom right",
    "remove",
    "the",
    "person",
    "background",
    "replace",
    "sky",
    "add",
    "hat",
    "and",
    "then",
    ",",
    ";",
    ".",
    "please",
    "can you",
    "by",
    "-",
    "+",
    "0",
    "-0",
    "1e308",
    "99999999999999999999999",
    "0.0001",
    "360",
    "-720",
    "NaN",
    "inf",
    "1,000",
    "3.5",
    "12:0",
    "0:0",
    "0x0",
    "100000x100000",
];

fn check(s: &str) {
    let parsed = parse_command(s);
    let wire = parsed.to_json();
    let calls = tool_calls_from_value(&wire["toolCalls"]);
    let calls = calls.unwrap_or_else(|e| panic!("invalid calls for {s:?}: {e}\n{wire}"));
    assert_eq!(calls, parsed.tool_calls, "{s:?}");
    assert!(wire["unparsed"].is_array() && wire["notes"].is_array());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics(s in any::<String>()) {
        check(&s);
    }

    #[test]
    fn word_salad_gives_valid_calls(
        words in proptest::collection::vec(proptest::sample::select(VOCAB), 0..24),
        numbers in proptest::collection::vec(any::<f64>(), 0..4),
    ) {
        let mut s = words.join(" ");
        for n in numbers {
            s.push_str(&format!(" {n} px"));
        }
        check(&s);
    }

    #[test]
    fn unicode_and_huge_numbers_never_panic(s in "[\\PC0-9%#xX:'\"“”«» ,.;-]{0,200}") {
        check(&s);
    }
}

#[test]
fn very_long_input_is_cut_not_choked_on() {
    let long = "brighten ".repeat(5000);
    let p = parse_command(&long);
    assert!(p.tool_calls.len() <= 32);
    assert!(p.notes.iter().any(|n| n.contains("first")));
    check(&"9".repeat(100_000));
    check(&"#".repeat(10_000));
    check(&"'".repeat(10_000));
}

/// Inputs proptest once found invalid (kept forever).
#[test]
fn regressions() {
    check("crop 0x0");
    check("crop 0x0 top left");
    check("resize 0x0");
    check("rotate -0 degrees");
}
