//! The deterministic command parser: plain language to tool calls, with no LLM.
//!
//! The page parses as the user types, the worker answers simple commands without an LLM, and
//! both check what an LLM proposes against it. Every call is built from the contract's typed
//! parameters with numbers clamped into range, so the output is valid by construction.
//!
//! ```
//! use retouch_parse::parse_command;
//! let parsed = parse_command("Please make it a bit brighter, then rotate left and save as webp at 80");
//! let json = parsed.to_json();
//! assert_eq!(json["toolCalls"][0]["params"]["brightness"], 15);
//! assert_eq!(json["toolCalls"][1]["params"]["degrees"], -90);
//! assert_eq!(json["toolCalls"][2]["params"], serde_json::json!({"format": "webp", "quality": 80}));
//! assert!(parsed.unparsed.is_empty());
//! ```
//!
//! How it reads a command:
//! 1. [`lexer`] tokens: words, numbers with units (`px`, `%`, `°`, `2x`), sizes (`1200x800`),
//!    ratios (`16:9`), hex colours, quoted text; phrases folded ("black and white", "a bit").
//! 2. Misspelled intent words corrected ("brigthness", "saturnation").
//! 3. [`clause`]s split at commas, "and", "then", "also", sentence ends; a clause that only names
//!    a property inherits the verb and strength of the one before ("increase brightness,
//!    contrast and saturation").
//! 4. Per clause: object-level or generative requests go to `generate_with_llm`
//!    ([`generative`]); otherwise text, border, format and quality ([`output`]), crop, rotate,
//!    flip and resize ([`geometry`]), colour and tone ([`adjust`], whose docs give the amounts).
//! 5. Adjacent `adjust` calls merge, repeated filters collapse, all generative clauses become one
//!    `generate_with_llm` call, and whatever was not understood is returned in `unparsed`.
//! 6. The [`intent`] model, learned from real requests, decides which edit families are meant:
//!    it drops a rule's detection it strongly contradicts and adds a modest step for a family the
//!    rules missed, each with a note (`blend.rs`). [`parse_rules`] is steps 1-5 alone.

mod adjust;
mod blend;
mod clause;
mod generative;
mod geometry;
pub mod intent;
mod lexer;
mod output;
mod words;

use serde_json::{json, Value};

use adjust::Mood;
use clause::Clause;
use retouch_contract::{AdjustParams, BoundedText, GenerateParams, Tool, ToolCall, MAX_TOOL_CALLS};

/// The longest command read, in bytes; the rest is returned unparsed.
pub const MAX_COMMAND_BYTES: usize = 8192;

/// What the parser made of a command.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedCommand {
    /// The tool calls, in the order the command asked for them.
    pub tool_calls: Vec<ToolCall>,
    /// Fragments of the command that the parser could not place.
    pub unparsed: Vec<String>,
    /// Remarks for people, e.g. how an intensity word was read.
    pub notes: Vec<String>,
}

impl ParsedCommand {
    /// `{"toolCalls": [...], "unparsed": [...], "notes": [...]}`.
    pub fn to_json(&self) -> Value {
        json!({
            "toolCalls": self.tool_calls.iter().map(ToolCall::to_json).collect::<Vec<_>>(),
            "unparsed": self.unparsed,
            "notes": self.notes,
        })
    }

    /// Whether a generative step was planned.
    pub fn is_generative(&self) -> bool {
        self.tool_calls
            .iter()
            .any(|c| matches!(c.tool, Tool::GenerateWithLlm(_)))
    }
}

/// A step while planning: a tool, or the place of the one generative call.
enum Step {
    Tool(Tool),
    Generate,
}

/// What the previous clause was, for clauses that continue it.
#[derive(Clone, Copy)]
enum Previous {
    None,
    Generative,
    Adjust(Mood),
    Other,
}

#[derive(Default)]
struct Plan {
    steps: Vec<Step>,
    prompts: Vec<String>,
    unparsed: Vec<String>,
    notes: Vec<String>,
}

impl Plan {
    fn generate(&mut self, prompt: &str, why: &str) {
        if self.prompts.is_empty() {
            self.steps.push(Step::Generate);
        }
        self.prompts.push(prompt.to_owned());
        self.note(format!(
            "\"{prompt}\" {why}: sent to the generative provider"
        ));
    }

    fn note(&mut self, n: String) {
        if !self.notes.contains(&n) {
            self.notes.push(n);
        }
    }

    fn finish(self) -> ParsedCommand {
        let Self {
            steps,
            prompts,
            unparsed,
            mut notes,
        } = self;
        let mut tools: Vec<Tool> = Vec::new();
        for step in steps {
            let tool = match step {
                Step::Tool(t) => t,
                Step::Generate => {
                    let joined: String = prompts.join("; ").chars().take(2000).collect();
                    match BoundedText::<2000>::new(joined) {
                        Some(prompt) => Tool::GenerateWithLlm(GenerateParams { prompt }),
                        None => continue,
                    }
                }
            };
            match (tools.last_mut(), tool) {
                // Adjacent adjustments of different properties become one call.
                (Some(Tool::Adjust(prev)), Tool::Adjust(next)) if disjoint(prev, &next) => {
                    merge(prev, &next);
                }
                // The same step twice in a row ("more colorful and vivid") is once.
                (Some(prev), tool) if *prev == tool => {}
                // The same filter twice in a row ("sharpen it to make it clearer") is once.
                (Some(Tool::ApplyFilter(prev)), Tool::ApplyFilter(next))
                    if prev.filter == next.filter => {}
                (_, tool) => tools.push(tool),
            }
        }
        if tools.len() > MAX_TOOL_CALLS {
            tools.truncate(MAX_TOOL_CALLS);
            notes.push(format!("only the first {MAX_TOOL_CALLS} steps are kept"));
        }
        ParsedCommand {
            tool_calls: tools.into_iter().map(ToolCall::all).collect(),
            unparsed,
            notes,
        }
    }
}

fn disjoint(a: &AdjustParams, b: &AdjustParams) -> bool {
    !((a.brightness.is_some() && b.brightness.is_some())
        || (a.contrast.is_some() && b.contrast.is_some())
        || (a.saturation.is_some() && b.saturation.is_some())
        || (a.hue.is_some() && b.hue.is_some())
        || (a.gamma.is_some() && b.gamma.is_some())
        || (a.temperature.is_some() && b.temperature.is_some())
        || (a.tint.is_some() && b.tint.is_some())
        || (a.exposure.is_some() && b.exposure.is_some()))
}

fn merge(a: &mut AdjustParams, b: &AdjustParams) {
    a.brightness = a.brightness.or(b.brightness);
    a.contrast = a.contrast.or(b.contrast);
    a.saturation = a.saturation.or(b.saturation);
    a.hue = a.hue.or(b.hue);
    a.gamma = a.gamma.or(b.gamma);
    a.temperature = a.temperature.or(b.temperature);
    a.tint = a.tint.or(b.tint);
    a.exposure = a.exposure.or(b.exposure);
}

/// Whether any word of the vocabulary (beyond filler) is in the clause.
fn knows(w: &str) -> bool {
    adjust::is_property_word(w) || adjust::is_increaser(w)
}

/// Parses a command into tool calls: the rules ([`parse_rules`]), then the [`intent`] model
/// deciding which edit families are meant (see `blend.rs`).
///
/// Never panics; every returned call is valid under the contract. Anything not understood is in
/// [`ParsedCommand::unparsed`]; nonsense gives no calls and the whole text there.
pub fn parse_command(command: &str) -> ParsedCommand {
    let mut parsed = parse_rules(command);
    let mut cut = command.len().min(MAX_COMMAND_BYTES);
    while !command.is_char_boundary(cut) {
        cut -= 1;
    }
    blend::blend(&command[..cut], &mut parsed);
    parsed
}

/// The rules alone, without the model: what [`parse_command`] starts from (for measuring and
/// for training the blend).
pub fn parse_rules(command: &str) -> ParsedCommand {
    let mut cut = command.len().min(MAX_COMMAND_BYTES);
    while !command.is_char_boundary(cut) {
        cut -= 1;
    }
    let (text, rest) = command.split_at(cut);
    let mut tokens = lexer::tokenize(text);
    words::correct_spelling(&mut tokens, knows);
    let mut plan = Plan::default();
    let mut previous = Previous::None;
    for (purpose, part) in clause::split(&tokens) {
        let mut c = Clause::new(text, part);
        if purpose && !matches!(previous, Previous::None | Previous::Other) {
            plan.note(format!(
                "\"{}\" read as the reason, not an edit",
                c.request_text()
            ));
            continue;
        }
        previous = interpret(&mut c, previous, &mut plan);
    }
    if !rest.trim().is_empty() {
        plan.unparsed.push(rest.trim().chars().take(200).collect());
        plan.note(format!("only the first {MAX_COMMAND_BYTES} bytes are read"));
    }
    plan.finish()
}

/// Interprets one clause into the plan; returns what it was.
fn interpret(c: &mut Clause, previous: Previous, plan: &mut Plan) -> Previous {
    if c.is_all_filler() {
        return previous;
    }
    // Remove, replace or add objects, or edit one part: the whole clause is the prompt.
    if let Some(why) = generative::route_removal(c) {
        plan.generate(c.request_text(), why);
        return Previous::Generative;
    }
    let out = output::extract(c);
    let intent = adjust::mentions_property(c) || geometry_words(c);
    if let Some(why) = generative::route(c, intent) {
        plan.generate(c.request_text(), why);
        return Previous::Generative;
    }
    let geo = geometry::extract(c);
    let inherited = match previous {
        Previous::Adjust(m) => Some(m),
        _ => None,
    };
    let adj = adjust::extract(c, inherited);
    let mut calls: Vec<(usize, Tool)> = Vec::new();
    calls.extend(out.calls);
    calls.extend(geo.calls);
    calls.extend(adj.calls);
    calls.sort_by_key(|(at, _)| *at);
    for n in out.notes.into_iter().chain(geo.notes).chain(adj.notes) {
        plan.note(n);
    }
    let mut incomplete: Vec<String> = out.incomplete.into_iter().chain(geo.incomplete).collect();
    if adj.generative {
        plan.generate(c.request_text(), "needs a generative edit");
        return Previous::Generative;
    }
    if calls.is_empty() {
        // A clause that only continues an object request ("remove the man and the dog").
        if matches!(previous, Previous::Generative) && incomplete.is_empty() {
            if let Some(last) = plan.prompts.last_mut() {
                last.push_str(", ");
                last.push_str(c.request_text());
                return Previous::Generative;
            }
        }
        let text = c.request_text();
        if !text.is_empty() {
            plan.unparsed.push(if incomplete.is_empty() {
                text.to_owned()
            } else {
                incomplete.remove(0)
            });
        }
        return Previous::Other;
    }
    let is_adjust = calls
        .iter()
        .any(|(_, t)| matches!(t, Tool::Adjust(_) | Tool::ApplyFilter(_)));
    plan.steps
        .extend(calls.into_iter().map(|(_, t)| Step::Tool(t)));
    plan.unparsed.extend(incomplete);
    plan.unparsed.extend(c.leftovers());
    match adj.mood {
        Some(m) if is_adjust => Previous::Adjust(m),
        _ => Previous::Other,
    }
}

/// Whether the clause names a geometry edit (for telling local edits from global ones).
fn geometry_words(c: &Clause) -> bool {
    c.has(&[
        "crop", "zoom", "rotate", "flip", "mirror", "resize", "bigger", "smaller", "enlarge",
        "shrink", "larger", "blur", "sharpen", "focus",
    ])
}

#[cfg(test)]
mod tests;
