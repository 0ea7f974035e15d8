//! A signed-in shopper (a JWT authorizer vouched for their customer id) acts on their own
//! carts and orders only, cannot name another customer, and cannot send what only a trusted
//! server may. A trusted backend (IAM) is not limited.
//! The same rules through the Lambda path: events/*/403-*.json.

use serde_json::json;
use trolley::ErrorKind;
use trolley::domain::cart::NewCart;
use trolley::domain::items::{ItemList, LineItemInput};
use trolley::domain::values::{ClientId, CustomerId, Quantity, UnitPrice};
use trolley::service::{self, App, Principal};

fn shopper(id: &str) -> Option<CustomerId> {
    CustomerId::parse(id)
}

async fn as_shopper(id: &str) -> App {
    let customer = shopper(id).expect("a valid customer id");
    trolley_tests::app()
        .await
        .acting_as(Principal::Shopper(customer))
}

fn parse<T: trolley::http::bodies::NativeBody>(value: serde_json::Value) -> T {
    trolley::http::bodies::from_value(value).unwrap()
}

#[tokio::test]
async fn a_shoppers_new_cart_is_theirs_and_cannot_name_another_customer() {
    let ana = as_shopper("ana").await;
    let now = service::now();
    let cart = service::carts::create(&ana, parse(json!({})), now)
        .await
        .unwrap();
    assert_eq!(cart.cart.customer_id, shopper("ana"));
    let err = service::carts::create(&ana, parse(json!({"customer_id": "bo"})), now)
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.problems[0].source.as_deref()),
        (ErrorKind::Forbidden, Some("customer_id"))
    );
    let err = service::carts::create(
        &ana,
        parse(json!({"custom_items": [{"sku": "S", "name": "S", "quantity": 1, "price": 0}]})),
        now,
    )
    .await
    .unwrap_err();
    assert_eq!(
        (err.kind(), err.problems[0].source.as_deref()),
        (ErrorKind::Forbidden, Some("custom_items"))
    );
    // Nor a catalog item at a price of their own (BigCommerce's `list_price`).
    let mut own_price: NewCart = parse(json!({}));
    own_price.line_items = ItemList::try_from(vec![LineItemInput {
        product_id: ClientId::Int(1),
        variant_id: None,
        quantity: Quantity::new(1).unwrap(),
        list_price: Some(UnitPrice::new(1).unwrap()),
        option_selections: Vec::new(),
    }])
    .unwrap();
    let err = service::carts::create(&ana, own_price, now)
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.problems[0].source.as_deref()),
        (ErrorKind::Forbidden, Some("line_items"))
    );
}

#[tokio::test]
async fn another_customers_cart_and_order_are_out_of_reach() {
    let (server, ana, bo) = (
        trolley_tests::app().await,
        as_shopper("ana").await,
        as_shopper("bo").await,
    );
    let now = service::now();
    let items = json!({"custom_items": [{"sku": "S", "name": "S", "quantity": 1, "price": 100}]});
    let mut body = items.clone();
    body["customer_id"] = json!("ana");
    let anas = service::carts::create(&server, parse(body), now)
        .await
        .unwrap()
        .cart;

    assert!(service::carts::get(&ana, anas.id, now).await.is_ok());
    assert_eq!(
        service::carts::get(&bo, anas.id, now)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Forbidden
    );
    let patch = parse(json!({"name": "mine now"}));
    assert_eq!(
        service::carts::update(&bo, anas.id, None, patch, now)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Forbidden
    );
    assert_eq!(
        service::carts::delete(&bo, anas.id, None, now)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Forbidden
    );
    assert_eq!(
        service::items::clear(&bo, anas.id, None, now)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Forbidden
    );

    let order = service::checkout::checkout(&server, anas.id, None, Default::default(), now)
        .await
        .unwrap();
    assert!(service::checkout::get(&ana, order.order.id).await.is_ok());
    assert_eq!(
        service::checkout::get(&bo, order.order.id)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Forbidden
    );
    assert!(
        service::checkout::get(&server, order.order.id)
            .await
            .is_ok(),
        "the backend reads any order"
    );
}

#[tokio::test]
async fn a_guest_cart_can_be_claimed_and_merged_but_not_given_away() {
    let (server, ana) = (trolley_tests::app().await, as_shopper("ana").await);
    let now = service::now();
    let items = json!({"custom_items": [{"sku": "G", "name": "G", "quantity": 1, "price": 100}]});
    let guest = service::carts::create(&server, parse(items), now)
        .await
        .unwrap()
        .cart;
    let own = service::carts::create(&ana, parse(json!({})), now)
        .await
        .unwrap()
        .cart;

    let merge = parse(json!({"source_cart_id": guest.id}));
    let (merged, _) = service::carts::merge(&ana, own.id, None, merge, now)
        .await
        .unwrap();
    assert_eq!(merged.cart.custom_items.len(), 1);

    let claimable = service::carts::create(&server, parse(json!({})), now)
        .await
        .unwrap()
        .cart;
    let claimed = service::carts::update(
        &ana,
        claimable.id,
        None,
        parse(json!({"customer_id": "ana"})),
        now,
    )
    .await
    .unwrap();
    assert_eq!(claimed.cart.customer_id, shopper("ana"));
    let err = service::carts::update(
        &ana,
        claimable.id,
        None,
        parse(json!({"customer_id": null})),
        now,
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    let err = service::carts::update(
        &ana,
        claimable.id,
        None,
        parse(json!({"customer_id": "bo"})),
        now,
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);

    let checkout = parse(json!({"customer": {"id": "bo"}}));
    let err = service::checkout::checkout(&ana, claimed.cart.id, None, checkout, now)
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.problems[0].source.as_deref()),
        (ErrorKind::Forbidden, Some("customer.id"))
    );
}

/// An app no one has been named for (before `acting_as`) refuses everything, including
/// what the backend may do and guest carts anyone holding the id may read.
#[tokio::test]
async fn an_app_acting_for_no_one_refuses_everything() {
    let server = trolley_tests::app().await;
    let now = service::now();
    let guest = service::carts::create(&server, parse(json!({})), now)
        .await
        .unwrap()
        .cart;
    let nobody = App::new(trolley_tests::store().await, std::time::Duration::ZERO);
    assert_eq!(nobody.principal(), &Principal::Nobody);
    let refused = |kind: ErrorKind| assert_eq!(kind, ErrorKind::Forbidden);
    refused(
        service::carts::get(&nobody, guest.id, now)
            .await
            .unwrap_err()
            .kind(),
    );
    refused(
        service::carts::create(&nobody, parse(json!({})), now)
            .await
            .unwrap_err()
            .kind(),
    );
    refused(service::settings::get(&nobody).await.unwrap_err().kind());
    refused(
        service::abandoned::sweep(&nobody, now, Some(60), std::time::Instant::now())
            .await
            .unwrap_err()
            .kind(),
    );
}
