//! Which requests only a generative model can do: removing, replacing or adding objects, local
//! edits aimed at one thing in the picture ("darken the background", "make the sky bluer"),
//! restoration, colourising, noise. These go to `generate_with_llm` with the request as the
//! prompt, never dropped.

use super::adjust::is_property_word;
use super::clause::Clause;
use super::lexer::Kind;
use super::words::{is_filler, is_image_word, is_locative, is_object_noun};

/// Verbs that take something out of the picture.
fn is_removal(w: &str) -> bool {
    matches!(
        w,
        "remove"
            | "removed"
            | "removing"
            | "erase"
            | "erased"
            | "delete"
            | "deleted"
            | "eliminate"
            | "eliminated"
            | "hide"
            | "vanish"
            | "disappear"
            | "clean"
    )
}

/// Verbs and nouns that always need generation.
fn is_always_generative(w: &str) -> bool {
    matches!(
        w,
        "replace"
            | "replaced"
            | "swap"
            | "swapped"
            | "substitute"
            | "insert"
            | "colorize"
            | "colourize"
            | "colorise"
            | "colourise"
            | "colorized"
            | "restore"
            | "restored"
            | "restoration"
            | "repair"
            | "retouch"
            | "inpaint"
            | "photoshop"
            | "photoshopped"
            | "extend"
            | "whiten"
            | "slim"
            | "slimmer"
            | "thinner"
            | "fatter"
            | "skinnier"
            | "taller"
            | "shorter"
            | "younger"
            | "cartoon"
            | "cartoonize"
            | "anime"
            | "sketch"
            | "painting"
            | "drawing"
            | "transparent"
            | "cutout"
            | "isolate"
            | "redeye"
            | "makeup"
            | "wrinkles"
            | "blemishes"
            | "scratches"
            | "dust"
            | "bokeh"
            | "face-swap"
            | "faceswap"
            | "upright"
            | "outline"
            | "widen"
            | "stretch"
    )
}

/// Verbs that change a named thing ("make the sky blue", "turn the grass green").
fn is_changer(w: &str) -> bool {
    matches!(
        w,
        "make"
            | "turn"
            | "change"
            | "convert"
            | "paint"
            | "dye"
            | "recolor"
            | "recolour"
            | "color"
            | "colour"
            | "put"
            | "place"
            | "move"
            | "fill"
            | "add"
            | "give"
            | "fix"
            | "crop"
            | "zoom"
            | "keep"
            | "leave"
            | "focus"
            | "blur"
            | "darken"
            | "lighten"
            | "brighten"
            | "sharpen"
            | "rotate"
            | "flip"
            | "bigger"
            | "smaller"
            | "enlarge"
            | "shrink"
            | "resize"
    )
}

/// First-person or third-person story, not a request ("I took this at my wedding").
fn is_narrative(c: &Clause) -> bool {
    let first = (0..c.len()).find_map(|i| c.any_word(i));
    let story = matches!(
        first,
        Some(
            "i" | "we"
                | "he"
                | "she"
                | "they"
                | "my"
                | "our"
                | "his"
                | "their"
                | "i'm"
                | "i've"
                | "we're"
                | "we've"
                | "there"
                | "these"
                | "who"
        )
    );
    story
        && !(0..c.len()).any(|i| {
            c.any_word(i).is_some_and(|w| {
                matches!(
                    w,
                    "want"
                        | "like"
                        | "need"
                        | "wish"
                        | "hope"
                        | "love"
                        | "please"
                        | "could"
                        | "would"
                        | "can"
                        | "i'd"
                        | "wondering"
                        | "mind"
                        | "should"
                )
            })
        })
}

/// Whether a word from `from` on names a thing in the picture ("the man", "the sky").
fn names_object(c: &Clause, from: usize) -> bool {
    (from..c.len()).any(|i| {
        let Some(w) = c.word(i) else { return false };
        is_object_noun(w)
    })
}

/// An unknown noun after an article ("add a rainbow").
fn unknown_noun_after_article(c: &Clause, from: usize) -> bool {
    (from..c.len()).any(|i| {
        c.any_word(i)
            .is_some_and(|w| matches!(w, "a" | "an" | "some"))
            && c.word(i + 1).is_some_and(|n| {
                !is_filler(n)
                    && !is_property_word(n)
                    && !n.starts_with('~')
                    && !is_image_word(n)
                    && !matches!(
                        n,
                        "border"
                            | "frame"
                            | "text"
                            | "caption"
                            | "watermark"
                            | "vignette"
                            | "filter"
                            | "effect"
                            | "little"
                            | "bit"
                            | "lot"
                            | "touch"
                            | "tad"
                    )
            })
    })
}

/// Whether the clause takes something out of the picture ("remove the man on the left"), as
/// opposed to reversing a property ("remove the blue tint", "remove the blur").
pub(crate) fn route_removal(c: &Clause) -> Option<&'static str> {
    if is_narrative(c) {
        return None;
    }
    for i in 0..c.len() {
        let Some(w) = c.word(i) else { continue };
        if is_removal(w) {
            let property = (i + 1..c.len()).any(|k| c.word(k).is_some_and(is_property_word));
            let object = names_object(c, i + 1);
            let something = (i + 1..c.len()).any(|k| {
                c.word(k)
                    .is_some_and(|n| !is_filler(n) && !is_property_word(n) && !n.starts_with('~'))
                    || matches!(c.toks[k].kind, Kind::Quoted)
            });
            if object || (!property && something) {
                return Some("removes something from the picture");
            }
        }
    }
    None
}

/// Why a clause must go to the generative provider, if it must (after text, borders and formats
/// were taken). `intent` says whether the clause names any parametric edit.
pub(crate) fn route(c: &Clause, intent: bool) -> Option<&'static str> {
    if is_narrative(c) {
        return None;
    }
    for i in 0..c.len() {
        let Some(w) = c.word(i) else { continue };
        if is_always_generative(w) {
            return Some("needs a generative edit");
        }
        if w == "add" && (names_object(c, i + 1) || unknown_noun_after_article(c, i + 1)) {
            return Some("adds something to the picture");
        }
        if is_changer(w) && names_object(c, i + 1) {
            return Some("changes one thing in the picture");
        }
    }
    let locative = (0..c.len()).any(|i| {
        c.word(i).is_some_and(|w| {
            is_locative(w)
                && !matches!(
                    w,
                    "center" | "centre" | "middle" | "side" | "corner" | "edge" | "only"
                )
        })
    });
    if intent && (names_object(c, 0) || locative) {
        return Some("edits one part of the picture");
    }
    None
}
