//! BigCommerce's cart metafields under `/v3`, through `cargo lambda watch`: one cart's
//! (`/v3/carts/{cart_id}/metafields`) and the batch routes over every cart's
//! (`/v3/carts/metafields`), with the metafield index that finds a metafield's cart.

use reqwest::Method;
use serde_json::{Value, json};
use trolley_tests::api::{Api, Reply, expect_bc_error};

/// A namespace no other test uses, so the listing of every cart's metafields can be
/// narrowed to this test's.
fn namespace() -> String {
    format!("ns-{}", uuid::Uuid::new_v4())
}

fn field(cart: &str, namespace: &str, key: &str) -> Value {
    json!({"permission_set": "write", "namespace": namespace, "key": key, "value": "v",
           "resource_id": cart})
}

const BATCH: &str = "/v3/carts/metafields";

async fn new_cart_id(api: &Api) -> String {
    let cart = api.new_cart(json!({})).await;
    cart["id"].as_str().unwrap().to_owned()
}

async fn batch_delete(api: &Api, body: Value) -> Reply {
    api.send(Method::DELETE, BATCH, &[], Some(&body)).await
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn listed(api: &Api, query: &str) -> Reply {
    api.get(&format!("{BATCH}?{query}")).await.expect(200)
}

async fn cart_version(api: &Api, cart: &str) -> u64 {
    let native = api.get(&format!("/carts/{cart}")).await.expect(200);
    native.data()["version"].as_u64().unwrap()
}

/// A batch reaches several carts, one cart change per cart; each item succeeds or fails on
/// its own (`422` when any fails, with the rest done), a failure keyed by the item's
/// position (new metafields) or id (changes and removals).
#[tokio::test]
async fn a_batch_reaches_several_carts_and_reports_each_item() {
    let api = Api::new();
    let ns = namespace();
    let a = new_cart_id(&api).await;
    let b = new_cart_id(&api).await;
    let made = api
        .post(
            BATCH,
            json!([
                field(&a, &ns, "k1"),
                field(&b, &ns, "k1"),
                field(&a, &ns, "k2")
            ]),
        )
        .await
        .expect(200);
    assert_eq!(made.body["errors"], json!([]));
    assert_eq!(
        made.body["meta"],
        json!({"total": 3, "success": 3, "failed": 0})
    );
    let data = made.body["data"].as_array().unwrap().clone();
    let holders: Vec<&str> = data
        .iter()
        .map(|m| m["resource_id"].as_str().unwrap())
        .collect();
    assert_eq!(holders, [a.as_str(), b.as_str(), a.as_str()]);
    assert_eq!(cart_version(&api, &a).await, 2, "one cart change for both");
    let (a1, b1, a2) = (
        data[0]["id"].as_str().unwrap(),
        data[1]["id"].as_str().unwrap(),
        data[2]["id"].as_str().unwrap(),
    );
    let one = api.get(&format!("/v3/carts/{a}/metafields/{a2}")).await;
    assert_eq!(one.expect(200).data(), &data[2]);

    // Every cart's metafields: this test's three, by id.
    let all = listed(&api, &format!("namespace={ns}")).await;
    let mut expected = vec![a1.to_owned(), b1.to_owned(), a2.to_owned()];
    expected.sort_by_key(|id| id.parse::<u64>().unwrap());
    assert_eq!(ids(all.data()), expected);

    // Changes by id, whichever cart holds it (as a string or an integer); an id nobody
    // has fails alone; taking another metafield's key on the same cart is a conflict.
    let changes = json!([{"id": a1, "value": "changed"},
                         {"id": b1.parse::<u64>().unwrap(), "key": "k9"},
                         {"id": "1", "value": "x"},
                         {"id": a2, "key": "k1"}]);
    let changed = api.put(BATCH, changes).await.expect(422);
    assert_eq!(
        changed.body["meta"],
        json!({"total": 4, "success": 2, "failed": 2})
    );
    let done = &changed.body["data"];
    assert_eq!(
        (done[0]["value"].as_str(), done[1]["key"].as_str()),
        (Some("changed"), Some("k9"))
    );
    let errors = changed.body["errors"].as_array().unwrap();
    assert_eq!(errors[0]["status"], 404);
    assert!(errors[0]["errors"].get("1").is_some(), "{errors:?}");
    assert_eq!(errors[1]["status"], 409);
    assert!(errors[1]["errors"].get(a2).is_some(), "{errors:?}");
    for error in errors {
        assert!(error["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(error["type"].as_str().is_some());
    }
    let kept = api.get(&format!("/v3/carts/{a}/metafields/{a2}")).await;
    assert_eq!(
        kept.expect(200).data()["key"],
        "k2",
        "the refused change did nothing"
    );

    // New metafields: a taken key, a cart that does not exist, an id that is no cart id;
    // the one good item is added all the same.
    let mixed = json!([
        field(&a, &ns, "k1"),
        field(&uuid::Uuid::new_v4().to_string(), &ns, "x"),
        field("not-a-cart", &ns, "x"),
        field(&b, &ns, "k3")
    ]);
    let added = api.post(BATCH, mixed).await.expect(422);
    let statuses: Vec<(&Value, Vec<&String>)> = added.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                &e["status"],
                e["errors"].as_object().unwrap().keys().collect(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            (&json!(409), vec![&"0".to_string()]),
            (&json!(404), vec![&"1".to_string()]),
            (&json!(404), vec![&"2".to_string()]),
        ]
    );
    assert_eq!(added.body["data"][0]["key"], "k3");
    assert_eq!(added.body["data"][0]["resource_id"], b.as_str());

    // Removals by id: the ids removed, and one nobody has.
    let removed = batch_delete(
        &api,
        json!([
            a1.parse::<u64>().unwrap(),
            b1.parse::<u64>().unwrap(),
            12345
        ]),
    )
    .await
    .expect(422);
    assert_eq!(
        removed.body["data"],
        json!([a1.parse::<u64>().unwrap(), b1.parse::<u64>().unwrap()])
    );
    assert!(removed.body["errors"][0]["errors"].get("12345").is_some());
    expect_bc_error(
        api.get(&format!("/v3/carts/{a}/metafields/{a1}")).await,
        404,
        "not_found",
    );
    let left = listed(&api, &format!("namespace={ns}")).await;
    assert_eq!(left.data().as_array().unwrap().len(), 2, "a2 and k3");
}

/// What is not a batch is `400` in BigCommerce's shape, naming the field, and changes
/// nothing: not an array, empty, more than 50 items, an item missing a field or with one
/// of the wrong type.
#[tokio::test]
async fn a_batch_that_is_not_one_is_refused_whole() {
    let api = Api::new();
    let ns = namespace();
    let cart = new_cart_id(&api).await;
    expect_bc_error(api.post(BATCH, field(&cart, &ns, "k")).await, 400, "body");
    expect_bc_error(api.post(BATCH, json!([])).await, 400, "body");
    let many: Vec<Value> = (0..51).map(|n| field(&cart, &ns, &n.to_string())).collect();
    expect_bc_error(api.post(BATCH, json!(many)).await, 400, "body");
    let mut missing = field(&cart, &ns, "k");
    missing.as_object_mut().unwrap().remove("resource_id");
    let good = field(&cart, &ns, "good");
    expect_bc_error(
        api.post(BATCH, json!([good, missing])).await,
        400,
        "[1].resource_id",
    );
    expect_bc_error(
        api.put(BATCH, json!([{"id": "12a", "value": "v"}])).await,
        400,
        "[0].id",
    );
    expect_bc_error(api.put(BATCH, json!([{"value": "v"}])).await, 400, "[0].id");
    expect_bc_error(batch_delete(&api, json!(["abc"])).await, 400, "[0]");
    expect_bc_error(batch_delete(&api, json!({"ids": [1]})).await, 400, "body");
    assert_eq!(cart_version(&api, &cart).await, 1, "nothing was written");
    assert_eq!(
        listed(&api, &format!("namespace={ns}")).await.data(),
        &json!([])
    );
}

/// The listing of every cart's metafields filters by key and namespace (one or several),
/// by creation and change time, and shows the fields asked for.
#[tokio::test]
async fn the_listing_filters_and_shows_the_fields_asked_for() {
    let api = Api::new();
    let (ns, other) = (namespace(), namespace());
    let cart = new_cart_id(&api).await;
    let body = json!([
        field(&cart, &ns, "a"),
        field(&cart, &ns, "b"),
        field(&cart, &other, "a")
    ]);
    api.post(BATCH, body).await.expect(200);
    let count = |reply: Reply| reply.data().as_array().unwrap().len();
    assert_eq!(count(listed(&api, &format!("namespace={ns}")).await), 2);
    assert_eq!(
        count(listed(&api, &format!("namespace:in={ns},{other}&key=a")).await),
        2
    );
    assert_eq!(
        count(listed(&api, &format!("namespace={ns}&key:in=b,c")).await),
        1
    );
    let today = chrono::Utc::now().date_naive();
    let tomorrow = today.succ_opt().unwrap();
    for (query, expected) in [
        (format!("date_created:min={today}"), 2),
        (format!("date_created:min={tomorrow}"), 0),
        ("date_modified:max=2000-01-01T00:00:00".to_string(), 0),
        (format!("date_modified:max={tomorrow}T00:00:00Z"), 2),
    ] {
        let reply = listed(&api, &format!("namespace={ns}&{query}")).await;
        assert_eq!(count(reply), expected, "{query}");
    }
    let picked = listed(&api, &format!("namespace={ns}&include_fields=key,value")).await;
    for metafield in picked.data().as_array().unwrap() {
        let mut names: Vec<&String> = metafield.as_object().unwrap().keys().collect();
        names.sort();
        assert_eq!(names, ["id", "key", "value"]);
    }
    let bad = api.get(&format!("{BATCH}?include_fields=key,colour")).await;
    expect_bc_error(bad, 400, "include_fields");
    let bad = api.get(&format!("{BATCH}?date_created:max=soon")).await;
    expect_bc_error(bad, 400, "date_created:max");
}

/// Pages by number, and by cursor (BigCommerce's `after` and `before`), newest first on
/// request; a cursor is a place in the order, good after its metafield is gone.
#[tokio::test]
async fn the_listing_pages_by_number_and_by_cursor() {
    let api = Api::new();
    let ns = namespace();
    let cart = new_cart_id(&api).await;
    let one_cart = format!("/v3/carts/{cart}/metafields");
    let mut made = Vec::new();
    for key in ["a", "b", "c", "d", "e"] {
        let body = json!({"permission_set": "read", "namespace": &ns, "key": key, "value": "v"});
        let reply = api.post(&one_cart, body).await.expect(200);
        made.push(reply.data()["id"].as_str().unwrap().to_owned());
    }
    let mut sorted = made.clone();
    sorted.sort_by_key(|id| id.parse::<u64>().unwrap());
    assert_eq!(made, sorted, "ids grow with creation");

    let first = listed(&api, &format!("namespace={ns}&limit=2")).await;
    assert_eq!(ids(first.data()), made[..2]);
    let meta = &first.body["meta"];
    assert_eq!(
        (
            meta["pagination"]["total"].as_u64(),
            meta["pagination"]["total_pages"].as_u64()
        ),
        (Some(5), Some(3))
    );
    let cursors = &meta["cursor_pagination"];
    assert!(cursors["links"].get("previous").is_none());
    let next = cursors["links"]["next"].as_str().unwrap();
    let end = cursors["end_cursor"].as_str().unwrap();
    assert!(next.starts_with("?after="), "{next}");
    let second = api
        .get(&format!("{BATCH}{next}&namespace={ns}"))
        .await
        .expect(200);
    assert_eq!(ids(second.data()), made[2..4]);
    let third = listed(
        &api,
        &format!(
            "namespace={ns}&limit=2&after={}",
            second.body["meta"]["cursor_pagination"]["end_cursor"]
                .as_str()
                .unwrap()
        ),
    )
    .await;
    assert_eq!(ids(third.data()), made[4..]);
    assert!(
        third.body["meta"]["cursor_pagination"]["links"]
            .get("next")
            .is_none()
    );
    let start = third.body["meta"]["cursor_pagination"]["start_cursor"]
        .as_str()
        .unwrap();
    let back = listed(&api, &format!("namespace={ns}&limit=2&before={start}")).await;
    assert_eq!(ids(back.data()), made[2..4]);

    // The first page's last metafield goes; its cursor still leads to what followed it.
    api.delete(&format!("{one_cart}/{}", made[1]))
        .await
        .expect(204);
    let after_gone = listed(&api, &format!("namespace={ns}&limit=2&after={end}")).await;
    assert_eq!(ids(after_gone.data()), made[2..4]);

    // A page's own link asks for that page again.
    let current = second.body["meta"]["cursor_pagination"]["links"]["current"]
        .as_str()
        .unwrap();
    let again = api
        .get(&format!("{BATCH}{current}&namespace={ns}"))
        .await
        .expect(200);
    assert_eq!(ids(again.data()), made[2..4]);

    let newest = listed(&api, &format!("namespace={ns}&limit=2&direction=desc")).await;
    assert_eq!(ids(newest.data()), [made[4].clone(), made[3].clone()]);
    // Newest first, `after` goes on to older ones.
    let end = newest.body["meta"]["cursor_pagination"]["end_cursor"]
        .as_str()
        .unwrap();
    let older = listed(
        &api,
        &format!("namespace={ns}&limit=2&direction=desc&after={end}"),
    )
    .await;
    assert_eq!(
        ids(older.data()),
        [made[2].clone(), made[0].clone()],
        "made[1] is gone"
    );
    let by_page = listed(&api, &format!("namespace={ns}&limit=2&page=2")).await;
    assert_eq!(ids(by_page.data()), [made[3].clone(), made[4].clone()]);

    let both = api.get(&format!("{BATCH}?after={end}&before={end}")).await;
    expect_bc_error(both, 400, "before");
    expect_bc_error(
        api.get(&format!("{BATCH}?after=bm9wZQ==")).await,
        400,
        "after",
    );
    expect_bc_error(api.get(&format!("{BATCH}?limit=251")).await, 400, "limit");
}

/// A cart that goes takes its metafields out of the listing, and the listing removes their
/// index entries; the batch routes then find no such metafield.
#[tokio::test]
async fn a_deleted_carts_metafields_leave_the_listing_and_the_index() {
    let api = Api::new();
    let ns = namespace();
    let cart = new_cart_id(&api).await;
    let made = api
        .post(BATCH, json!([field(&cart, &ns, "k")]))
        .await
        .expect(200);
    let id: u64 = made.body["data"][0]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let store = trolley_tests::store().await;
    assert!(
        store
            .metafield_carts(&[id])
            .await
            .unwrap()
            .contains_key(&id)
    );

    api.delete(&format!("/v3/carts/{cart}")).await.expect(204);
    assert_eq!(
        listed(&api, &format!("namespace={ns}")).await.data(),
        &json!([])
    );
    assert!(
        store.metafield_carts(&[id]).await.unwrap().is_empty(),
        "the stale entry is gone"
    );
    let change = api
        .put(BATCH, json!([{"id": id, "value": "x"}]))
        .await
        .expect(422);
    assert_eq!(change.body["errors"][0]["status"], 404);
    let removal = batch_delete(&api, json!([id])).await.expect(422);
    assert_eq!(removal.body["data"], json!([]));
}

/// Metafields added at once to one cart are all kept, and all indexed: each add is a cart
/// change and its index entry in one transaction, redone when it loses a race.
#[tokio::test]
async fn metafields_added_at_once_are_all_kept_and_indexed() {
    let api = Api::new();
    let ns = namespace();
    let cart = new_cart_id(&api).await;
    let api = std::sync::Arc::new(api);
    let mut adds = tokio::task::JoinSet::new();
    for n in 0..10 {
        let (api, path) = (api.clone(), format!("/v3/carts/{cart}/metafields"));
        let body =
            json!({"permission_set": "read", "namespace": &ns, "key": n.to_string(), "value": "v"});
        adds.spawn(async move { api.post(&path, body).await });
    }
    for reply in adds.join_all().await {
        reply.expect(200);
    }
    assert_eq!(cart_version(&api, &cart).await, 11);
    let all = listed(&api, &format!("namespace={ns}")).await;
    assert_eq!(all.data().as_array().unwrap().len(), 10);
}
/// A cart's metafields: created (`200`, as BigCommerce answers), read one and listed with
/// filters and pages, changed field by field, unique by namespace and key, removed, and
/// kept in the cart item: a metafield change is a cart change, and deleting the cart takes
/// them along.
#[tokio::test]
async fn cart_metafields_are_kept_on_the_cart() {
    let api = Api::new();
    let cart = api.new_cart(json!({})).await;
    let cart_id = cart["id"].as_str().unwrap();
    let base = format!("/v3/carts/{cart_id}/metafields");
    let body = json!({"permission_set": "app_only", "namespace": "Sales Department",
                      "key": "Staff Name", "value": "Sam", "description": "Name of staff member"});
    let made = api.post(&base, body.clone()).await.expect(200);
    let field = made.data().clone();
    let id = field["id"].as_str().expect("the id is a string of digits");
    assert!(id.parse::<u64>().is_ok_and(|n| n > 0), "{id}");
    assert_eq!(made.body["meta"], json!({}));
    for (name, value) in body.as_object().unwrap() {
        assert_eq!(&field[name], value, "{name}");
    }
    assert_eq!(
        (
            field["resource_type"].as_str(),
            field["resource_id"].as_str()
        ),
        (Some("cart"), Some(cart_id))
    );
    assert_eq!(field["date_created"], field["date_modified"]);
    let one = format!("{base}/{id}");
    assert_eq!(api.get(&one).await.expect(200).data(), &field);

    // The same namespace and key again is a conflict; another key is another metafield.
    expect_bc_error(api.post(&base, body.clone()).await, 409, "key");
    let second = json!({"permission_set": "read", "namespace": "Sales Department", "key": "Desk", "value": "4"});
    let second = api.post(&base, second).await.expect(200).data().clone();
    let list = api.get(&base).await.expect(200);
    let ids: Vec<&Value> = list
        .data()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["id"])
        .collect();
    assert_eq!(ids, [&field["id"], &second["id"]], "oldest first");
    assert_eq!(list.body["meta"]["pagination"]["total"], 2);
    let newest = api
        .get(&format!("{base}?direction=desc&limit=1"))
        .await
        .expect(200);
    assert_eq!(newest.data()[0]["id"], second["id"]);
    let pagination = &newest.body["meta"]["pagination"];
    assert_eq!(
        (
            pagination["total_pages"].as_u64(),
            pagination["links"]["next"].as_str()
        ),
        (Some(2), Some("?page=2&limit=1&direction=desc"))
    );
    let by_key = api.get(&format!("{base}?key=Desk")).await.expect(200);
    assert_eq!(by_key.data().as_array().unwrap().len(), 1);

    // A change names what changes; taking another's namespace and key is a conflict.
    let changed = api.put(&one, json!({"value": "Alex"})).await.expect(200);
    assert_eq!(
        (
            changed.data()["value"].as_str(),
            changed.data()["key"].as_str()
        ),
        (Some("Alex"), Some("Staff Name"))
    );
    let clash = api.put(&one, json!({"key": "Desk"})).await;
    expect_bc_error(clash, 409, "key");
    // The native cart moved with every change: a metafield change is a cart change.
    let native = api.get(&format!("/carts/{cart_id}")).await.expect(200);
    assert_eq!(native.data()["version"], 4);

    for bad in [
        json!({"permission_set": "everyone", "namespace": "n", "key": "k", "value": "v"}),
        json!({"namespace": "n", "key": "k", "value": "v"}),
        json!({"permission_set": "read", "namespace": "n", "key": "k", "value": ""}),
        json!({"permission_set": "read", "namespace": "n".repeat(65), "key": "k", "value": "v"}),
        json!({"permission_set": "read", "namespace": "n", "key": "k", "value": "v", "owner": 1}),
    ] {
        assert_eq!(api.post(&base, bad.clone()).await.status, 400, "{bad}");
    }
    expect_bc_error(
        api.post(
            &base,
            json!({"permission_set": "read", "namespace": "n", "key": "k\u{7}", "value": "v"}),
        )
        .await,
        400,
        "key",
    );
    expect_bc_error(api.put(&one, json!({"value": 5})).await, 400, "value");
    expect_bc_error(api.put(&one, json!({"value": null})).await, 400, "value");
    expect_bc_error(api.get(&format!("{base}?limit=0")).await, 400, "limit");
    expect_bc_error(api.get(&format!("{base}?page=0")).await, 400, "page");
    expect_bc_error(api.get(&format!("{base}/12ab")).await, 404, "not_found");
    expect_bc_error(api.get(&format!("{base}/1")).await, 404, "not_found");

    api.delete(&one).await.expect(204);
    expect_bc_error(api.delete(&one).await, 404, "not_found");
    assert_eq!(
        api.get(&base)
            .await
            .expect(200)
            .data()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    api.delete(&format!("/v3/carts/{cart_id}"))
        .await
        .expect(204);
    expect_bc_error(api.get(&base).await, 404, "not_found");
    let missing = format!("/v3/carts/{}/metafields", uuid::Uuid::new_v4());
    expect_bc_error(api.post(&missing, body).await, 404, "not_found");
}

/// At most 50 metafields on a cart; the 51st is refused and the cart is left as it was.
#[tokio::test]
async fn a_cart_holds_at_most_fifty_metafields() {
    let api = Api::new();
    let cart = api.new_cart(json!({})).await;
    let base = format!("/v3/carts/{}/metafields", cart["id"].as_str().unwrap());
    for n in 0..50 {
        let body = json!({"permission_set": "write", "namespace": "n", "key": n.to_string(), "value": "v"});
        api.post(&base, body).await.expect(200);
    }
    let over = json!({"permission_set": "write", "namespace": "n", "key": "50", "value": "v"});
    let refused = expect_bc_error(api.post(&base, over).await, 422, "metafield_limit");
    assert!(refused["detail"].as_str().unwrap().contains("50"));
    let page = api.get(&format!("{base}?limit=250")).await.expect(200);
    assert_eq!(page.data().as_array().unwrap().len(), 50);
}

/// A metafield is an application's note, not shopper activity: writing one after checkout
/// leaves the cart checked out, so a retried checkout still answers the same order.
#[tokio::test]
async fn a_metafield_after_checkout_leaves_the_cart_checked_out() {
    let api = Api::new();
    let items = json!([{"sku": "S", "name": "S", "quantity": 1, "price": 500}]);
    let cart = api.new_cart(json!({"custom_items": items})).await;
    let cart_id = cart["id"].as_str().unwrap();
    let checkout = format!("/carts/{cart_id}/checkout");
    let order = api.post(&checkout, json!({})).await.expect(201);
    let path = format!("/carts/{cart_id}");
    let before = api.get(&path).await.expect(200).data().clone();
    let note =
        json!({"permission_set": "app_only", "namespace": "erp", "key": "order", "value": "42"});
    api.post(&format!("/v3/carts/{cart_id}/metafields"), note)
        .await
        .expect(200);
    let again = api.post(&checkout, json!({})).await.expect(200);
    assert_eq!(
        again.data()["id"],
        order.data()["id"],
        "the same order, not a second"
    );
    let after = api.get(&path).await.expect(200).data().clone();
    assert_eq!(after["version"], before["version"].as_u64().unwrap() + 1);
    for field in ["updated_at", "expires_at", "status", "last_order_id"] {
        assert_eq!(after[field], before[field], "{field}");
    }
}
