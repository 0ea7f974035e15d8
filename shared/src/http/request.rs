//! One incoming request, as API Gateway (payload 2.0) or `cargo lambda watch` delivers it.

use super::bodies::NativeBody;
use super::dialect::Dialect;
use super::json::{MAX_BODY_BYTES, parse_json};
use crate::domain::values::{CLIENT_ID_RULE, ClientId, CustomerId};
use crate::service::Precondition;
use crate::{Code, Error};
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt, http::header};
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// What `?include=` asks a response to add.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Include {
    pub redirect_urls: bool,
}

/// An integer as a path or query parameter: `12`, or as JSON Schema also counts one,
/// `12.0` or `1.2e1` (clients that hold every number as a float write ids so). Read as
/// decimal text, never through a float, so `0.99999999999999999` is not 1.
pub fn whole_number(text: &str) -> Option<i64> {
    if let Ok(number) = text.parse::<i64>() {
        return Some(number);
    }
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (negative, unsigned) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let is_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !is_digits(whole) || !is_digits(fraction) {
        return None;
    }
    // All the digits, and where the point falls among them once the exponent moves it.
    let digits = format!("{}{fraction}", whole.trim_start_matches('0'));
    let point = i64::from(exponent) + (digits.len() - fraction.len()) as i64;
    let point = usize::try_from(point).unwrap_or(0).min(digits.len());
    let (integer, rest) = digits.split_at(point);
    let shift = i64::from(exponent) - fraction.len() as i64;
    if rest.bytes().any(|b| b != b'0') || (shift > 0 && integer.len() + shift as usize > 19) {
        return None;
    }
    let zeros = "0".repeat(shift.max(0) as usize);
    let magnitude: i128 = format!("0{integer}{zeros}").parse().ok()?;
    i64::try_from(if negative { -magnitude } else { magnitude }).ok()
}

pub struct ApiRequest {
    pub(super) inner: Request,
    /// The route this function serves, such as `/carts/{cart_id}/items/{item_id}`.
    route: &'static str,
}

impl ApiRequest {
    pub fn new(inner: Request, route: &'static str) -> ApiRequest {
        ApiRequest { inner, route }
    }

    pub fn route(&self) -> &'static str {
        self.route
    }

    /// The wire format of the route the request came by.
    pub fn dialect(&self) -> Dialect {
        Dialect::of_route(self.route)
    }

    pub fn method(&self) -> &str {
        self.inner.method().as_str()
    }

    /// API Gateway's request id (what clients see in `apigw-requestid`), else Lambda's.
    pub fn request_id(&self) -> String {
        if let Some(RequestContext::ApiGatewayV2(context)) = self.inner.request_context_ref()
            && let Some(id) = &context.request_id
        {
            return id.clone();
        }
        self.inner
            .lambda_context_ref()
            .map(|c| c.request_id.clone())
            .unwrap_or_default()
    }

    /// A path parameter: API Gateway fills them in; otherwise (a function URL, say) it is
    /// read from the raw path against this function's route.
    pub fn path_param(&self, name: &str) -> Option<String> {
        if let Some(value) = self.inner.path_parameters_ref().and_then(|p| p.first(name)) {
            return Some(value.to_string());
        }
        let wanted = format!("{{{name}}}");
        let route = self.route.trim_matches('/').split('/');
        let raw = match self.inner.raw_http_path() {
            "" => self.inner.uri().path(),
            raw => raw,
        };
        let path = raw.trim_matches('/').split('/');
        if route.clone().count() != path.clone().count() {
            return None;
        }
        let mut found = None;
        for (pattern, segment) in route.zip(path) {
            if pattern == wanted {
                found = Some(segment.to_string());
            } else if !pattern.starts_with('{') && pattern != segment {
                return None;
            }
        }
        found
    }

    /// A server-generated id from the path; anything that is not a UUID cannot exist.
    pub fn uuid_param(&self, name: &str, what: &str) -> Result<Uuid, Error> {
        self.path_param(name)
            .and_then(|text| Uuid::try_parse(&text).ok())
            .ok_or_else(|| Error::not_found(what))
    }

    pub fn cart_id(&self) -> Result<Uuid, Error> {
        self.uuid_param("cart_id", "cart")
    }

    pub fn item_id(&self) -> Result<Uuid, Error> {
        self.uuid_param("item_id", "item")
    }

    /// A client-supplied id from the path, naming something that should exist (404 if not
    /// even well-formed).
    pub fn client_id_param(&self, name: &str, what: &str) -> Result<ClientId, Error> {
        self.path_param(name)
            .and_then(|text| ClientId::parse(&text))
            .ok_or_else(|| Error::not_found(what))
    }

    /// A customer id from the path (404 if it could not be one).
    pub fn customer_id_param(&self, name: &str) -> Result<CustomerId, Error> {
        self.path_param(name)
            .and_then(|text| CustomerId::parse(&text))
            .ok_or_else(|| Error::not_found("customer"))
    }

    /// A client-supplied id from the path, naming something the request creates (400 if
    /// malformed).
    pub fn new_client_id_param(&self, name: &str) -> Result<ClientId, Error> {
        self.path_param(name)
            .and_then(|text| ClientId::parse(&text))
            .ok_or_else(|| Error::invalid(name, format!("{name} {CLIENT_ID_RULE}")))
    }

    /// `?limit=`: an integer from 1 to `max`, `default` when absent.
    pub fn limit(&self, default: u32, max: u32) -> Result<u32, Error> {
        self.query_count("limit", default, max)
    }

    /// A query parameter that counts (a limit, a page): an integer from 1 to `max`,
    /// `default` when absent; anything else is a 400 naming it.
    pub fn query_count(&self, name: &str, default: u32, max: u32) -> Result<u32, Error> {
        let Some(text) = self.query(name) else {
            return Ok(default);
        };
        match whole_number(&text) {
            Some(count) if (1..=i64::from(max)).contains(&count) => Ok(count as u32),
            _ => Err(Error::invalid(
                name,
                format!("{name} must be an integer between 1 and {max}"),
            )),
        }
    }

    pub fn query(&self, name: &str) -> Option<String> {
        self.inner
            .query_string_parameters_ref()
            .and_then(|q| q.first(name))
            .map(str::to_string)
    }

    /// `?include=`: what the response should add. The native API takes `redirect_urls`;
    /// BigCommerce's takes a comma-separated list of its values, of which Trolley has the
    /// data for `redirect_urls` (the others are accepted and add nothing).
    pub fn include(&self, dialect: Dialect) -> Result<Include, Error> {
        let Some(text) = self.query("include") else {
            return Ok(Include::default());
        };
        let known: &[&str] = match dialect {
            Dialect::Native => &["redirect_urls"],
            // Elastic Path's cart routes take no `include` that adds to these responses.
            Dialect::ElasticPath => &[],
            Dialect::BigCommerce => &[
                "redirect_urls",
                "line_items.physical_items.options",
                "line_items.digital_items.options",
                "promotions.banners",
            ],
        };
        let values: Vec<&str> = match dialect {
            Dialect::Native | Dialect::ElasticPath => vec![text.as_str()],
            // An empty list (`include=`) asks for nothing.
            Dialect::BigCommerce => text.split(',').filter(|v| !v.is_empty()).collect(),
        };
        if let Some(other) = values.iter().find(|v| !known.contains(v)) {
            let takes = match known.is_empty() {
                true => "this route takes no include".to_owned(),
                false => format!("include takes {}", known.join(", ")),
            };
            return Err(Error::invalid("include", format!("{takes}, not {other}")));
        }
        Ok(Include {
            redirect_urls: values.contains(&"redirect_urls"),
        })
    }

    /// Checks `?include=` where only BigCommerce's routes take it (reading a cart, changing
    /// it): a value BigCommerce does not list is 400; the native routes ignore it.
    pub fn check_include(&self) -> Result<(), Error> {
        if self.dialect() == Dialect::BigCommerce {
            self.include(Dialect::BigCommerce)?;
        }
        Ok(())
    }

    /// The path and query string as the client sent them.
    pub fn path_and_query(&self) -> String {
        let query = self
            .inner
            .uri()
            .query()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        format!("{}{query}", self.inner.uri().path())
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        self.inner.body().as_ref()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.inner.headers().get(name).and_then(|v| v.to_str().ok())
    }

    /// A header as sent, text or not (`header` reads only visible ASCII).
    pub fn header_bytes(&self, name: &str) -> Option<&[u8]> {
        self.inner.headers().get(name).map(|v| v.as_bytes())
    }

    /// The JSON body of a wire format whose bodies are never optional (BigCommerce's): as
    /// `json`, but an empty body is 400.
    pub fn required_json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let body: &[u8] = self.inner.body().as_ref();
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::of(
                Code::MalformedJson,
                "this request needs a JSON body",
            ));
        }
        self.json()
    }

    /// The domain command a native route's JSON body spells, read as `json` reads it.
    pub fn command<C: NativeBody>(&self) -> Result<C, Error> {
        self.json::<C::Body>().map(Into::into)
    }

    /// The JSON body: 413 over 256 KiB, 415 when a non-empty body is not declared as JSON,
    /// 400 when it does not parse; an empty body is `{}`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let body: &[u8] = self.inner.body().as_ref();
        if body.len() > MAX_BODY_BYTES {
            return Err(Error::of(
                Code::PayloadTooLarge,
                format!(
                    "the body is {} bytes; the limit is {MAX_BODY_BYTES}",
                    body.len()
                ),
            ));
        }
        let blank = body.iter().all(u8::is_ascii_whitespace);
        if !blank && !self.is_json() {
            return Err(Error::of(
                Code::UnsupportedMediaType,
                "send the body as JSON with Content-Type: application/json",
            )
            .at("Content-Type"));
        }
        parse_json(body)
    }

    fn is_json(&self) -> bool {
        let Some(value) = self.header(header::CONTENT_TYPE.as_str()) else {
            return false;
        };
        let media_type = value
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        media_type == "application/json"
            || (media_type.starts_with("application/") && media_type.ends_with("+json"))
    }

    /// The `If-Match` header: `*`, or the versions named by its strong entity tags. Weak
    /// tags (`W/"3"`) and tags that are not versions are kept out, so they never match
    /// (412). An empty header names nothing at all: 400, rather than a 412 that would send
    /// the client to reload and try again with the same empty header.
    pub fn if_match(&self) -> Result<Option<Precondition>, Error> {
        let Some(value) = self.inner.headers().get(header::IF_MATCH) else {
            return Ok(None);
        };
        let text = value.to_str().unwrap_or_default().trim();
        if value.as_bytes().iter().all(u8::is_ascii_whitespace) {
            return Err(Error::invalid(
                "If-Match",
                "must be * or a list of entity tags (\"3\"), not empty",
            ));
        }
        if text == "*" {
            return Ok(Some(Precondition::Any));
        }
        let versions = text
            .split(',')
            .map(str::trim)
            .filter(|tag| !tag.starts_with("W/"))
            .filter_map(|tag| tag.trim_matches('"').parse().ok())
            .collect();
        Ok(Some(Precondition::Versions(versions)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use lambda_http::http;

    fn request(path: &str, headers: &[(&str, &str)], body: &str) -> ApiRequest {
        let mut builder = http::Request::builder().uri(format!("https://example.com{path}"));
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let req: Request = builder.body(lambda_http::Body::from(body)).unwrap();
        ApiRequest::new(req, "/carts/{cart_id}/items/{item_id}")
    }

    /// schemathesis sends integers as `2688.0` too (JSON Schema counts it an integer).
    #[test]
    fn a_whole_number_may_be_written_as_a_float() {
        for (text, number) in [
            ("12", 12),
            ("-3", -3),
            ("2688.0", 2688),
            ("2.00", 2),
            ("1e3", 1000),
            ("1.5e1", 15),
            ("1e+18", 1_000_000_000_000_000_000),
            ("9007199254740994.0", 9_007_199_254_740_994),
            ("9223372036854775807.0", i64::MAX),
            ("-9223372036854775808", i64::MIN),
            ("120e-1", 12),
            ("0.0", 0),
            ("-0.0", 0),
        ] {
            assert_eq!(whole_number(text), Some(number), "{text}");
        }
        for text in [
            "",
            "2.5",
            "x",
            "NaN",
            "inf",
            "1e300",
            "9223372036854775808.0",
            " 1",
            "7.",
            ".0",
            "0.99999999999999999",
            "4503599627370496.5",
            "1e-1",
            "1.5",
            "1e",
            "--1",
            "1e99999999999",
        ] {
            assert_eq!(whole_number(text), None, "{text}");
        }
    }

    #[test]
    fn path_params_fall_back_to_the_raw_path() {
        let req = request("/carts/abc/items/def", &[], "");
        assert_eq!(req.path_param("cart_id").as_deref(), Some("abc"));
        assert_eq!(req.path_param("item_id").as_deref(), Some("def"));
        assert_eq!(request("/carts/abc", &[], "").path_param("cart_id"), None);
        assert_eq!(
            request("/bags/abc/items/def", &[], "").path_param("cart_id"),
            None
        );
        assert_eq!(req.cart_id().unwrap_err().kind(), ErrorKind::NotFound);
    }

    #[test]
    fn bodies_must_be_declared_json_and_small() {
        let err = request("/", &[("content-type", "text/plain")], "{}")
            .json::<serde_json::Value>()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnsupportedMediaType);
        let err = request("/", &[], "{}")
            .json::<serde_json::Value>()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnsupportedMediaType);
        assert!(request("/", &[], "").json::<serde_json::Value>().is_ok());
        let ok = request(
            "/",
            &[("content-type", "application/json; charset=utf-8")],
            "{}",
        );
        assert!(ok.json::<serde_json::Value>().is_ok());
        let big = format!("\"{}\"", "x".repeat(MAX_BODY_BYTES));
        let err = request("/", &[("content-type", "application/json")], &big)
            .json::<serde_json::Value>()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PayloadTooLarge);
    }

    #[test]
    fn if_match_keeps_strong_version_tags_only() {
        let tags = |value: &str| {
            request("/", &[("if-match", value)], "")
                .if_match()
                .map_err(|e| e.problems[0].source.clone())
        };
        assert_eq!(tags("\"3\""), Ok(Some(Precondition::Versions(vec![3]))));
        assert_eq!(
            tags("\"3\", \"4\""),
            Ok(Some(Precondition::Versions(vec![3, 4])))
        );
        assert_eq!(tags("W/\"3\""), Ok(Some(Precondition::Versions(vec![]))));
        assert_eq!(tags("\"abc\""), Ok(Some(Precondition::Versions(vec![]))));
        assert_eq!(tags("*"), Ok(Some(Precondition::Any)));
        assert_eq!(request("/", &[], "").if_match(), Ok(None));
        // Empty: 400, naming the header.
        for empty in ["", " ", "\t"] {
            assert_eq!(tags(empty), Err(Some("If-Match".into())), "{empty:?}");
        }
    }
}
