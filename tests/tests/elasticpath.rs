//! Elastic Path's Carts API wire format under `/v2`, through `cargo lambda watch`: the
//! reference's requests, the same carts readable natively, items of every type, partial
//! success, and every error in Elastic Path's shape.

use reqwest::Method;
use serde_json::{Value, json};
use trolley_tests::api::{Api, Reply};

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

/// Asserts Elastic Path's error body with `status`, its first error about `source` (none:
/// `None`).
#[track_caller]
fn expect_ep_error(reply: Reply, status: u16, source: Option<&str>) -> Value {
    assert_eq!(reply.status, status, "{:#}", reply.body);
    let body = reply.body;
    let first = &body["errors"][0];
    assert_eq!(first["status"], status, "{body:#}");
    for key in ["title", "detail"] {
        assert!(
            first[key].as_str().is_some_and(|s| !s.is_empty()),
            "{key}: {body:#}"
        );
    }
    assert_eq!(first["source"].as_str(), source, "{body:#}");
    assert!(body.get("request_id").is_none(), "not the native shape");
    body
}

async fn new_cart(api: &Api, body: Value) -> String {
    let reply = api.post("/v2/carts", body).await.expect(200);
    reply.body["data"]["id"].as_str().unwrap().to_owned()
}

async fn add(api: &Api, cart: &str, body: Value) -> Reply {
    api.post(&format!("/v2/carts/{cart}/items"), body).await
}

fn money(value: &Value) -> (i64, &str, &str) {
    (
        value["amount"].as_i64().unwrap(),
        value["currency"].as_str().unwrap(),
        value["formatted"].as_str().unwrap(),
    )
}

/// The reference's "Create a Custom Cart" and "Add Custom Item" requests, as sent: a cart
/// in Elastic Path's shape (`200`), its items with their prices, and the same cart natively.
#[tokio::test]
async fn the_references_requests_make_a_cart_in_elastic_paths_shape() {
    let api = Api::new();
    let body = json!({"data": {"name": "Bob's cart", "description": "For Holidays",
                                "discount_settings": {"custom_discounts_enabled": true}}});
    let made = api.post("/v2/carts", body).await.expect(200);
    let cart = &made.body["data"];
    let id = cart["id"].as_str().unwrap();
    assert_eq!(cart["type"], "cart");
    assert_eq!(
        (cart["name"].as_str(), cart["description"].as_str()),
        (Some("Bob's cart"), Some("For Holidays"))
    );
    assert_eq!(cart["discount_settings"]["custom_discounts_enabled"], true);
    assert_eq!(cart["links"]["self"], format!("/v2/carts/{id}"));
    assert_eq!(
        money(&cart["meta"]["display_price"]["with_tax"]),
        (0, "USD", "$0.00")
    );
    let stamps = &cart["meta"]["timestamps"];
    assert!(stamps["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(stamps["created_at"], stamps["updated_at"]);
    assert_eq!(
        cart["relationships"],
        json!({}),
        "a guest cart: no customer"
    );

    let item = json!({"data": {"type": "custom_item", "name": "My Custom Item", "sku": "my-custom-item",
                                "description": "My first custom item!", "quantity": 1, "price": {"amount": 10000}}});
    let items = add(&api, id, item).await.expect(200);
    let first = &items.body["data"][0];
    assert_eq!(first["type"], "custom_item");
    assert_eq!(
        first["unit_price"],
        json!({"amount": 10000, "currency": "USD", "includes_tax": true})
    );
    let shown = &first["meta"]["display_price"];
    assert_eq!(
        money(&shown["with_tax"]["value"]),
        (10000, "USD", "$100.00")
    );
    assert_eq!(money(&shown["tax"]["value"]).0, 0);
    assert_eq!(
        money(&items.body["meta"]["display_price"]["without_tax"]).0,
        10000
    );
    let listed = api.get(&format!("/v2/carts/{id}/items")).await.expect(200);
    assert_eq!(listed.body["data"], items.body["data"]);
    let again = api.get(&format!("/v2/carts/{id}")).await.expect(200);
    assert_eq!(
        again.body["data"]["meta"]["display_price"]["with_tax"]["amount"],
        10000
    );

    // The same cart, natively, and back.
    let native = api.get(&format!("/carts/{id}")).await.expect(200);
    assert_eq!(native.data()["custom_items"][0]["sku"], "my-custom-item");
    assert_eq!(native.data()["name"], "Bob's cart");
    let native_made = api.new_cart(json!({"name": "Native"})).await;
    let seen = api
        .get(&format!(
            "/v2/carts/{}",
            native_made["id"].as_str().unwrap()
        ))
        .await
        .expect(200);
    assert_eq!(seen.body["data"]["name"], "Native");
}

/// A product by its catalog id, priced from the catalog; a promotion code as a
/// `promotion_item` takes its discount off (shown negative) until it is removed;
/// quantities change and go.
#[tokio::test]
async fn products_and_codes_are_priced_and_items_change_and_go() {
    let api = Api::new();
    // Elastic Path's product ids are UUIDs; a catalog id that is not one is shown only in
    // `links.product` (the spec types `product_id` as a UUID).
    let plain = unique("ep-plain");
    api.put(
        &format!("/products/{plain}"),
        json!({"name": "Plain", "sku": "PLAIN-1", "prices": [{"currency": "USD", "amount": 100}]}),
    )
    .await
    .expect(201);
    let plain_cart = new_cart(&api, json!({})).await;
    let item = json!({"data": {"type": "cart_item", "id": &plain, "quantity": 1}});
    let added = add(&api, &plain_cart, item).await.expect(200);
    assert!(added.body["data"][0].get("product_id").is_none());
    assert_eq!(
        added.body["data"][0]["links"]["product"],
        format!("/products/{plain}")
    );

    let product = uuid::Uuid::new_v4().to_string();
    api.put(
        &format!("/products/{product}"),
        json!({"name": "Mug", "sku": "MUG-1", "prices": [{"currency": "USD", "amount": 1250}]}),
    )
    .await
    .expect(201);
    let code = unique("EP").to_uppercase();
    api.put_promotion(
        &unique("ep-promo"),
        json!({"kind": "amount_off", "value": 300, "code": &code}),
    )
    .await
    .expect(201);
    let cart = new_cart(&api, json!({})).await;
    let item = json!({"data": {"type": "cart_item", "id": &product, "quantity": 2}});
    let items = add(&api, &cart, item).await.expect(200);
    let line = &items.body["data"][0];
    let item_id = line["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (line["type"].as_str(), line["product_id"].as_str()),
        (Some("cart_item"), Some(product.as_str()))
    );
    assert_eq!(
        (
            line["unit_price"]["amount"].as_i64(),
            line["value"]["amount"].as_i64()
        ),
        (Some(1250), Some(2500))
    );

    let coded = add(
        &api,
        &cart,
        json!({"data": {"type": "promotion_item", "code": &code}}),
    )
    .await
    .expect(200);
    let totals = &coded.body["meta"]["display_price"];
    assert_eq!(money(&totals["without_discount"]).0, 2500);
    assert_eq!(money(&totals["discount"]), (-300, "USD", "-$3.00"));
    assert_eq!(money(&totals["with_tax"]).0, 2200);

    // The code comes off by its own route (any letter case), and with it the discount.
    let code_path = format!("/v2/carts/{cart}/discounts/{}", code.to_lowercase());
    api.delete(&code_path).await.expect(204);
    let uncoded = api
        .get(&format!("/v2/carts/{cart}/items"))
        .await
        .expect(200);
    assert_eq!(
        money(&uncoded.body["meta"]["display_price"]["discount"]).0,
        0
    );

    let path = format!("/v2/carts/{cart}/items/{item_id}");
    let changed = api
        .put(
            &path,
            json!({"data": {"id": &item_id, "type": "cart_item", "quantity": 3}}),
        )
        .await
        .expect(200);
    assert_eq!(changed.body["data"][0]["value"]["amount"], 3750);
    let other = uuid::Uuid::new_v4();
    let wrong = api
        .put(&path, json!({"data": {"id": other, "quantity": 1}}))
        .await;
    expect_ep_error(wrong, 400, Some("data.id"));
    api.delete(&path).await.expect(204);
    let left = api
        .get(&format!("/v2/carts/{cart}/items"))
        .await
        .expect(200);
    assert_eq!(left.body["data"], json!([]));
    expect_ep_error(api.delete(&path).await, 404, None);
}

/// Several items at once: with `add_all_or_nothing` off (Elastic Path's default) what can
/// be added is, and each refusal names its item in the body; on, nothing is added.
#[tokio::test]
async fn several_items_at_once_add_what_they_can() {
    let api = Api::new();
    let cart = new_cart(&api, json!({})).await;
    let items = json!([
        {"type": "custom_item", "name": "Card", "quantity": 1, "price": {"amount": 500}},
        {"type": "cart_item", "id": unique("missing"), "quantity": 1},
    ]);
    let strict = json!({"data": items.clone(), "options": {"add_all_or_nothing": true}});
    expect_ep_error(add(&api, &cart, strict).await, 422, Some("data[1].id"));
    let empty = api
        .get(&format!("/v2/carts/{cart}/items"))
        .await
        .expect(200);
    assert_eq!(empty.body["data"], json!([]), "nothing was added");

    let lenient = add(&api, &cart, json!({"data": items})).await.expect(200);
    assert_eq!(lenient.body["data"].as_array().unwrap().len(), 1);
    let refused = &lenient.body["errors"][0];
    assert_eq!(
        (refused["status"].as_u64(), refused["source"].as_str()),
        (Some(422), Some("data[1].id"))
    );

    // Items and codes are one change: a code that applies to nothing fails as an item
    // does, alone or (all or nothing) with the rest.
    let with_code = json!([
        {"type": "custom_item", "name": "Tag", "quantity": 1, "price": {"amount": 200}},
        {"type": "promotion_item", "code": unique("NO-SUCH-CODE")},
    ]);
    let strict = json!({"data": with_code.clone(), "options": {"add_all_or_nothing": true}});
    expect_ep_error(add(&api, &cart, strict).await, 422, Some("data[1].code"));
    let lenient = add(&api, &cart, json!({"data": with_code}))
        .await
        .expect(200);
    assert_eq!(
        lenient.body["data"].as_array().unwrap().len(),
        2,
        "Card and Tag"
    );
    assert_eq!(lenient.body["errors"][0]["source"], "data[1].code");
    let many: Vec<Value> = (0..101)
        .map(|_| json!({"type": "promotion_item", "code": "X"}))
        .collect();
    expect_ep_error(
        add(&api, &cart, json!({"data": many})).await,
        400,
        Some("data"),
    );

    // Two custom items without a sku stay two lines.
    let two = json!({"data": [
        {"type": "custom_item", "name": "A", "quantity": 1, "price": {"amount": 100}},
        {"type": "custom_item", "name": "B", "quantity": 1, "price": {"amount": 100}},
    ]});
    let both = add(&api, &cart, two).await.expect(200);
    assert_eq!(both.body["data"].as_array().unwrap().len(), 4);
}

/// Emptying a cart keeps it; deleting it removes it; both answer `204`.
#[tokio::test]
async fn emptying_keeps_the_cart_and_deleting_removes_it() {
    let api = Api::new();
    let cart = new_cart(&api, json!({"data": {"name": "Keep me"}})).await;
    let item = json!({"data": {"type": "custom_item", "name": "A", "quantity": 2, "price": {"amount": 100}}});
    add(&api, &cart, item).await.expect(200);
    let items = format!("/v2/carts/{cart}/items");
    api.send(Method::DELETE, &items, &[], None)
        .await
        .expect(204);
    let kept = api.get(&format!("/v2/carts/{cart}")).await.expect(200);
    assert_eq!(kept.body["data"]["name"], "Keep me");
    assert_eq!(
        kept.body["data"]["meta"]["display_price"]["with_tax"]["amount"],
        0
    );
    api.delete(&format!("/v2/carts/{cart}")).await.expect(204);
    expect_ep_error(api.get(&format!("/v2/carts/{cart}")).await, 404, None);
}

/// A change names what changes: `null` clears a field, `custom_attributes` replaces the
/// whole map, a `discount_settings` without the switch keeps it, and a contact e-mail is
/// kept on a guest cart. A preview cart keeps its `snapshot_date`.
#[tokio::test]
async fn a_change_follows_the_native_rules() {
    let api = Api::new();
    let attributes = json!({"affiliate_link": {"type": "string", "value": "https://site.example?tag=04"},
                            "tier": {"type": "integer", "value": 2}});
    let body = json!({"data": {"name": "Mine", "custom_attributes": attributes,
                                "discount_settings": {"custom_discounts_enabled": true}}});
    let cart = new_cart(&api, body).await;
    let path = format!("/v2/carts/{cart}");
    let change = json!({"data": {"name": null, "description": "Gifts",
                                  "custom_attributes": {"tier": {"type": "integer", "value": 3}},
                                  "discount_settings": {}, "contact": {"email": "ann@example.com"}}});
    let changed = api.put(&path, change).await.expect(200);
    let data = &changed.body["data"];
    assert_eq!(data["name"], "Cart", "no name: Elastic Path's default");
    assert_eq!(data["description"], "Gifts");
    assert_eq!(
        data["custom_attributes"],
        json!({"tier": {"type": "integer", "value": 3}})
    );
    assert_eq!(data["discount_settings"]["custom_discounts_enabled"], true);
    assert_eq!(data["contact"]["email"], "ann@example.com");

    let when = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    let preview = api
        .post("/v2/carts", json!({"data": {"snapshot_date": &when}}))
        .await
        .expect(200);
    assert!(preview.body["data"]["snapshot_date"].is_string());
    let past = json!({"data": {"snapshot_date": "2020-01-01T00:00:00Z"}});
    let refused = api.post("/v2/carts", past).await;
    expect_ep_error(refused, 400, Some("data.snapshot_date"));
}

/// Every refusal in Elastic Path's shape, naming the field in the body's terms.
#[tokio::test]
async fn every_error_has_elastic_paths_shape() {
    let api = Api::new();
    let cart = new_cart(&api, json!({})).await;
    let bad_name = json!({"data": {"name": "a\u{7}b"}});
    expect_ep_error(
        api.post("/v2/carts", bad_name).await,
        400,
        Some("data.name"),
    );
    let unknown = json!({"data": {"colour": "red"}});
    expect_ep_error(
        api.post("/v2/carts", unknown).await,
        400,
        Some("data.colour"),
    );
    let unwrapped = json!({"name": "no data"});
    expect_ep_error(api.post("/v2/carts", unwrapped).await, 400, Some("name"));
    let not_a_flag = json!({"data": {"type": "custom_item", "name": "A", "quantity": 1,
                                     "price": {"amount": 100, "includes_tax": "no"}}});
    let refused = add(&api, &cart, not_a_flag).await;
    expect_ep_error(refused, 400, Some("data.price.includes_tax"));
    let zero = json!({"data": {"type": "custom_item", "name": "A", "quantity": 0, "price": {"amount": 100}}});
    expect_ep_error(add(&api, &cart, zero).await, 400, Some("data.quantity"));
    let many = json!({"data": [{"type": "custom_item", "name": "A", "quantity": 1, "price": {"amount": -1}}]});
    expect_ep_error(
        add(&api, &cart, many).await,
        400,
        Some("data[0].price.amount"),
    );
    expect_ep_error(
        add(&api, &cart, json!({"data": []})).await,
        400,
        Some("data"),
    );
    let text = api
        .send_raw(Method::POST, "/v2/carts", "text/plain", "{}")
        .await;
    expect_ep_error(text, 415, Some("Content-Type"));
    let missing = format!("/v2/carts/{}", uuid::Uuid::new_v4());
    expect_ep_error(api.get(&missing).await, 404, None);
}

/// `GET /v2/carts` lists the signed-in shopper's own carts (through the Lambda runtime path
/// with a JWT authorizer's claims), most recently changed first, by offset and limit; the
/// backend, which is no shopper, is told to use the admin route.
#[tokio::test]
async fn a_shopper_lists_their_own_carts() {
    let api = Api::new();
    let customer = unique("ep-shopper");
    let mut made = Vec::new();
    for name in ["first", "second", "third"] {
        let cart = api
            .new_cart(json!({"name": name, "customer_id": &customer}))
            .await;
        made.push(cart["id"].as_str().unwrap().to_owned());
    }
    let other = api
        .new_cart(json!({"customer_id": unique("someone-else")}))
        .await;
    let list = |query: &str| {
        trolley_tests::list_as_shopper("list-customer-carts", "/v2/carts", &customer, query)
    };
    let all = list("");
    let ids: Vec<&str> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [&made[2], &made[1], &made[0]], "newest change first");
    assert!(!ids.contains(&other["id"].as_str().unwrap()));
    assert_eq!(all["meta"]["results"]["total"], 3);
    let page = list("page[offset]=2&page[limit]=2");
    assert_eq!(page["data"][0]["id"], made[0].as_str());
    assert_eq!(
        page["meta"]["page"],
        json!({"current": 2, "limit": 2, "offset": 2, "total": 2})
    );
    assert_eq!(
        page["links"]["prev"],
        "/v2/carts?page[offset]=0&page[limit]=2"
    );
    assert!(page["links"].get("next").is_none());

    let backend = api.get("/v2/carts").await;
    let body = expect_ep_error(backend, 422, None);
    assert_eq!(body["errors"][0]["title"], "Shopper required");
}

/// A shopper's `POST` of the customer relationship through the Lambda runtime path, as
/// `(status, body)`.
fn relate_as_shopper(shopper: &str, cart: &str, method: &str, customer: &str) -> (u64, Value) {
    let route = format!("{method} /v2/carts/{{cart_id}}/relationships/customers");
    let event = trolley_tests::api_gateway_event(
        &route,
        &format!("/v2/carts/{cart}/relationships/customers"),
        json!({"cart_id": cart}),
        json!({}),
        Some(&json!({"data": [{"type": "customer", "id": customer}]})),
        Some(&json!({"sub": shopper})),
    );
    let function = match method {
        "POST" => "set-cart-customer",
        _ => "remove-cart-customer",
    };
    let response = trolley_tests::invoke(function, &event).unwrap();
    let body = response["body"].as_str().unwrap_or("null");
    (
        response["statusCode"].as_u64().unwrap(),
        serde_json::from_str(body).unwrap_or(Value::Null),
    )
}

/// The customer relationship: the backend names a cart's customer and takes it away (a body
/// naming another customer takes no one away); a shopper may claim a guest cart for themselves only, and never give one away; accounts
/// are refused, in Elastic Path's shape.
#[tokio::test]
async fn a_carts_customer_is_named_and_removed_through_the_relationship() {
    let api = Api::new();
    let cart = new_cart(&api, json!({})).await;
    let path = format!("/v2/carts/{cart}/relationships/customers");
    // A UUID, as Elastic Path's customer ids are: the cart shows it as its relationship.
    let customer = uuid::Uuid::new_v4().to_string();
    let related = api
        .post(
            &path,
            json!({"data": [{"type": "customer", "id": &customer}]}),
        )
        .await
        .expect(200);
    assert_eq!(
        related.body,
        json!({"data": [{"type": "customer", "id": &customer}]})
    );
    let shown = api.get(&format!("/v2/carts/{cart}")).await.expect(200);
    assert_eq!(
        shown.body["data"]["relationships"]["customers"]["data"]["id"],
        customer.as_str()
    );
    // A body naming someone else removes no one.
    let other = json!({"data": [{"type": "customer", "id": "someone-else"}]});
    let mismatch = api.send(Method::DELETE, &path, &[], Some(&other)).await;
    let refused = expect_ep_error(mismatch, 422, Some("data[0].id"));
    assert_eq!(refused["errors"][0]["title"], "Customer mismatch");
    let kept = api.get(&format!("/carts/{cart}")).await.expect(200);
    assert_eq!(kept.data()["customer_id"], customer.as_str());
    let named = json!({"data": [{"type": "customer", "id": &customer}]});
    let removed = api.send(Method::DELETE, &path, &[], Some(&named)).await;
    assert_eq!(removed.status, 204, "{:#}", removed.body);
    let native = api.get(&format!("/carts/{cart}")).await.expect(200);
    assert!(native.data()["customer_id"].is_null());
    api.delete(&path).await.expect(204);

    let shopper = unique("ep-shopper");
    let (status, body) = relate_as_shopper(&shopper, &cart, "POST", "someone-else");
    assert_eq!(status, 403, "{body:#}");
    assert_eq!(body["errors"][0]["source"], "data[0].id");
    let (status, _) = relate_as_shopper(&shopper, &cart, "POST", &shopper);
    assert_eq!(status, 200, "a guest cart claimed by its shopper");
    let (status, _) = relate_as_shopper(&shopper, &cart, "DELETE", &shopper);
    assert_eq!(status, 403, "a shopper does not give a cart away");

    let two = json!({"data": [{"type": "customer", "id": "a"}, {"type": "customer", "id": "b"}]});
    expect_ep_error(api.post(&path, two.clone()).await, 400, Some("data"));
    let remove_two = api.send(Method::DELETE, &path, &[], Some(&two)).await;
    expect_ep_error(remove_two, 400, Some("data"));

    // A guest's cart with a contact e-mail becomes the customer's: the e-mail goes.
    let guest = new_cart(
        &api,
        json!({"data": {"contact": {"email": "guest@example.com"}}}),
    )
    .await;
    let guest_path = format!("/v2/carts/{guest}/relationships/customers");
    api.post(
        &guest_path,
        json!({"data": [{"type": "customer", "id": &customer}]}),
    )
    .await
    .expect(200);
    let native = api.get(&format!("/carts/{guest}")).await.expect(200);
    assert_eq!(native.data()["customer_id"], customer.as_str());
    assert!(native.data()["contact"].is_null());
    // And a customer's cart takes no contact e-mail.
    let contact = json!({"data": {"contact": {"email": "guest@example.com"}}});
    let refused = api.put(&format!("/v2/carts/{guest}"), contact).await;
    expect_ep_error(refused, 400, Some("data.contact.email"));
    let wrong_type = json!({"data": [{"type": "account", "id": "a"}]});
    expect_ep_error(api.post(&path, wrong_type).await, 400, Some("data[0].type"));
    let accounts = format!("/v2/carts/{cart}/relationships/accounts");
    let body = json!({"data": [{"type": "account", "id": "a"}]});
    let refused = expect_ep_error(api.post(&accounts, body).await, 422, None);
    assert_eq!(refused["errors"][0]["title"], "Accounts not supported");
}

/// `PUT /v2/carts/{id}/items` sets several quantities in one change (`0` removes an item);
/// an unknown item or too little stock refuses that one, named by its place in `data`,
/// and with `update_all_or_nothing` refuses them all.
#[tokio::test]
async fn several_quantities_change_at_once() {
    let api = Api::new();
    let stocked = api.new_stocked_product(2).await;
    let cart = new_cart(&api, json!({})).await;
    let items = json!({"data": [
        {"type": "cart_item", "id": &stocked, "quantity": 1},
        {"type": "custom_item", "name": "A", "sku": "a", "quantity": 1, "price": {"amount": 100}},
        {"type": "custom_item", "name": "B", "sku": "b", "quantity": 1, "price": {"amount": 200}}]});
    let added = add(&api, &cart, items).await.expect(200);
    let id = |i: usize| added.body["data"][i]["id"].as_str().unwrap().to_owned();
    let (product, a, b) = (id(0), id(1), id(2));
    let path = format!("/v2/carts/{cart}/items");
    let missing = uuid::Uuid::new_v4().to_string();
    let body = |all: bool| {
        json!({"data": [{"id": &a, "quantity": 4}, {"id": &b, "quantity": 0},
                        {"id": &missing, "quantity": 1}, {"id": &product, "quantity": 3}],
               "options": {"update_all_or_nothing": all}})
    };
    let refused = api.put(&path, body(true)).await;
    expect_ep_error(refused, 422, Some("data[2]"));
    let unchanged = api.get(&format!("/carts/{cart}")).await.expect(200);
    assert_eq!(
        unchanged.data()["custom_items"].as_array().unwrap().len(),
        2
    );

    let partial = api.put(&path, body(false)).await.expect(200);
    let sources: Vec<&str> = partial.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        ["data[2]", "data[3]"],
        "unknown item, then too little stock"
    );
    let native = api.get(&format!("/carts/{cart}")).await.expect(200);
    let customs = native.data()["custom_items"].as_array().unwrap().clone();
    assert_eq!(customs.len(), 1, "B removed");
    assert_eq!(customs[0]["quantity"], 4);
    assert_eq!(
        native.data()["line_items"][0]["quantity"],
        1,
        "stock refused the rise"
    );
    assert_eq!(
        native.data()["version"].as_u64(),
        unchanged.data()["version"].as_u64().map(|v| v + 1),
        "one change"
    );
    let empty = api.put(&path, json!({"data": []})).await;
    expect_ep_error(empty, 400, Some("data"));
}

/// A `cart_item` may name its product by `sku` instead of `id`: the product or variant last
/// saved with that sku, as long as it still has it.
#[tokio::test]
async fn items_are_added_by_sku() {
    let api = Api::new();
    let product = uuid::Uuid::new_v4().to_string();
    let (sku, red) = (unique("SKU"), unique("SKU-RED"));
    let saved = |sku: &str| {
        json!({"name": "Shirt", "sku": sku, "prices": [{"currency": "USD", "amount": 1500}],
               "variants": [{"id": "red", "sku": &red, "prices": [{"currency": "USD", "amount": 1700}]}]})
    };
    let path = format!("/products/{product}");
    api.put(&path, saved(&sku)).await.expect(201);
    let cart = new_cart(&api, json!({})).await;
    let by_sku =
        |sku: &str, quantity: u32| json!({"type": "cart_item", "sku": sku, "quantity": quantity});

    let added = add(&api, &cart, json!({"data": by_sku(&sku, 2)}))
        .await
        .expect(200);
    let line = &added.body["data"][0];
    assert_eq!(line["product_id"], product.as_str());
    assert_eq!(
        (line["sku"].as_str(), line["quantity"].as_u64()),
        (Some(sku.as_str()), Some(2))
    );
    assert_eq!(line["value"]["amount"], 3000);
    let variant = add(&api, &cart, json!({"data": by_sku(&red, 1)}))
        .await
        .expect(200);
    let red_line = variant.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["sku"] == red.as_str())
        .expect("the variant's line");
    assert_eq!(red_line["unit_price"]["amount"], 1700);

    // Several at once: an unknown sku is refused where it stands, the rest is added.
    let several = json!({"data": [by_sku(&sku, 1), by_sku(&unique("NO-SUCH"), 1)]});
    let partly = add(&api, &cart, several.clone()).await.expect(200);
    assert_eq!(partly.body["errors"][0]["source"], "data[1].sku");
    assert_eq!(partly.body["errors"][0]["status"], 422);
    assert_eq!(partly.body["data"][0]["quantity"], 3);
    let mut all_or_nothing = several;
    all_or_nothing["options"] = json!({"add_all_or_nothing": true});
    expect_ep_error(
        add(&api, &cart, all_or_nothing).await,
        422,
        Some("data[1].sku"),
    );
    let items = api
        .get(&format!("/v2/carts/{cart}/items"))
        .await
        .expect(200);
    assert_eq!(items.body["data"][0]["quantity"], 3, "nothing was added");

    // Saved again under another sku, the product no longer answers to the old one.
    api.put(&path, saved(&unique("SKU-NEW"))).await.expect(200);
    let gone = add(&api, &cart, json!({"data": by_sku(&sku, 1)})).await;
    expect_ep_error(gone, 422, Some("data.sku"));

    let both = json!({"data": {"type": "cart_item", "id": &product, "sku": &red, "quantity": 1}});
    expect_ep_error(add(&api, &cart, both).await, 400, Some("data.sku"));
    let neither = json!({"data": {"type": "cart_item", "quantity": 1}});
    expect_ep_error(add(&api, &cart, neither).await, 400, Some("data.id"));
}

/// `include=` lists a cart's items, tax items, custom discounts and promotions beside it.
#[tokio::test]
async fn a_cart_includes_what_include_names() {
    let api = Api::new();
    let product = api.new_product().await;
    let code = unique("INC").to_uppercase();
    api.put_promotion(
        &unique("inc-promo"),
        json!({"kind": "amount_off", "value": 100, "code": &code}),
    )
    .await
    .expect(201);
    let cart = new_cart(
        &api,
        json!({"data": {"discount_settings": {"custom_discounts_enabled": true}}}),
    )
    .await;
    let items = json!({"data": [
        {"type": "cart_item", "id": &product, "quantity": 1},
        {"type": "promotion_item", "code": &code}
    ]});
    let added = add(&api, &cart, items).await.expect(200);
    let item = added.body["data"][0]["id"].as_str().unwrap().to_owned();
    let tax = json!({"data": {"type": "tax_item", "name": "VAT", "code": "VAT", "jurisdiction": "UK", "rate": 0.2}});
    let taxed = api
        .post(&format!("/v2/carts/{cart}/items/{item}/taxes"), tax)
        .await
        .expect(200);
    let discount = json!({"data": {"type": "custom_discount", "amount": -50, "description": "Loyalty",
                                   "discount_code": "LOYAL", "discount_engine": "Engine", "external_id": "e-1"}});
    let discounted = api
        .post(
            &format!("/v2/carts/{cart}/custom-discounts"),
            json!({"data": [discount["data"]]}),
        )
        .await
        .expect(200);

    let path = format!("/v2/carts/{cart}");
    let plain = api.get(&path).await.expect(200);
    assert!(plain.body.get("included").is_none(), "{:#}", plain.body);
    let all = "items,tax_items,custom_discounts,promotions";
    let full = api.get(&format!("{path}?include={all}")).await.expect(200);
    let included = &full.body["included"];
    assert_eq!(full.body["data"]["id"], cart.as_str());
    assert_eq!(included["items"][0]["id"], item.as_str());
    assert_eq!(included["tax_items"][0]["id"], taxed.body["data"]["id"]);
    assert_eq!(
        included["custom_discounts"][0]["id"],
        discounted.body["data"][0]["id"]
    );
    assert_eq!(included["custom_discounts"][0]["amount"]["amount"], -50);
    let promotion = &included["promotions"][0];
    assert_eq!(
        (promotion["type"].as_str(), promotion["code"].as_str()),
        (Some("promotion"), Some(code.as_str()))
    );
    assert_eq!(promotion["amount"]["amount"], -100);

    let some = api
        .get(&format!("{path}?include=tax_items"))
        .await
        .expect(200);
    let keys: Vec<&String> = some.body["included"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["tax_items"]);
    expect_ep_error(
        api.get(&format!("{path}?include=orders")).await,
        400,
        Some("include"),
    );
}
