//! Clauses: a command split at commas, "and", "then", sentence ends, … into the parts that each
//! ask for one thing, and the bookkeeping of which tokens of a clause have been understood.

use super::lexer::{Kind, Token};
use super::words::{is_filler, is_politeness};

/// Words that join clauses. (Phrases like "black and white" were folded to one word before.)
fn is_joiner(t: &Token) -> bool {
    match &t.kind {
        Kind::Sym(c) => matches!(c, ',' | ';' | '.' | '!' | '?' | '\n' | '&' | '+'),
        Kind::Word => matches!(
            t.text.as_str(),
            "and"
                | "then"
                | "also"
                | "plus"
                | "afterwards"
                | "after"
                | "finally"
                | "next"
                | "but"
                | "lastly"
                | "n"
        ),
        _ => false,
    }
}

/// Whether token `i` starts a purpose ("so the dog stands out", "to make the sky visible",
/// "until the face is clear"): the reason for an edit, not another edit.
fn starts_purpose(tokens: &[Token], start: usize, i: usize) -> bool {
    let w = |k: usize| tokens.get(k).and_then(Token::word);
    let has_main = (start..i).any(|k| w(k).is_some_and(|x| !is_filler(x)));
    if !has_main {
        return false;
    }
    match w(i) {
        Some("so" | "until" | "because" | "since" | "cause") => {
            // "so" as an intensity ("so bright") is not a purpose.
            !w(i + 1).is_some_and(|n| super::words::intensity(n).is_some() || n.ends_with("er"))
        }
        Some("to") => {
            let after_wish = i > 0
                && w(i - 1).is_some_and(|p| {
                    matches!(
                        p,
                        "like"
                            | "want"
                            | "need"
                            | "love"
                            | "able"
                            | "going"
                            | "have"
                            | "try"
                            | "trying"
                            | "wanted"
                            | "hoping"
                            | "wish"
                    )
                });
            !after_wish
                && w(i + 1).is_some_and(|n| {
                    matches!(
                        n,
                        "make"
                            | "see"
                            | "bring"
                            | "create"
                            | "remove"
                            | "take"
                            | "get"
                            | "give"
                            | "show"
                            | "look"
                            | "improve"
                            | "allow"
                            | "reduce"
                            | "highlight"
                            | "emphasize"
                            | "emphasise"
                            | "match"
                            | "enhance"
                            | "increase"
                            | "help"
                            | "be"
                            | "focus"
                            | "put"
                            | "fix"
                            | "hide"
                            | "correct"
                            | "draw"
                            | "separate"
                            | "stand"
                            | "appear"
                            | "seem"
                            | "have"
                            | "keep"
                            | "achieve"
                            | "mimic"
                            | "resemble"
                            | "resemblance"
                            | "accentuate"
                            | "balance"
                            | "compensate"
                    )
                })
        }
        _ => false,
    }
}

/// Splits tokens into clauses (never empty), each marked when it is a purpose.
pub(crate) fn split(tokens: &[Token]) -> Vec<(bool, &[Token])> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut purpose = false;
    for (i, t) in tokens.iter().enumerate() {
        if is_joiner(t) {
            if start < i {
                out.push((purpose, &tokens[start..i]));
            }
            start = i + 1;
            purpose = false;
        } else if !purpose && starts_purpose(tokens, start, i) {
            if start < i {
                out.push((false, &tokens[start..i]));
            }
            start = i;
            purpose = true;
        }
    }
    if start < tokens.len() {
        out.push((purpose, &tokens[start..]));
    }
    out
}

/// One clause being interpreted: its tokens and which of them have been understood.
pub(crate) struct Clause<'a> {
    src: &'a str,
    pub toks: &'a [Token],
    used: Vec<bool>,
}

impl<'a> Clause<'a> {
    pub fn new(src: &'a str, toks: &'a [Token]) -> Self {
        Self {
            src,
            toks,
            used: vec![false; toks.len()],
        }
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// The word at `i`, if it is an unused word.
    pub fn word(&self, i: usize) -> Option<&'a str> {
        let t = self.toks.get(i)?;
        (!self.used[i]).then(|| t.word()).flatten()
    }

    /// The word at `i` whether used or not.
    pub fn any_word(&self, i: usize) -> Option<&'a str> {
        self.toks.get(i).and_then(Token::word)
    }

    pub fn is_used(&self, i: usize) -> bool {
        self.used.get(i).copied().unwrap_or(true)
    }

    /// Marks token `i` as understood.
    pub fn take(&mut self, i: usize) {
        if let Some(u) = self.used.get_mut(i) {
            *u = true;
        }
    }

    /// Index of the first unused word among `words`.
    pub fn find(&self, words: &[&str]) -> Option<usize> {
        (0..self.len()).find(|&i| self.word(i).is_some_and(|w| words.contains(&w)))
    }

    /// Index of the first unused word satisfying `pred`.
    pub fn find_by(&self, pred: impl Fn(&str) -> bool) -> Option<usize> {
        (0..self.len()).find(|&i| self.word(i).is_some_and(&pred))
    }

    pub fn has(&self, words: &[&str]) -> bool {
        self.find(words).is_some()
    }

    /// Whether the word just before `i` (skipping articles) is one of `words`.
    pub fn preceded_by(&self, i: usize, words: &[&str], reach: usize) -> bool {
        (1..=reach.min(i)).any(|k| self.any_word(i - k).is_some_and(|w| words.contains(&w)))
    }

    /// Whether one of the `reach` tokens after `i` is one of `words`.
    pub fn followed_by(&self, i: usize, words: &[&str], reach: usize) -> bool {
        (i + 1..(i + 1 + reach).min(self.len()))
            .any(|k| self.any_word(k).is_some_and(|w| words.contains(&w)))
    }

    /// The original text of tokens `a..b`.
    pub fn span(&self, a: usize, b: usize) -> &'a str {
        if a >= b || b > self.len() {
            return "";
        }
        &self.src[self.toks[a].start..self.toks[b - 1].end]
    }

    /// The clause's original text without leading politeness ("please can you remove …").
    pub fn request_text(&self) -> &'a str {
        let lead = (0..self.len())
            .find(|&i| {
                !self.toks[i].word().is_some_and(|w| {
                    is_politeness(w)
                        || matches!(
                            w,
                            "hi" | "hey"
                                | "hello"
                                | "i"
                                | "i'd"
                                | "we"
                                | "like"
                                | "want"
                                | "need"
                                | "to"
                                | "also"
                                | "just"
                                | "so"
                                | "help"
                                | "me"
                                | "us"
                        )
                }) && !matches!(self.toks[i].kind, Kind::Sym(_))
            })
            .unwrap_or(self.len());
        self.span(lead, self.len()).trim()
    }

    /// Whether every token is filler or punctuation.
    pub fn is_all_filler(&self) -> bool {
        self.toks.iter().all(|t| match &t.kind {
            Kind::Word => is_filler(&t.text) || t.text.starts_with('~'),
            Kind::Sym(_) => true,
            _ => false,
        })
    }

    /// Runs of unused tokens that say something (not just filler), as original text.
    pub fn leftovers(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.len() {
            if self.used[i] {
                i += 1;
                continue;
            }
            let a = i;
            while i < self.len() && !self.used[i] {
                i += 1;
            }
            let meaningful = |t: &Token| match &t.kind {
                Kind::Word => !is_filler(&t.text) && !t.text.starts_with('~'),
                Kind::Sym(_) => false,
                _ => true,
            };
            // Trim filler at both ends of the run.
            let (mut s, mut e) = (a, i);
            while s < e && !meaningful(&self.toks[s]) {
                s += 1;
            }
            while e > s && !meaningful(&self.toks[e - 1]) {
                e -= 1;
            }
            if s < e {
                out.push(self.span(s, e).to_owned());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::tokenize;

    fn clauses(s: &str) -> Vec<String> {
        let t = tokenize(s);
        split(&t)
            .into_iter()
            .map(|(_, c)| Clause::new(s, c).span(0, c.len()).to_owned())
            .collect()
    }

    #[test]
    fn splits_on_and_commas_then_but_keeps_black_and_white() {
        assert_eq!(
            clauses("make it black and white, then rotate left and add a border; sharpen."),
            [
                "make it black and white",
                "rotate left",
                "add a border",
                "sharpen"
            ]
        );
    }

    #[test]
    fn purposes_are_their_own_clauses() {
        let t = tokenize("lighten it so the dog stands out, then crop to make it square");
        let parts: Vec<bool> = split(&t).into_iter().map(|(p, _)| p).collect();
        assert_eq!(parts, [false, true, false, true]);
        let t = tokenize("I would like to make it brighter");
        assert_eq!(split(&t).len(), 1);
    }

    #[test]
    fn leftovers_skip_filler() {
        let s = "please brighten the photo for my mom's birthday";
        let t = tokenize(s);
        let mut c = Clause::new(s, &t);
        c.take(1);
        assert_eq!(c.leftovers(), ["mom's birthday"]);
        assert_eq!(c.request_text(), "brighten the photo for my mom's birthday");
    }
}
