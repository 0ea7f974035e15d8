//! Who is calling, from what API Gateway's authorizer vouched for. Fails closed: a request
//! is the trusted backend only when an IAM authorizer signed it off, or when the deployment
//! has no authorizer at all (`CART_AUTH=NONE`: demos and the local stack); it is a shopper
//! only with a usable claim from a JWT authorizer; on `/v3` routes deployed with
//! `V3Auth=TOKEN` it is the backend when the token authorizer vouched for it; anything else
//! is refused with 401.

use super::dialect::Dialect;
use super::request::ApiRequest;
use super::token_authorizer::CALLER;
use crate::config::{Auth, AuthMode, V3Auth};
use crate::domain::values::CustomerId;
use crate::service::Principal;
use crate::{Code, Error};
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;
use serde_json::Value;
use std::collections::HashMap;

impl ApiRequest {
    /// The principal this request acts for, or 401.
    pub fn principal(&self, auth: &Auth) -> Result<Principal, Error> {
        let authorizer = match self.inner.request_context_ref() {
            Some(RequestContext::ApiGatewayV2(context)) => context.authorizer.as_ref(),
            // Only API Gateway's HTTP API (payload 2.0) and `cargo lambda watch` call us.
            _ => {
                return Err(unauthenticated(
                    "the request did not come through the HTTP API",
                ));
            }
        };
        let (iam, jwt, lambda) = match authorizer {
            Some(a) => (a.iam.is_some(), a.jwt.as_ref(), Some(&a.fields)),
            None => (false, None, None),
        };
        let token_caller = lambda.is_some_and(|fields| self.is_v3_token_caller(fields, auth));
        let lambda = lambda.is_some_and(|fields| !fields.is_empty());
        match (iam, jwt, lambda) {
            (true, None, false) => Ok(Principal::Backend),
            (false, None, true) if token_caller => Ok(Principal::Backend),
            (false, Some(jwt), false) => shopper(jwt.claims.get(&auth.shopper_claim), auth),
            (false, None, false) if auth.mode == AuthMode::None => Ok(Principal::Backend),
            (false, None, false) => Err(unauthenticated(
                "this route needs a signed request (IAM) or a shopper's token",
            )),
            // Several authorizers at once, or one this service does not know: no guessing.
            _ => Err(unauthenticated(
                "the request's authorizer is not one this API uses",
            )),
        }
    }
}

impl ApiRequest {
    /// Whether the token authorizer vouched for this request (`token_authorizer`): its exact
    /// context, on a `/v3` route, in a deployment whose `/v3` routes use it.
    fn is_v3_token_caller(&self, context: &HashMap<String, Value>, auth: &Auth) -> bool {
        let (key, value) = CALLER;
        auth.v3 == V3Auth::Token
            && self.dialect() == Dialect::BigCommerce
            && context.len() == 1
            && context.get(key).and_then(Value::as_str) == Some(value)
    }

    /// The IAM identity that signed this request (its ARN), where IAM authorized it: several
    /// backends are one principal to the use cases, but each keeps its own idempotency keys.
    pub fn iam_caller(&self) -> Option<String> {
        match self.inner.request_context_ref() {
            Some(RequestContext::ApiGatewayV2(context)) => {
                context.authorizer.as_ref()?.iam.as_ref()?.user_arn.clone()
            }
            _ => None,
        }
    }
}

/// A shopper is the customer the configured claim names, verbatim (`CustomerId`).
fn shopper(claim: Option<&String>, auth: &Auth) -> Result<Principal, Error> {
    claim
        .and_then(|value| CustomerId::parse(value))
        .map(Principal::Shopper)
        .ok_or_else(|| {
            unauthenticated(&format!(
                "the token's {} claim must name the shopper (1-255 characters, no control characters)",
                auth.shopper_claim
            ))
        })
}

fn unauthenticated(detail: &str) -> Error {
    Error::of(Code::Unauthenticated, detail).at("Authorization")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A request for `route` with `authorizer` as API Gateway's authorizer context.
    fn request(route: &'static str, authorizer: Value) -> ApiRequest {
        let event = json!({
            "version": "2.0",
            "routeKey": format!("GET {route}"),
            "rawPath": "/x",
            "rawQueryString": "",
            "headers": {},
            "requestContext": {
                "http": {"method": "GET", "path": "/x", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "t"},
                "requestId": "r", "routeKey": format!("GET {route}"), "stage": "$default",
                "accountId": "1", "apiId": "a", "domainName": "d", "domainPrefix": "d",
                "time": "03/Dec/2026:00:00:00 +0000", "timeEpoch": 0,
                "authorizer": authorizer
            },
            "isBase64Encoded": false
        });
        let inner = lambda_http::request::from_str(&event.to_string()).expect("an event");
        ApiRequest::new(inner, route)
    }

    fn auth(v3: V3Auth) -> Auth {
        Auth {
            v3,
            ..Auth::default()
        }
    }

    const V3_ROUTE: &str = "/v3/carts/{cart_id}";
    const NATIVE_ROUTE: &str = "/carts/{cart_id}";

    #[test]
    fn the_token_authorizers_caller_is_the_backend_on_v3_where_it_is_deployed() {
        let token = json!({"lambda": {"trolley_caller": "v3-token"}});
        let principal = request(V3_ROUTE, token).principal(&auth(V3Auth::Token));
        assert_eq!(principal.unwrap(), Principal::Backend);
    }

    #[test]
    fn any_other_lambda_context_is_refused() {
        let token = json!({"lambda": {"trolley_caller": "v3-token"}});
        let refused = [
            // A deployment whose /v3 routes use IAM never sees the token authorizer.
            (V3_ROUTE, token.clone(), V3Auth::Iam),
            // The token opens BigCommerce's routes only.
            (NATIVE_ROUTE, token.clone(), V3Auth::Token),
            (
                V3_ROUTE,
                json!({"lambda": {"trolley_caller": "backend"}}),
                V3Auth::Token,
            ),
            (
                V3_ROUTE,
                json!({"lambda": {"trolley_caller": "v3-token", "sub": "x"}}),
                V3Auth::Token,
            ),
            (
                V3_ROUTE,
                json!({"lambda": {"caller": "v3-token"}}),
                V3Auth::Token,
            ),
            // With IAM as well: several authorizers at once.
            (
                V3_ROUTE,
                json!({"lambda": {"trolley_caller": "v3-token"}, "iam": {"userArn": "arn:aws:iam::1:user/x"}}),
                V3Auth::Token,
            ),
        ];
        for (route, context, v3) in refused {
            let err = request(route, context.clone())
                .principal(&auth(v3))
                .unwrap_err();
            assert_eq!(
                err.problems[0].code,
                Code::Unauthenticated,
                "{route} {context}"
            );
        }
    }
}
