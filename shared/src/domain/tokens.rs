//! Signed tokens for redirect URLs: a cart id, what the link is for, and when it expires,
//! with an HMAC-SHA256 over all three. Anyone can read a token; no one without the secret
//! can make or change one. Verification compares tags in constant time.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use sha2::Sha256;
use uuid::Uuid;

/// How long a redirect link works.
pub const TOKEN_LIFETIME: Duration = Duration::days(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Cart,
    Checkout,
    EmbeddedCheckout,
}

impl Purpose {
    fn byte(self) -> u8 {
        match self {
            Purpose::Cart => 1,
            Purpose::Checkout => 2,
            Purpose::EmbeddedCheckout => 3,
        }
    }

    fn from_byte(byte: u8) -> Option<Purpose> {
        [Purpose::Cart, Purpose::Checkout, Purpose::EmbeddedCheckout]
            .into_iter()
            .find(|p| p.byte() == byte)
    }
}

/// What a valid token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    pub cart_id: Uuid,
    pub purpose: Purpose,
    pub expires_at: DateTime<Utc>,
}

const PAYLOAD: usize = 16 + 1 + 8;
const TAG: usize = 32;

fn mac(secret: &[u8], payload: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(payload);
    mac
}

/// A token for `claims`: base64url of cart id (16 bytes), purpose (1), expiry in epoch
/// seconds (8, big-endian), then the 32-byte tag.
pub fn sign(secret: &[u8], claims: &Claims) -> String {
    let mut bytes = Vec::with_capacity(PAYLOAD + TAG);
    bytes.extend_from_slice(claims.cart_id.as_bytes());
    bytes.push(claims.purpose.byte());
    bytes.extend_from_slice(&claims.expires_at.timestamp().to_be_bytes());
    let tag = mac(secret, &bytes).finalize().into_bytes();
    bytes.extend_from_slice(&tag);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The claims of a token this secret signed that has not expired at `now`; `None` for
/// anything else (malformed, tampered, signed with another secret, expired).
pub fn verify(secret: &[u8], token: &str, now: DateTime<Utc>) -> Option<Claims> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    if bytes.len() != PAYLOAD + TAG {
        return None;
    }
    let (payload, tag) = bytes.split_at(PAYLOAD);
    mac(secret, payload).verify_slice(tag).ok()?;
    let cart_id = Uuid::from_slice(&payload[..16]).ok()?;
    let purpose = Purpose::from_byte(payload[16])?;
    let expiry = i64::from_be_bytes(payload[17..].try_into().ok()?);
    let expires_at = DateTime::from_timestamp(expiry, 0)?;
    (expires_at > now).then_some(Claims {
        cart_id,
        purpose,
        expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cart::tests::now;

    fn claims() -> Claims {
        Claims {
            cart_id: Uuid::new_v4(),
            purpose: Purpose::Checkout,
            expires_at: now() + TOKEN_LIFETIME,
        }
    }

    #[test]
    fn a_token_verifies_to_its_claims() {
        let claims = claims();
        let token = sign(b"secret", &claims);
        assert_eq!(verify(b"secret", &token, now()), Some(claims));
        assert!(token.len() < 80, "short enough for a URL: {}", token.len());
    }

    #[test]
    fn any_changed_byte_or_another_secret_fails() {
        let token = sign(b"secret", &claims());
        let bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        for i in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0x01;
            assert_eq!(
                verify(b"secret", &URL_SAFE_NO_PAD.encode(flipped), now()),
                None,
                "byte {i}"
            );
        }
        assert_eq!(verify(b"other", &token, now()), None);
        assert_eq!(verify(b"secret", "", now()), None);
        assert_eq!(verify(b"secret", "not a token!", now()), None);
    }

    #[test]
    fn a_token_for_another_cart_cannot_be_made_from_this_one() {
        let token = sign(b"secret", &claims());
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        bytes[..16].copy_from_slice(Uuid::new_v4().as_bytes());
        assert_eq!(
            verify(b"secret", &URL_SAFE_NO_PAD.encode(bytes), now()),
            None
        );
    }

    #[test]
    fn an_expired_token_fails() {
        let claims = claims();
        let token = sign(b"secret", &claims);
        assert!(verify(b"secret", &token, claims.expires_at - Duration::seconds(1)).is_some());
        assert_eq!(verify(b"secret", &token, claims.expires_at), None);
    }
}
