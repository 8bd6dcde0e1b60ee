//! Turning rhai's parse and evaluation errors into `GW1xxx` diagnostics that point at the recipe.

use super::engine::BudgetExceeded;
use super::fault::{Fault, span};
use gwscript_plugin::Diagnostic;
use rhai::{EvalAltResult, ParseError, ParseErrorType, Position};

pub fn from_parse(error: &ParseError) -> Diagnostic {
    parse_diagnostic(error.err_type(), error.position())
}

fn parse_diagnostic(error: &ParseErrorType, position: Position) -> Diagnostic {
    let (code, help) = match error {
        ParseErrorType::ExprTooDeep => ("GW1004", "flatten the expression: nest less deeply"),
        ParseErrorType::LiteralTooLarge(..) => ("GW1005", "recipes keep literals small"),
        ParseErrorType::Reserved(word) if word == "eval" => (
            "GW1001",
            "`eval` is disabled in recipes: write the code directly",
        ),
        _ => ("GW1001", "fix the syntax at the marked position"),
    };
    let message = match error {
        ParseErrorType::Reserved(word) if word == "eval" => {
            "`eval` is not available in recipes".to_owned()
        }
        other => other.to_string(),
    };
    Diagnostic::error(code, message, help).at(span(position))
}

pub fn from_eval(error: &EvalAltResult) -> Diagnostic {
    // Errors inside functions and modules are reported where the recipe called into them,
    // with the inner cause in the message.
    match error {
        EvalAltResult::ErrorInFunctionCall(name, _, inner, position) => {
            let mut d = from_eval(inner);
            if d.span.is_none() || !position.is_none() {
                d.message = format!("{} (in call to `{name}`)", d.message);
                d.span = d.span.or(span(*position));
            }
            d
        }
        EvalAltResult::ErrorInModule(name, inner, position) => {
            let mut d = from_eval(inner);
            let inner_at = inner.position();
            let at = if inner_at.is_none() {
                String::new()
            } else {
                format!(" at {}", describe(inner_at))
            };
            d.message = format!("{} (in module \"{name}\"{at})", d.message);
            d.span = span(*position);
            d
        }
        EvalAltResult::ErrorRuntime(value, position) => match value.read_lock::<Fault>() {
            Some(fault) => {
                let d = Diagnostic::error(fault.code, fault.message.clone(), fault.help.clone())
                    .at(span(*position));
                if fault.sensitive { d.sensitive() } else { d }
            }
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
            &format!("{what} exceeds the recipe size limit"),
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

fn limit(code: &str, message: &str, position: Position) -> Diagnostic {
    Diagnostic::error(
        code,
        message,
        "recipes describe a setup; loops, recursion and data must stay small and finite",
    )
    .at(span(position))
}

/// rhai's own text, without the position suffix it appends (the diagnostic shows the span).
fn runtime_message(error: &EvalAltResult) -> String {
    let text = error.to_string();
    match text.rfind(" (line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

fn describe(position: Position) -> String {
    match (position.line(), position.position()) {
        (Some(line), Some(column)) => format!("{line}:{column}"),
        (Some(line), None) => line.to_string(),
        _ => "?".to_owned(),
    }
}
