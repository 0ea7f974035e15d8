//! The Lambda authorizer in front of the `/v3` routes when the stack is deployed with
//! `V3Auth=TOKEN` (template.yaml): BigCommerce's clients authenticate with a store API token
//! in `X-Auth-Token`, and cannot sign with SigV4. API Gateway calls it (payload 2.0, simple
//! responses) before a `/v3` function runs; an allowed request reaches the function with
//! `CALLER` as its authorizer context, which `ApiRequest::principal` takes as the trusted
//! backend on `/v3` routes only, and only where `V3_AUTH=TOKEN` (fails closed elsewhere).

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The authorizer context an allowed request carries: (key, value).
pub const CALLER: (&str, &str) = ("trolley_caller", "v3-token");

pub struct TokenAuthorizer {
    /// The token's SHA-256: requests' tokens are compared by digest, so the time a
    /// comparison takes says nothing about how much of the token a guess got right.
    digest: [u8; 32],
}

impl TokenAuthorizer {
    /// The token from the secret `V3_AUTH_TOKEN_SECRET_ARN` names (locally `V3_AUTH_TOKEN`).
    pub async fn start() -> Result<TokenAuthorizer, String> {
        crate::service::start_token_authorizer()
            .await
            .map(|token| TokenAuthorizer::new(&token))
    }

    pub fn new(token: &str) -> TokenAuthorizer {
        TokenAuthorizer {
            digest: Sha256::digest(token.as_bytes()).into(),
        }
    }

    /// API Gateway's simple response to one request: allowed with `CALLER` as context when
    /// it is for a `/v3` route and carries the token, refused otherwise.
    pub fn decide(&self, event: &Value) -> Value {
        if self.allows(event) {
            json!({"isAuthorized": true, "context": {CALLER.0: CALLER.1}})
        } else {
            json!({"isAuthorized": false})
        }
    }

    fn allows(&self, event: &Value) -> bool {
        // API Gateway lower-cases header names in payload 2.0; the route key is
        // "METHOD /path". It caches answers by token alone, so the route check here only
        // holds for uncached requests: the functions' own check (`identity.rs`: the
        // context counts on `/v3` routes only) is the one that always holds.
        let token = event["headers"]["x-auth-token"].as_str();
        let route = event["routeKey"].as_str().unwrap_or_default();
        let on_v3 = route
            .split_once(' ')
            .is_some_and(|(_, path)| path.starts_with("/v3/"));
        let digest: Option<[u8; 32]> = token.map(|t| Sha256::digest(t.as_bytes()).into());
        on_v3 && digest == Some(self.digest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "a-store-api-token-of-some-length";

    fn event(route: &str, token: Option<&str>) -> Value {
        let mut headers = json!({"content-type": "application/json"});
        if let Some(token) = token {
            headers["x-auth-token"] = json!(token);
        }
        json!({"version": "2.0", "type": "REQUEST", "routeKey": route, "headers": headers})
    }

    #[test]
    fn the_token_on_a_v3_route_is_the_backend() {
        let answer =
            TokenAuthorizer::new(TOKEN).decide(&event("GET /v3/carts/{cart_id}", Some(TOKEN)));
        assert_eq!(
            answer,
            json!({"isAuthorized": true, "context": {"trolley_caller": "v3-token"}})
        );
    }

    #[test]
    fn anything_else_is_refused() {
        let authorizer = TokenAuthorizer::new(TOKEN);
        let near_misses = [
            event("GET /v3/carts/{cart_id}", None),
            event("GET /v3/carts/{cart_id}", Some("")),
            event("GET /v3/carts/{cart_id}", Some(&TOKEN[1..])),
            event("GET /v3/carts/{cart_id}", Some(&format!("{TOKEN} "))),
            event("GET /v3/carts/{cart_id}", Some(&TOKEN.to_uppercase())),
            // The token opens only the BigCommerce routes.
            event("GET /carts/{cart_id}", Some(TOKEN)),
            event("PUT /settings/cart", Some(TOKEN)),
            event("GET /v3", Some(TOKEN)),
            event("", Some(TOKEN)),
            json!({"routeKey": "GET /v3/carts/{cart_id}", "headers": {"x-auth-token": 7}}),
            json!(null),
        ];
        for event in near_misses {
            assert_eq!(
                authorizer.decide(&event),
                json!({"isAuthorized": false}),
                "{event}"
            );
        }
    }
}
