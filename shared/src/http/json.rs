//! JSON request bodies: parsed strictly (unknown fields refused), with every error naming
//! the field it is about, as `line_items[0].quantity`.

use super::objects::ObjectsOnly;
use crate::{Code, Error};
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use serde_path_to_error::Segment;

/// Bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Parses a request body. An empty body means `{}`.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(ObjectsOnly(&mut deserializer))
        .map_err(|err| field_error(body, err))?;
    deserializer.end().map_err(malformed)?;
    Ok(value)
}

fn malformed(err: serde_json::Error) -> Error {
    Error::of(
        Code::MalformedJson,
        format!("the body is not valid JSON: {err}"),
    )
}

fn field_error(body: &[u8], err: serde_path_to_error::Error<serde_json::Error>) -> Error {
    // Deserializing stops at the first value it cannot use, which can come before the place
    // where the text stops being JSON (or UTF-8): a body that is not JSON is malformed,
    // whatever else is wrong with it.
    if let Err(syntax) = serde_json::from_slice::<serde_json::Value>(body) {
        return malformed(syntax);
    }
    let path = err.path().to_string();
    let last_key = match err.path().iter().next_back() {
        Some(Segment::Map { key }) => Some(key.clone()),
        _ => None,
    };
    let inner = err.into_inner();
    let message = if inner.classify() == Category::Data {
        without_position(&inner)
    } else {
        // The body is JSON, so this is a value of the wrong type where a named value (an
        // enum such as `kind`) belongs: serde_json reports that as a syntax error.
        "invalid type, expected a string".to_string()
    };
    let mut source = if path == "." { String::new() } else { path };

    // The path of an unknown field ends with the field (its name, which may hold any
    // character, is taken from there); a missing or duplicate field is reported at the
    // object that lacks or repeats it, so the field is added to point at it.
    let named = if message.starts_with("unknown field `") {
        last_key.map(|name| (name, "is not a known field", false))
    } else {
        quoted_name(&message, "missing field `")
            .map(|name| (name, "is required", true))
            .or_else(|| {
                quoted_name(&message, "duplicate field `").map(|name| (name, "appears twice", true))
            })
    };
    let detail = match named {
        Some((name, what, add_to_source)) => {
            if add_to_source {
                source = if source.is_empty() {
                    name.clone()
                } else {
                    format!("{source}.{name}")
                };
            }
            format!("{name} {what}")
        }
        None => describe(&source, &message),
    };
    let err = Error::of(Code::ValidationFailed, detail);
    if source.is_empty() {
        err
    } else {
        err.at(source)
    }
}

/// "quantity must be between 1 and 10000", or "quantity: expected an integer".
fn describe(source: &str, message: &str) -> String {
    let field = source.rsplit('.').next().unwrap_or(source);
    let field = field
        .split('[')
        .next()
        .filter(|f| !f.is_empty())
        .unwrap_or("body");
    let message = plain_types(message);
    if message.starts_with("must") {
        format!("{field} {message}")
    } else {
        format!("{field}: {message}")
    }
}

/// serde_json appends " at line L column C"; the field path says more to a client.
fn without_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_string()
}

fn quoted_name(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?;
    Some(rest.split('`').next()?.to_string())
}

/// Rust's type names mean little to an API client.
fn plain_types(message: &str) -> String {
    let mut text = message.to_string();
    for (rust, plain) in [
        ("expected i64", "expected an integer"),
        ("expected u64", "expected an integer"),
        ("expected u32", "expected an integer"),
        ("expected f64", "expected a number"),
        ("expected a borrowed string", "expected a string"),
    ] {
        text = text.replace(rust, plain);
    }
    for object in [
        "expected struct ",
        "expected adjacently tagged enum ",
        "expected a map",
    ] {
        if let Some(at) = text.find(object) {
            text.replace_range(at.., "expected an object");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::bodies::AddItemsBody as AddItems;
    use crate::http::bodies::NewCartBody as NewCart;
    use serde_json::json;

    fn problem<T: DeserializeOwned + std::fmt::Debug>(
        body: &str,
    ) -> (String, Option<String>, String) {
        let err = parse_json::<T>(body.as_bytes()).unwrap_err();
        let p = &err.problems[0];
        (p.code.to_string(), p.source.clone(), p.detail.clone())
    }

    #[test]
    fn an_empty_body_is_an_empty_object() {
        assert!(parse_json::<NewCart>(b"").is_ok());
        assert!(parse_json::<NewCart>(b"  \n").is_ok());
    }

    #[test]
    fn out_of_range_values_name_the_field() {
        let body = json!({"line_items": [{"product_id": "p", "quantity": 0}]}).to_string();
        let (code, source, detail) = problem::<AddItems>(&body);
        assert_eq!(code, "validation_failed");
        assert_eq!(source.as_deref(), Some("line_items[0].quantity"));
        assert_eq!(detail, "quantity must be between 1 and 10000");
    }

    #[test]
    fn unknown_and_missing_fields_point_at_the_field() {
        let (_, source, detail) = problem::<NewCart>(r#"{"nmae": "x"}"#);
        assert_eq!(
            (source.as_deref(), detail.as_str()),
            (Some("nmae"), "nmae is not a known field")
        );
        let (_, source, detail) = problem::<AddItems>(r#"{"line_items": [{"product_id": "p"}]}"#);
        assert_eq!(
            (source.as_deref(), detail.as_str()),
            (Some("line_items[0].quantity"), "quantity is required")
        );
        let (_, source, _) = problem::<NewCart>(r#"{"currency": {"code": "USD", "x": 1}}"#);
        assert_eq!(source.as_deref(), Some("currency.x"));
    }

    #[test]
    fn wrong_types_are_described_plainly() {
        let (_, source, detail) =
            problem::<AddItems>(r#"{"line_items": [{"product_id": "p", "quantity": "2"}]}"#);
        assert_eq!(source.as_deref(), Some("line_items[0].quantity"));
        assert!(detail.contains("expected an integer"), "{detail}");
        let (_, source, detail) = problem::<NewCart>(r#"[]"#);
        assert_eq!(source, None);
        assert!(detail.contains("expected an object"), "{detail}");
        // Found by the property tests: an attribute's value named its Rust type.
        let (_, source, detail) = problem::<NewCart>(r#"{"custom_attributes": {"a": null}}"#);
        assert_eq!(
            (source.as_deref(), detail.as_str()),
            (
                Some("custom_attributes.a"),
                "a: invalid type: null, expected an object"
            )
        );
    }

    #[test]
    fn broken_json_is_malformed() {
        for body in ["{", "{\"name\": }", "{} {}", "nul"] {
            let (code, _, _) = problem::<NewCart>(body);
            assert_eq!(code, "malformed_json", "{body}");
        }
    }

    #[test]
    fn a_body_that_is_not_json_is_malformed_even_after_a_bad_field() {
        // Found by the property tests: parsing stopped at the bad field first.
        for body in ["0\u{0}", r#"{"nmae": 1,"#, r#"{"line_items": 5} x"#] {
            let (code, _, _) = problem::<NewCart>(body);
            assert_eq!(code, "malformed_json", "{body}");
        }
        let not_utf8 = b"{\"name\": 1, \"\x80\": 2}";
        let err = parse_json::<NewCart>(not_utf8).unwrap_err();
        assert_eq!(err.code(), "malformed_json");
    }

    #[test]
    fn a_wrong_type_where_a_named_value_belongs_is_a_field_error() {
        // Found by the property tests: serde_json calls this a syntax error.
        let body = r#"{"custom_attributes": {"a": {"type": 1, "value": 1}}}"#;
        let (code, source, detail) = problem::<NewCart>(body);
        assert_eq!(
            (code.as_str(), source.as_deref(), detail.as_str()),
            (
                "validation_failed",
                Some("custom_attributes.a.type"),
                "type: invalid type, expected a string"
            )
        );
    }

    #[test]
    fn fields_are_pointed_at_whatever_their_names() {
        // A backtick cut an unknown field's name short (found by the property tests), and a
        // parent whose name ended like the field's hid the field (found writing them).
        let cases = [
            (
                r#"{"currency": {"cy": 1}}"#,
                "currency.cy",
                "cy is not a known field",
            ),
            (r#"{"a`b": 1}"#, "a`b", "a`b is not a known field"),
            (
                r#"{"custom_attributes": {"avalue": {"type": "string"}}}"#,
                "custom_attributes.avalue.value",
                "value is required",
            ),
        ];
        for (body, source, detail) in cases {
            let (_, got_source, got_detail) = problem::<NewCart>(body);
            assert_eq!(
                (got_source.as_deref(), got_detail.as_str()),
                (Some(source), detail)
            );
        }
    }

    #[test]
    fn structs_are_objects_never_arrays() {
        // Found by the property tests: `[]` was an empty AddItems (serde fills a struct from
        // an array of its fields), refused later as lacking `line_items`.
        let (code, source, detail) = problem::<AddItems>("[]");
        assert_eq!((code.as_str(), source), ("validation_failed", None));
        assert!(detail.contains("expected an object"), "{detail}");
        let body = r#"{"line_items": [["p", null, 2]]}"#;
        let (_, source, detail) = problem::<AddItems>(body);
        assert_eq!(source.as_deref(), Some("line_items[0]"));
        assert!(detail.contains("expected an object"), "{detail}");
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let (code, source, _) = problem::<NewCart>(r#"{"name": "a", "name": "b"}"#);
        assert_eq!(
            (code.as_str(), source.as_deref()),
            ("validation_failed", Some("name"))
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_malformed() {
        // The local emulator cannot deliver such a body (it answers 500 itself); API
        // Gateway can, and this is what the function answers.
        for body in [&b"\xff\xfe"[..], b"{\"name\": \"\xe9\"}", b"\x8a\x7a"] {
            let err = parse_json::<NewCart>(body).unwrap_err();
            assert_eq!(err.code(), "malformed_json", "{body:?}");
        }
    }
}
