//! Signed tokens: a cart id, what the token is for, and when it expires, with an
//! HMAC-SHA256 over all of it and the id of the key that signed it. Anyone can read a token;
//! no one without the key can make or change one. Verification compares tags in constant
//! time. Tokens name their key, so after a rotation the previous keys still verify the
//! tokens they signed until those expire, while new tokens use the current key.

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
    /// An abandoned cart's recovery link: it has no expiry of its own and works exactly as
    /// long as its cart lives.
    Recovery,
}

impl Purpose {
    fn byte(self) -> u8 {
        match self {
            Purpose::Cart => 1,
            Purpose::Checkout => 2,
            Purpose::EmbeddedCheckout => 3,
            Purpose::Recovery => 4,
        }
    }

    fn from_byte(byte: u8) -> Option<Purpose> {
        [
            Purpose::Cart,
            Purpose::Checkout,
            Purpose::EmbeddedCheckout,
            Purpose::Recovery,
        ]
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

/// The expiry written into tokens that have none of their own (recovery tokens): the end
/// of 9999, a fixed value so that a cart's recovery token is the same whenever it is made.
pub fn never() -> DateTime<Utc> {
    DateTime::from_timestamp(253_402_300_799, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// One signing key and the id tokens name it by.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey {
    id: String,
    secret: Vec<u8>,
}

/// Longest key id: it travels in every token.
pub const MAX_KEY_ID: usize = 16;

impl SigningKey {
    /// A key id is 1-16 characters `A-Z a-z 0-9 _ -`.
    pub fn new(id: &str, secret: &[u8]) -> Result<SigningKey, String> {
        let valid = (1..=MAX_KEY_ID).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !valid {
            return Err(format!(
                "a key id is 1-{MAX_KEY_ID} characters A-Z a-z 0-9 _ -, not {id:?}"
            ));
        }
        Ok(SigningKey {
            id: id.to_string(),
            secret: secret.to_vec(),
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

// Never print a secret.
impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({})", self.id)
    }
}

/// The key that signs new tokens, and the earlier ones that still verify old tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRing {
    current: SigningKey,
    previous: Vec<SigningKey>,
}

const CART_ID: usize = 16;
const CLAIMS: usize = CART_ID + 1 + 8;
const TAG: usize = 32;

fn mac(secret: &[u8], payload: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(payload);
    mac
}

impl KeyRing {
    /// Key ids must differ, so that a token names exactly one key.
    pub fn new(current: SigningKey, previous: Vec<SigningKey>) -> Result<KeyRing, String> {
        let mut ids: Vec<&str> = previous.iter().map(SigningKey::id).collect();
        ids.push(current.id());
        ids.sort_unstable();
        if ids.windows(2).any(|pair| pair[0] == pair[1]) {
            return Err("signing key ids must be unique".into());
        }
        Ok(KeyRing { current, previous })
    }

    /// A ring of one key.
    pub fn single(key: SigningKey) -> KeyRing {
        KeyRing {
            current: key,
            previous: Vec::new(),
        }
    }

    pub fn current_id(&self) -> &str {
        self.current.id()
    }

    /// A token for `claims`, signed with the current key: base64url of the key id's length
    /// (1 byte) and the key id, the cart id (16), the purpose (1), the expiry in epoch
    /// seconds (8, big-endian), then the 32-byte tag over everything before it.
    pub fn sign(&self, claims: &Claims) -> String {
        let key = &self.current;
        let mut bytes = Vec::with_capacity(1 + key.id.len() + CLAIMS + TAG);
        bytes.push(key.id.len() as u8);
        bytes.extend_from_slice(key.id.as_bytes());
        bytes.extend_from_slice(claims.cart_id.as_bytes());
        bytes.push(claims.purpose.byte());
        bytes.extend_from_slice(&claims.expires_at.timestamp().to_be_bytes());
        let tag = mac(&key.secret, &bytes).finalize().into_bytes();
        bytes.extend_from_slice(&tag);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The claims of a token a key of this ring signed that has not expired at `now`; `None`
    /// for anything else (malformed, tampered, an unknown key, expired).
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Option<Claims> {
        // Anything longer than the longest token is not one (and is not decoded).
        if token.len() > (1 + MAX_KEY_ID + CLAIMS + TAG).div_ceil(3) * 4 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        let id_length = usize::from(*bytes.first()?);
        if bytes.len() != 1 + id_length + CLAIMS + TAG {
            return None;
        }
        let (signed, tag) = bytes.split_at(1 + id_length + CLAIMS);
        let id = std::str::from_utf8(&signed[1..1 + id_length]).ok()?;
        let key = std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|key| key.id == id)?;
        mac(&key.secret, signed).verify_slice(tag).ok()?;
        let claims = &signed[1 + id_length..];
        let cart_id = Uuid::from_slice(&claims[..CART_ID]).ok()?;
        let purpose = Purpose::from_byte(claims[CART_ID])?;
        let expiry = i64::from_be_bytes(claims[CART_ID + 1..].try_into().ok()?);
        let expires_at = DateTime::from_timestamp(expiry, 0)?;
        (expires_at > now).then_some(Claims {
            cart_id,
            purpose,
            expires_at,
        })
    }
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

    fn ring(id: &str, secret: &[u8]) -> KeyRing {
        KeyRing::single(SigningKey::new(id, secret).unwrap())
    }

    #[test]
    fn a_token_verifies_to_its_claims() {
        let claims = claims();
        let token = ring("k1", b"secret").sign(&claims);
        assert_eq!(ring("k1", b"secret").verify(&token, now()), Some(claims));
        assert!(token.len() < 85, "short enough for a URL: {}", token.len());
    }

    #[test]
    fn any_changed_byte_another_secret_or_another_key_id_fails() {
        let keys = ring("k1", b"secret");
        let token = keys.sign(&claims());
        let bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        for i in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0x01;
            assert_eq!(
                keys.verify(&URL_SAFE_NO_PAD.encode(flipped), now()),
                None,
                "byte {i}"
            );
        }
        assert_eq!(ring("k1", b"other").verify(&token, now()), None);
        assert_eq!(ring("k2", b"secret").verify(&token, now()), None);
        assert_eq!(keys.verify("", now()), None);
        assert_eq!(keys.verify("not a token!", now()), None);
        assert_eq!(keys.verify(&"A".repeat(5000), now()), None);
    }

    #[test]
    fn after_a_rotation_old_tokens_verify_and_new_ones_use_the_new_key() {
        let old = SigningKey::new("2026-11", b"old secret").unwrap();
        let new = SigningKey::new("2026-12", b"new secret").unwrap();
        let claims = claims();
        let before = KeyRing::single(old.clone()).sign(&claims);
        let rotated = KeyRing::new(new.clone(), vec![old.clone()]).unwrap();
        assert_eq!(rotated.verify(&before, now()), Some(claims.clone()));
        let after = rotated.sign(&claims);
        assert_eq!(
            KeyRing::single(new).verify(&after, now()),
            Some(claims.clone())
        );
        assert_eq!(KeyRing::single(old.clone()).verify(&after, now()), None);
        assert!(
            KeyRing::new(old.clone(), vec![old]).is_err(),
            "ids are unique"
        );
    }

    #[test]
    fn key_ids_are_short_and_plain() {
        assert!(SigningKey::new("a", b"s").is_ok());
        assert!(SigningKey::new(&"a".repeat(16), b"s").is_ok());
        for bad in ["", &"a".repeat(17), "a b", "é"] {
            assert!(SigningKey::new(bad, b"s").is_err(), "{bad}");
        }
    }

    #[test]
    fn a_token_for_another_cart_cannot_be_made_from_this_one() {
        let keys = ring("k1", b"secret");
        let token = keys.sign(&claims());
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        bytes[3..19].copy_from_slice(Uuid::new_v4().as_bytes());
        assert_eq!(keys.verify(&URL_SAFE_NO_PAD.encode(bytes), now()), None);
    }

    #[test]
    fn an_expired_token_fails_and_a_recovery_token_does_not_expire() {
        let keys = ring("k1", b"secret");
        let claims = claims();
        let token = keys.sign(&claims);
        assert!(
            keys.verify(&token, claims.expires_at - Duration::seconds(1))
                .is_some()
        );
        assert_eq!(keys.verify(&token, claims.expires_at), None);
        let recovery = Claims {
            purpose: Purpose::Recovery,
            expires_at: never(),
            ..claims
        };
        let token = keys.sign(&recovery);
        let far = now() + Duration::days(365 * 1000);
        assert_eq!(keys.verify(&token, far), Some(recovery));
    }
}
