//! Signed tokens: `verify` never panics on any string, accepts exactly the tokens `sign`
//! made with a key of the same ring and not yet expired, and refuses every other string,
//! including any change to a real token.

use crate::common::{config, now};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use proptest::sample::select;
use trolley::domain::tokens::{Claims, KeyRing, Purpose, SigningKey};
use uuid::Uuid;

fn ring(secret: &[u8]) -> KeyRing {
    KeyRing::single(SigningKey::new("p1", secret).unwrap())
}

fn verify(secret: &[u8], token: &str, now: DateTime<Utc>) -> Option<Claims> {
    ring(secret).verify(token, now)
}

fn sign(secret: &[u8], claims: &Claims) -> String {
    ring(secret).sign(claims)
}

const SECRET: &[u8] = b"property-secret";

fn claims() -> BoxedStrategy<Claims> {
    let expiry = prop_oneof![
        // Around now.
        -100_000i64..100_000,
        // Anywhere chrono can go.
        (DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp())
            .prop_map(|t| t - now().timestamp()),
    ];
    (
        any::<u128>(),
        select(vec![
            Purpose::Cart,
            Purpose::Checkout,
            Purpose::EmbeddedCheckout,
            Purpose::Recovery,
        ]),
        expiry,
    )
        .prop_map(|(id, purpose, seconds)| Claims {
            cart_id: Uuid::from_u128(id),
            purpose,
            expires_at: DateTime::from_timestamp(now().timestamp() + seconds, 0).unwrap(),
        })
        .boxed()
}

/// Strings shaped like tokens: the base64url alphabet, around a token's length (80).
fn token_like() -> BoxedStrategy<String> {
    prop_oneof![
        "[A-Za-z0-9_-]{70,80}",
        "[A-Za-z0-9_-]{0,120}",
        any::<String>(),
        prop::collection::vec(any::<u8>(), 0..80).prop_map(|b| URL_SAFE_NO_PAD.encode(b)),
        prop::collection::vec(any::<u8>(), 60).prop_map(|b| URL_SAFE_NO_PAD.encode(b)),
        prop::collection::vec(any::<u8>(), 57).prop_map(|b| {
            let mut bytes = vec![2, b'p', b'1'];
            bytes.extend(b);
            URL_SAFE_NO_PAD.encode(bytes)
        }),
    ]
    .boxed()
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn arbitrary_strings_are_refused(token in token_like()) {
        prop_assert_eq!(verify(SECRET, &token, now()), None);
    }

    #[test]
    fn a_signed_token_verifies_until_it_expires(claims in claims(), secret in prop::collection::vec(any::<u8>(), 0..80)) {
        let token = sign(&secret, &claims);
        let live = claims.expires_at > now();
        prop_assert_eq!(verify(&secret, &token, now()), live.then(|| claims.clone()));
        prop_assert_eq!(verify(&secret, &token, claims.expires_at), None);
        if claims.expires_at > DateTime::<Utc>::MIN_UTC + Duration::seconds(1) {
            let just_before = claims.expires_at - Duration::seconds(1);
            prop_assert_eq!(verify(&secret, &token, just_before), Some(claims.clone()));
        }
        // Another secret (HMAC pads short keys with zeros, so not one that only adds a 0).
        let mut other = secret.clone();
        other.push(1);
        prop_assert_eq!(verify(&other, &token, DateTime::<Utc>::MIN_UTC), None);
    }

    #[test]
    fn any_change_to_a_token_is_refused(
        claims in claims(),
        at in any::<prop::sample::Index>(),
        replacement in any::<char>(),
        cut in any::<prop::sample::Index>(),
        extra in ".{1,4}",
    ) {
        let claims = Claims { expires_at: now() + Duration::days(30), ..claims };
        let token = sign(SECRET, &claims);
        let chars: Vec<char> = token.chars().collect();
        let i = at.index(chars.len());
        if chars[i] != replacement {
            let mut changed = chars.clone();
            changed[i] = replacement;
            let changed: String = changed.into_iter().collect();
            prop_assert_eq!(verify(SECRET, &changed, now()), None, "{}", changed);
        }
        let truncated = &token[..cut.index(token.len())];
        prop_assert_eq!(verify(SECRET, truncated, now()), None);
        prop_assert_eq!(verify(SECRET, &format!("{token}{extra}"), now()), None);
        prop_assert_eq!(verify(SECRET, &format!("{extra}{token}"), now()), None);
    }
}
