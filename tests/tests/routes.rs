//! The routes are written in three places: template.yaml (API Gateway), the local router in
//! Cargo.toml, and each function's main.rs. They must agree, every function must be
//! deployed, and every function must have a success and an error event.

use std::collections::BTreeSet;
use trolley_tests::repo_root;
use trolley_tests::routes::{self, assert_same};

#[test]
fn template_router_and_functions_agree() {
    let template = routes::template();
    assert!(!template.is_empty());
    assert_same(
        "template.yaml",
        &template,
        "the Cargo.toml router",
        &routes::router(),
    );
    assert_same(
        "template.yaml",
        &template,
        "functions/*/src/main.rs",
        &routes::functions(),
    );
}

#[test]
fn every_function_has_a_success_and_an_error_event() {
    let events: BTreeSet<String> = std::fs::read_dir(repo_root().join("events"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        events,
        routes::function_names(),
        "events/ has a folder per function and nothing else"
    );
    for function in routes::function_names() {
        let statuses: Vec<char> = std::fs::read_dir(repo_root().join("events").join(&function))
            .unwrap()
            .map(|entry| {
                entry
                    .unwrap()
                    .file_name()
                    .into_string()
                    .unwrap()
                    .chars()
                    .next()
                    .unwrap()
            })
            .collect();
        assert!(statuses.contains(&'2'), "{function} has a success event");
        assert!(statuses.contains(&'4'), "{function} has an error event");
    }
}

#[test]
fn every_route_has_its_authorizer_in_the_api_definition() {
    let security = routes::template_security();
    let endpoints: BTreeSet<String> = routes::template().iter().map(|r| r.endpoint()).collect();
    assert_eq!(
        security.keys().cloned().collect::<BTreeSet<_>>(),
        endpoints,
        "DefinitionBody paths and the events"
    );
    // Admin routes, custom discounts and tax items always need IAM; BigCommerce's server-to-server API
    // needs IAM or, with V3Auth=TOKEN, the token authorizer; cart routes follow CartAuth.
    let admin = |path: &str| {
        [
            "/settings/",
            "/v2/settings/",
            "/products/",
            "/promotions/",
            "/customers/",
        ]
        .iter()
        .any(|a| path.starts_with(a))
            || path.contains("/custom-discounts")
            || path.contains("/taxes")
    };
    for (endpoint, who) in &security {
        let path = endpoint.split(' ').nth(1).unwrap();
        let expected = if path.starts_with("/v3/") {
            "v3"
        } else if admin(path) {
            "iam"
        } else {
            "cart"
        };
        assert_eq!(who, expected, "{endpoint}");
    }
}

/// With `CartAuth=JWT`, Elastic Path's routes read the shopper's token from the header its
/// clients send it in, `x-moltin-customer-token`; every other cart route from
/// `Authorization`.
#[test]
fn elastic_path_routes_read_the_customer_token_header() {
    let template: serde_yaml_ng::Value = serde_yaml_ng::from_str(
        &std::fs::read_to_string(trolley_tests::repo_root().join("template.yaml")).unwrap(),
    )
    .unwrap();
    let body = &template["Resources"]["HttpApi"]["Properties"]["DefinitionBody"];
    let scheme = &body["components"]["securitySchemes"]["moltinCustomerJwt"];
    assert_eq!(
        scheme["x-amazon-apigateway-authorizer"]["identitySource"].as_str(),
        Some("$request.header.x-moltin-customer-token")
    );
    for (path, operations) in body["paths"].as_mapping().unwrap() {
        let path = path.as_str().unwrap();
        for (method, operation) in operations.as_mapping().unwrap() {
            let rule = &operation["security"]["Fn::If"];
            if rule[0].as_str() != Some("CartAuthJwt") {
                continue;
            }
            let scheme = rule[1][0].as_mapping().unwrap().keys().next().unwrap();
            let expected = if path.starts_with("/v2/") {
                "moltinCustomerJwt"
            } else {
                "shopperJwt"
            };
            assert_eq!(scheme.as_str(), Some(expected), "{method:?} {path}");
        }
    }
}
