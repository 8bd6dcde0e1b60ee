//! Turning rhai's parse and evaluation errors into `GW1xxx` diagnostics that point at the recipe,
//! in gwscript's words rather than the interpreter's.

use super::engine::BudgetExceeded;
use super::fault::{Fault, RecoveredFault, span};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Span;
use rhai::{EvalAltResult, LexError, ParseError, ParseErrorType, Position};

pub fn from_parse(error: &ParseError) -> Diagnostic {
    parse_diagnostic(error.err_type(), error.position())
}

fn parse_diagnostic(error: &ParseErrorType, position: Position) -> Diagnostic {
    let (code, message, help) = match error {
        ParseErrorType::BadInput(LexError::ImproperSymbol(symbol, _)) if symbol == "eval" => (
            "GW1001",
            "`eval` is not available in recipes".to_owned(),
            "write the code directly; recipes cannot build and run code at run time",
        ),
        ParseErrorType::ExprTooDeep => (
            "GW1004",
            "the expression nests too deeply".to_owned(),
            "split it into smaller expressions with `let`",
        ),
        ParseErrorType::TooManyFunctions => (
            "GW1005",
            "the recipe defines too many functions".to_owned(),
            "recipes describe a setup; move shared logic into fewer functions",
        ),
        ParseErrorType::LiteralTooLarge(what, max) => (
            "GW1005",
            format!(
                "{} is longer than the recipe limit of {max}",
                what.to_lowercase()
            ),
            "keep literals small; recipes name secrets and files, they do not embed them",
        ),
        other => (
            "GW1001",
            other.to_string(),
            "fix the syntax at the marked position",
        ),
    };
    Diagnostic::error(code, message, help).at(span(position))
}

/// `source` is the recipe's text, used to point option errors at the option's key.
pub fn from_eval(error: &EvalAltResult, source: &str) -> Diagnostic {
    match error {
        // A function defined in an imported module: its inner positions are in the module's
        // text, so the recipe's call site is what the span can honestly point at.
        EvalAltResult::ErrorInFunctionCall(name, module, inner, position) if !module.is_empty() => {
            let mut d = from_eval(inner, "");
            d.message = format!(
                "{} (in `{name}` from {module}{})",
                d.message,
                located(inner.position())
            );
            d.span = span(*position).or(d.span);
            d
        }
        EvalAltResult::ErrorInFunctionCall(name, _, inner, position) => {
            let mut d = from_eval(inner, source);
            d.message = format!("{} (in call to `{name}`)", d.message);
            d.span = d.span.or(span(*position));
            d
        }
        EvalAltResult::ErrorInModule(name, inner, position) => {
            let mut d = from_eval(inner, "");
            d.message = format!(
                "{} (in module \"{name}\"{})",
                d.message,
                located(inner.position())
            );
            d.span = span(*position);
            d
        }
        EvalAltResult::ErrorRuntime(value, position) => match value.read_lock::<Fault>() {
            Some(fault) => fault_diagnostic(&fault, *position, source),
            None => Diagnostic::error(
                "GW1002",
                format!("the recipe threw: {value}"),
                "fix the condition the recipe reports",
            )
            .at(span(*position)),
        },
        EvalAltResult::ErrorParsing(error, position) => parse_diagnostic(error, *position),
        EvalAltResult::ErrorTerminated(value, position) => {
            match value.read_lock::<BudgetExceeded>().as_deref() {
                Some(BudgetExceeded::Heap(bytes)) => limit(
                    "GW1005",
                    &format!("the recipe's data grew past {} MiB", bytes / (1024 * 1024)),
                    *position,
                ),
                Some(BudgetExceeded::WallClock(budget)) => limit(
                    "GW1003",
                    &format!(
                        "the recipe ran longer than its {} ms budget",
                        budget.as_millis()
                    ),
                    *position,
                ),
                None => limit("GW1003", "the recipe was stopped", *position),
            }
        }
        EvalAltResult::ErrorTooManyOperations(position) => limit(
            "GW1003",
            "the recipe exceeded its operation budget",
            *position,
        ),
        EvalAltResult::ErrorStackOverflow(position) => limit(
            "GW1004",
            "the recipe nests function calls too deeply (runaway recursion?)",
            *position,
        ),
        EvalAltResult::ErrorDataTooLarge(what, position) => limit(
            "GW1005",
            &format!("{} grew past the recipe's size limit", data_kind(what)),
            *position,
        ),
        EvalAltResult::ErrorTooManyModules(position) => {
            limit("GW1006", "the recipe imports too many modules", *position)
        }
        EvalAltResult::ErrorTooManyVariables(position) => {
            limit("GW1005", "the recipe defines too many variables", *position)
        }
        EvalAltResult::ErrorModuleNotFound(name, position) => Diagnostic::error(
            "GW1006",
            format!("no module \"{name}\""),
            "import a stdlib module or a .rhai file beside the recipe",
        )
        .at(span(*position)),
        other => Diagnostic::error(
            "GW1002",
            runtime_message(other),
            "fix the recipe at the marked position",
        )
        .at(span(other.position())),
    }
}

/// A mistake the recipe went on after; one made on every pass of a loop is reported once.
pub fn from_recovered(recovered: &RecoveredFault, source: &str) -> Diagnostic {
    let mut d = fault_diagnostic(&recovered.fault, recovered.position, source);
    if recovered.times > 1 {
        d.message = format!(
            "{} ({} times: the call runs in a loop or a function)",
            d.message, recovered.times
        );
    }
    d
}

fn fault_diagnostic(fault: &Fault, position: Position, source: &str) -> Diagnostic {
    let at = span(position);
    let at = match &fault.key {
        Some(key) => {
            let lines: Vec<&str> = source.lines().collect();
            at.map(|call| key_span(&lines, call, key).unwrap_or(call))
        }
        None => at,
    };
    let d = Diagnostic::error(fault.code, fault.message.clone(), fault.help.clone()).at(at);
    if fault.sensitive { d.sensitive() } else { d }
}

/// Where `key:` is written in the options map of the call at `call`: the first `key` followed by
/// `:` after the call, within the call's statement. `lines` are the recipe's, split once by the
/// caller (a recipe may have thousands of calls). Positions count characters, 1-based.
pub fn key_span(lines: &[&str], call: Span, key: &str) -> Option<Span> {
    let first = call.line.checked_sub(1)? as usize;
    if key.is_empty() {
        return None;
    }
    for (index, line) in lines.iter().enumerate().skip(first).take(50) {
        let skip = if index == first {
            call.column.saturating_sub(1) as usize
        } else {
            0
        };
        let from = line
            .char_indices()
            .nth(skip)
            .map_or(line.len(), |(at, _)| at);
        if let Some(at) = key_at(line, from, key) {
            return Some(Span {
                line: index as u32 + 1,
                column: line[..at].chars().count() as u32 + 1,
            });
        }
        if index > first && line.contains(';') {
            break;
        }
    }
    None
}

/// The byte offset, at or after `from`, of the first `key` that starts a word and is followed by
/// `:` (after any spaces).
fn key_at(line: &str, from: usize, key: &str) -> Option<usize> {
    let mut search = from;
    while let Some(found) = line.get(search..)?.find(key) {
        let at = search + found;
        let starts_word = line[..at].chars().next_back().is_none_or(|c| !is_ident(c));
        if starts_word && line[at + key.len()..].trim_start().starts_with(':') {
            return Some(at);
        }
        search = at + line[at..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn limit(code: &str, message: &str, position: Position) -> Diagnostic {
    Diagnostic::error(
        code,
        message,
        "recipes describe a setup; loops, recursion and data must stay small and finite",
    )
    .at(span(position))
}

/// rhai names the container in its own terms ("Size of array/BLOB"); say which one plainly.
fn data_kind(what: &str) -> &'static str {
    let what = what.to_lowercase();
    if what.contains("array") {
        "an array"
    } else if what.contains("map") || what.contains("object") {
        "a map"
    } else if what.contains("string") {
        "a string"
    } else {
        "a value"
    }
}

/// rhai's own text, without the position suffix it appends (the diagnostic shows the span).
fn runtime_message(error: &EvalAltResult) -> String {
    let text = error.to_string();
    match text.rfind(" (line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

fn located(position: Position) -> String {
    match (position.line(), position.position()) {
        (Some(line), Some(column)) => format!(" at {line}:{column}"),
        (Some(line), None) => format!(" at line {line}"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, column: u32) -> Span {
        Span { line, column }
    }

    #[test]
    fn a_key_is_found_as_a_whole_word_before_a_colon_in_characters() {
        let recipe = "let é = 1; gw.deploy(\"g\", p, #{ provider_model: 1, model : 2 });";
        let lines: Vec<&str> = recipe.lines().collect();
        // The call starts at `gw`, column 12; `provider_model` holds `model` but not as a word.
        assert_eq!(key_span(&lines, at(1, 12), "model"), Some(at(1, 52)));
        assert_eq!(key_span(&lines, at(1, 12), "é"), None, "before the call");
        assert_eq!(key_span(&lines, at(1, 12), "p"), None, "no colon follows");
    }

    #[test]
    fn a_key_on_a_later_line_is_found_until_the_statement_ends() {
        let lines = [
            "gw.deploy(\"g\", p, #{",
            "  order: 1,",
            "});",
            "x = #{ late: 1 };",
        ];
        assert_eq!(key_span(&lines, at(1, 1), "order"), Some(at(2, 3)));
        assert_eq!(key_span(&lines, at(1, 1), "late"), None);
    }
}
