//! Who is calling, from what API Gateway's authorizer vouched for. Fails closed: a request
//! is the trusted backend only when an IAM authorizer signed it off, or when the deployment
//! has no authorizer at all (`CART_AUTH=NONE`: demos and the local stack); it is a shopper
//! only with a usable claim from a JWT authorizer; anything else is refused with 401.

use super::request::ApiRequest;
use crate::config::{Auth, AuthMode};
use crate::domain::values::CustomerId;
use crate::service::Principal;
use crate::{Code, Error};
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;

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
            Some(a) => (a.iam.is_some(), a.jwt.as_ref(), !a.fields.is_empty()),
            None => (false, None, false),
        };
        match (iam, jwt, lambda) {
            (true, None, false) => Ok(Principal::Backend),
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
