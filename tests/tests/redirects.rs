//! Redirect URLs and their signed tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use serde_json::{Value, json};
use trolley::config::parse_signing_keys;
use trolley::domain::tokens::{Claims, Purpose};
use trolley_tests::api::Api;
use trolley_tests::fixtures::local_keys;

/// A new cart's id and its redirect URLs.
async fn cart_with_links(api: &Api) -> (String, Value) {
    let cart = api.new_cart(json!({})).await;
    let id = cart["id"].as_str().unwrap().to_owned();
    let urls = api
        .post(&format!("/carts/{id}/redirect_urls"), json!({}))
        .await
        .expect(201);
    (id, urls.data().clone())
}

fn token_of(url: &Value) -> String {
    url.as_str()
        .unwrap()
        .split("token=")
        .nth(1)
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn redirect_urls_point_at_the_storefront_and_resolve_to_their_cart() {
    let api = Api::new();
    let (id, urls) = cart_with_links(&api).await;
    let id = id.as_str();
    for (field, path, purpose) in [
        ("cart_url", "cart", "cart"),
        ("checkout_url", "checkout", "checkout"),
        (
            "embedded_checkout_url",
            "embedded-checkout",
            "embedded_checkout",
        ),
    ] {
        assert!(
            urls[field]
                .as_str()
                .unwrap()
                .starts_with(&format!("http://localhost:3000/{path}?token=")),
            "{urls:#}"
        );
        let resolved = api
            .get(&format!("/redirect-tokens/{}", token_of(&urls[field])))
            .await
            .expect(200);
        assert_eq!(
            (
                resolved.data()["cart_id"].as_str(),
                resolved.data()["purpose"].as_str()
            ),
            (Some(id), Some(purpose))
        );
    }
    api.post(
        &format!("/carts/{}/redirect_urls", uuid::Uuid::new_v4()),
        json!({}),
    )
    .await
    .expect_error(404, "not_found", None);

    let linked = api
        .post("/carts?include=redirect_urls", json!({}))
        .await
        .expect(201);
    let token = token_of(&linked.data()["redirect_urls"]["checkout_url"]);
    let resolved = api
        .get(&format!("/redirect-tokens/{token}"))
        .await
        .expect(200);
    assert_eq!(resolved.data()["cart_id"], linked.data()["id"]);
    api.post("/carts?include=everything", json!({}))
        .await
        .expect_error(400, "validation_failed", Some("include"));
}

#[tokio::test]
async fn tampered_expired_and_spliced_tokens_do_not_resolve() {
    let api = Api::new();
    let (id, urls) = cart_with_links(&api).await;
    let token = token_of(&urls["cart_url"]);
    api.get(&format!("/redirect-tokens/{token}"))
        .await
        .expect(200);

    let bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
    for at in [0, 16, 20, bytes.len() - 1] {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x01;
        api.get(&format!(
            "/redirect-tokens/{}",
            URL_SAFE_NO_PAD.encode(flipped)
        ))
        .await
        .expect_error(404, "not_found", None);
    }

    // Another cart's id with this cart's signature.
    let other = api.new_cart(json!({})).await;
    let other_id = uuid::Uuid::parse_str(other["id"].as_str().unwrap()).unwrap();
    // After the key id's length and the key id ("local") comes the cart id.
    let mut spliced = bytes.clone();
    spliced[6..22].copy_from_slice(other_id.as_bytes());
    api.get(&format!(
        "/redirect-tokens/{}",
        URL_SAFE_NO_PAD.encode(spliced)
    ))
    .await
    .expect_error(404, "not_found", None);

    // Correctly signed, but expired a second ago.
    let cart_id = uuid::Uuid::parse_str(&id).unwrap();
    let expired = local_keys().sign(&Claims {
        cart_id,
        purpose: Purpose::Cart,
        expires_at: trolley::service::now() - Duration::seconds(1),
    });
    api.get(&format!("/redirect-tokens/{expired}"))
        .await
        .expect_error(404, "not_found", None);
    // Signed with another key, under the service key's id or another.
    let live = Claims {
        cart_id,
        purpose: Purpose::Cart,
        expires_at: trolley::service::now() + Duration::days(1),
    };
    for forger in [
        r#"{"kid":"local","key":"not-the-service-key"}"#,
        r#"{"kid":"other","key":"not-the-service-key"}"#,
    ] {
        let forged = parse_signing_keys(forger).unwrap().sign(&live);
        api.get(&format!("/redirect-tokens/{forged}"))
            .await
            .expect_error(404, "not_found", None);
    }
    // A recovery token is not a redirect token, nor garbage, nor a path past any key limit.
    let recovery = local_keys().sign(&Claims {
        purpose: Purpose::Recovery,
        ..live
    });
    for path in [recovery, "garbage".into(), "A".repeat(3000)] {
        api.get(&format!("/redirect-tokens/{path}"))
            .await
            .expect_error(404, "not_found", None);
    }

    // A valid token for a cart that is gone.
    api.delete(&format!("/carts/{id}")).await.expect(204);
    api.get(&format!("/redirect-tokens/{token}"))
        .await
        .expect_error(404, "not_found", None);
}

/// A redirect URL works once, as BigCommerce's do: the second resolution of a token is the
/// same 404 as a token that never was, and of two racing, exactly one wins.
#[tokio::test]
async fn a_redirect_token_resolves_once() {
    let api = Api::new();
    let (_, urls) = cart_with_links(&api).await;
    let path = format!("/redirect-tokens/{}", token_of(&urls["cart_url"]));
    api.get(&path).await.expect(200);
    api.get(&path).await.expect_error(404, "not_found", None);
    // The other links of the same set are tokens of their own.
    let checkout = format!("/redirect-tokens/{}", token_of(&urls["checkout_url"]));
    let (a, b) = tokio::join!(api.get(&checkout), api.get(&checkout));
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 404]);
}
