//! The DynamoDB layer against DynamoDB Local: what is written reads back exactly, writes are
//! conditional, and the table is the one template.yaml defines.

use aws_sdk_dynamodb::types::{AttributeValue, TimeToLiveStatus};
use chrono::Duration;
use serde_json::json;
use trolley::domain::cart::{Cart, NewCart};
use trolley::domain::settings::Settings;
use trolley::domain::values::ClientId;
use trolley::service;
use trolley::store::Saved;
use trolley_tests::{repo_root, table};

fn new_cart(body: serde_json::Value) -> Cart {
    let input: NewCart = trolley::http::bodies::from_value(body).unwrap();
    Cart::new(&input, &Settings::default(), service::now()).unwrap()
}

#[tokio::test]
async fn a_cart_reads_back_exactly_as_written() {
    let store = trolley_tests::store().await;
    let mut cart = new_cart(json!({
        "name": "Everything", "customer_id": 42, "channel_id": "web", "locale": "de-DE",
        "currency": {"code": "KWD"},
        "custom_attributes": {
            "s": {"type": "string", "value": "ü ✓"}, "i": {"type": "integer", "value": -9007199254740993i64},
            "big": {"type": "float", "value": 1e125}, "tiny": {"type": "float", "value": -1e-130},
            "b": {"type": "boolean", "value": false}
        }
    }));
    let item = trolley::http::bodies::from_value(json!(
        {"sku": "A", "name": "Ä", "description": "d", "quantity": 10000, "price": 100000000000i64}
    ))
    .unwrap();
    cart.add_items(&[], &[item], &Default::default(), true)
        .unwrap();

    assert_eq!(store.create_cart(&cart).await.unwrap(), Saved::Done);
    assert_eq!(store.get_cart(cart.id).await.unwrap(), Some(cart.clone()));
    assert_eq!(
        store.create_cart(&cart).await.unwrap(),
        Saved::Conflict,
        "create never overwrites"
    );
}

#[tokio::test]
async fn writes_are_refused_at_a_stale_version() {
    let store = trolley_tests::store().await;
    let mut cart = new_cart(json!({}));
    store.create_cart(&cart).await.unwrap();
    cart.touch(&Settings::default(), service::now());
    assert_eq!(store.save_cart(&cart, 1).await.unwrap(), Saved::Done);
    assert_eq!(store.save_cart(&cart, 1).await.unwrap(), Saved::Conflict);
    assert_eq!(
        store.delete_cart(cart.id, 1).await.unwrap(),
        Saved::Conflict
    );
    assert_eq!(store.get_cart(cart.id).await.unwrap().unwrap().version, 2);
    assert_eq!(store.delete_cart(cart.id, 2).await.unwrap(), Saved::Done);
    assert_eq!(store.get_cart(cart.id).await.unwrap(), None);
}

#[tokio::test]
async fn carts_with_a_customer_are_in_the_customer_index() {
    let store = trolley_tests::store().await;
    let (with, without) = (new_cart(json!({"customer_id": "c-1"})), new_cart(json!({})));
    for cart in [&with, &without] {
        store.create_cart(cart).await.unwrap();
    }
    let item = trolley_tests::raw_cart_item(&store, with.id).await;
    assert_eq!(item["GSI1PK"], AttributeValue::S("CUSTOMER#c-1".into()));
    assert!(
        item["GSI1SK"]
            .as_s()
            .unwrap()
            .ends_with(&with.id.to_string())
    );
    assert_eq!(
        item["expires_at"],
        AttributeValue::N(with.expires_at.timestamp().to_string()),
        "TTL in epoch seconds"
    );
    assert!(
        !trolley_tests::raw_cart_item(&store, without.id)
            .await
            .contains_key("GSI1PK")
    );
}

#[tokio::test]
async fn an_expired_cart_is_not_found_while_it_is_still_stored() {
    // The clock is an argument, so this needs no waiting: read the cart "eight days later".
    let app = trolley_tests::app().await;
    let now = service::now();
    let cart = service::carts::create(&app, NewCart::default(), now)
        .await
        .unwrap()
        .cart;
    let later = now + Duration::days(8);
    let err = service::carts::load(&app, cart.id, later)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(
        trolley_tests::store()
            .await
            .get_cart(cart.id)
            .await
            .unwrap()
            .is_some(),
        "still in the table"
    );
    assert!(service::carts::load(&app, cart.id, now).await.is_ok());
}

#[tokio::test]
async fn products_are_read_in_one_batch_ignoring_duplicates_and_missing_ids() {
    let store = trolley_tests::store().await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let id = ClientId::parse(&format!("batch-{}-{n}", uuid::Uuid::new_v4().simple())).unwrap();
        let input: trolley::domain::product::ProductInput = trolley::http::bodies::from_value(
            json!({"name": "P", "sku": "P", "prices": [{"currency": "USD", "amount": n}]}),
        )
        .unwrap();
        assert!(
            store
                .put_product(&mut input.into_product(id.clone(), service::now()).unwrap())
                .await
                .unwrap()
        );
        ids.push(id);
    }
    let missing = ClientId::parse("never-created").unwrap();
    let wanted = [&ids[0], &ids[1], &ids[0], &missing, &ids[2]];
    let catalog = store.get_products(wanted).await.unwrap();
    for id in &ids {
        assert_eq!(catalog.get(id).map(|p| &p.id), Some(id));
    }
    assert!(catalog.get(&missing).is_none());
}

/// Carts and checkout tell versions of a product apart by `updated_at` alone, so no two
/// saves of one product may share one: not two in the same millisecond, nor a save from a
/// clock that is behind the one that saved it last.
#[tokio::test]
async fn every_save_of_a_product_is_later_than_the_one_it_replaces() {
    let store = trolley_tests::store().await;
    let id = ClientId::parse(&format!("saved-{}", uuid::Uuid::new_v4().simple())).unwrap();
    let product = |amount: u32, at| {
        let input: trolley::domain::product::ProductInput = trolley::http::bodies::from_value(
            json!({"name": "P", "sku": id.to_string(), "prices": [{"currency": "USD", "amount": amount}]}),
        )
        .unwrap();
        input.into_product(id.clone(), at).unwrap()
    };
    let now = service::now();
    let mut first = product(100, now);
    assert!(store.put_product(&mut first).await.unwrap());
    assert_eq!(first.updated_at, now);

    let mut same_millisecond = product(200, now);
    assert!(!store.put_product(&mut same_millisecond).await.unwrap());
    assert_eq!(same_millisecond.updated_at, now + Duration::milliseconds(1));

    let mut from_a_clock_behind = product(300, now - Duration::hours(1));
    store.put_product(&mut from_a_clock_behind).await.unwrap();
    assert_eq!(
        from_a_clock_behind.updated_at,
        now + Duration::milliseconds(2)
    );

    let stored = store.get_product(&id).await.unwrap().unwrap();
    assert_eq!(stored, from_a_clock_behind);
}

#[tokio::test]
async fn the_local_table_is_the_one_the_template_defines() {
    let store = trolley_tests::store().await;
    let definition = table::definition_from(&repo_root().join("template.yaml")).unwrap();
    let described = store
        .client()
        .describe_table()
        .table_name(store.table())
        .send()
        .await
        .unwrap();
    let described = described.table.unwrap();

    let keys = |schema: &[aws_sdk_dynamodb::types::KeySchemaElement]| {
        schema
            .iter()
            .map(|k| (k.attribute_name.clone(), k.key_type.as_str().to_string()))
            .collect::<Vec<_>>()
    };
    let wanted = |schema: &[table::Key]| {
        schema
            .iter()
            .map(|k| (k.attribute_name.clone(), k.key_type.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(described.key_schema()), wanted(&definition.key_schema));
    let mut indexes: Vec<_> = described
        .global_secondary_indexes()
        .iter()
        .map(|i| (i.index_name.clone().unwrap(), keys(i.key_schema())))
        .collect();
    indexes.sort();
    let mut wanted_indexes: Vec<_> = definition
        .global_secondary_indexes
        .iter()
        .map(|i| (i.index_name.clone(), wanted(&i.key_schema)))
        .collect();
    wanted_indexes.sort();
    assert_eq!(indexes, wanted_indexes);
    assert!(!indexes.is_empty());

    let ttl = store
        .client()
        .describe_time_to_live()
        .table_name(store.table())
        .send()
        .await
        .unwrap();
    let ttl = ttl.time_to_live_description.unwrap();
    assert_eq!(ttl.attribute_name.as_deref(), Some("expires_at"));
    assert_eq!(ttl.time_to_live_status, Some(TimeToLiveStatus::Enabled));
}

#[tokio::test]
async fn every_change_slides_the_expiry() {
    let app = trolley_tests::app().await;
    let now = service::now();
    let cart = service::carts::create(&app, NewCart::default(), now)
        .await
        .unwrap()
        .cart;
    let next_day = now + Duration::days(1);
    let patch = trolley::http::bodies::from_value(json!({"name": "later"})).unwrap();
    let changed = service::carts::update(&app, cart.id, None, patch, next_day)
        .await
        .unwrap()
        .cart;
    assert_eq!(
        changed.expires_at,
        Settings::default().expiry_from(next_day, None)
    );
    assert!(changed.expires_at > cart.expires_at + Duration::hours(23));
    assert_eq!(
        trolley_tests::store()
            .await
            .get_cart(cart.id)
            .await
            .unwrap()
            .unwrap()
            .expires_at,
        changed.expires_at
    );
}

#[tokio::test]
async fn calls_are_counted_by_operation() {
    let store = trolley_tests::store().await;
    let before = trolley::store::operations();
    let cart = new_cart(json!({}));
    assert_eq!(store.create_cart(&cart).await.unwrap(), Saved::Done);
    store.get_cart(cart.id).await.unwrap();
    let made = trolley::store::operations_since(&before);
    assert!(
        made.contains_key("PutItem") && made.contains_key("GetItem"),
        "{made:?}"
    );
    assert!(!made.contains_key("Scan"), "{made:?}");
}
