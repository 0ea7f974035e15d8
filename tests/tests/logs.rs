//! Logs: one structured JSON line per request with what an operator needs, and never a
//! contact e-mail, a token or a secret.

use serde_json::{Value, json};
use std::time::{Duration, Instant};
use trolley_tests::api::Api;
use trolley_tests::fixtures::LOCAL_SIGNING_KEYS;
use trolley_tests::required_env;

fn log() -> String {
    std::fs::read_to_string(required_env("TROLLEY_LOG_FILE")).expect("the API's log")
}

/// The JSON line logged for `request_id`, once the function's output has reached the log.
fn request_line(request_id: &str) -> Value {
    let started = Instant::now();
    loop {
        let found = log()
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find(|line| {
                line["fields"]["message"] == "request" && line["fields"]["request_id"] == request_id
            });
        match found {
            Some(line) => return line["fields"].clone(),
            None if started.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(100))
            }
            None => panic!("no log line for request {request_id}"),
        }
    }
}

#[tokio::test]
async fn every_request_logs_one_structured_line() {
    let api = Api::new();
    let created = api
        .post("/carts", json!({"name": "logged"}))
        .await
        .expect(201);
    let cart_id = created.data()["id"].as_str().unwrap().to_string();
    let request_id = created
        .header("x-request-id")
        .expect("a request id on every response")
        .to_string();
    let line = request_line(&request_id);
    assert_eq!(line["function"], "create-cart");
    assert_eq!(line["route"], "POST /carts");
    assert_eq!(line["status"], 201);
    assert!(line["latency_ms"].as_f64().unwrap() > 0.0);
    // Settings, promotions (read afresh locally) and the write.
    assert_eq!(line["dynamodb_calls"], 3);

    let read = api.get(&format!("/carts/{cart_id}")).await.expect(200);
    let line = request_line(read.header("x-request-id").unwrap());
    assert_eq!(
        (line["route"].as_str(), line["cart_id"].as_str()),
        (Some("GET /carts/{cart_id}"), Some(cart_id.as_str()))
    );
    assert_eq!(line["dynamodb_calls"], 2, "the cart and the promotions");

    let refused = api
        .get(&format!("/carts/{}", uuid::Uuid::new_v4()))
        .await
        .expect(404);
    let line = request_line(refused.header("x-request-id").unwrap());
    assert_eq!(
        (line["status"].as_u64(), refused.body["request_id"].as_str()),
        (Some(404), refused.header("x-request-id"))
    );
}

#[tokio::test]
async fn no_email_token_or_secret_is_ever_logged() {
    let api = Api::new();
    let email = format!("private-{}@example.com", uuid::Uuid::new_v4().simple());
    let product = api.new_product().await;
    let cart = api
        .new_cart(json!({"contact": {"email": email}, "line_items": [{"product_id": product, "quantity": 1}]}))
        .await;
    let path = format!("/carts/{}", cart["id"].as_str().unwrap());
    let urls = api
        .post(&format!("{path}/redirect_urls"), json!({}))
        .await
        .expect(201);
    let token = urls.data()["cart_url"]
        .as_str()
        .unwrap()
        .split("token=")
        .nth(1)
        .unwrap()
        .to_string();
    let resolved = api
        .get(&format!("/redirect-tokens/{token}"))
        .await
        .expect(200);
    // Errors that mention the request are logged too: none may echo what was sent.
    let refused = api
        .put(
            &path,
            json!({"contact": {"email": format!("not an email {email}")}}),
        )
        .await
        .expect(400);
    let order = api
        .post(
            &format!("{path}/checkout"),
            json!({"contact": {"email": email}}),
        )
        .await
        .expect(201);

    // Every request above is in the log before it is searched.
    for reply in [&urls, &resolved, &refused, &order] {
        request_line(reply.header("x-request-id").unwrap());
    }
    let log = log();
    for (what, secret) in [
        ("contact e-mail", email.as_str()),
        ("redirect token", token.as_str()),
        ("signing key", "local-development-signing-key"),
        ("signing keys", LOCAL_SIGNING_KEYS),
    ] {
        assert!(!log.contains(secret), "the log holds a {what}");
    }
}
