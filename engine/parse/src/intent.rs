//! The intent model: which edit families a request means, learned from real requests.
//!
//! One logistic output per family over the request's words, word pairs and character 4-grams,
//! trained by `engine/parse/intent/train.py` on the GIER training split (Shi et al., ACCV 2020) and
//! kept in `engine/parse/intent/model.txt`, a text file a reviewer can read and diff
//! (`w:bright<TAB>light=34 contrast=62 ...`). Its manifest (`engine/parse/intent/manifest.json`) gives
//! the feature spec, the hash of the training file, the thresholds and the cross-validation
//! scores. [`features`] must stay exactly the trainer's `features()`: the golden test compares
//! the scores both compute for the same requests.

use std::sync::OnceLock;

/// The model as the trainer wrote it.
const MODEL: &str = include_str!("../intent/model.txt");

/// The edit families, in the model's order (the scorer's families).
pub const FAMILIES: [&str; 13] = [
    "blur",
    "bw",
    "color",
    "contrast",
    "crop",
    "dehaze",
    "denoise",
    "flip",
    "generative",
    "light",
    "rotate",
    "saturation",
    "sharpen",
];

const K: usize = FAMILIES.len();

/// One family of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Blur.
    Blur = 0,
    /// Black and white.
    Bw,
    /// Hue, tint, temperature.
    Color,
    /// Contrast.
    Contrast,
    /// Crop.
    Crop,
    /// Haze removal.
    Dehaze,
    /// Noise removal.
    Denoise,
    /// Flip.
    Flip,
    /// Object-level edits.
    Generative,
    /// Brightness, lightness, exposure.
    Light,
    /// Rotate.
    Rotate,
    /// Saturation.
    Saturation,
    /// Sharpen.
    Sharpen,
}

/// The first bytes of a command read (the parser's limit).
const MAX_BYTES: usize = 8192;
/// Words past this are ignored.
const MAX_TOKENS: usize = 256;
/// The length of the character n-grams.
const CHAR_N: usize = 4;

struct Model {
    bias: [f64; K],
    scale: [f64; K],
    threshold: [f64; K],
    /// The blend's thresholds (see `blend.rs`): add a family the rules missed at this
    /// probability; keep one they found only from this probability.
    add: [f64; K],
    drop: [f64; K],
    /// Features sorted by their bytes, with their int8 weights.
    rows: Vec<(&'static str, [i8; K])>,
}

fn floats(rest: &str) -> [f64; K] {
    let mut out = [0.0; K];
    for (o, v) in out.iter_mut().zip(rest.split(' ')) {
        *o = v.parse().unwrap_or(0.0);
    }
    out
}

/// Reads model.txt (see the trainer's `write_model` for the format). Malformed lines are
/// skipped; the tests check that none are.
fn load(text: &'static str) -> Model {
    let mut m = Model {
        bias: [0.0; K],
        scale: [0.0; K],
        threshold: [2.0; K],
        add: [2.0; K],
        drop: [0.0; K],
        rows: Vec::new(),
    };
    let mut order = [usize::MAX; K];
    for line in text.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some((feature, weights)) = line.split_once('\t') {
            let mut row = [0i8; K];
            for kv in weights.split(' ') {
                let Some((fam, q)) = kv.split_once('=') else {
                    continue;
                };
                if let (Some(j), Ok(q)) = (FAMILIES.iter().position(|f| *f == fam), q.parse()) {
                    row[j] = q;
                }
            }
            m.rows.push((feature, row));
            continue;
        }
        let (key, rest) = line.split_once(' ').unwrap_or((line, ""));
        match key {
            "families" => {
                for (o, name) in order.iter_mut().zip(rest.split(' ')) {
                    *o = FAMILIES
                        .iter()
                        .position(|f| *f == name)
                        .unwrap_or(usize::MAX);
                }
            }
            "bias" => m.bias = floats(rest),
            "scale" => m.scale = floats(rest),
            "threshold" => m.threshold = floats(rest),
            "add" => m.add = floats(rest),
            "drop" => m.drop = floats(rest),
            _ => {}
        }
    }
    // The file lists families in FAMILIES' order; anything else disables the model.
    if order.iter().enumerate().any(|(i, o)| *o != i) {
        m.rows.clear();
        m.threshold = [2.0; K];
        m.add = [2.0; K];
        m.drop = [0.0; K];
    }
    m.rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
    m
}

fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| load(MODEL))
}

/// The request's words as the trainer reads them: maximal runs of ASCII letters and digits,
/// lower-cased, with `'` and `’` dropped inside words; a word of digits only becomes "0".
pub(crate) fn tokens(text: &str) -> Vec<String> {
    let mut cut = text.len().min(MAX_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    for ch in text[..cut].chars() {
        if ch.is_ascii_alphanumeric() {
            word.push(ch.to_ascii_lowercase());
        } else if ch == '\'' || ch == '\u{2019}' {
            continue;
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if out.len() >= MAX_TOKENS {
            break;
        }
    }
    if !word.is_empty() && out.len() < MAX_TOKENS {
        out.push(word);
    }
    for w in &mut out {
        if w.bytes().all(|b| b.is_ascii_digit()) {
            "0".clone_into(w);
        }
    }
    out
}

/// Calls `f` with every feature of the request (possibly more than once): `w:WORD`,
/// `b:WORD WORD`, `c:NGRAM` of `#WORD#`.
fn features(text: &str, mut f: impl FnMut(&str)) {
    let toks = tokens(text);
    let mut key = String::with_capacity(64);
    for (i, t) in toks.iter().enumerate() {
        key.clear();
        key.push_str("w:");
        key.push_str(t);
        f(&key);
        if i > 0 {
            key.clear();
            key.push_str("b:");
            key.push_str(&toks[i - 1]);
            key.push(' ');
            key.push_str(t);
            f(&key);
        }
    }
    for t in &toks {
        let padded = format!("#{t}#");
        // The words are ASCII, so byte windows are character windows.
        for i in 0..(padded.len() + 1).saturating_sub(CHAR_N) {
            key.clear();
            key.push_str("c:");
            key.push_str(&padded[i..i + CHAR_N]);
            f(&key);
        }
    }
}

/// The model's probability for each family, in [`FAMILIES`] order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Intent {
    /// Probability per family.
    pub scores: [f64; K],
}

impl Intent {
    /// The probability that the request means `family`.
    pub fn score(&self, family: Family) -> f64 {
        self.scores[family as usize]
    }

    /// Whether the model predicts `family` (its probability reaches the family's threshold).
    pub fn predicts(&self, family: Family) -> bool {
        self.score(family) >= model().threshold[family as usize]
    }

    /// The family's threshold.
    pub fn threshold(family: Family) -> f64 {
        model().threshold[family as usize]
    }

    /// The probability from which the blend adds `family` when the rules did not find it.
    pub fn add_at(family: Family) -> f64 {
        model().add[family as usize]
    }

    /// The probability below which the blend drops the rules' detection of `family`.
    pub fn drop_below(family: Family) -> f64 {
        model().drop[family as usize]
    }
}

/// Scores a request.
pub fn intent(text: &str) -> Intent {
    let m = model();
    let mut found: Vec<usize> = Vec::with_capacity(64);
    features(text, |key| {
        if let Ok(i) = m.rows.binary_search_by(|r| r.0.cmp(key)) {
            found.push(i);
        }
    });
    found.sort_unstable();
    found.dedup();
    let mut sums = [0i32; K];
    for i in found {
        for (s, q) in sums.iter_mut().zip(m.rows[i].1) {
            *s += i32::from(q);
        }
    }
    let mut scores = [0.0; K];
    for j in 0..K {
        scores[j] = sigmoid(m.bias[j] + m.scale[j] * f64::from(sums[j]));
    }
    Intent { scores }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn count_features(text: &str) -> usize {
        let mut all = Vec::new();
        features(text, |k| all.push(k.to_owned()));
        all.sort();
        all.dedup();
        all.len()
    }

    /// The scores the trainer computed for the same requests (engine/parse/intent/golden.jsonl).
    #[test]
    fn golden_scores_match_the_trainer() {
        let golden = include_str!("../intent/golden.jsonl");
        let mut n = 0;
        for line in golden.lines() {
            let v: Value = serde_json::from_str(line).expect("golden line");
            let request = v["request"].as_str().expect("request");
            assert_eq!(
                count_features(request),
                v["features"].as_u64().expect("features") as usize,
                "{request:?}"
            );
            let got = intent(request);
            for (j, want) in v["scores"].as_array().expect("scores").iter().enumerate() {
                let want: f64 = want.as_str().and_then(|s| s.parse().ok()).expect("score");
                assert!(
                    (got.scores[j] - want).abs() <= 1e-12,
                    "{request:?} {}: rust {} python {want}",
                    FAMILIES[j],
                    got.scores[j]
                );
            }
            n += 1;
        }
        assert!(n >= 20, "only {n} golden requests");
    }

    /// Every line of model.txt is read, and it agrees with the manifest.
    #[test]
    fn model_file_is_read_whole() {
        let manifest: Value =
            serde_json::from_str(include_str!("../intent/manifest.json")).expect("manifest");
        let m = model();
        assert_eq!(
            m.rows.len() as u64,
            manifest["rows"].as_u64().expect("rows")
        );
        let fams: Vec<&str> = manifest["families"]
            .as_array()
            .expect("families")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(fams, FAMILIES);
        let weights: usize = MODEL
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(_, w)| w.split(' ').count())
            .sum();
        let nonzero: usize = m
            .rows
            .iter()
            .map(|r| r.1.iter().filter(|q| **q != 0).count())
            .sum();
        assert_eq!(weights, nonzero, "a weight did not parse");
        for (j, f) in FAMILIES.iter().enumerate() {
            let t = manifest["thresholds"][f].as_f64().unwrap_or(2.0);
            assert!((m.threshold[j] - t).abs() < 1e-12, "{f}");
            assert!(m.scale[j] > 0.0, "{f}");
        }
    }

    #[test]
    fn tokens_follow_the_spec() {
        assert_eq!(
            tokens("Don’t  ROTATE 90°, it's 2x!"),
            ["dont", "rotate", "0", "its", "2x"]
        );
        assert_eq!(tokens("café—naïve"), ["caf", "na", "ve"]);
        assert_eq!(tokens(&"a ".repeat(1000)).len(), MAX_TOKENS);
        assert!(tokens("").is_empty());
    }

    #[test]
    fn the_model_reads_plain_requests() {
        let i = intent("make it black and white please");
        assert!(i.score(Family::Bw) > 0.5, "{:?}", i.scores);
        let i = intent("remove the man in the background");
        assert!(i.predicts(Family::Generative), "{:?}", i.scores);
        let i = intent("brighten it");
        assert!(i.predicts(Family::Light), "{:?}", i.scores);
    }
}
