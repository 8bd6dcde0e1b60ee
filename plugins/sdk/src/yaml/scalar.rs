//! What a plain scalar means, by PyYAML's YAML 1.1 implicit resolvers (LiteLLM reads its config
//! with `yaml.safe_load`): `yes` is a bool, `010` is octal 8, `1e3` is a string (a 1.1 float
//! needs a dot), `0o17` is a string (1.1 has no `0o`).

use super::Value;

/// The value of a plain (unquoted, untagged) scalar.
pub(crate) fn resolve_plain(text: &str) -> Value {
    if is_plain_word(text) {
        Value::String(text.to_owned())
    } else if is_null(text) {
        Value::Null
    } else if let Some(flag) = bool_value(text) {
        Value::Bool(flag)
    } else if let Some(value) = int_value(text) {
        value
    } else if let Some(number) = float_value(text) {
        Value::Float(number)
    } else {
        Value::String(text.to_owned())
    }
}

/// A plain scalar read as a string on sight, as most keys are: PyYAML's resolvers for numbers and
/// timestamps need a first character that is a digit, sign or dot, so one that starts with a
/// letter is a string unless it is a null or boolean word.
pub(crate) fn is_plain_word(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && !is_null(text)
        && bool_value(text).is_none()
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

pub(super) fn bool_value(text: &str) -> Option<bool> {
    match text {
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Some(true),
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => Some(false),
        _ => None,
    }
}

/// `[-+]?` then `0b[01_]+`, `0x[0-9a-fA-F_]+`, `0[0-7_]+` (octal), `0`, `[1-9][0-9_]*`, or
/// base 60 (`1:30`). Beyond `i64` the value is kept as a float: still a number, as in Python.
pub(super) fn int_value(text: &str) -> Option<Value> {
    let (negative, body) = split_sign(text);
    let (radix, rest) = if let Some(rest) = body.strip_prefix("0b") {
        (2, rest)
    } else if let Some(rest) = body.strip_prefix("0x") {
        (16, rest)
    } else if body == "0" {
        (10, body)
    } else if let Some(rest) = body.strip_prefix('0') {
        (8, rest)
    } else if body.starts_with(|c: char| ('1'..='9').contains(&c)) && body.contains(':') {
        // Exact below 2^53, far beyond any count a config holds.
        return sexagesimal(body).map(|n| integer(negative, n as u128));
    } else if body.starts_with(|c: char| ('1'..='9').contains(&c)) {
        (10, body)
    } else {
        return None;
    };
    if rest.is_empty() || !rest.chars().all(|c| c == '_' || c.is_digit(radix)) {
        return None;
    }
    let cleaned: String = rest.chars().filter(|&c| c != '_').collect();
    if cleaned.is_empty() {
        // `0_` matches PyYAML's octal pattern and reads as 0; `0b_` and `0x_` fail in PyYAML.
        return (radix == 8).then_some(Value::Int(0));
    }
    Some(match u128::from_str_radix(&cleaned, radix) {
        Ok(magnitude) => integer(negative, magnitude),
        Err(_) => Value::Float(signed(negative, big_to_f64(&cleaned, radix))),
    })
}

/// `[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?`, `\.[0-9][0-9_]*([eE][-+][0-9]+)?`, base 60
/// with a fraction, `[-+]?.inf` and `.nan` (each in its three case forms).
pub(super) fn float_value(text: &str) -> Option<f64> {
    let (negative, body) = split_sign(text);
    if matches!(body, ".inf" | ".Inf" | ".INF") {
        return Some(signed(negative, f64::INFINITY));
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    if let Some(exponent) = exponent {
        let digits = exponent.strip_prefix(['-', '+'])?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let (whole, fraction) = mantissa.split_once('.')?;
    if whole.contains(':') && exponent.is_none() {
        let n = sexagesimal(whole)?;
        let fraction: String = fraction.chars().filter(|&c| c != '_').collect();
        if !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let fraction: f64 = format!("0.{fraction}0").parse().ok()?;
        return Some(signed(negative, n + fraction));
    }
    let well_formed = if whole.is_empty() {
        // `.5` takes no sign in PyYAML's pattern.
        !negative
            && text.starts_with('.')
            && fraction.starts_with(|c: char| c.is_ascii_digit())
            && fraction.chars().all(|c| c == '_' || c.is_ascii_digit())
    } else {
        whole.starts_with(|c: char| c.is_ascii_digit())
            && whole.chars().all(|c| c == '_' || c.is_ascii_digit())
            && fraction.chars().all(|c| c == '_' || c.is_ascii_digit())
    };
    if !well_formed {
        return None;
    }
    let cleaned: String = body.chars().filter(|&c| c != '_').collect();
    cleaned.parse::<f64>().ok().map(|n| signed(negative, n))
}

fn split_sign(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    }
}

/// `1:30:15` = 1×3600 + 30×60 + 15: the first part `[1-9][0-9_]*`, the rest `[0-5]?[0-9]`.
fn sexagesimal(body: &str) -> Option<f64> {
    let mut parts = body.split(':');
    let first = parts.next()?;
    if !first.starts_with(|c: char| ('1'..='9').contains(&c))
        || !first.chars().all(|c| c == '_' || c.is_ascii_digit())
    {
        return None;
    }
    let mut total: f64 = first.replace('_', "").parse().ok()?;
    let mut any = false;
    for part in parts {
        let small = part.len() <= 2
            && !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part.len() == 1 || part.as_bytes()[0] <= b'5');
        if !small {
            return None;
        }
        total = total * 60.0 + part.parse::<f64>().ok()?;
        any = true;
    }
    any.then_some(total)
}

fn big_to_f64(digits: &str, radix: u32) -> f64 {
    digits
        .chars()
        .filter_map(|c| c.to_digit(radix))
        .fold(0.0, |total, digit| {
            total * f64::from(radix) + f64::from(digit)
        })
}

fn signed(negative: bool, magnitude: f64) -> f64 {
    if negative { -magnitude } else { magnitude }
}

/// An `i64` when it fits (as every count in a config does), else a float: still a number.
fn integer(negative: bool, magnitude: u128) -> Value {
    let exact = i128::try_from(magnitude)
        .ok()
        .map(|n| if negative { -n } else { n })
        .and_then(|n| i64::try_from(n).ok());
    match exact {
        Some(n) => Value::Int(n),
        None => Value::Float(signed(negative, magnitude as f64)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyyaml_1_1_implicit_types() {
        for null in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(resolve_plain(null), Value::Null, "{null:?}");
        }
        for yes in ["yes", "Yes", "YES", "true", "True", "on", "ON"] {
            assert_eq!(resolve_plain(yes), Value::Bool(true), "{yes}");
        }
        for no in ["no", "NO", "false", "FALSE", "off", "Off"] {
            assert_eq!(resolve_plain(no), Value::Bool(false), "{no}");
        }
        let ints = [
            ("0", 0),
            ("42", 42),
            ("-17", -17),
            ("+5", 5),
            ("1_000", 1000),
            ("0x1F", 31),
            ("-0x10", -16),
            ("010", 8),
            ("0b101", 5),
            ("1_", 1),
            ("1:30", 90),
            ("-1:00:00", -3600),
        ];
        for (text, expected) in ints {
            assert_eq!(resolve_plain(text), Value::Int(expected), "{text}");
        }
        let floats = [
            ("1.5", 1.5),
            ("-2.", -2.0),
            (".5", 0.5),
            ("1.0e+3", 1000.0),
            ("6.8523015e-5", 6.852_301_5e-5),
            ("1_0.2_5", 10.25),
            ("-.inf", f64::NEG_INFINITY),
            (".Inf", f64::INFINITY),
            ("1:30.5", 90.5),
        ];
        for (text, expected) in floats {
            assert_eq!(resolve_plain(text), Value::Float(expected), "{text}");
        }
        assert!(matches!(resolve_plain(".NaN"), Value::Float(n) if n.is_nan()));
        // Strings in YAML 1.1 that a YAML 1.2 reader would take for numbers, and the near misses.
        for text in [
            "1e3",
            "0o17",
            "09",
            "-.5",
            "1.5e3",
            "0x",
            "true_",
            "Yes!",
            "12:75",
            "1.2.3",
            "gpt-4",
            "2024-01-01",
            ".",
            "+",
            "-",
            "0b2",
        ] {
            assert_eq!(resolve_plain(text), Value::String(text.into()), "{text}");
        }
    }

    #[test]
    fn integers_beyond_i64_stay_numbers() {
        assert_eq!(resolve_plain("9223372036854775807"), Value::Int(i64::MAX));
        assert_eq!(resolve_plain("-9223372036854775808"), Value::Int(i64::MIN));
        assert!(matches!(
            resolve_plain("99999999999999999999999"),
            Value::Float(n) if n > 9.9e22
        ));
    }
}
