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
            | "restoring"
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
            | "painted"
            | "watercolor"
            | "watercolors"
            | "watercolour"
            | "watercolours"
            | "impressionist"
            | "illustration"
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
    // "for my friend" names who the picture is for, not what to edit.
    let end = (from..c.len())
        .find(|&i| c.any_word(i) == Some("for"))
        .unwrap_or(c.len());
    (from..end).any(|i| c.word(i).is_some_and(is_object_noun))
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
        // "edit the island out", "photoshop my sister out of this photo".
        let out_later = matches!(
            w,
            "edit" | "photoshop" | "get" | "take" | "cut" | "crop" | "clone"
        ) && c.followed_by(i, &["out"], 6);
        if is_removal(w) || out_later {
            let property = (i + 1..c.len()).any(|k| c.word(k).is_some_and(is_property_word));
            // Objects may come first, as in "can the man on the left be removed?".
            let object = names_object(c, 0);
            let something = (0..c.len()).filter(|&k| k != i).any(|k| {
                c.word(k).is_some_and(|n| {
                    (!is_filler(n) && !is_property_word(n) && !n.starts_with('~') && !is_removal(n))
                        || matches!(
                            n,
                            "me" | "everything" | "everyone" | "everybody" | "all" | "them" | "us"
                        )
                }) || matches!(c.toks[k].kind, Kind::Quoted)
            });
            let cleanup = w == "clean" && !object;
            if !cleanup && (object || (!property && something)) {
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
        // "zoom in on the band", "crop to just the couple": the subject must be found.
        if matches!(w, "zoom" | "crop" | "cropped") {
            let anchor = (i + 1..c.len()).find(|&k| {
                c.any_word(k).is_some_and(|a| {
                    matches!(
                        a,
                        "on" | "around"
                            | "onto"
                            | "just"
                            | "only"
                            | "include"
                            | "including"
                            | "show"
                            | "showing"
                    )
                })
            });
            let subject = anchor.is_some_and(|a| {
                (a + 1..c.len()).any(|k| {
                    c.word(k)
                        .is_some_and(|n| !is_filler(n) && !is_image_word(n) && !n.starts_with('~'))
                })
            });
            if subject {
                return Some("crops to a subject");
            }
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
