//! Unit tests: one per construction the parser understands.

use super::*;
use serde_json::json;

/// The calls as `[[tool, params], …]`, the shortest way to compare.
fn calls(s: &str) -> Value {
    let parsed = parse_rules(s);
    Value::Array(
        parsed
            .tool_calls
            .iter()
            .map(|c| json!([c.tool.name(), c.tool.params_json()]))
            .collect(),
    )
}

fn one(s: &str) -> Value {
    let v = calls(s);
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{s:?} gave {v}");
    v[0][1].clone()
}

#[test]
fn brightness_and_exposure() {
    assert_eq!(one("make it brighter"), json!({"brightness": 25}));
    assert_eq!(one("lighten the photo"), json!({"brightness": 25}));
    assert_eq!(one("darken it"), json!({"brightness": -25}));
    assert_eq!(
        one("increase the exposure by 1 stop"),
        json!({"exposure": 1})
    );
    assert_eq!(one("more exposure"), json!({"exposure": 0.5}));
    assert_eq!(one("the image is overexposed"), json!({"exposure": -0.5}));
}

#[test]
fn intensity_words_follow_the_table() {
    assert_eq!(one("very slightly brighter"), json!({"brightness": 5}));
    assert_eq!(one("slightly brighter"), json!({"brightness": 10}));
    assert_eq!(one("a bit brighter"), json!({"brightness": 15}));
    assert_eq!(one("brighter"), json!({"brightness": 25}));
    assert_eq!(one("much brighter"), json!({"brightness": 40}));
    assert_eq!(one("significantly brighter"), json!({"brightness": 40}));
    assert_eq!(one("very bright"), json!({"brightness": 30}));
    assert_eq!(one("extremely bright"), json!({"brightness": 60}));
    assert!(parse_command("a bit brighter")
        .notes
        .iter()
        .any(|n| n.contains("15%")));
}

#[test]
fn explicit_amounts_win() {
    assert_eq!(one("brighten by 10%"), json!({"brightness": 10}));
    assert_eq!(one("slightly brighter by 30%"), json!({"brightness": 30}));
    assert_eq!(one("brightness +20"), json!({"brightness": 20}));
    assert_eq!(one("contrast -15"), json!({"contrast": -15}));
    assert_eq!(one("increase contrast by 12"), json!({"contrast": 12}));
    assert_eq!(one("brightness 500%"), json!({"brightness": 100}));
}

#[test]
fn contrast_saturation_and_their_reversals() {
    assert_eq!(one("add more contrast"), json!({"contrast": 25}));
    assert_eq!(one("less contrast"), json!({"contrast": -25}));
    assert_eq!(one("turn the contrast down"), json!({"contrast": -25}));
    assert_eq!(one("make it more vivid"), json!({"saturation": 25}));
    assert_eq!(one("muted colours"), json!({"saturation": -25}));
    assert_eq!(one("tone down the saturation"), json!({"saturation": -25}));
    assert_eq!(one("not so bright"), json!({"brightness": -25}));
    assert_eq!(one("it's too dark"), json!({"brightness": 25}));
    assert_eq!(one("less dark"), json!({"brightness": 25}));
    assert_eq!(
        one("reduce the brightness a bit"),
        json!({"brightness": -15})
    );
}

#[test]
fn warmth_tones_and_hue() {
    assert_eq!(one("make it warmer"), json!({"temperature": 25}));
    assert_eq!(one("cooler please"), json!({"temperature": -25}));
    assert_eq!(one("add a blue tone"), json!({"temperature": -25}));
    assert_eq!(one("remove the blue tint"), json!({"temperature": 25}));
    assert_eq!(one("add a green tint"), json!({"tint": -25}));
    assert_eq!(
        one("make it more magenta"),
        json!({"temperature": 4, "tint": 23})
    );
    assert_eq!(one("shift the hue by 30 degrees"), json!({"hue": 30}));
    assert_eq!(one("hue -45"), json!({"hue": -45}));
}

#[test]
fn filters() {
    let filter = |s: &str| one(s)["filter"].clone();
    assert_eq!(filter("make it black and white"), "grayscale");
    assert_eq!(filter("b&w"), "grayscale");
    assert_eq!(filter("greyscale"), "grayscale");
    assert_eq!(filter("sepia"), "sepia");
    assert_eq!(
        one("vintage look"),
        json!({"filter": "sepia", "intensity": 0.5})
    );
    assert_eq!(filter("invert the colors"), "negate");
    assert_eq!(filter("auto levels"), "normalize");
    assert_eq!(filter("enhance"), "normalize");
}

#[test]
fn sharpen_and_blur() {
    assert_eq!(one("sharpen"), json!({"filter": "sharpen", "amount": 1}));
    assert_eq!(
        one("a bit sharper"),
        json!({"filter": "sharpen", "amount": 0.6})
    );
    assert_eq!(
        one("make it clearer"),
        json!({"filter": "sharpen", "amount": 1})
    );
    assert_eq!(
        one("make it less blurry"),
        json!({"filter": "sharpen", "amount": 1})
    );
    assert_eq!(one("blur it"), json!({"filter": "blur", "sigma": 5}));
    assert_eq!(one("blur a lot"), json!({"filter": "blur", "sigma": 8}));
    assert_eq!(one("soften"), json!({"filter": "blur", "sigma": 2}));
    assert_eq!(one("blur by 3 px"), json!({"filter": "blur", "sigma": 3}));
}

#[test]
fn dehaze_and_denoise_are_documented_choices() {
    assert_eq!(
        one("dehaze"),
        json!({"brightness": -5, "contrast": 20, "saturation": 10})
    );
    let p = parse_command("remove the noise");
    assert!(p.is_generative());
    assert!(p.notes.iter().any(|n| n.contains("noise")));
}

#[test]
fn resize_forms() {
    assert_eq!(
        one("resize to 1200x800"),
        json!({"width": 1200, "height": 800})
    );
    assert_eq!(one("1200 px wide"), json!({"width": 1200}));
    assert_eq!(one("width 1200"), json!({"width": 1200}));
    assert_eq!(one("make it 600 pixels tall"), json!({"height": 600}));
    assert_eq!(one("scale to 50%"), json!({"scale": 0.5}));
    assert_eq!(one("shrink by 25%"), json!({"scale": 0.75}));
    assert_eq!(one("half size"), json!({"scale": 0.5}));
    assert_eq!(one("double"), json!({"scale": 2}));
    assert_eq!(one("2x"), json!({"scale": 2}));
    assert_eq!(
        one("thumbnails of 300"),
        json!({"width": 300, "height": 300, "fit": "inside"})
    );
    assert_eq!(
        one("max 1024"),
        json!({"width": 1024, "height": 1024, "fit": "inside", "withoutEnlargement": true})
    );
    assert_eq!(one("make it smaller"), json!({"scale": 0.667}));
    assert_eq!(one("resize to 99999 wide"), json!({"width": 16384}));
}

#[test]
fn rotation_words() {
    let deg = |s: &str| one(s)["degrees"].clone();
    assert_eq!(deg("rotate left"), -90);
    assert_eq!(deg("rotate right"), 90);
    assert_eq!(deg("rotate 90"), 90);
    assert_eq!(deg("rotate 180°"), 180);
    assert_eq!(deg("turn it sideways"), 90);
    assert_eq!(deg("upside down"), 180);
    assert_eq!(deg("rotate 90 degrees counter clockwise"), -90);
    assert_eq!(deg("straighten by 3 degrees"), 3);
    assert_eq!(deg("rotate 1000 degrees"), 360);
    assert_eq!(deg("rotate the image"), 90);
    assert!(parse_rules("straighten it").tool_calls.is_empty());
}

#[test]
fn mirror_and_flip() {
    assert_eq!(one("mirror"), json!({"direction": "horizontal"}));
    assert_eq!(one("flip horizontally"), json!({"direction": "horizontal"}));
    assert_eq!(one("flip vertically"), json!({"direction": "vertical"}));
    assert_eq!(one("flip it upside down"), json!({"direction": "vertical"}));
}

#[test]
fn crop_forms() {
    assert_eq!(one("crop 100 px off each side"), json!({"trim": 100}));
    assert_eq!(one("trim 20px"), json!({"trim": 20}));
    assert_eq!(one("square crop"), json!({"aspectRatio": "1:1"}));
    assert_eq!(one("crop to 16:9"), json!({"aspectRatio": "16:9"}));
    assert_eq!(one("crop 1920:1080"), json!({"aspectRatio": "16:9"}));
    assert_eq!(
        one("crop to 4:5 from the top"),
        json!({"aspectRatio": "4:5", "gravity": "north"})
    );
    assert_eq!(
        one("crop to 800x600"),
        json!({"width": 800, "height": 600, "fit": "cover"})
    );
    let bare = parse_command("crop it");
    assert!(bare.tool_calls.is_empty());
    assert_eq!(bare.unparsed, ["crop"]);
}

#[test]
fn borders() {
    assert_eq!(one("add a border"), json!({}));
    assert_eq!(
        one("10 px white border"),
        json!({"width": 10, "color": "#ffffff"})
    );
    assert_eq!(
        one("thick red border"),
        json!({"width": 30, "color": "#ff0000"})
    );
    assert_eq!(
        one("add a #08f border of 20px"),
        json!({"width": 20, "color": "#0088ff"})
    );
}

#[test]
fn text_with_quotes_and_positions() {
    assert_eq!(
        one("add text 'Hello' at the top"),
        json!({"text": "Hello", "position": "north"})
    );
    assert_eq!(
        one("write “Olá, Ana!” bottom left in red"),
        json!({"text": "Olá, Ana!", "position": "south-west", "color": "#ff0000"})
    );
    assert_eq!(
        one("watermark © Ana bottom right"),
        json!({"text": "© Ana", "position": "south-east"})
    );
    assert_eq!(
        one("add the caption \"Summer 2024\" in large letters"),
        json!({"text": "Summer 2024", "fontSize": 48})
    );
}

#[test]
fn formats_and_quality() {
    assert_eq!(one("convert to png"), json!({"format": "png"}));
    assert_eq!(one("webp at 80"), json!({"format": "webp", "quality": 80}));
    assert_eq!(
        one("jpeg quality 70"),
        json!({"format": "jpg", "quality": 70})
    );
    assert_eq!(
        one("high quality jpeg"),
        json!({"format": "jpg", "quality": 90})
    );
    assert_eq!(one("quality 85"), json!({"quality": 85}));
    assert_eq!(one("compress it"), json!({"quality": 70}));
}

#[test]
fn clauses_keep_their_order() {
    assert_eq!(
        calls("brighten, then sharpen and convert to webp"),
        json!([["adjust", {"brightness": 25}], ["apply_filter", {"filter": "sharpen", "amount": 1}], ["convert_format", {"format": "webp"}]])
    );
    assert_eq!(
        calls("rotate left; also make it black and white"),
        json!([["rotate", {"degrees": -90}], ["apply_filter", {"filter": "grayscale"}]])
    );
}

#[test]
fn property_lists_share_their_verb() {
    assert_eq!(
        one("increase brightness, contrast and saturation"),
        json!({"brightness": 25, "contrast": 25, "saturation": 25})
    );
    assert_eq!(
        one("reduce the contrast and saturation slightly"),
        json!({"contrast": -25, "saturation": -10})
    );
}

#[test]
fn politeness_and_filler_are_ignored() {
    let p = parse_command("Hi! Could you please make the photo a little brighter? Thanks so much!");
    assert_eq!(
        calls("make the photo a little brighter"),
        json!([["adjust", {"brightness": 10}]])
    );
    assert_eq!(p.tool_calls.len(), 1);
    assert!(p.unparsed.is_empty(), "{:?}", p.unparsed);
}

#[test]
fn object_level_requests_go_to_the_generative_provider() {
    for s in [
        "remove the person in the background",
        "replace the sky",
        "get rid of the watermark",
        "erase the text",
        "add a hat to the dog",
        "make the sky bluer",
        "darken the background",
        "whiten her teeth",
        "colorize this photo",
        "restore this old photo",
    ] {
        let p = parse_rules(s);
        assert_eq!(p.tool_calls.len(), 1, "{s}");
        assert_eq!(p.tool_calls[0].tool.name(), "generate_with_llm", "{s}");
        assert_eq!(p.tool_calls[0].tool.params_json()["prompt"], s, "{s}");
        assert!(p.notes.iter().any(|n| n.contains("generative")), "{s}");
    }
}

#[test]
fn generative_and_parametric_clauses_mix_in_order() {
    assert_eq!(
        calls("remove the man on the left, then make it black and white"),
        json!([["generate_with_llm", {"prompt": "remove the man on the left"}], ["apply_filter", {"filter": "grayscale"}]])
    );
    assert_eq!(
        calls("remove the man and the dog"),
        json!([["generate_with_llm", {"prompt": "remove the man, the dog"}]])
    );
}

#[test]
fn nonsense_gives_an_empty_plan() {
    let p = parse_command("asdf qwerty zxcv");
    assert!(p.tool_calls.is_empty());
    assert_eq!(p.unparsed, ["asdf qwerty zxcv"]);
    assert_eq!(parse_command("   "), ParsedCommand::default());
}

#[test]
fn unplaced_words_are_reported() {
    let p = parse_command("make it brighter for grandma's birthday");
    assert_eq!(p.tool_calls.len(), 1);
    assert_eq!(p.unparsed, ["grandma's birthday"]);
}

#[test]
fn misspellings_are_understood() {
    assert_eq!(
        one("increse brigthness and saturnation"),
        json!({"brightness": 25, "saturation": 25})
    );
}

#[test]
fn json_has_the_three_fields() {
    let v = parse_command("sharpen and frobnicate").to_json();
    assert_eq!(v["toolCalls"][0]["tool"], "apply_filter");
    assert_eq!(v["toolCalls"][0]["applyToAll"], true);
    assert_eq!(v["unparsed"], json!(["frobnicate"]));
    assert!(v["notes"].is_array());
}

#[test]
fn a_verb_in_the_next_clause_is_not_reversed_by_the_previous_one() {
    assert_eq!(
        calls("reduce the brightness and sharpen the photo"),
        json!([["adjust", {"brightness": -25}], ["apply_filter", {"filter": "sharpen", "amount": 1}]])
    );
    assert_eq!(
        calls("remove the red cast and sharpen"),
        json!([["adjust", {"temperature": -15, "tint": -13}], ["apply_filter", {"filter": "sharpen", "amount": 1}]])
    );
}

#[test]
fn purposes_are_reasons_not_edits() {
    let p = parse_command("lighten the image so the dog is more visible");
    assert_eq!(
        calls("lighten the image so the dog is more visible"),
        json!([["adjust", {"brightness": 25}]])
    );
    assert!(p.notes.iter().any(|n| n.contains("reason")));
    assert_eq!(
        calls("sharpen the image to remove the blur"),
        json!([["apply_filter", {"filter": "sharpen", "amount": 1}]])
    );
}

#[test]
fn removals_in_any_word_order() {
    for s in [
        "can the man on the left be removed?",
        "edit my sister out of this photo",
        "remove me from this picture",
    ] {
        assert!(parse_command(s).is_generative(), "{s}");
    }
    assert!(!parse_command("remove the yellow tint").is_generative());
    assert!(!parse_command("remove the blur").is_generative());
}

#[test]
fn crops_to_a_subject_are_generative() {
    assert!(parse_rules("zoom in on the band").is_generative());
    assert!(parse_command("crop to just the couple").is_generative());
    assert!(!parse_command("zoom in on the image").is_generative());
}

#[test]
fn text_needs_a_verb_or_quotes() {
    assert!(parse_rules("make the red text darker").is_generative());
    assert_eq!(
        one("put the text 'Hi' in the middle"),
        json!({"text": "Hi", "position": "center"})
    );
}

#[test]
fn whole_image_colours() {
    assert_eq!(
        one("make the image red"),
        json!({"temperature": 15, "tint": 13})
    );
    assert_eq!(one("make it %50 larger"), json!({"scale": 1.5}));
}

/// The rules and the intent model together (blend.rs): what `parse_command` returns.
mod with_the_model {
    use super::*;

    fn adjust_of(p: &ParsedCommand) -> Value {
        p.tool_calls
            .iter()
            .find(|c| c.tool.name() == "adjust")
            .map(|c| c.tool.params_json())
            .unwrap_or(Value::Null)
    }

    fn names(p: &ParsedCommand) -> Vec<&'static str> {
        p.tool_calls.iter().map(|c| c.tool.name()).collect()
    }

    #[test]
    fn a_family_the_rules_miss_becomes_a_step_with_a_note() {
        // The rules read "the lighting" as auto-levels only; the model adds a strong brightness.
        let p = parse_command("Significantly increase the lighting");
        assert_eq!(adjust_of(&p)["brightness"], json!(20), "{}", p.to_json());
        assert!(
            p.notes
                .iter()
                .any(|n| n.starts_with("brightness +20 added")),
            "{:?}",
            p.notes
        );
        // No tone word the rules know, but people mean brightening.
        let p = parse_command("Is it possible to reduce any of the shadows?");
        assert!(
            adjust_of(&p)["brightness"].as_f64() > Some(0.0),
            "{}",
            p.to_json()
        );
    }

    #[test]
    fn added_steps_merge_into_the_rules_adjustment() {
        let p = parse_command("Enhance the colors and make them more vivid");
        let a = adjust_of(&p);
        assert_eq!(a["saturation"], json!(25), "{}", p.to_json());
        assert!(a["contrast"].as_f64() > Some(0.0), "{}", p.to_json());
        assert_eq!(names(&p), ["adjust"]);
    }

    #[test]
    fn named_edits_are_never_dropped() {
        for s in [
            "make it black and white",
            "Sharpen this photo, please.",
            "rotate it 90 degrees",
            "flip it horizontally",
            "crop it to 16:9",
        ] {
            assert_eq!(
                names(&parse_rules(s)).first(),
                names(&parse_command(s)).first(),
                "{s}"
            );
        }
    }

    #[test]
    fn numbers_and_outside_tools_stay_the_rules() {
        let p =
            parse_command("Please make it a bit brighter, then rotate left and save as webp at 80");
        assert_eq!(adjust_of(&p)["brightness"], json!(15));
        assert!(
            names(&p).ends_with(&["rotate", "convert_format"]),
            "{:?}",
            names(&p)
        );
        let p = parse_command("resize to 1200 px wide");
        assert!(names(&p).contains(&"resize"), "{:?}", names(&p));
        assert!(!p.is_generative());
        assert_eq!(parse_command("   "), ParsedCommand::default());
        assert!(parse_command("asdf qwerty zxcv").tool_calls.is_empty());
    }

    #[test]
    fn object_edits_stay_one_generative_call() {
        let p = parse_command("remove the man in the background");
        assert_eq!(names(&p), ["generate_with_llm"]);
        // The model doubts these, but dropping them would leave nothing: the plan stays.
        for s in ["replace the sky", "zoom in on the band"] {
            assert!(parse_command(s).is_generative(), "{s}");
        }
    }

    #[test]
    fn a_strongly_contradicted_detection_is_left_out_with_a_note() {
        // The rules read a local edit; people who write this mean the whole picture darker.
        let s = "Darken the buildings please";
        assert!(parse_rules(s).is_generative());
        let p = parse_command(s);
        assert!(!p.is_generative(), "{}", p.to_json());
        assert!(
            adjust_of(&p)["brightness"].as_f64() < Some(0.0),
            "{}",
            p.to_json()
        );
        assert!(
            p.notes.iter().any(|n| n.starts_with("generative left out")),
            "{:?}",
            p.notes
        );
        assert!(!p.notes.iter().any(|n| n.ends_with("generative provider")));
        // Object-level verbs and the background are never dropped, nor made global.
        for s in [
            "blur the background",
            "remove the black cat and make it brighter",
        ] {
            let p = parse_command(s);
            assert!(p.is_generative(), "{s}: {}", p.to_json());
            assert!(!names(&p).contains(&"apply_filter"), "{s}: {}", p.to_json());
        }
    }
}
