//! A small HTTP client for the API under test (`TROLLEY_API_URL`, the local router).

use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// Long enough for `cargo lambda watch` to start a function instance on a busy machine;
/// a request that hangs still fails.
pub const LENIENT: std::time::Duration = std::time::Duration::from_secs(60);
/// The functions' timeout in template.yaml: past it Lambda would have stopped them.
pub const FUNCTION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

pub struct Api {
    client: reqwest::Client,
    base: String,
}

/// One response: status, headers and the body as JSON (`Value::Null` when empty).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `data` of a successful reply; an error reply (which has none) fails the test, so
    /// two failed reads can never compare equal.
    #[track_caller]
    pub fn data(&self) -> &Value {
        assert!(
            (200..300).contains(&self.status) && self.body.get("data").is_some(),
            "expected data, got {}: {:#}",
            self.status,
            self.body
        );
        &self.body["data"]
    }

    /// The first error's `code`.
    pub fn code(&self) -> &str {
        self.body["errors"][0]["code"].as_str().unwrap_or_default()
    }

    /// The first error's `source`.
    pub fn source(&self) -> &str {
        self.body["errors"][0]["source"]
            .as_str()
            .unwrap_or_default()
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Reply {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {:#}",
            self.body
        );
        self
    }

    /// Asserts an error reply in the API's shape: status, code and the field it names.
    #[track_caller]
    pub fn expect_error(self, status: u16, code: &str, source: Option<&str>) -> Reply {
        let reply = self.expect(status);
        let error = &reply.body["errors"][0];
        assert_eq!(error["status"], status, "{:#}", reply.body);
        assert_eq!(error["code"], code, "{:#}", reply.body);
        assert!(
            error["title"].is_string() && error["detail"].is_string(),
            "{:#}",
            reply.body
        );
        assert!(reply.body["request_id"].is_string(), "{:#}", reply.body);
        assert_eq!(error["source"].as_str(), source, "{:#}", reply.body);
        reply
    }
}

impl Default for Api {
    fn default() -> Self {
        Api::new()
    }
}

impl Api {
    pub fn new() -> Api {
        Api::at(&crate::required_env("TROLLEY_API_URL"), LENIENT)
    }

    /// A client for the API at `base` that gives up on a request after `timeout`.
    pub fn at(base: &str, timeout: std::time::Duration) -> Api {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .expect("a client");
        Api {
            client,
            base: base.to_string(),
        }
    }

    /// Sends a JSON POST, returning a transport error (a timeout, say) instead of panicking.
    pub async fn try_post(&self, path: &str, body: Value) -> Result<Reply, reqwest::Error> {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await?;
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    /// Sends a request; `body` is sent as JSON when given.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Reply {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        self.finish(request).await
    }

    /// Sends a raw body with the given content type.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: impl Into<String>,
    ) -> Reply {
        let request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body.into());
        self.finish(request).await
    }

    async fn finish(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request
            .send()
            .await
            .expect("the local API answers (is `make test` serving it?)");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("a readable body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("body is not JSON: {text}"))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, &[], None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, &[], Some(&body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PUT, path, &[], Some(&body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, &[], None).await
    }

    /// A new catalog product with a unique id, priced 1999 USD (variant `red`: 2099).
    pub async fn new_product(&self) -> String {
        let id = format!("p-{}", uuid::Uuid::new_v4().simple());
        self.put(
            &format!("/products/{id}"),
            json!({"name": "Widget", "sku": "W-1", "prices": [{"currency": "USD", "amount": 1999}],
                   "variants": [{"id": "red", "sku": "W-1-RED", "prices": [{"currency": "USD", "amount": 2099}]}]}),
        )
        .await
        .expect(201);
        id
    }

    /// A new product with a unique id, `stock` units tracked, priced 1000 USD.
    pub async fn new_stocked_product(&self, stock: u32) -> String {
        let id = format!("s-{}", uuid::Uuid::new_v4().simple());
        self.put(
            &format!("/products/{id}"),
            json!({"name": "Limited", "sku": "LTD", "prices": [{"currency": "USD", "amount": 1000}], "stock": stock}),
        )
        .await
        .expect(201);
        id
    }

    /// Creates (or replaces) promotion `id` from `body`, starting at the beginning of 2026
    /// unless the body says otherwise.
    pub async fn put_promotion(&self, id: &str, body: Value) -> Reply {
        let mut full = json!({"name": "Test promotion", "starts_at": "2026-01-01T00:00:00Z"});
        full.as_object_mut()
            .unwrap()
            .extend(body.as_object().expect("an object").clone());
        self.put(&format!("/promotions/{id}"), full).await
    }

    /// Creates a cart and returns it (`data`).
    pub async fn new_cart(&self, body: Value) -> Value {
        self.post("/carts", body).await.expect(201).data().clone()
    }
}

/// Asserts BigCommerce's error body with `status`, and that `errors` names `field`.
#[track_caller]
pub fn expect_bc_error(reply: Reply, status: u16, field: &str) -> Value {
    assert_eq!(reply.status, status, "{:#}", reply.body);
    let body = reply.body;
    assert_eq!(body["status"], status, "{body:#}");
    for key in ["title", "type", "detail"] {
        assert!(
            body[key].as_str().is_some_and(|s| !s.is_empty()),
            "{key}: {body:#}"
        );
    }
    assert!(
        body["errors"].get(field).is_some(),
        "errors names {field}: {body:#}"
    );
    assert!(
        body.get("request_id").is_none(),
        "not the native shape: {body:#}"
    );
    body
}
