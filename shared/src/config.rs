//! Configuration, read once when a function instance starts. A missing or bad value stops
//! the start with a log line naming it, rather than failing requests later.

use crate::domain::order::CheckoutKey;
use crate::domain::tokens::{KeyRing, SigningKey};
use serde::Deserialize;
use std::time::Duration;

/// How a warm function keeps settings and promotions unless `CONFIG_CACHE_SECONDS` says
/// otherwise: an admin change applies everywhere within this.
pub const DEFAULT_CONFIG_CACHE: Duration = Duration::from_secs(30);

#[derive(Clone, Debug)]
pub struct Config {
    /// `TABLE_NAME`: the one DynamoDB table.
    pub table: String,
    /// `CONFIG_CACHE_SECONDS`: how long settings and promotions are reused.
    pub config_cache: Duration,
    pub auth: Auth,
    /// `STOREFRONT_URL`: where redirect URLs point, in the functions that make them.
    pub storefront_url: Option<String>,
    /// The keys that sign and check tokens, in the functions that make or read them: from
    /// the Secrets Manager secret `SIGNING_KEYS_SECRET_ARN` names (read by `load`), or, on
    /// the local stack only, the same JSON in `SIGNING_KEYS`.
    pub signing_keys: Option<KeyRing>,
    /// The secret still to read (`from_vars` leaves it to `load`).
    signing_keys_secret: Option<String>,
    /// The checkout function's secret (`CheckoutKey`): from the secret
    /// `CHECKOUT_KEY_SECRET_ARN` names, or locally `CHECKOUT_KEY`. Never rotate it: order
    /// ids and promotion-use counters are found by it.
    pub checkout_key: Option<CheckoutKey>,
    checkout_key_secret: Option<String>,
}

/// Who may call, as the deployment is set up (template.yaml's `CartAuth`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Auth {
    /// `CART_AUTH`: `IAM` (the default), `JWT` or `NONE`.
    pub mode: AuthMode,
    /// `SHOPPER_CLAIM`: the JWT claim naming the shopper (default `sub`).
    pub shopper_claim: String,
    /// `V3_AUTH`: `IAM` (the default) or `TOKEN` (template.yaml's `V3Auth`).
    pub v3: V3Auth,
}

/// Who may call the `/v3` (BigCommerce) routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V3Auth {
    /// SigV4, as the native admin routes.
    Iam,
    /// BigCommerce's `X-Auth-Token` header, checked by the token authorizer
    /// (`http::token_authorizer`); its answer is the trusted backend on `/v3` routes only.
    Token,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMode {
    /// Cart routes need SigV4: callers are the storefront's backend.
    Iam,
    /// Cart routes need a shopper's JWT.
    Jwt,
    /// No authorizer on cart routes: every caller is trusted. Demos and the local stack only.
    None,
}

impl Default for Auth {
    fn default() -> Auth {
        Auth {
            mode: AuthMode::Iam,
            shopper_claim: "sub".to_string(),
            v3: V3Auth::Iam,
        }
    }
}

impl Config {
    /// Reads the environment; `Err` names the variable that is missing or bad.
    pub fn from_env() -> Result<Config, String> {
        Config::from_vars(|name| std::env::var(name).ok())
    }

    /// Reads the variables `var` gives (the environment, or a test's map).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let table = var("TABLE_NAME").ok_or("TABLE_NAME is not set")?;
        let config_cache = match var("CONFIG_CACHE_SECONDS") {
            None => DEFAULT_CONFIG_CACHE,
            Some(text) => Duration::from_secs(text.parse().map_err(|_| {
                format!("CONFIG_CACHE_SECONDS must be a whole number of seconds, not {text:?}")
            })?),
        };
        let mode = match var("CART_AUTH").as_deref() {
            None | Some("IAM") => AuthMode::Iam,
            Some("JWT") => AuthMode::Jwt,
            Some("NONE") => AuthMode::None,
            Some(other) => {
                return Err(format!("CART_AUTH must be IAM, JWT or NONE, not {other:?}"));
            }
        };
        let v3 = match var("V3_AUTH").as_deref() {
            None | Some("IAM") => V3Auth::Iam,
            Some("TOKEN") => V3Auth::Token,
            Some(other) => return Err(format!("V3_AUTH must be IAM or TOKEN, not {other:?}")),
        };
        let shopper_claim = var("SHOPPER_CLAIM").unwrap_or_else(|| "sub".to_string());
        if shopper_claim.is_empty() {
            return Err("SHOPPER_CLAIM must name a claim".into());
        }
        let signing_keys = var("SIGNING_KEYS")
            .map(|json| parse_signing_keys(&json).map_err(|e| format!("SIGNING_KEYS: {e}")))
            .transpose()?;
        let signing_keys_secret = var("SIGNING_KEYS_SECRET_ARN");
        let checkout_key = var("CHECKOUT_KEY")
            .map(|key| checkout_key(&key).map_err(|e| format!("CHECKOUT_KEY: {e}")))
            .transpose()?;
        let checkout_key_secret = var("CHECKOUT_KEY_SECRET_ARN");
        let storefront_url = var("STOREFRONT_URL").map(|url| url.trim_end_matches('/').to_string());
        if storefront_url.is_some() && signing_keys.is_none() && signing_keys_secret.is_none() {
            return Err(
                "STOREFRONT_URL is set, but neither SIGNING_KEYS_SECRET_ARN nor SIGNING_KEYS"
                    .into(),
            );
        }
        Ok(Config {
            table,
            config_cache,
            auth: Auth {
                mode,
                shopper_claim,
                v3,
            },
            storefront_url,
            signing_keys,
            signing_keys_secret,
            checkout_key,
            checkout_key_secret,
        })
    }

    /// `from_env`, then the secrets it names, from Secrets Manager.
    pub async fn load(aws: &aws_config::SdkConfig) -> Result<Config, String> {
        Config::load_from(|name| std::env::var(name).ok(), aws).await
    }

    /// `from_vars`, then the secrets they name, from Secrets Manager.
    pub async fn load_from(
        var: impl Fn(&str) -> Option<String>,
        aws: &aws_config::SdkConfig,
    ) -> Result<Config, String> {
        let mut config = Config::from_vars(var)?;
        if let Some(arn) = config.signing_keys_secret.take() {
            let text = read_secret(aws, "SIGNING_KEYS_SECRET_ARN", &arn).await?;
            config.signing_keys = Some(
                parse_signing_keys(&text).map_err(|e| format!("SIGNING_KEYS_SECRET_ARN: {e}"))?,
            );
        }
        if let Some(arn) = config.checkout_key_secret.take() {
            let text = read_secret(aws, "CHECKOUT_KEY_SECRET_ARN", &arn).await?;
            config.checkout_key =
                Some(checkout_key(&text).map_err(|e| format!("CHECKOUT_KEY_SECRET_ARN: {e}"))?);
        }
        Ok(config)
    }
}

/// The token `/v3` clients send as `X-Auth-Token`, for the token authorizer: from the secret
/// `V3_AUTH_TOKEN_SECRET_ARN` names, or, on the local stack only, `V3_AUTH_TOKEN`. At least
/// `MIN_KEY` characters: a short token could be guessed.
pub async fn load_v3_token(
    var: impl Fn(&str) -> Option<String>,
    aws: &aws_config::SdkConfig,
) -> Result<String, String> {
    let (variable, token) = match (var("V3_AUTH_TOKEN_SECRET_ARN"), var("V3_AUTH_TOKEN")) {
        (Some(arn), _) => (
            "V3_AUTH_TOKEN_SECRET_ARN",
            read_secret(aws, "V3_AUTH_TOKEN_SECRET_ARN", &arn).await?,
        ),
        (None, Some(token)) => ("V3_AUTH_TOKEN", token),
        (None, None) => {
            return Err("neither V3_AUTH_TOKEN_SECRET_ARN nor V3_AUTH_TOKEN is set".into());
        }
    };
    if token.chars().count() < MIN_KEY {
        return Err(format!(
            "{variable}: the token is shorter than {MIN_KEY} characters"
        ));
    }
    Ok(token)
}

/// A secret's text; `Err` names the variable that named it.
async fn read_secret(
    aws: &aws_config::SdkConfig,
    variable: &str,
    arn: &str,
) -> Result<String, String> {
    aws_sdk_secretsmanager::Client::new(aws)
        .get_secret_value()
        .secret_id(arn)
        .send()
        .await
        .map_err(|e| {
            format!(
                "{variable}: cannot read the secret: {}",
                aws_sdk_secretsmanager::error::DisplayErrorContext(e)
            )
        })?
        .secret_string
        .ok_or_else(|| format!("{variable}: the secret has no text value"))
}

/// Shortest key accepted, signing or checkout.
const MIN_KEY: usize = 16;

fn checkout_key(text: &str) -> Result<CheckoutKey, String> {
    if text.len() < MIN_KEY {
        return Err(format!("the key is shorter than {MIN_KEY} characters"));
    }
    Ok(CheckoutKey::new(text.as_bytes()))
}

/// The signing keys' JSON, as template.yaml generates it and a rotation extends it:
/// `{"kid": "1", "key": "...", "previous": [{"kid": "0", "key": "..."}]}`. `kid`/`key` sign
/// new tokens; `previous` keys still check the tokens they signed. Drop a previous key once
/// nothing it signed can still be used: redirect links live 30 days, recovery tokens as long
/// as their cart (the `cart_expiry_days` setting, at most 365 days, after its last change).
pub fn parse_signing_keys(json: &str) -> Result<KeyRing, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Key {
        kid: String,
        key: String,
        #[serde(default)]
        previous: Vec<OldKey>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct OldKey {
        kid: String,
        key: String,
    }
    let keys: Key = serde_json::from_str(json).map_err(|e| {
        // serde_json quotes what it could not read, which here may be a key: say where only.
        format!(
            "not the signing keys' JSON (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    let key = |kid: &str, key: &str| {
        if key.len() < MIN_KEY {
            return Err(format!("key {kid} is shorter than {MIN_KEY} characters"));
        }
        SigningKey::new(kid, key.as_bytes())
    };
    let previous = keys
        .previous
        .iter()
        .map(|old| key(&old.kid, &old.key))
        .collect::<Result<_, _>>()?;
    KeyRing::new(key(&keys.kid, &keys.key)?, previous)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_vars(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_fail_closed() {
        let config = config(&[("TABLE_NAME", "t")]).unwrap();
        assert_eq!(config.auth, Auth::default());
        assert_eq!(config.auth.mode, AuthMode::Iam);
        assert_eq!(config.config_cache, DEFAULT_CONFIG_CACHE);
        assert!(config.storefront_url.is_none() && config.signing_keys.is_none());
    }

    #[test]
    fn a_bad_value_fails_the_start_and_names_the_variable() {
        for (vars, named) in [
            (vec![], "TABLE_NAME"),
            (
                vec![("CONFIG_CACHE_SECONDS", "soon")],
                "CONFIG_CACHE_SECONDS",
            ),
            (vec![("CART_AUTH", "iam ")], "CART_AUTH"),
            (vec![("V3_AUTH", "token")], "V3_AUTH"),
            (vec![("SHOPPER_CLAIM", "")], "SHOPPER_CLAIM"),
            (
                vec![("STOREFRONT_URL", "https://shop.example.com")],
                "SIGNING_KEYS",
            ),
            (
                vec![("SIGNING_KEYS", "{\"kid\": \"1\", \"key\": \"short\"}")],
                "SIGNING_KEYS",
            ),
            (vec![("SIGNING_KEYS", "not json")], "SIGNING_KEYS"),
            (vec![("CHECKOUT_KEY", "short")], "CHECKOUT_KEY"),
        ] {
            let mut vars = vars.clone();
            if named != "TABLE_NAME" {
                vars.push(("TABLE_NAME", "t"));
            }
            let err = config(&vars).unwrap_err();
            assert!(err.contains(named), "{err}");
        }
    }

    /// AWS settings under which no service can be reached.
    fn unreachable_aws() -> aws_config::SdkConfig {
        aws_config::SdkConfig::builder()
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url("http://127.0.0.1:9")
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build()
    }

    /// Signing keys named by a secret are read at start, and a secret that cannot be read
    /// fails the start naming the variable (here Secrets Manager is not reachable at all).
    #[tokio::test]
    async fn a_secret_that_cannot_be_read_fails_the_start() {
        let aws = unreachable_aws();
        for variable in ["SIGNING_KEYS_SECRET_ARN", "CHECKOUT_KEY_SECRET_ARN"] {
            let vars: HashMap<&str, &str> = [("TABLE_NAME", "t"), (variable, "arn:secret")].into();
            let err = Config::load_from(|name| vars.get(name).map(|v| v.to_string()), &aws)
                .await
                .unwrap_err();
            assert!(err.starts_with(variable), "{err}");
        }
        // Without a secret named, nothing is read.
        let vars: HashMap<&str, &str> = [("TABLE_NAME", "t")].into();
        let config = Config::load_from(|name| vars.get(name).map(|v| v.to_string()), &aws).await;
        assert!(config.unwrap().signing_keys.is_none());
    }

    /// The token authorizer's token: from the secret when one is named (a secret that
    /// cannot be read fails the start), else the local variable; never short, never absent.
    #[tokio::test]
    async fn the_v3_token_is_read_at_start_and_must_be_long() {
        let aws = unreachable_aws();
        let load = |vars: Vec<(&'static str, &'static str)>| {
            let vars: HashMap<&str, &str> = vars.into_iter().collect();
            let aws = aws.clone();
            async move { load_v3_token(|name| vars.get(name).map(|v| v.to_string()), &aws).await }
        };
        let token = "a-token-long-enough-to-use";
        assert_eq!(load(vec![("V3_AUTH_TOKEN", token)]).await.unwrap(), token);
        for (vars, named) in [
            (vec![], "V3_AUTH_TOKEN"),
            (vec![("V3_AUTH_TOKEN", "short")], "V3_AUTH_TOKEN"),
            (
                vec![
                    ("V3_AUTH_TOKEN_SECRET_ARN", "arn:secret"),
                    ("V3_AUTH_TOKEN", token),
                ],
                "V3_AUTH_TOKEN_SECRET_ARN",
            ),
        ] {
            let err = load(vars).await.unwrap_err();
            assert!(err.contains(named), "{err}");
            assert!(!err.contains(token), "a token is never echoed: {err}");
        }
    }

    #[test]
    fn signing_keys_name_the_current_key_and_keep_the_previous_ones() {
        let keys = parse_signing_keys(
            r#"{"kid": "2", "key": "a-new-key-of-some-length",
                "previous": [{"kid": "1", "key": "an-old-key-of-some-length"}]}"#,
        )
        .unwrap();
        assert_eq!(keys.current_id(), "2");
        let duplicate = r#"{"kid": "1", "key": "0123456789abcdef", "previous": [{"kid": "1", "key": "0123456789abcdef"}]}"#;
        assert!(parse_signing_keys(duplicate).is_err());
        let err = parse_signing_keys(r#"{"kid": "1", "key": "secret-but-short"#).unwrap_err();
        assert!(!err.contains("secret"), "a key is never echoed: {err}");
    }
}
