//! Elastic Path's tax items under `/v2`, through `cargo lambda watch`: set on one item or in
//! bulk, as a rate or a fixed amount, changed, removed; the totals they make on both kinds
//! of price (tax added to a price that excludes it, taken out of one that includes it), on
//! the Elastic Path and the native wire; and the refusals, in Elastic Path's error shape.
//! Only the backend sets them.

use serde_json::{Value, json};
use trolley::ErrorKind;
use trolley::service::{self, Principal};
use trolley_tests::api::{Api, Reply};

fn vat(rate: Value) -> Value {
    json!({"data": {"type": "tax_item", "name": "VAT", "code": "VAT20", "jurisdiction": "UK", "rate": rate}})
}

/// A cart with a custom item of 1200 (tax included) and one of 1000 (tax excluded); their
/// ids in that order.
async fn cart_with_both_kinds(api: &Api) -> (String, String, String) {
    let made = api.post("/v2/carts", json!({})).await.expect(200);
    let cart = made.body["data"]["id"].as_str().unwrap().to_owned();
    let items = json!({"data": [
        {"type": "custom_item", "name": "Inclusive", "sku": "inc", "quantity": 1,
         "price": {"amount": 1200, "includes_tax": true}},
        {"type": "custom_item", "name": "Exclusive", "sku": "exc", "quantity": 1,
         "price": {"amount": 1000, "includes_tax": false}}]});
    let added = api
        .post(&format!("/v2/carts/{cart}/items"), items)
        .await
        .expect(200);
    let id = |i: usize| added.body["data"][i]["id"].as_str().unwrap().to_owned();
    assert_eq!(added.body["data"][1]["unit_price"]["includes_tax"], false);
    (cart, id(0), id(1))
}

fn amount(value: &Value) -> i64 {
    value["amount"].as_i64().unwrap()
}

/// `(with_tax, without_tax, tax)` of a `display_price`.
fn taxed(display: &Value) -> (i64, i64, i64) {
    (
        amount(&display["with_tax"]),
        amount(&display["without_tax"]),
        amount(&display["tax"]),
    )
}

#[track_caller]
fn expect_ep_error(reply: Reply, status: u16, source: Option<&str>) -> Value {
    assert_eq!(reply.status, status, "{:#}", reply.body);
    let first = &reply.body["errors"][0];
    assert_eq!(first["status"], status, "{:#}", reply.body);
    assert_eq!(first["source"].as_str(), source, "{:#}", reply.body);
    reply.body
}

/// 20 % on both items: 1200 holds 200 of tax; 1000 gets 200 added. The cart comes to 2400
/// with 400 of tax, on `/v2` and natively.
#[tokio::test]
async fn tax_is_taken_out_of_inclusive_prices_and_added_to_exclusive_ones() {
    let api = Api::new();
    let (cart, inclusive, exclusive) = cart_with_both_kinds(&api).await;
    for item in [&inclusive, &exclusive] {
        let made = api
            .post(
                &format!("/v2/carts/{cart}/items/{item}/taxes"),
                vat(json!(0.2)),
            )
            .await
            .expect(200);
        let tax = &made.body["data"];
        assert_eq!(tax["type"], "tax_item");
        assert_eq!(tax["rate"], 0.2);
        assert_eq!(
            (tax["name"].as_str(), tax["code"].as_str()),
            (Some("VAT"), Some("VAT20"))
        );
        assert_eq!(tax["jurisdiction"], "UK");
        assert_eq!(tax["relationships"]["item"]["data"][0]["id"], item.as_str());
    }
    let shown = api.get(&format!("/v2/carts/{cart}")).await.expect(200);
    let display = &shown.body["data"]["meta"]["display_price"];
    assert_eq!(taxed(display), (2400, 2000, 400));
    assert_eq!(amount(&display["without_discount"]), 2400);

    let items = api
        .get(&format!("/v2/carts/{cart}/items"))
        .await
        .expect(200);
    let item = |i: usize| &items.body["data"][i]["meta"]["display_price"];
    assert_eq!(amount(&item(0)["with_tax"]["value"]), 1200);
    assert_eq!(amount(&item(0)["tax"]["value"]), 200);
    assert_eq!(amount(&item(0)["without_tax"]["value"]), 1000);
    assert_eq!(amount(&item(1)["with_tax"]["value"]), 1200);
    assert_eq!(amount(&item(1)["tax"]["value"]), 200);
    assert_eq!(
        items.body["data"][0]["relationships"]["taxes"]["data"][0]["type"],
        "tax_item"
    );

    let native = api.get(&format!("/carts/{cart}")).await.expect(200);
    let totals = &native.data()["totals"];
    assert_eq!(
        (amount(&totals["total"]), amount(&totals["tax"])),
        (2400, 400)
    );
    assert_eq!(amount(&native.data()["custom_items"][1]["tax"]), 200);
}

/// Rates are read exactly and rounded half up per tax item: 8.25 % of 1000 is 82.5 -> 83.
/// Changing the rate and removing tax items change the totals; removing the item removes
/// its tax items with it.
#[tokio::test]
async fn tax_items_change_and_go_and_the_totals_follow() {
    let api = Api::new();
    let (cart, _, exclusive) = cart_with_both_kinds(&api).await;
    let path = format!("/v2/carts/{cart}/items/{exclusive}/taxes");
    let made = api.post(&path, vat(json!(0.0825))).await.expect(200);
    let tax_id = made.body["data"]["id"].as_str().unwrap().to_owned();
    let display = |reply: &Reply| taxed(&reply.body["data"]["meta"]["display_price"]);
    let shown = api.get(&format!("/v2/carts/{cart}")).await.expect(200);
    assert_eq!(display(&shown), (2283, 2200, 83));

    let change = json!({"data": {"type": "tax_item", "rate": 0.1, "name": "Sales tax"}});
    let changed = api
        .put(&format!("{path}/{tax_id}"), change)
        .await
        .expect(200);
    assert_eq!(changed.body["data"]["rate"], 0.1);
    assert_eq!(changed.body["data"]["name"], "Sales tax");
    assert_eq!(changed.body["data"]["code"], "VAT20", "unnamed fields stay");
    let shown = api.get(&format!("/v2/carts/{cart}")).await.expect(200);
    assert_eq!(display(&shown), (2300, 2200, 100));

    api.delete(&format!("{path}/{tax_id}")).await.expect(204);
    let shown = api.get(&format!("/v2/carts/{cart}")).await.expect(200);
    assert_eq!(display(&shown), (2200, 2200, 0));
    let gone = api.delete(&format!("{path}/{tax_id}")).await;
    expect_ep_error(gone, 404, None);

    api.post(&path, vat(json!(0.2))).await.expect(200);
    api.delete(&format!("/v2/carts/{cart}/items/{exclusive}"))
        .await
        .expect(204);
    let shown = api.get(&format!("/v2/carts/{cart}")).await.expect(200);
    assert_eq!(display(&shown), (1200, 1200, 0));
    let native = api.get(&format!("/carts/{cart}")).await.expect(200);
    assert!(native.data().get("tax_items").is_none());
}

/// A tax service that has worked the tax out itself sets an `amount` (minor units, on the
/// whole line) instead of a rate: added to a price that excludes tax, held by one that
/// includes it; a change may turn a rate into an amount and back; bulk bodies take amounts.
#[tokio::test]
async fn a_tax_item_may_be_a_fixed_amount_instead_of_a_rate() {
    let api = Api::new();
    let (cart, inclusive, exclusive) = cart_with_both_kinds(&api).await;
    let fixed =
        |amount: i64| json!({"data": {"type": "tax_item", "name": "Levy", "amount": amount}});
    let on_inclusive = format!("/v2/carts/{cart}/items/{inclusive}/taxes");
    let made = api.post(&on_inclusive, fixed(150)).await.expect(200);
    assert_eq!(made.body["data"]["amount"], 150);
    assert!(made.body["data"].get("rate").is_none(), "{:#}", made.body);
    let tax_id = made.body["data"]["id"].as_str().unwrap().to_owned();
    let on_exclusive = format!("/v2/carts/{cart}/items/{exclusive}/taxes");
    api.post(&on_exclusive, fixed(75)).await.expect(200);
    api.post(&on_exclusive, vat(json!(0.1))).await.expect(200);
    // 1200 holds 150; 1000 gets 75 + 100.
    let display = |reply: &Reply| taxed(&reply.body["data"]["meta"]["display_price"]);
    let shown = api.get(&format!("/v2/carts/{cart}")).await.expect(200);
    assert_eq!(display(&shown), (2375, 2050, 325));

    // 1200 holding 20 % holds 200 of tax.
    let to_rate = json!({"data": {"type": "tax_item", "rate": 0.2}});
    let changed = api
        .put(&format!("{on_inclusive}/{tax_id}"), to_rate)
        .await
        .expect(200);
    assert_eq!(changed.body["data"]["rate"], 0.2);
    assert!(changed.body["data"].get("amount").is_none());
    assert_eq!(changed.body["data"]["name"], "Levy", "unnamed fields stay");
    let shown = api.get(&format!("/v2/carts/{cart}")).await.expect(200);
    assert_eq!(display(&shown), (2375, 2000, 375));
    let both = json!({"data": {"type": "tax_item", "rate": 0.2, "amount": 1}});
    let refused = api.put(&format!("{on_inclusive}/{tax_id}"), both).await;
    expect_ep_error(refused, 400, Some("data.amount"));

    api.delete(&format!("/v2/carts/{cart}/taxes"))
        .await
        .expect(204);
    let bulk = json!({"data": [
        {"type": "tax_item", "amount": 40,
         "relationships": {"item": {"data": {"type": "custom_item", "id": exclusive}}}},
        {"type": "tax_item", "name": "no charge",
         "relationships": {"item": {"data": {"type": "custom_item", "id": inclusive}}}}]});
    let path = format!("/v2/carts/{cart}/taxes");
    expect_ep_error(
        api.post(&path, bulk.clone()).await,
        400,
        Some("data[1].rate"),
    );
    let mut one = bulk;
    one["data"].as_array_mut().unwrap().pop();
    api.post(&path, one).await.expect(200);
    let native = api.get(&format!("/carts/{cart}")).await.expect(200);
    let totals = &native.data()["totals"];
    assert_eq!(
        (amount(&totals["total"]), amount(&totals["tax"])),
        (2240, 40)
    );
}

/// A bulk body sets tax items on several items in one change; with `add_all_or_nothing` off
/// a refused one is listed in `errors` and the rest are set; on, nothing is. `DELETE
/// …/taxes` removes them all.
#[tokio::test]
async fn tax_items_are_set_in_bulk_and_removed_all_at_once() {
    let api = Api::new();
    let (cart, inclusive, exclusive) = cart_with_both_kinds(&api).await;
    let tax = |item: &str, kind: &str| {
        json!({"type": "tax_item", "name": "VAT", "code": "V", "jurisdiction": "UK", "rate": 0.2,
               "relationships": {"item": {"data": {"type": kind, "id": item}}}})
    };
    let missing = uuid::Uuid::new_v4().to_string();
    let bulk = |all: bool| {
        json!({"data": [tax(&inclusive, "custom_item"), tax(&missing, "cart_item"),
                        tax(&exclusive, "custom_item")],
               "options": {"add_all_or_nothing": all}})
    };
    let path = format!("/v2/carts/{cart}/taxes");
    let refused = api.post(&path, bulk(true)).await;
    expect_ep_error(refused, 422, Some("data[1]"));
    let before = api.get(&format!("/carts/{cart}")).await.expect(200);
    assert_eq!(amount(&before.data()["totals"]["tax"]), 0, "all or nothing");

    let partial = api.post(&path, bulk(false)).await.expect(200);
    assert_eq!(partial.body["data"].as_array().unwrap().len(), 2);
    assert_eq!(partial.body["errors"][0]["source"], "data[1]");
    assert_eq!(partial.body["errors"][0]["status"], 422);
    let after = api.get(&format!("/carts/{cart}")).await.expect(200);
    assert_eq!(amount(&after.data()["totals"]["tax"]), 400);
    assert_eq!(
        after.data()["version"].as_u64(),
        before.data()["version"].as_u64().map(|v| v + 1),
        "one change"
    );

    api.delete(&path).await.expect(204);
    let cleared = api.get(&format!("/carts/{cart}")).await.expect(200);
    assert_eq!(amount(&cleared.data()["totals"]["tax"]), 0);
}

/// Bad tax bodies are `400` naming the field, in Elastic Path's shape; an unknown item is
/// `404`; the sixth tax item on one item is `422`; and a cart changes not at all.
#[tokio::test]
async fn bad_tax_items_are_refused_naming_the_field() {
    let api = Api::new();
    let (cart, _, exclusive) = cart_with_both_kinds(&api).await;
    let path = format!("/v2/carts/{cart}/items/{exclusive}/taxes");
    let cases = [
        (vat(json!(-0.1)), "data.rate"),
        (vat(json!(0.0000001)), "data.rate"),
        (vat(json!(11)), "data.rate"),
        (vat(json!("0.2")), "data.rate"),
        (json!({"data": {"type": "tax", "rate": 0.2}}), "data.type"),
        (json!({"data": {"rate": 0.2}}), "data"),
        (
            json!({"data": {"type": "tax_item", "rate": 0.2, "name": "a\u{7}"}}),
            "data.name",
        ),
        (
            json!({"data": {"type": "tax_item", "rate": 0.2, "amount": 5}}),
            "data.amount",
        ),
        (
            json!({"data": {"type": "tax_item", "name": "VAT"}}),
            "data.rate",
        ),
        (
            json!({"data": {"type": "tax_item", "amount": -1}}),
            "data.amount",
        ),
        (
            json!({"data": {"type": "tax_item", "amount": 1.5}}),
            "data.amount",
        ),
        (json!({"type": "tax_item", "rate": 0.2}), "rate"),
    ];
    for (body, source) in cases {
        let reply = api.post(&path, body.clone()).await;
        assert_eq!(reply.status, 400, "{body}: {:#}", reply.body);
        let first = &reply.body["errors"][0];
        assert_eq!(first["status"], 400);
        let named = first["source"].as_str().unwrap_or("");
        assert!(named.starts_with(source), "{body}: {:#}", reply.body);
    }
    let unknown = format!("/v2/carts/{cart}/items/{}/taxes", uuid::Uuid::new_v4());
    expect_ep_error(api.post(&unknown, vat(json!(0.2))).await, 404, None);
    let bulk_without_item = json!({"data": [{"type": "tax_item", "rate": 0.2}]});
    expect_ep_error(
        api.post(&format!("/v2/carts/{cart}/taxes"), bulk_without_item)
            .await,
        400,
        Some("data[0].relationships.item.data.id"),
    );
    for _ in 0..5 {
        api.post(&path, vat(json!(0.01))).await.expect(200);
    }
    expect_ep_error(api.post(&path, vat(json!(0.01))).await, 422, None);
    let native = api.get(&format!("/carts/{cart}")).await.expect(200);
    assert_eq!(
        amount(&native.data()["custom_items"][1]["tax"]),
        50,
        "five at 1 %"
    );
}

/// Tax items are the backend's: a signed-in shopper, even the cart's owner, is refused.
#[tokio::test]
async fn a_shopper_cannot_set_or_remove_tax_items() {
    let app = trolley_tests::app().await;
    let owner = trolley::domain::values::CustomerId::parse("tax-owner").unwrap();
    let shopper = app.clone().acting_as(Principal::Shopper(owner));
    let now = service::now();
    let made = service::carts::create(
        &app,
        trolley::http::bodies::from_value(json!({"customer_id": "tax-owner", "custom_items": [
            {"sku": "s", "name": "n", "quantity": 1, "price": 100}]}))
        .unwrap(),
        now,
    )
    .await
    .unwrap();
    let (cart, item) = (made.cart.id, made.cart.custom_items[0].id);
    let tax = trolley::domain::taxes::TaxItemInput {
        name: "VAT".to_string().try_into().unwrap(),
        code: "V".to_string().try_into().unwrap(),
        jurisdiction: "UK".to_string().try_into().unwrap(),
        charge: trolley::domain::taxes::TaxCharge::Rate(
            trolley::domain::taxes::TaxRate::parse("0.2").unwrap(),
        ),
    };
    let refused = service::taxes::add(&shopper, cart, item, tax.clone(), now).await;
    assert_eq!(refused.unwrap_err().kind(), ErrorKind::Forbidden);
    assert_eq!(
        service::taxes::clear(&shopper, cart, now)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Forbidden
    );
    // The backend may, on the same cart.
    let (priced, _) = service::taxes::add(&app, cart, item, tax, now)
        .await
        .unwrap();
    assert_eq!(priced.totals.tax, 17, "100 includes 16.67 of 20 % tax");
}
