//! Identity fails closed, as a property: for random JWT claim sets (the shopper claim
//! missing, empty, odd characters, long, whitespace and case variants of the owner's id, the
//! owner's id in some other claim), a caller who is not the owner never reads, changes,
//! merges, checks out or lists the owner's cart or order. Each claim set goes through the
//! same path a function takes: an API Gateway event (payload 2.0, JWT authorizer context)
//! parsed by lambda_http, `ApiRequest::principal`, then the use cases on DynamoDB Local.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use std::cell::Cell;
use std::collections::BTreeMap;
use trolley::config::{Auth, AuthMode};
use trolley::domain::values::CustomerId;
use trolley::http::ApiRequest;
use trolley::service::{self, App, Principal};
use trolley::{Error, ErrorKind};
use uuid::Uuid;

/// Claim sets tried per run.
const CASES: u32 = 96;

fn parse<T: trolley::http::bodies::NativeBody>(value: Value) -> T {
    trolley::http::bodies::from_value(value).unwrap()
}

/// An API Gateway event for `GET /carts/{cart_id}` carrying `claims` from a JWT authorizer.
fn event(claims: &BTreeMap<String, String>, cart: Uuid) -> ApiRequest {
    let event = trolley_tests::api_gateway_event(
        "GET /carts/{cart_id}",
        &format!("/carts/{cart}"),
        json!({"cart_id": cart}),
        json!({}),
        None,
        Some(&json!(claims)),
    );
    let request = lambda_http::request::from_str(&event.to_string()).expect("an API Gateway event");
    ApiRequest::new(request, "/carts/{cart_id}")
}

/// Values of the shopper claim that are not the owner's id, however close.
fn not_the_owner(owner: String) -> BoxedStrategy<Option<String>> {
    let variants = vec![
        String::new(),
        format!(" {owner}"),
        format!("{owner} "),
        format!("{owner}\t"),
        format!("\u{a0}{owner}"),
        format!("{owner}\u{200b}"),
        owner.to_uppercase(),
        format!("auth0|{owner}"),
        format!("google-oauth2|{owner}"),
        format!("{owner}|"),
        format!("{owner}#"),
        format!("0{owner}"),
        "x".repeat(255),
        "x".repeat(256),
        "é".repeat(1000),
    ];
    prop_oneof![
        Just(None),
        proptest::sample::select(variants).prop_map(Some),
        any::<String>().prop_map(Some),
        "[ -~]{0,300}".prop_map(Some),
        "(auth0|google-oauth2|samlp)\\|[A-Za-z0-9._@-]{0,40}".prop_map(Some),
    ]
    .prop_filter("not the owner", move |v| {
        v.as_deref() != Some(owner.as_str())
    })
    .boxed()
}

/// A claim set: the shopper claim (`sub`) maybe, plus other claims that may name the owner.
fn claims(owner: String) -> BoxedStrategy<BTreeMap<String, String>> {
    let others = proptest::collection::btree_map(
        proptest::sample::select(vec![
            "email",
            "username",
            "cognito:username",
            "custom:id",
            "name",
        ]),
        prop_oneof![Just(owner.clone()), "[a-z0-9@.|]{0,20}"],
        0..3,
    );
    (not_the_owner(owner), others)
        .prop_map(|(sub, others)| {
            let mut claims: BTreeMap<String, String> = others
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            if let Some(sub) = sub {
                claims.insert("sub".into(), sub);
            }
            claims
        })
        .boxed()
}

fn refused<T: std::fmt::Debug>(what: &str, result: Result<T, Error>) -> Result<(), TestCaseError> {
    match result {
        Err(err) if matches!(err.kind(), ErrorKind::Forbidden | ErrorKind::NotFound) => Ok(()),
        other => Err(TestCaseError::fail(format!(
            "{what} was not refused: {other:?}"
        ))),
    }
}

/// The owner's cart (one item) and an order of theirs.
struct Owned {
    owner: CustomerId,
    cart: Uuid,
    order: Uuid,
}

async fn owned(server: &App, owner: &str) -> Owned {
    let now = service::now();
    let body = json!({"customer_id": owner,
                      "custom_items": [{"sku": "O", "name": "O", "quantity": 1, "price": 100}]});
    let cart = service::carts::create(server, parse(body.clone()), now)
        .await
        .unwrap()
        .cart
        .id;
    let ordered = service::carts::create(server, parse(body), now)
        .await
        .unwrap()
        .cart
        .id;
    let order = service::checkout::checkout(server, ordered, None, Default::default(), now)
        .await
        .unwrap()
        .order
        .id;
    Owned {
        owner: CustomerId::parse(owner).unwrap(),
        cart,
        order,
    }
}

/// Everything a caller might try on the owner's things; every one must be refused.
async fn attempts(app: &App, owned: &Owned) -> Result<(), TestCaseError> {
    let now = service::now();
    let id = owned.cart;
    refused("read", service::carts::get(app, id, now).await)?;
    refused(
        "rename",
        service::carts::update(app, id, None, parse(json!({"name": "mine"})), now).await,
    )?;
    let item = parse(json!({"line_items": [{"product_id": "nothing", "quantity": 1}]}));
    refused("add", service::items::add(app, id, None, item, now).await)?;
    refused("clear", service::items::clear(app, id, None, now).await)?;
    refused("delete", service::carts::delete(app, id, None, now).await)?;
    let own = service::carts::create(app, parse(json!({})), now).await;
    if let Ok(own) = own {
        let from_owner = parse(json!({"source_cart_id": id}));
        refused(
            "merge away",
            service::carts::merge(app, own.cart.id, None, from_owner, now).await,
        )?;
    }
    let into_owner = parse(json!({"source_cart_id": Uuid::new_v4()}));
    refused(
        "merge into",
        service::carts::merge(app, id, None, into_owner, now).await,
    )?;
    refused(
        "checkout",
        service::checkout::checkout(app, id, None, Default::default(), now).await,
    )?;
    refused("read order", service::checkout::get(app, owned.order).await)?;
    refused(
        "list",
        service::carts::list_for_customer(app, &owned.owner, 10, None, now).await,
    )?;
    Ok(())
}

#[test]
fn no_claim_set_but_the_owners_reaches_the_owners_cart_or_order() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let owner = format!("owner-{}", Uuid::new_v4().simple());
    let server = runtime.block_on(trolley_tests::app());
    let owned = runtime.block_on(owned(&server, &owner));
    let auth = Auth {
        mode: AuthMode::Jwt,
        ..Auth::default()
    };
    let (shoppers, refused_401) = (Cell::new(0), Cell::new(0));
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&claims(owner.clone()), |claims| {
            let principal = match event(&claims, owned.cart).principal(&auth) {
                Err(err) => {
                    prop_assert_eq!(err.kind(), ErrorKind::Unauthenticated);
                    refused_401.set(refused_401.get() + 1);
                    return Ok(());
                }
                Ok(principal) => principal,
            };
            let Principal::Shopper(customer) = &principal else {
                return Err(TestCaseError::fail(format!(
                    "{claims:?} became {principal:?}"
                )));
            };
            prop_assert_ne!(customer, &owned.owner);
            shoppers.set(shoppers.get() + 1);
            let app = server.clone().acting_as(principal);
            runtime.block_on(attempts(&app, &owned))
        })
        .unwrap();
    let (shoppers, refused_401) = (shoppers.get(), refused_401.get());
    println!("claim sets: {CASES} ({shoppers} other shoppers, {refused_401} refused with 401)");
    assert!(
        shoppers > 0 && refused_401 > 0,
        "both kinds of claim set were tried"
    );

    // The owner's cart is as it was, and the owner still reaches it (the test can fail).
    let owner_app = server
        .clone()
        .acting_as(Principal::Shopper(owned.owner.clone()));
    let cart = runtime
        .block_on(service::carts::get(&owner_app, owned.cart, service::now()))
        .unwrap();
    assert_eq!(cart.cart.version, 1, "nothing changed the owner's cart");
    assert!(
        runtime
            .block_on(service::checkout::get(&owner_app, owned.order))
            .is_ok()
    );
}
