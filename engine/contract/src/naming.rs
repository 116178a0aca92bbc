//! Output names and tags: a result is named after its input and its edits, and tagged `edited`.

use crate::{Direction, Format, Quality, Tool, ToolCall};

/// The longest stem kept from the input name, in characters.
const MAX_STEM: usize = 60;
/// At most this many edit words go into a name; more become `edited`.
const MAX_EDIT_WORDS: usize = 4;

/// The output name (no extension) for an input file name and the calls that applied to it.
///
/// The stem keeps letters, digits, `-` and `_` (so it is safe as a storage key and a download
/// name); each edit adds a short word.
///
/// ```
/// use retouch_contract::{naming::output_name, parse_tool_calls};
/// let calls = parse_tool_calls(r#"[{"tool":"resize","params":{"width":1200}},
///     {"tool":"apply_filter","params":{"filter":"grayscale"}}]"#).unwrap();
/// assert_eq!(output_name("My Holiday (1).JPG", &calls), "My-Holiday-1-1200w-grayscale");
/// assert_eq!(output_name("../../etc/passwd", &[]), "passwd-edited");
/// ```
pub fn output_name(input_name: &str, calls: &[ToolCall]) -> String {
    let mut name = stem(input_name);
    let words: Vec<String> = calls.iter().filter_map(|c| edit_word(&c.tool)).collect();
    if words.is_empty() || words.len() > MAX_EDIT_WORDS {
        name.push_str("-edited");
    } else {
        for w in words {
            name.push('-');
            name.push_str(&w);
        }
    }
    name
}

/// The output file name: [`output_name`] plus the format's extension.
pub fn output_file_name(input_name: &str, calls: &[ToolCall], format: Format) -> String {
    format!("{}.{}", output_name(input_name, calls), format.extension())
}

/// The input's tags plus `edited` (once), in order, blanks dropped.
///
/// ```
/// let tags = retouch_contract::naming::output_tags(&["beach".into(), "edited".into(), " ".into()]);
/// assert_eq!(tags, ["beach", "edited"]);
/// ```
pub fn output_tags(input_tags: &[String]) -> Vec<String> {
    let mut tags: Vec<String> = Vec::with_capacity(input_tags.len() + 1);
    for t in input_tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        if !tags.iter().any(|x| x == t) {
            tags.push(t.to_owned());
        }
    }
    if !tags.iter().any(|t| t == "edited") {
        tags.push("edited".to_owned());
    }
    tags
}

/// The file stem of `input_name`, with every run of unsafe characters turned into one `-`.
fn stem(input_name: &str) -> String {
    let base = input_name.rsplit(['/', '\\']).next().unwrap_or(input_name);
    let base = match base.rfind('.') {
        Some(i) if i > 0 => &base[..i],
        _ => base,
    };
    let mut out = String::new();
    for c in base.chars() {
        if out.chars().count() >= MAX_STEM {
            break;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "image".to_owned()
    } else {
        trimmed.to_owned()
    }
}

fn edit_word(tool: &Tool) -> Option<String> {
    Some(match tool {
        Tool::Resize(p) => match (p.width, p.height, p.scale) {
            (_, _, Some(s)) => format!("{}pct", (s.get() * 100.0).round()),
            (Some(w), Some(h), _) => format!("{w}x{h}"),
            (Some(w), None, _) => format!("{w}w"),
            (None, Some(h), _) => format!("{h}h"),
            (None, None, None) => "resized".to_owned(),
        },
        Tool::Rotate(p) => format!("rot{}", p.degrees.get().round() as i64),
        Tool::Flip(p) => match p.direction {
            Direction::Horizontal => "mirrored",
            Direction::Vertical => "flipped",
        }
        .to_owned(),
        Tool::Crop(_) => "cropped".to_owned(),
        Tool::ConvertFormat(_) => return None,
        Tool::AdjustQuality(p) => format!("q{}", p.quality.map_or(80, Quality::get)),
        Tool::ApplyFilter(p) => serde_json::to_value(p.filter).ok()?.as_str()?.to_owned(),
        Tool::AddBorder(_) => "border".to_owned(),
        Tool::AddText(_) => "text".to_owned(),
        Tool::Adjust(_) => "adjusted".to_owned(),
        Tool::GenerateWithLlm(_) => "generated".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_tool_calls;

    #[test]
    fn names_follow_the_edits() {
        let calls = parse_tool_calls(
            r#"[{"tool":"rotate","params":{"degrees":-90}},{"tool":"convert_format","params":{"format":"webp"}},
                {"tool":"resize","params":{"scale":0.5}}]"#,
        )
        .unwrap();
        assert_eq!(output_name("a.png", &calls), "a-rot-90-50pct");
        assert_eq!(
            output_file_name("a.png", &calls, Format::Webp),
            "a-rot-90-50pct.webp"
        );
    }

    #[test]
    fn hostile_or_empty_names_become_safe() {
        assert_eq!(stem(""), "image");
        assert_eq!(stem(".hidden"), "hidden");
        assert_eq!(stem("日本.jpg"), "image");
        assert_eq!(stem("a/b\\c d.e.jpg"), "c-d-e");
        assert_eq!(stem(&"x".repeat(500)).len(), MAX_STEM);
    }

    #[test]
    fn many_edits_collapse_to_edited() {
        let one = r#"{"tool":"flip","params":{"direction":"vertical"}}"#;
        let calls = parse_tool_calls(&format!("[{one},{one},{one},{one},{one}]")).unwrap();
        assert_eq!(output_name("p.jpg", &calls), "p-edited");
    }
}
