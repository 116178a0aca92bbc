//! Turns a command into tokens: lowercase words, numbers with their units, sizes (`1200x800`),
//! ratios (`16:9`), hex colours, quoted text (kept verbatim for `add_text`) and punctuation.
//!
//! Every token keeps its byte span in the original command, so fragments and prompts are quoted
//! back to the user exactly as typed. Common multi-word expressions ("black and white", "upside
//! down", "a little bit") are folded into one canonical word so the rest of the parser matches
//! single tokens.

use retouch_contract::Color;

/// A unit written after a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    None,
    Px,
    Percent,
    Degrees,
    /// `2x`, `x2`, `2 times`.
    Times,
    /// Photographic stops (`+1 stop`, `1 ev`).
    Stops,
}

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A lowercase word (or a canonical word for a folded phrase).
    Word,
    /// A number; `signed` when written with an explicit `+` or `-`.
    Number {
        value: f64,
        unit: Unit,
        signed: bool,
    },
    /// `W x H` or `W by H`.
    Size(f64, f64),
    /// `W:H`.
    Ratio(f64, f64),
    /// `#rgb`, `#rrggbb`, …
    Hex(Color),
    /// Text inside quotes, verbatim (without the quotes).
    Quoted,
    /// Any other single character (punctuation, `©`, …).
    Sym(char),
}

/// One token with its place in the command.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: Kind,
    /// The lowercase word, the quoted text, or the symbol; empty for numbers.
    pub text: String,
    /// Byte span in the original command.
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn is(&self, word: &str) -> bool {
        self.kind == Kind::Word && self.text == word
    }
    pub fn is_any(&self, words: &[&str]) -> bool {
        self.kind == Kind::Word && words.contains(&self.text.as_str())
    }
    pub fn word(&self) -> Option<&str> {
        (self.kind == Kind::Word).then_some(self.text.as_str())
    }
    pub fn size(&self) -> Option<(f64, f64)> {
        match self.kind {
            Kind::Size(w, h) => Some((w, h)),
            _ => None,
        }
    }
    pub fn number(&self) -> Option<(f64, Unit)> {
        match self.kind {
            Kind::Number { value, unit, .. } => Some((value, unit)),
            _ => None,
        }
    }
}

fn is_quote_open(c: char) -> Option<&'static [char]> {
    match c {
        '"' => Some(&['"', '”', '“']),
        '“' | '”' | '„' => Some(&['”', '“', '"']),
        '‘' | '’' | '\'' => Some(&['’', '\'', '‘']),
        '«' => Some(&['»']),
        '「' => Some(&['」']),
        _ => None,
    }
}

/// Splits `src` into tokens, then folds phrases.
pub(crate) fn tokenize(src: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(src.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let prev_alnum = i > 0 && chars[i - 1].1.is_alphanumeric();
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        // Quoted text: a double quote anywhere, a single quote only at a word start (not "man's").
        if let Some(closers) = is_quote_open(c) {
            let single = matches!(c, '‘' | '’' | '\'');
            if !(single && prev_alnum) {
                let close = (i + 1..chars.len()).find(|&j| {
                    closers.contains(&chars[j].1)
                        && !(single && chars.get(j + 1).is_some_and(|n| n.1.is_alphanumeric()))
                });
                if let Some(j) = close {
                    let inner = &src[end_of(i + 1).min(chars[j].0)..chars[j].0];
                    if !inner.trim().is_empty() {
                        out.push(Token {
                            kind: Kind::Quoted,
                            text: inner.trim().to_owned(),
                            start,
                            end: end_of(j + 1),
                        });
                        i = j + 1;
                        continue;
                    }
                }
            }
        }
        // Hex colour.
        if c == '#' {
            let mut j = i + 1;
            while j < chars.len() && chars[j].1.is_ascii_hexdigit() {
                j += 1;
            }
            let boundary = chars.get(j).is_none_or(|n| !n.1.is_alphanumeric());
            if boundary && matches!(j - i - 1, 3 | 4 | 6 | 8) {
                let text = &src[start..end_of(j)];
                if let Ok(color) = text.parse::<Color>() {
                    out.push(Token {
                        kind: Kind::Hex(color),
                        text: text.to_ascii_lowercase(),
                        start,
                        end: end_of(j),
                    });
                    i = j;
                    continue;
                }
            }
        }
        // Number, with an optional sign when it starts a word.
        let signed_start = matches!(c, '+' | '-' | '−')
            && !prev_alnum
            && chars.get(i + 1).is_some_and(|n| n.1.is_ascii_digit());
        if c.is_ascii_digit() || signed_start {
            let mut j = if signed_start { i + 1 } else { i };
            let mut digits = String::new();
            if c == '-' || c == '−' {
                digits.push('-');
            }
            let mut seen_dot = false;
            while j < chars.len() {
                let d = chars[j].1;
                if d.is_ascii_digit() {
                    digits.push(d);
                } else if d == '.'
                    && !seen_dot
                    && chars.get(j + 1).is_some_and(|n| n.1.is_ascii_digit())
                {
                    seen_dot = true;
                    digits.push('.');
                } else if d == ','
                    && !seen_dot
                    && (1..=3).all(|k| chars.get(j + k).is_some_and(|n| n.1.is_ascii_digit()))
                    && chars.get(j + 4).is_none_or(|n| !n.1.is_ascii_digit())
                {
                    // 1,200 (a thousands separator, not a clause break).
                } else {
                    break;
                }
                j += 1;
            }
            // Cap the digits so absurd inputs stay finite and cheap.
            let value = digits
                .get(..digits.len().min(24))
                .and_then(|d| d.parse::<f64>().ok())
                .filter(|v| v.is_finite())
                .unwrap_or(0.0);
            out.push(Token {
                kind: Kind::Number {
                    value,
                    unit: Unit::None,
                    signed: signed_start,
                },
                text: String::new(),
                start,
                end: end_of(j),
            });
            i = j;
            continue;
        }
        // Word: letters and digits, with inner apostrophes and ampersands ("man's", "b&w").
        if c.is_alphanumeric() {
            let mut j = i;
            while j < chars.len() {
                let d = chars[j].1;
                let inner = matches!(d, '\'' | '’' | '&')
                    && chars.get(j + 1).is_some_and(|n| n.1.is_alphanumeric());
                if d.is_alphanumeric() || (inner && j > i) {
                    j += 1;
                } else {
                    break;
                }
            }
            let text: String = src[start..end_of(j)]
                .chars()
                .map(|ch| if ch == '’' { '\'' } else { ch })
                .flat_map(char::to_lowercase)
                .collect();
            out.push(Token {
                kind: Kind::Word,
                text,
                start,
                end: end_of(j),
            });
            i = j;
            continue;
        }
        out.push(Token {
            kind: Kind::Sym(c),
            text: c.to_string(),
            start,
            end: end_of(i + 1),
        });
        i += 1;
    }
    split_glued(&mut out);
    attach_units(&mut out);
    fold_phrases(&mut out);
    out
}

/// Splits words that glue a number to a unit or to a size: "1200px", "2x", "x2", "1200x800",
/// "q80", "4k" are lexed as digits then letters; digits first are numbers already, so this only
/// handles the forms where letters start the word ("x2", "q80").
fn split_glued(tokens: &mut Vec<Token>) {
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.kind == Kind::Word {
            for prefix in ["x", "q"] {
                if let Some(rest) = t.text.strip_prefix(prefix) {
                    if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
                        let value = rest.parse::<f64>().unwrap_or(0.0);
                        let (start, end) = (t.start, t.end);
                        let split = start + prefix.len();
                        tokens[i] = Token {
                            kind: Kind::Word,
                            text: prefix.to_owned(),
                            start,
                            end: split,
                        };
                        tokens.insert(
                            i + 1,
                            Token {
                                kind: Kind::Number {
                                    value,
                                    unit: Unit::None,
                                    signed: false,
                                },
                                text: String::new(),
                                start: split,
                                end,
                            },
                        );
                        break;
                    }
                }
            }
        }
        i += 1;
    }
}

fn unit_of(word: &str) -> Option<Unit> {
    Some(match word {
        "px" | "pixel" | "pixels" | "pix" | "pxl" | "pxls" => Unit::Px,
        "%" | "percent" | "pct" | "percents" | "procent" => Unit::Percent,
        "°" | "deg" | "degree" | "degrees" | "degs" | "º" => Unit::Degrees,
        "times" => Unit::Times,
        "stop" | "stops" | "ev" => Unit::Stops,
        _ => return None,
    })
}

/// Attaches units to numbers and builds sizes and ratios.
fn attach_units(tokens: &mut Vec<Token>) {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let mut t = tokens[i].clone();
        if let Kind::Number { value, signed, .. } = t.kind {
            let next = tokens.get(i + 1);
            let glued = next.is_some_and(|n| n.start == t.end);
            // "x2" before the number: handled by the Word("x") + Number pair below.
            if let Some(n) = next {
                // W x H, W×H, W*H, W by H.
                let is_by = n.is_any(&["x", "by"]) || matches!(n.kind, Kind::Sym('×' | '*'));
                let third = tokens.get(i + 2).and_then(Token::number);
                if is_by && !signed {
                    if let Some((h, Unit::None | Unit::Px)) = third {
                        let end = tokens[i + 2].end;
                        // "1200 x 800 px": swallow a trailing unit.
                        let mut k = i + 3;
                        let mut end2 = end;
                        if tokens.get(k).and_then(Token::word).and_then(unit_of) == Some(Unit::Px) {
                            end2 = tokens[k].end;
                            k += 1;
                        }
                        out.push(Token {
                            kind: Kind::Size(value, h),
                            text: String::new(),
                            start: t.start,
                            end: end2,
                        });
                        i = k;
                        continue;
                    }
                }
                if matches!(n.kind, Kind::Sym(':')) && glued && !signed {
                    if let Some(m) = tokens.get(i + 2) {
                        if let (Some((h, Unit::None)), true) = (m.number(), m.start == n.end) {
                            out.push(Token {
                                kind: Kind::Ratio(value, h),
                                text: String::new(),
                                start: t.start,
                                end: m.end,
                            });
                            i += 3;
                            continue;
                        }
                    }
                }
                let unit = match &n.kind {
                    Kind::Sym(c) => unit_of(&c.to_string()),
                    Kind::Word => {
                        let w = n.text.as_str();
                        if w == "x" && glued {
                            Some(Unit::Times)
                        } else if w == "k" && glued {
                            // "4k" → 4000; rarely meant as pixels, kept as a plain number.
                            None
                        } else {
                            unit_of(w)
                        }
                    }
                    _ => None,
                };
                if let Some(u) = unit {
                    t.kind = Kind::Number {
                        value,
                        unit: u,
                        signed,
                    };
                    t.end = n.end;
                    // "per cent"
                    i += 1;
                    if n.is("per") && tokens.get(i + 1).is_some_and(|m| m.is("cent")) {
                        i += 1;
                    }
                    out.push(t);
                    i += 1;
                    continue;
                }
                if n.is("per") && tokens.get(i + 2).is_some_and(|m| m.is("cent")) {
                    t.kind = Kind::Number {
                        value,
                        unit: Unit::Percent,
                        signed,
                    };
                    t.end = tokens[i + 2].end;
                    out.push(t);
                    i += 3;
                    continue;
                }
            }
        }
        // "%50" → 50%.
        if matches!(t.kind, Kind::Sym('%')) {
            if let Some(Kind::Number { value, signed, .. }) =
                tokens.get(i + 1).map(|n| n.kind.clone())
            {
                if tokens[i + 1].start == t.end {
                    out.push(Token {
                        kind: Kind::Number {
                            value,
                            unit: Unit::Percent,
                            signed,
                        },
                        text: String::new(),
                        start: t.start,
                        end: tokens[i + 1].end,
                    });
                    i += 2;
                    continue;
                }
            }
        }
        // "x2" → 2 times.
        if t.is("x") {
            if let Some(Kind::Number {
                value,
                unit: Unit::None,
                signed: false,
            }) = tokens.get(i + 1).map(|n| n.kind.clone())
            {
                if tokens[i + 1].start == t.end {
                    out.push(Token {
                        kind: Kind::Number {
                            value,
                            unit: Unit::Times,
                            signed: false,
                        },
                        text: String::new(),
                        start: t.start,
                        end: tokens[i + 1].end,
                    });
                    i += 2;
                    continue;
                }
            }
        }
        out.push(t);
        i += 1;
    }
    *tokens = out;
}

/// Multi-word expressions folded into one canonical word.
const PHRASES: &[(&[&str], &str)] = &[
    (&["black", "and", "white"], "grayscale"),
    (&["black", "&", "white"], "grayscale"),
    (&["black", "n", "white"], "grayscale"),
    (&["black", "white"], "grayscale"),
    (&["b&w"], "grayscale"),
    (&["b", "&", "w"], "grayscale"),
    (&["b", "/", "w"], "grayscale"),
    (&["bw"], "grayscale"),
    (&["grey", "scale"], "grayscale"),
    (&["gray", "scale"], "grayscale"),
    (&["upside", "down"], "upsidedown"),
    (&["up", "side", "down"], "upsidedown"),
    (&["right", "side", "up"], "rightsideup"),
    (&["counter", "clockwise"], "ccw"),
    (&["anti", "clockwise"], "ccw"),
    (&["counterclockwise"], "ccw"),
    (&["anticlockwise"], "ccw"),
    (&["clockwise"], "cw"),
    (&["get", "rid", "of"], "remove"),
    (&["getting", "rid", "of"], "remove"),
    (&["auto", "levels"], "normalize"),
    (&["auto", "level"], "normalize"),
    (&["autolevels"], "normalize"),
    (&["auto", "contrast"], "normalize"),
    (&["auto", "enhance"], "normalize"),
    (&["auto", "color"], "normalize"),
    (&["auto", "colour"], "normalize"),
    (&["auto", "tone"], "normalize"),
    (&["color", "correct"], "normalize"),
    (&["colour", "correct"], "normalize"),
    (&["color", "correction"], "normalize"),
    (&["colour", "correction"], "normalize"),
    (&["white", "balance"], "normalize"),
    (&["washed", "out"], "washedout"),
    (&["soft", "focus"], "soften"),
    (&["out", "of", "focus"], "blurry"),
    (&["red", "eye"], "redeye"),
    (&["red", "eyes"], "redeye"),
    (&["mid", "tones"], "midtones"),
    (&["mid", "tone"], "midtones"),
    (&["not", "so"], "notso"),
    (&["not", "as"], "notso"),
    (&["not", "too"], "notso"),
    (&["tone", "down"], "reduce"),
    (&["turn", "down"], "reduce"),
    (&["bring", "down"], "reduce"),
    (&["dial", "down"], "reduce"),
    (&["dial", "back"], "reduce"),
    (&["pull", "back"], "reduce"),
    (&["cut", "back"], "reduce"),
    (&["back", "off"], "reduce"),
    (&["turn", "up"], "increase"),
    (&["bring", "up"], "increase"),
    (&["crank", "up"], "increase"),
    (&["pump", "up"], "increase"),
    (&["bump", "up"], "increase"),
    (&["dial", "up"], "increase"),
    (&["bring", "out"], "increase"),
    (&["high", "def"], "sharper"),
    (&["high", "definition"], "sharper"),
    (&["in", "focus"], "sharper"),
    (&["over", "exposed"], "overexposed"),
    (&["over", "exposure"], "overexposed"),
    (&["overexposure"], "overexposed"),
    (&["under", "exposed"], "underexposed"),
    (&["under", "exposure"], "underexposed"),
    (&["underexposure"], "underexposed"),
    (&["web", "p"], "webp"),
    (&["file", "size"], "filesize"),
    (&["left", "to", "right"], "horizontally"),
    (&["right", "to", "left"], "horizontally"),
    (&["top", "to", "bottom"], "vertically"),
    (&["bottom", "to", "top"], "vertically"),
    (&["font", "size"], "fontsize"),
    (&["text", "size"], "fontsize"),
    (&["edit", "out"], "remove"),
    (&["photoshop", "out"], "remove"),
    (&["photo", "shop"], "photoshop"),
    (&["clean", "up"], "normalize"),
    (&["cleaned", "up"], "normalize"),
    (&["touch", "up"], "normalize"),
    (&["crop", "out"], "remove"),
    (&["cut", "out"], "remove"),
    (&["clone", "out"], "remove"),
    (&["paint", "out"], "remove"),
    (&["take", "out"], "remove"),
    (&["take", "away"], "remove"),
    (&["taken", "out"], "remove"),
    (&["taken", "away"], "remove"),
    (&["in", "order", "to"], "so"),
    (&["so", "that"], "so"),
    (&["wipe", "out"], "remove"),
    (&["zoom", "in"], "zoom"),
    (&["zoomed", "in"], "zoom"),
    (&["zoom", "out"], "zoomout"),
    (&["upper", "left"], "topleft"),
    (&["upper", "right"], "topright"),
    (&["lower", "left"], "bottomleft"),
    (&["lower", "right"], "bottomright"),
    (&["top", "left"], "topleft"),
    (&["top", "right"], "topright"),
    (&["bottom", "left"], "bottomleft"),
    (&["bottom", "right"], "bottomright"),
    (&["left", "top"], "topleft"),
    (&["right", "top"], "topright"),
    (&["left", "bottom"], "bottomleft"),
    (&["right", "bottom"], "bottomright"),
    (&["at", "most"], "max"),
    (&["no", "larger", "than"], "max"),
    (&["no", "bigger", "than"], "max"),
    (&["no", "wider", "than"], "max"),
    (&["not", "larger", "than"], "max"),
    (&["not", "bigger", "than"], "max"),
    (&["fit", "within"], "max"),
    (&["fit", "in"], "max"),
    (&["fit", "inside"], "max"),
    (&["fit", "into"], "max"),
    (&["up", "to"], "max"),
    (&["a", "tiny", "bit"], "~tiny"),
    (&["a", "teeny", "bit"], "~tiny"),
    (&["a", "touch"], "~tiny"),
    (&["a", "hair"], "~tiny"),
    (&["just", "a", "touch"], "~tiny"),
    (&["a", "little", "bit"], "~slight"),
    (&["little", "bit"], "~slight"),
    (&["a", "little"], "~slight"),
    (&["a", "bit"], "~some"),
    (&["a", "tad"], "~some"),
    (&["a", "smidge"], "~tiny"),
    (&["quite", "a", "bit"], "~strong"),
    (&["quite", "a", "lot"], "~strong"),
    (&["a", "whole", "lot"], "~extreme"),
    (&["by", "a", "lot"], "~strong"),
    (&["a", "lot"], "~strong"),
    (&["alot"], "~strong"),
    (&["lots"], "~strong"),
    (&["very", "much"], "~strong"),
    (&["so", "much"], "~strong"),
    (&["way", "more"], "~strong"),
    (&["much", "more"], "~strong"),
    (&["lot", "more"], "~strong"),
    (&["a", "lot", "more"], "~strong"),
    (&["a", "great", "deal"], "~strong"),
    (&["as", "much", "as", "possible"], "~extreme"),
    (&["to", "the", "max"], "~extreme"),
    (&["each", "side"], "allsides"),
    (&["every", "side"], "allsides"),
    (&["all", "sides"], "allsides"),
    (&["each", "edge"], "allsides"),
    (&["every", "edge"], "allsides"),
    (&["all", "edges"], "allsides"),
    (&["all", "around"], "allsides"),
    (&["all", "round"], "allsides"),
    (&["the", "edges"], "allsides"),
    (&["the", "sides"], "allsides"),
    (&["left", "and", "right"], "leftright"),
];

/// The phrases of [`PHRASES`] by their first word, built once.
fn phrases_by_first_word() -> &'static std::collections::HashMap<&'static str, Vec<usize>> {
    static INDEX: std::sync::OnceLock<std::collections::HashMap<&'static str, Vec<usize>>> =
        std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m: std::collections::HashMap<&'static str, Vec<usize>> =
            std::collections::HashMap::new();
        for (k, (words, _)) in PHRASES.iter().enumerate() {
            m.entry(words[0]).or_default().push(k);
        }
        m
    })
}

/// Replaces each phrase of [`PHRASES`] with its canonical word (longest match first).
fn fold_phrases(tokens: &mut Vec<Token>) {
    let index = phrases_by_first_word();
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let candidates = match tokens[i].kind {
            Kind::Word | Kind::Sym(_) => index.get(tokens[i].text.as_str()),
            _ => None,
        };
        let best = candidates.and_then(|ks| {
            ks.iter()
                .map(|&k| PHRASES[k])
                .filter(|(words, _)| {
                    i + words.len() <= tokens.len()
                        && words.iter().enumerate().all(|(k, w)| {
                            let t = &tokens[i + k];
                            matches!(t.kind, Kind::Word | Kind::Sym(_)) && t.text == *w
                        })
                })
                .max_by_key(|(words, _)| words.len())
        });
        if let Some((words, canon)) = best {
            let n = words.len();
            out.push(Token {
                kind: Kind::Word,
                text: canon.to_owned(),
                start: tokens[i].start,
                end: tokens[i + n - 1].end,
            });
            i += n;
            continue;
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    *tokens = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Kind> {
        tokenize(s).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn numbers_take_their_units() {
        let n = |value, unit| Kind::Number {
            value,
            unit,
            signed: false,
        };
        assert_eq!(kinds("1200px"), vec![n(1200.0, Unit::Px)]);
        assert_eq!(kinds("1200 pixels"), vec![n(1200.0, Unit::Px)]);
        assert_eq!(kinds("50%"), vec![n(50.0, Unit::Percent)]);
        assert_eq!(kinds("50 per cent"), vec![n(50.0, Unit::Percent)]);
        assert_eq!(kinds("90°"), vec![n(90.0, Unit::Degrees)]);
        assert_eq!(kinds("2x"), vec![n(2.0, Unit::Times)]);
        assert_eq!(kinds("x2"), vec![n(2.0, Unit::Times)]);
        assert_eq!(kinds("1,200 px"), vec![n(1200.0, Unit::Px)]);
        assert_eq!(
            kinds("-10"),
            vec![Kind::Number {
                value: -10.0,
                unit: Unit::None,
                signed: true
            }]
        );
    }

    #[test]
    fn sizes_ratios_and_colours() {
        assert_eq!(kinds("1200x800"), vec![Kind::Size(1200.0, 800.0)]);
        assert_eq!(kinds("1200 × 800 px"), vec![Kind::Size(1200.0, 800.0)]);
        assert_eq!(kinds("1200 by 800"), vec![Kind::Size(1200.0, 800.0)]);
        assert_eq!(kinds("16:9"), vec![Kind::Ratio(16.0, 9.0)]);
        assert_eq!(
            kinds("#ff0000"),
            vec![Kind::Hex(Color::rgba(255, 0, 0, 255))]
        );
    }

    #[test]
    fn quotes_are_verbatim_and_apostrophes_are_not_quotes() {
        let t = tokenize("add text 'Hello World' and the man's hat");
        assert_eq!(t[2].kind, Kind::Quoted);
        assert_eq!(t[2].text, "Hello World");
        assert!(t.iter().any(|t| t.text == "man's"));
        let t = tokenize("write “Olá, Ana!” at the top");
        assert_eq!(t[1].text, "Olá, Ana!");
    }

    #[test]
    fn phrases_fold() {
        let words: Vec<String> = tokenize("Make it Black and White, upside down, a little bit")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            words,
            ["make", "it", "grayscale", ",", "upsidedown", ",", "~slight"]
        );
    }
}
