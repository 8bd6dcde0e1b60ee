//! Limits that cut Claude Code off: a read timeout shorter than the pauses of a long answer, and a
//! body limit at nginx's 1 MiB default, which long conversations pass quickly.

use super::codes::{BODY_LIMIT_TOO_SMALL, READ_TIMEOUT_TOO_SHORT};
use crate::options::{DEFAULT_READ_TIMEOUT_S, MIN_READ_TIMEOUT_S, Options};
use gwscript_plugin::Diagnostic;
use gwscript_plugin::model::Gateway;

pub fn check(gateway: &Gateway) -> Vec<Diagnostic> {
    let options = Options::of(gateway);
    let mut diagnostics = Vec::new();
    let timeout = options.read_timeout_s();
    if timeout < MIN_READ_TIMEOUT_S {
        diagnostics.push(
            Diagnostic::error(
                READ_TIMEOUT_TOO_SHORT,
                format!(
                    "read_timeout {timeout} s is below {MIN_READ_TIMEOUT_S} s: the gateway would cut \
                     off answers that pause longer (extended thinking, large tool results)"
                ),
                format!("set read_timeout to {MIN_READ_TIMEOUT_S} or more ({DEFAULT_READ_TIMEOUT_S} is the default)"),
            )
            .at(gateway.option_span("read_timeout")),
        );
    }
    let body = options.max_body_mb();
    if body <= 1 {
        diagnostics.push(
            Diagnostic::error(
                BODY_LIMIT_TOO_SMALL,
                format!(
                    "max_body_size_mb {body} is nginx's 1 MiB default: a long conversation or an \
                     image gets 413 Request Entity Too Large"
                ),
                "set max_body_size_mb to 32 (the default) or more",
            )
            .at(gateway.option_span("max_body_size_mb")),
        );
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::custom_gateway;
    use gwscript_plugin::testing::{codes_of, literal, with_gateway_options};

    #[test]
    fn gw4401_wants_a_read_timeout_of_at_least_300_seconds() {
        let short = with_gateway_options(custom_gateway(vec![]), [("read_timeout", literal(60))]);
        let diagnostics = check(&short);
        assert_eq!(codes_of(&diagnostics), ["GW4401"]);
        assert!(
            diagnostics[0]
                .message
                .starts_with("read_timeout 60 s is below 300 s")
        );
        assert_eq!(diagnostics[0].span, short.options["read_timeout"].span);
        for fine in [300, 600, 3600] {
            let gateway =
                with_gateway_options(custom_gateway(vec![]), [("read_timeout", literal(fine))]);
            assert!(check(&gateway).is_empty(), "{fine}");
        }
    }

    #[test]
    fn gw4402_wants_a_body_limit_above_one_mib() {
        let small =
            with_gateway_options(custom_gateway(vec![]), [("max_body_size_mb", literal(1))]);
        assert_eq!(codes_of(&check(&small)), ["GW4402"]);
        let fine = with_gateway_options(custom_gateway(vec![]), [("max_body_size_mb", literal(2))]);
        assert!(check(&fine).is_empty());
        assert!(
            check(&custom_gateway(vec![])).is_empty(),
            "the defaults pass"
        );
    }
}
