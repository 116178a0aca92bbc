//! Real-sounding commands and the tool calls the rules must give (as `[[tool, params], …]`):
//! `parse_rules`, without the intent model, whose additions and drops (each with a note) are
//! tested in `src/parse/tests.rs` (`with_the_model`).
//!
//! Each expectation here was read and judged by a person; change one only on purpose.

use retouch_contract::tool_calls_from_value;
use retouch_parse::parse_rules as parse_command;
use serde_json::{json, Value};

const PHRASES: &[(&str, &str)] = &[
    ("make it brighter", r##"[["adjust", {"brightness": 25}]]"##),
    (
        "make the photo slightly darker",
        r##"[["adjust", {"brightness": -10}]]"##,
    ),
    (
        "brighten the image a lot",
        r##"[["adjust", {"brightness": 40}]]"##,
    ),
    (
        "darken it a little bit",
        r##"[["adjust", {"brightness": -10}]]"##,
    ),
    (
        "increase the exposure by 1 stop",
        r##"[["adjust", {"exposure": 1}]]"##,
    ),
    (
        "reduce the exposure by 15%",
        r##"[["adjust", {"exposure": -0.23}]]"##,
    ),
    (
        "the image is overexposed",
        r##"[["adjust", {"exposure": -0.5}]]"##,
    ),
    ("add more contrast", r##"[["adjust", {"contrast": 25}]]"##),
    (
        "less contrast please",
        r##"[["adjust", {"contrast": -25}]]"##,
    ),
    (
        "turn the contrast down",
        r##"[["adjust", {"contrast": -25}]]"##,
    ),
    (
        "boost the saturation significantly",
        r##"[["adjust", {"saturation": 40}]]"##,
    ),
    (
        "make the colors more vivid",
        r##"[["adjust", {"saturation": 25}]]"##,
    ),
    (
        "make it look muted",
        r##"[["adjust", {"saturation": -25}]]"##,
    ),
    (
        "desaturate it slightly",
        r##"[["adjust", {"saturation": -10}]]"##,
    ),
    ("make it warmer", r##"[["adjust", {"temperature": 25}]]"##),
    (
        "cool it down a bit",
        r##"[["adjust", {"temperature": -15}]]"##,
    ),
    (
        "add a yellow tone",
        r##"[["adjust", {"temperature": 20, "tint": -8}]]"##,
    ),
    (
        "remove the blue tint",
        r##"[["adjust", {"temperature": 25}]]"##,
    ),
    (
        "give the photo a reddish tint",
        r##"[["adjust", {"temperature": 15, "tint": 13}]]"##,
    ),
    (
        "shift the hue by 30 degrees",
        r##"[["adjust", {"hue": 30}]]"##,
    ),
    (
        "make it black and white",
        r##"[["apply_filter", {"filter": "grayscale"}]]"##,
    ),
    (
        "convert to b&w",
        r##"[["apply_filter", {"filter": "grayscale"}]]"##,
    ),
    (
        "grayscale please",
        r##"[["apply_filter", {"filter": "grayscale"}]]"##,
    ),
    (
        "sepia",
        r##"[["apply_filter", {"filter": "sepia", "intensity": 0.8}]]"##,
    ),
    (
        "give it a vintage look",
        r##"[["apply_filter", {"filter": "sepia", "intensity": 0.5}]]"##,
    ),
    (
        "invert the colors",
        r##"[["apply_filter", {"filter": "negate"}]]"##,
    ),
    (
        "auto levels",
        r##"[["apply_filter", {"filter": "normalize"}]]"##,
    ),
    (
        "enhance the photo",
        r##"[["apply_filter", {"filter": "normalize"}]]"##,
    ),
    (
        "sharpen the image a bit",
        r##"[["apply_filter", {"amount": 0.6, "filter": "sharpen"}]]"##,
    ),
    (
        "make it clearer",
        r##"[["apply_filter", {"amount": 1, "filter": "sharpen"}]]"##,
    ),
    (
        "make it less blurry",
        r##"[["apply_filter", {"amount": 1, "filter": "sharpen"}]]"##,
    ),
    (
        "blur it slightly",
        r##"[["apply_filter", {"filter": "blur", "sigma": 2}]]"##,
    ),
    (
        "soften the picture",
        r##"[["apply_filter", {"filter": "blur", "sigma": 2}]]"##,
    ),
    (
        "dehaze the photo",
        r##"[["adjust", {"brightness": -5, "contrast": 20, "saturation": 10}]]"##,
    ),
    ("not so bright", r##"[["adjust", {"brightness": -25}]]"##),
    ("it's too dark", r##"[["adjust", {"brightness": 25}]]"##),
    (
        "tone down the saturation",
        r##"[["adjust", {"saturation": -25}]]"##,
    ),
    ("brighten by 10%", r##"[["adjust", {"brightness": 10}]]"##),
    ("brightness +20", r##"[["adjust", {"brightness": 20}]]"##),
    ("contrast -15", r##"[["adjust", {"contrast": -15}]]"##),
    (
        "very slightly brighter",
        r##"[["adjust", {"brightness": 5}]]"##,
    ),
    (
        "resize to 1200x800",
        r##"[["resize", {"height": 800, "width": 1200}]]"##,
    ),
    ("make it 1200 px wide", r##"[["resize", {"width": 1200}]]"##),
    (
        "set the height to 600 pixels",
        r##"[["resize", {"height": 600}]]"##,
    ),
    ("scale to 50%", r##"[["resize", {"scale": 0.5}]]"##),
    ("half size", r##"[["resize", {"scale": 0.5}]]"##),
    ("double the size", r##"[["resize", {"scale": 2}]]"##),
    ("2x", r##"[["resize", {"scale": 2}]]"##),
    (
        "make thumbnails of 300",
        r##"[["resize", {"fit": "inside", "height": 300, "width": 300}]]"##,
    ),
    (
        "max 1024 px",
        r##"[["resize", {"fit": "inside", "height": 1024, "width": 1024, "withoutEnlargement": true}]]"##,
    ),
    ("make it smaller", r##"[["resize", {"scale": 0.667}]]"##),
    ("rotate left", r##"[["rotate", {"degrees": -90}]]"##),
    (
        "rotate 90 degrees clockwise",
        r##"[["rotate", {"degrees": 90}]]"##,
    ),
    ("turn it sideways", r##"[["rotate", {"degrees": 90}]]"##),
    (
        "flip it upside down",
        r##"[["flip", {"direction": "vertical"}]]"##,
    ),
    (
        "rotate it upside down",
        r##"[["rotate", {"degrees": 180}]]"##,
    ),
    (
        "straighten by 3 degrees",
        r##"[["rotate", {"degrees": 3}]]"##,
    ),
    (
        "mirror the image",
        r##"[["flip", {"direction": "horizontal"}]]"##,
    ),
    (
        "flip vertically",
        r##"[["flip", {"direction": "vertical"}]]"##,
    ),
    (
        "crop 100 px off each side",
        r##"[["crop", {"trim": 100}]]"##,
    ),
    ("square crop", r##"[["crop", {"aspectRatio": "1:1"}]]"##),
    ("crop to 16:9", r##"[["crop", {"aspectRatio": "16:9"}]]"##),
    (
        "crop to 4:5 from the top",
        r##"[["crop", {"aspectRatio": "4:5", "gravity": "north"}]]"##,
    ),
    (
        "crop to 800x600",
        r##"[["resize", {"fit": "cover", "height": 600, "width": 800}]]"##,
    ),
    ("add a border", r##"[["add_border", {}]]"##),
    (
        "add a 10 px white border",
        r##"[["add_border", {"color": "#ffffff", "width": 10}]]"##,
    ),
    (
        "thick red border",
        r##"[["add_border", {"color": "#ff0000", "width": 30}]]"##,
    ),
    (
        "add a #ff8800 border of 20px",
        r##"[["add_border", {"color": "#ff8800", "width": 20}]]"##,
    ),
    (
        "add text 'Hello World' at the top",
        r##"[["add_text", {"position": "north", "text": "Hello World"}]]"##,
    ),
    (
        "write \"Happy Birthday\" in large red letters at the bottom",
        r##"[["add_text", {"color": "#ff0000", "fontSize": 48, "position": "south", "text": "Happy Birthday"}]]"##,
    ),
    (
        "watermark © Ana bottom right",
        r##"[["add_text", {"position": "south-east", "text": "© Ana"}]]"##,
    ),
    (
        "convert to png",
        r##"[["convert_format", {"format": "png"}]]"##,
    ),
    (
        "save as webp at 80",
        r##"[["convert_format", {"format": "webp", "quality": 80}]]"##,
    ),
    (
        "jpeg quality 70",
        r##"[["convert_format", {"format": "jpg", "quality": 70}]]"##,
    ),
    (
        "high quality jpeg",
        r##"[["convert_format", {"format": "jpg", "quality": 90}]]"##,
    ),
    ("compress it", r##"[["adjust_quality", {"quality": 70}]]"##),
    (
        "remove the person in the background",
        r##"[["generate_with_llm", {"prompt": "remove the person in the background"}]]"##,
    ),
    (
        "replace the sky with a sunset",
        r##"[["generate_with_llm", {"prompt": "replace the sky with a sunset"}]]"##,
    ),
    (
        "get rid of the watermark",
        r##"[["generate_with_llm", {"prompt": "get rid of the watermark"}]]"##,
    ),
    (
        "make the sky bluer",
        r##"[["generate_with_llm", {"prompt": "make the sky bluer"}]]"##,
    ),
    (
        "blur the background",
        r##"[["generate_with_llm", {"prompt": "blur the background"}]]"##,
    ),
    (
        "colorize this old photo",
        r##"[["generate_with_llm", {"prompt": "colorize this old photo"}]]"##,
    ),
    (
        "make it look like a watercolour",
        r##"[["generate_with_llm", {"prompt": "make it look like a watercolour"}]]"##,
    ),
    (
        "reduce the noise",
        r##"[["generate_with_llm", {"prompt": "reduce the noise"}]]"##,
    ),
    (
        "brighten, then sharpen and convert to webp",
        r##"[["adjust", {"brightness": 25}], ["apply_filter", {"amount": 1, "filter": "sharpen"}], ["convert_format", {"format": "webp"}]]"##,
    ),
    (
        "increase brightness, contrast and saturation",
        r##"[["adjust", {"brightness": 25, "contrast": 25, "saturation": 25}]]"##,
    ),
    (
        "please can you make the photo brighter and crop it square",
        r##"[["adjust", {"brightness": 25}], ["crop", {"aspectRatio": "1:1"}]]"##,
    ),
    (
        "resize to 800 wide then add a thin black border and save as jpg",
        r##"[["resize", {"width": 800}], ["add_border", {"width": 5}], ["convert_format", {"format": "jpg"}]]"##,
    ),
    (
        "remove the man on the left and make it black and white",
        r##"[["generate_with_llm", {"prompt": "remove the man on the left"}], ["apply_filter", {"filter": "grayscale"}]]"##,
    ),
    ("asdf qwerty zxcv", r##"[]"##),
];

#[test]
fn phrases_give_the_expected_calls() {
    let mut failures = Vec::new();
    for (command, expected) in PHRASES {
        let parsed = parse_command(command);
        let got = Value::Array(
            parsed
                .tool_calls
                .iter()
                .map(|c| json!([c.tool.name(), c.tool.params_json()]))
                .collect(),
        );
        let want: Value = serde_json::from_str(expected).expect("expectation is JSON");
        if got != want {
            failures.push(format!("{command:?}\n  want {want}\n  got  {got}"));
        }
        // Whatever the parser says must pass the contract's validator unchanged.
        let wire = parsed.to_json()["toolCalls"].clone();
        let back = tool_calls_from_value(&wire).expect("parser output is valid");
        assert_eq!(back, parsed.tool_calls, "{command}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} phrases differ:\n{}",
        failures.len(),
        PHRASES.len(),
        failures.join("\n")
    );
}

#[test]
fn nonsense_is_unparsed_and_plans_nothing() {
    for s in [
        "asdf qwerty zxcv",
        "lorem ipsum dolor",
        "🦀🦀🦀",
        "the the the",
    ] {
        let p = parse_command(s);
        assert!(p.tool_calls.is_empty(), "{s}");
    }
    assert_eq!(
        parse_command("lorem ipsum dolor").unparsed,
        ["lorem ipsum dolor"]
    );
}
