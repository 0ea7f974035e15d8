//! Elastic Path's checkout and orders under `/v2`, through `cargo lambda watch`: a customer's
//! and a guest's checkout with addresses, the order and its items in Elastic Path's shape
//! (statuses, prices with tax, the addresses copied), bad addresses refused naming the
//! field, and a shopper's own orders listed through the Lambda runtime path.

use serde_json::{Value, json};
use trolley_tests::api::{Api, Reply};

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

fn address() -> Value {
    json!({"first_name": "Ron", "last_name": "Swanson", "company_name": "Ron Swanson Enterprises",
           "line_1": "1 Sunny Street", "line_2": "Unit 2", "city": "Anaheim", "county": "Orange",
           "region": "CA", "postcode": "92802", "country": "US"})
}

/// A cart of one custom item of 1000 (tax excluded) with a 10 % tax item: 1100 in all.
async fn taxed_cart(api: &Api, customer: Option<&str>) -> String {
    let cart = api.new_cart(json!({"customer_id": customer})).await;
    let id = cart["id"].as_str().unwrap().to_owned();
    let item = json!({"data": {"type": "custom_item", "name": "Lamp", "sku": "lamp", "quantity": 2,
                               "price": {"amount": 500, "includes_tax": false}}});
    let added = api
        .post(&format!("/v2/carts/{id}/items"), item)
        .await
        .expect(200);
    let item_id = added.body["data"][0]["id"].as_str().unwrap();
    let tax = json!({"data": {"type": "tax_item", "name": "Tax", "code": "T", "jurisdiction": "US-CA", "rate": 0.1}});
    api.post(&format!("/v2/carts/{id}/items/{item_id}/taxes"), tax)
        .await
        .expect(200);
    id
}

fn amount(value: &Value) -> i64 {
    value["amount"].as_i64().unwrap()
}

#[track_caller]
fn refused(reply: Reply, source: &str) {
    assert_eq!(reply.status, 400, "{:#}", reply.body);
    assert_eq!(reply.body["errors"][0]["status"], 400, "{:#}", reply.body);
    assert_eq!(
        reply.body["errors"][0]["source"], source,
        "{:#}",
        reply.body
    );
}

/// A customer's checkout: `200` with the order in Elastic Path's shape, its addresses as
/// given, its prices with tax; the cart stays; the order and its items read back.
#[tokio::test]
async fn a_customers_checkout_makes_an_order_with_addresses_and_tax() {
    let api = Api::new();
    let customer = unique("ep-buyer");
    let cart = taxed_cart(&api, Some(&customer)).await;
    let mut shipping = address();
    shipping["phone_number"] = json!("(555) 555-1234");
    shipping["instructions"] = json!("Leave in porch");
    let body = json!({"data": {"customer": {"id": &customer}, "billing_address": address(),
                               "shipping_address": shipping}});
    let placed = api
        .post(&format!("/v2/carts/{cart}/checkout"), body)
        .await
        .expect(200);
    let order = &placed.body["data"];
    assert_eq!(order["type"], "order");
    assert_eq!(
        (
            order["status"].as_str(),
            order["payment"].as_str(),
            order["shipping"].as_str()
        ),
        (Some("incomplete"), Some("unpaid"), Some("unfulfilled"))
    );
    assert_eq!(order["customer"]["id"], customer.as_str());
    assert_eq!(order["billing_address"], address());
    assert_eq!(order["shipping_address"]["instructions"], "Leave in porch");
    let prices = &order["meta"]["display_price"];
    assert_eq!(
        (
            amount(&prices["with_tax"]),
            amount(&prices["without_tax"]),
            amount(&prices["tax"])
        ),
        (1100, 1000, 100)
    );
    assert_eq!(
        (amount(&prices["paid"]), amount(&prices["balance_owing"])),
        (0, 1100)
    );
    assert_eq!(
        order["relationships"]["cart"]["data"][0]["id"],
        cart.as_str()
    );

    let id = order["id"].as_str().unwrap();
    let read = api.get(&format!("/v2/orders/{id}")).await.expect(200);
    assert_eq!(&read.body["data"], order);
    let items = api.get(&format!("/v2/orders/{id}/items")).await.expect(200);
    let item = &items.body["data"][0];
    assert_eq!(item["type"], "order_item");
    assert_eq!(
        (item["name"].as_str(), item["quantity"].as_u64()),
        (Some("Lamp"), Some(2))
    );
    assert_eq!(item["unit_price"]["includes_tax"], false);
    let display = &item["meta"]["display_price"];
    assert_eq!(
        (
            amount(&display["with_tax"]["value"]),
            amount(&display["tax"]["unit"])
        ),
        (1100, 50)
    );
    assert_eq!(
        item["relationships"]["cart_item"]["data"]["type"],
        "custom_item"
    );

    // The cart persists after checkout, and the native order shows the addresses too.
    api.get(&format!("/v2/carts/{cart}")).await.expect(200);
    let native = api.get(&format!("/orders/{id}")).await.expect(200);
    assert_eq!(native.data()["billing_address"]["postcode"], "92802");
    assert_eq!(native.data()["status"], "incomplete");
}

/// A guest names an e-mail and a name; a postcode written as a number (as Elastic Path's
/// own examples write it) is taken as its digits.
#[tokio::test]
async fn a_guest_checks_out_with_an_email_and_a_name() {
    let api = Api::new();
    let cart = taxed_cart(&api, None).await;
    let mut billing = address();
    billing["postcode"] = json!(92802);
    let body = json!({"data": {"customer": {"email": "ron@example.com", "name": "Ron Swanson"},
                               "billing_address": billing}});
    let placed = api
        .post(&format!("/v2/carts/{cart}/checkout"), body)
        .await
        .expect(200);
    let order = &placed.body["data"];
    assert_eq!(
        order["contact"],
        json!({"email": "ron@example.com", "name": "Ron Swanson"})
    );
    assert!(order.get("customer").is_none());
    assert_eq!(order["billing_address"]["postcode"], "92802");
    assert!(order.get("shipping_address").is_none());
}

/// Bad checkout bodies are `400` naming the field, and make no order (the cart checks out
/// afterwards as if they had not been sent).
#[tokio::test]
async fn bad_addresses_and_buyers_are_refused_naming_the_field() {
    let api = Api::new();
    let customer = unique("ep-bad");
    let cart = taxed_cart(&api, Some(&customer)).await;
    let path = format!("/v2/carts/{cart}/checkout");
    let with = |field: &str, value: Value| {
        let mut billing = address();
        match value {
            Value::Null => billing.as_object_mut().unwrap().remove(field),
            value => billing.as_object_mut().unwrap().insert(field.into(), value),
        };
        json!({"data": {"customer": {"id": &customer}, "billing_address": billing}})
    };
    refused(
        api.post(&path, with("country", json!("USA"))).await,
        "data.billing_address.country",
    );
    refused(
        api.post(&path, with("first_name", json!(""))).await,
        "data.billing_address.first_name",
    );
    refused(
        api.post(&path, with("line_1", json!("a\u{0}b"))).await,
        "data.billing_address.line_1",
    );
    refused(
        api.post(&path, with("postcode", json!(-1))).await,
        "data.billing_address.postcode",
    );
    refused(
        api.post(&path, with("planet", json!("Mars"))).await,
        "data.billing_address.planet",
    );
    let missing = api.post(&path, with("region", Value::Null)).await;
    assert_eq!(missing.status, 400, "{:#}", missing.body);
    assert!(
        missing.body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("region")
    );
    let account = json!({"data": {"account": {"id": "a", "member_id": "m"}}});
    refused(api.post(&path, account).await, "data.account");
    let both = json!({"data": {"customer": {"id": &customer, "email": "x@example.com"}}});
    refused(api.post(&path, both).await, "data.customer");
    let guest = json!({"data": {"customer": {"name": "No Email"}}});
    refused(api.post(&path, guest).await, "data.customer.email");
    // The cart's own customer, named in the body's terms when another is given.
    let other = json!({"data": {"customer": {"id": "someone-else"}}});
    let mismatch = api.post(&path, other).await;
    assert_eq!(mismatch.status, 422, "{:#}", mismatch.body);
    assert_eq!(mismatch.body["errors"][0]["source"], "data.customer.id");

    let native = api.get(&format!("/carts/{cart}")).await.expect(200);
    assert!(
        native.data()["last_order_id"].is_null(),
        "no order was made"
    );
    api.post(&path, json!({"data": {"customer": {"id": &customer}}}))
        .await
        .expect(200);
}

/// `GET /v2/orders` lists the signed-in shopper's orders, newest first, a page at a time;
/// the backend is no shopper (`422`).
#[tokio::test]
async fn a_shopper_lists_their_own_orders() {
    let api = Api::new();
    let customer = unique("ep-orders");
    let mut placed = Vec::new();
    for _ in 0..3 {
        let cart = taxed_cart(&api, Some(&customer)).await;
        let order = api
            .post(&format!("/v2/carts/{cart}/checkout"), json!({}))
            .await
            .expect(200);
        placed.push(order.body["data"]["id"].as_str().unwrap().to_owned());
    }
    let other = taxed_cart(&api, Some(&unique("someone-else"))).await;
    api.post(&format!("/v2/carts/{other}/checkout"), json!({}))
        .await
        .expect(200);
    let list =
        |query: &str| trolley_tests::list_as_shopper("list-orders", "/v2/orders", &customer, query);
    let all = list("");
    let ids: Vec<&str> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [&placed[2], &placed[1], &placed[0]],
        "newest first, theirs only"
    );
    assert_eq!(all["meta"]["results"]["total"], 3);
    let page = list("page[offset]=1&page[limit]=1");
    assert_eq!(page["data"][0]["id"], placed[1].as_str());
    assert_eq!(
        page["links"]["next"],
        "/v2/orders?page[offset]=2&page[limit]=1"
    );

    let backend = api.get("/v2/orders").await;
    assert_eq!(backend.status, 422, "{:#}", backend.body);
    assert_eq!(backend.body["errors"][0]["title"], "Shopper required");
}
