//! The vocabulary: intensity words and their amounts, filler, image words, object nouns, and a
//! small spelling corrector for the intent words people misspell most ("brigthness",
//! "saturnation", "contarst").

use super::lexer::{Kind, Token};

/// How much a command asks for, as a percentage of the adjustment's range.
///
/// | words | amount |
/// |---|---|
/// | a tiny bit, a touch, barely, a hint | 5 |
/// | slightly, a little (bit), subtly, gently, mildly | 10 |
/// | a bit, somewhat, a tad | 15 |
/// | (no intensity word) | 25 |
/// | moderately, fairly, quite, noticeably | 30 |
/// | a lot, much, significantly, considerably, greatly, strongly, way | 40 |
/// | extremely, dramatically, drastically, massively | 60 |
/// | completely, fully, totally, entirely | 100 |
///
/// "very", "really", "super", "extra" raise the next word (or the default) by one step: "very
/// slightly" is 5, "very bright" is 40. An explicit number ("by 10%", "+20") always wins.
pub(crate) const TINY: f64 = 5.0;
pub(crate) const SLIGHT: f64 = 10.0;
pub(crate) const SOME: f64 = 15.0;
pub(crate) const DEFAULT: f64 = 25.0;
pub(crate) const MODERATE: f64 = 30.0;
pub(crate) const STRONG: f64 = 40.0;
pub(crate) const EXTREME: f64 = 60.0;
pub(crate) const FULL: f64 = 100.0;

const STEPS: [f64; 8] = [TINY, SLIGHT, SOME, DEFAULT, MODERATE, STRONG, EXTREME, FULL];

/// The amount an intensity word stands for.
pub(crate) fn intensity(word: &str) -> Option<f64> {
    Some(match word {
        "~tiny" | "barely" | "hint" | "tiny" | "teeny" | "smidge" => TINY,
        "~slight" | "slightly" | "slight" | "little" | "subtly" | "subtle" | "gently"
        | "gentle" | "mildly" | "mild" | "marginally" | "faintly" | "lightly" | "softly" => SLIGHT,
        "~some" | "somewhat" | "bit" | "tad" | "kinda" | "partially" => SOME,
        "moderately" | "moderate" | "fairly" | "quite" | "noticeably" | "reasonably" | "rather" => {
            MODERATE
        }
        "~strong" | "much" | "significantly" | "significant" | "considerably" | "greatly"
        | "strongly" | "substantially" | "heavily" | "lot" | "way" | "hugely" | "strong"
        | "intense" | "intensely" | "deeply" | "far" | "loads" | "tons" | "seriously" => STRONG,
        "~extreme" | "extremely" | "dramatically" | "drastically" | "massively" | "insanely"
        | "crazy" | "immensely" | "maximum" | "max" => EXTREME,
        "completely" | "fully" | "totally" | "entirely" => FULL,
        _ => return None,
    })
}

/// Whether a word raises the next intensity by one step.
pub(crate) fn is_booster(word: &str) -> bool {
    matches!(
        word,
        "very" | "really" | "super" | "extra" | "real" | "even" | "so" | "waaay" | "veeery"
    )
}

/// One step up the intensity table.
pub(crate) fn boost(amount: f64) -> f64 {
    STEPS
        .iter()
        .copied()
        .find(|s| *s > amount)
        .unwrap_or(FULL)
        .min(FULL)
}

/// One step down the intensity table ("very slightly").
pub(crate) fn soften(amount: f64) -> f64 {
    STEPS
        .iter()
        .rev()
        .copied()
        .find(|s| *s < amount)
        .unwrap_or(TINY)
}

/// The politeness a request opens with: "please", "could you", "can someone".
pub(crate) fn is_politeness(word: &str) -> bool {
    matches!(
        word,
        "please"
            | "pls"
            | "plz"
            | "pleas"
            | "kindly"
            | "can"
            | "could"
            | "would"
            | "will"
            | "you"
            | "u"
            | "ya"
            | "someone"
            | "somebody"
            | "anyone"
            | "anybody"
    )
}

/// Words that carry no instruction: politeness, articles, pronouns, the image itself.
pub(crate) fn is_filler(word: &str) -> bool {
    is_image_word(word)
        || is_politeness(word)
        || matches!(
            word,
            "one"
                | "the"
                | "a"
                | "an"
                | "this"
                | "that"
                | "these"
                | "those"
                | "it"
                | "its"
                | "it's"
                | "them"
                | "my"
                | "me"
                | "i"
                | "i'd"
                | "i'm"
                | "we"
                | "us"
                | "our"
                | "your"
                | "to"
                | "of"
                | "for"
                | "in"
                | "on"
                | "at"
                | "with"
                | "into"
                | "onto"
                | "as"
                | "by"
                | "from"
                | "so"
                | "just"
                | "also"
                | "some"
                | "all"
                | "entire"
                | "whole"
                | "overall"
                | "everything"
                | "general"
                | "generally"
                | "make"
                | "makes"
                | "making"
                | "made"
                | "look"
                | "looks"
                | "looking"
                | "be"
                | "is"
                | "are"
                | "was"
                | "get"
                | "do"
                | "have"
                | "give"
                | "apply"
                | "thanks"
                | "thank"
                | "thx"
                | "ty"
                | "tia"
                | "hi"
                | "hello"
                | "hey"
                | "help"
                | "possible"
                | "if"
                | "want"
                | "wanted"
                | "like"
                | "need"
                | "needs"
                | "needed"
                | "and"
                | "then"
                | "now"
                | "bit"
                | "little"
                | "little-bit"
                | "there"
                | "here"
                | "up"
                | "okay"
                | "ok"
                | "maybe"
                | "perhaps"
                | "try"
                | "'s"
                | "s"
                | "same"
                | "time"
                | "too"
                | "also,"
                | "while"
                | "keeping"
                | "keep"
                | "should"
                | "let"
                | "let's"
                | "lets"
                | "go"
                | "mean"
                | "bit."
                | "something"
                | "way"
                | "use"
                | "using"
                | "effect"
                | "filter"
                | "version"
                | "copy"
                | "much"
                | "more"
                | "less"
                | "quality"
                | "set"
                | "adjust"
                | "change"
                | "shift"
                | "convert"
                | "turn"
        )
}

/// Words that name the image as a whole ("the photo", "this pic").
pub(crate) fn is_image_word(word: &str) -> bool {
    matches!(
        word,
        "image"
            | "images"
            | "photo"
            | "photos"
            | "picture"
            | "pictures"
            | "pic"
            | "pics"
            | "photograph"
            | "img"
            | "shot"
            | "snap"
            | "frame"
            | "foto"
            | "imagen"
            | "pix"
            | "selfie"
            | "scene"
            | "colors"
            | "colours"
            | "color"
            | "colour"
            | "tones"
            | "thing"
    )
}

/// Nouns for things in a picture: an edit aimed at one of them is local, not a whole-image
/// adjustment, so it goes to the generative provider.
pub(crate) fn is_object_noun(word: &str) -> bool {
    let w = word.strip_suffix("'s").unwrap_or(word);
    matches!(
        w,
        "background"
            | "backround"
            | "backgrounds"
            | "backdrop"
            | "foreground"
            | "sky"
            | "skies"
            | "cloud"
            | "clouds"
            | "sun"
            | "sunset"
            | "sunrise"
            | "moon"
            | "water"
            | "sea"
            | "ocean"
            | "lake"
            | "river"
            | "beach"
            | "sand"
            | "snow"
            | "grass"
            | "lawn"
            | "tree"
            | "trees"
            | "leaves"
            | "plant"
            | "plants"
            | "vegetation"
            | "flower"
            | "flowers"
            | "mountain"
            | "mountains"
            | "field"
            | "road"
            | "street"
            | "ground"
            | "person"
            | "people"
            | "persons"
            | "man"
            | "men"
            | "woman"
            | "women"
            | "girl"
            | "girls"
            | "boy"
            | "boys"
            | "guy"
            | "guys"
            | "lady"
            | "ladies"
            | "child"
            | "children"
            | "kid"
            | "kids"
            | "baby"
            | "babies"
            | "face"
            | "faces"
            | "skin"
            | "eye"
            | "eyes"
            | "teeth"
            | "tooth"
            | "hair"
            | "lips"
            | "mouth"
            | "nose"
            | "head"
            | "heads"
            | "arm"
            | "arms"
            | "hand"
            | "hands"
            | "leg"
            | "legs"
            | "body"
            | "feet"
            | "shirt"
            | "t"
            | "dress"
            | "jacket"
            | "hat"
            | "cap"
            | "glasses"
            | "sunglasses"
            | "car"
            | "cars"
            | "truck"
            | "bike"
            | "bicycle"
            | "boat"
            | "bus"
            | "building"
            | "buildings"
            | "house"
            | "wall"
            | "walls"
            | "floor"
            | "ceiling"
            | "dog"
            | "dogs"
            | "cat"
            | "cats"
            | "bird"
            | "birds"
            | "horse"
            | "animal"
            | "animals"
            | "subject"
            | "subjects"
            | "couple"
            | "family"
            | "bride"
            | "groom"
            | "mom"
            | "dad"
            | "mother"
            | "father"
            | "wife"
            | "husband"
            | "brother"
            | "sister"
            | "son"
            | "daughter"
            | "friend"
            | "friends"
            | "logo"
            | "sign"
            | "watermark"
            | "writing"
            | "words"
            | "letters"
            | "bottle"
            | "bottles"
            | "cup"
            | "table"
            | "chair"
            | "window"
            | "windows"
            | "door"
            | "wire"
            | "wires"
            | "pole"
            | "poles"
            | "lamp"
            | "phone"
            | "screen"
            | "ball"
            | "object"
            | "objects"
            | "figure"
            | "stranger"
            | "strangers"
            | "crowd"
            | "fence"
            | "shadow"
            | "shadows"
            | "reflection"
            | "reflections"
            | "scratch"
            | "scratches"
            | "dust"
            | "spot"
            | "spots"
            | "blemish"
            | "blemishes"
            | "wrinkles"
            | "acne"
            | "pimple"
            | "pimples"
            | "tattoo"
            | "redeye"
            | "mole"
            | "suit"
            | "shoes"
            | "statue"
            | "player"
            | "model"
            | "bag"
            | "crow"
            | "bench"
            | "someone's"
            | "photographer"
            | "him"
            | "her"
            | "he"
            | "she"
            | "they"
            | "his"
            | "their"
            | "cheek"
            | "cheeks"
            | "beard"
            | "makeup"
            | "smile"
            | "grill"
            | "vehicle"
            | "train"
            | "plane"
            | "stage"
            | "tattoos"
            | "jersey"
            | "uniform"
            | "sunlight"
            | "light's"
            | "dirt"
            | "stain"
            | "stains"
            | "tear"
            | "tears"
            | "crease"
            | "creases"
            | "damage"
            | "text"
            | "flag"
            | "bar"
            | "bars"
    )
}

/// Words after which the rest of a clause is a place in the picture ("blur everything except
/// the cat", "darken the area behind him").
pub(crate) fn is_locative(word: &str) -> bool {
    matches!(
        word,
        "except"
            | "excluding"
            | "behind"
            | "around"
            | "beside"
            | "besides"
            | "only"
            | "area"
            | "areas"
            | "region"
            | "part"
            | "parts"
            | "side"
            | "corner"
            | "corners"
            | "edge"
            | "middle"
            | "center"
            | "centre"
    )
}

/// Colours whose "tone" people ask for, as (temperature, tint) directions: temperature is
/// blue (−) to orange (+), tint is green (−) to magenta (+).
pub(crate) fn tone_direction(word: &str) -> Option<(f64, f64)> {
    let base = word
        .strip_suffix("ish")
        .or_else(|| word.strip_suffix("ness"))
        .or_else(|| word.strip_suffix("ey"))
        .unwrap_or(word);
    Some(match base {
        "red" | "redd" | "reddish" | "redder" | "crimson" => (0.6, 0.5),
        "orange" | "orang" | "amber" | "peach" | "golden" | "gold" | "sunny" => (1.0, 0.15),
        "yellow" | "yellower" => (0.8, -0.3),
        "brown" | "sepia" | "bronze" => (0.8, 0.1),
        "warm" | "warmer" | "warmth" => (1.0, 0.0),
        "green" | "greener" | "olive" => (0.0, -1.0),
        "teal" | "cyan" | "turquoise" | "aqua" => (-0.7, -0.5),
        "blue" | "blu" | "bluer" | "blueish" | "blu-ish" | "cool" | "cooler" | "cold" | "navy" => {
            (-1.0, 0.0)
        }
        "purple" | "purpl" | "violet" | "lavender" | "lilac" => (-0.5, 0.8),
        "pink" | "magenta" | "rose" | "rosy" | "fuchsia" => (0.15, 0.9),
        _ => return None,
    })
}

/// Words that say a colour is a tone of the whole picture ("a yellow tone", "blue tint").
pub(crate) fn is_tone_word(word: &str) -> bool {
    matches!(
        word,
        "tone"
            | "tones"
            | "tint"
            | "tints"
            | "tinted"
            | "hue"
            | "hues"
            | "cast"
            | "tinge"
            | "shade"
            | "overlay"
            | "filter"
            | "ton"
            | "tonality"
            | "glow"
            | "feel"
            | "vibe"
            | "wash"
            | "colour"
            | "color"
            | "colors"
            | "colours"
            | "coloring"
            | "colouring"
            | "light"
            | "motone"
            | "shading"
            | "shades"
            | "mood"
    )
}

/// The intent words worth correcting when misspelled, with the words that commonly stand in for
/// them. Only words that are not already known are corrected.
const CORRECTABLE: &[&str] = &[
    "brightness",
    "brighten",
    "brighter",
    "lighten",
    "lightness",
    "darken",
    "darker",
    "contrast",
    "saturation",
    "saturate",
    "saturated",
    "desaturate",
    "sharpen",
    "sharpness",
    "sharper",
    "exposure",
    "increase",
    "decrease",
    "reduce",
    "remove",
    "enhance",
    "background",
    "vibrant",
    "colorful",
    "colourful",
    "clearer",
    "clarity",
    "blurry",
    "blurriness",
    "rotate",
    "crop",
    "resize",
    "grayscale",
    "greyscale",
    "temperature",
    "warmer",
    "cooler",
    "intensity",
    "picture",
    "photo",
    "image",
    "brightness",
    "vivid",
    "sepia",
    "border",
    "mirror",
    "horizontally",
    "vertically",
    "clockwise",
    "thumbnail",
    "watermark",
    "quality",
    "colors",
    "colours",
    "color",
    "colour",
    "slightly",
    "significantly",
];

/// Every word the parser knows, so the corrector leaves real words alone.
fn is_known(word: &str) -> bool {
    is_filler(word)
        || is_object_noun(word)
        || is_locative(word)
        || is_tone_word(word)
        || tone_direction(word).is_some()
        || intensity(word).is_some()
        || is_booster(word)
        || CORRECTABLE.contains(&word)
}

/// Damerau–Levenshtein (optimal string alignment) distance, capped: returns `cap + 1` as soon
/// as the distance must exceed `cap`. Words longer than 31 bytes are never close.
fn distance(a: &[u8], b: &[u8], cap: usize) -> usize {
    const N: usize = 32;
    if a.len().abs_diff(b.len()) > cap || a.len() >= N || b.len() >= N {
        return cap + 1;
    }
    let n = b.len();
    let mut prev2 = [0usize; N];
    let mut prev = [0usize; N];
    let mut cur = [0usize; N];
    for (j, p) in prev.iter_mut().enumerate().take(n + 1) {
        *p = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > cap {
            return cap + 1;
        }
        prev2 = prev;
        prev = cur;
    }
    prev[n]
}

/// Replaces misspelled intent words with the word meant: one edit for words of 5 to 7 letters,
/// two for longer ones. Words the parser knows are never touched.
pub(crate) fn correct_spelling(tokens: &mut [Token], known: impl Fn(&str) -> bool) {
    for t in tokens.iter_mut() {
        if t.kind != Kind::Word || t.text.len() < 5 || !t.text.is_ascii() {
            continue;
        }
        if is_known(&t.text) || known(&t.text) {
            continue;
        }
        let cap = if t.text.len() >= 8 { 2 } else { 1 };
        let mut best: Option<(usize, &str)> = None;
        for k in CORRECTABLE {
            let d = distance(t.text.as_bytes(), k.as_bytes(), cap);
            if d <= cap && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, k));
            }
        }
        if let Some((_, k)) = best {
            k.clone_into(&mut t.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::tokenize;

    #[test]
    fn intensity_table_is_ordered_and_boosts_step() {
        assert_eq!(intensity("slightly"), Some(SLIGHT));
        assert_eq!(intensity("~strong"), Some(STRONG));
        assert_eq!(boost(DEFAULT), MODERATE);
        assert_eq!(boost(SLIGHT), SOME);
        assert_eq!(soften(SLIGHT), TINY);
        assert_eq!(boost(FULL), FULL);
        assert!(STEPS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn misspelled_intent_words_are_corrected() {
        let mut t = tokenize("increse brigthness and saturnation, more contarst");
        correct_spelling(&mut t, |_| false);
        let words: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            words,
            [
                "increase",
                "brightness",
                "and",
                "saturation",
                ",",
                "more",
                "contrast"
            ]
        );
    }

    #[test]
    fn real_words_are_left_alone() {
        let mut t = tokenize("remove the bottle please");
        correct_spelling(&mut t, |_| false);
        assert_eq!(t[2].text, "bottle");
    }

    #[test]
    fn distance_counts_transpositions_as_one() {
        assert_eq!(distance(b"brigthness", b"brightness", 2), 1);
        assert_eq!(distance(b"abc", b"abc", 1), 0);
        assert_eq!(distance(b"kitten", b"sitting", 1), 2);
    }
}
