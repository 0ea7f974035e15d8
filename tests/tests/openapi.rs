//! openapi.yaml documents exactly the routes API Gateway (template.yaml) and the local router
//! (Cargo.toml) serve, each operation named after the function that serves it, and every
//! operation documents the answers any function can give, and its limits are the code's.

use std::collections::BTreeSet;
use trolley_tests::routes::{self, Route, assert_same};

fn endpoints(routes: &BTreeSet<Route>) -> BTreeSet<String> {
    routes.iter().map(Route::endpoint).collect()
}

#[track_caller]
fn assert_same_endpoints(left_name: &str, left: &BTreeSet<Route>, right: &BTreeSet<Route>) {
    let (left, right) = (endpoints(left), endpoints(right));
    let missing: Vec<_> = left.difference(&right).collect();
    let extra: Vec<_> = right.difference(&left).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "openapi.yaml and {left_name} disagree\n  in {left_name} but not in openapi.yaml: {missing:?}\n  in openapi.yaml but not in {left_name}: {extra:?}"
    );
}

#[test]
fn openapi_documents_every_route_and_no_other() {
    let openapi = routes::openapi();
    assert!(!openapi.is_empty());
    assert_same_endpoints("template.yaml", &routes::template(), &openapi);
    assert_same_endpoints("the Cargo.toml router", &routes::router(), &openapi);
}

#[test]
fn operation_ids_name_the_functions() {
    assert_same(
        "template.yaml",
        &routes::template(),
        "openapi.yaml (operationId)",
        &routes::openapi(),
    );
}

#[test]
fn every_operation_documents_what_any_function_can_answer() {
    for file in routes::OPENAPI_FILES {
        let text = std::fs::read_to_string(trolley_tests::repo_root().join(file)).unwrap();
        let spec: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
        let paths = spec["paths"].as_mapping().unwrap();
        for (path, item) in paths {
            for (method, operation) in item.as_mapping().unwrap() {
                if method == "parameters" {
                    continue;
                }
                let responses = operation["responses"]
                    .as_mapping()
                    .unwrap_or_else(|| panic!("{file}: {method:?} {path:?} has responses"));
                for status in ["405", "500", "503"] {
                    assert!(
                        responses.contains_key(status),
                        "{file}: {method:?} {path:?} documents {status}"
                    );
                }
            }
        }
    }
}

#[test]
fn limits_match_the_code() {
    use trolley::domain::{attributes, discounts, items, product, values};
    let text = std::fs::read_to_string(trolley_tests::repo_root().join("openapi.yaml")).unwrap();
    let spec: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let schemas = &spec["components"]["schemas"];
    let number = |value: &serde_yaml_ng::Value, what: &str| -> i64 {
        value
            .as_i64()
            .unwrap_or_else(|| panic!("openapi.yaml has {what}"))
    };
    let limits = [
        (
            "Quantity.maximum",
            &schemas["Quantity"]["maximum"],
            values::MAX_QUANTITY,
        ),
        (
            "ItemUpdate.quantity.maximum",
            &schemas["ItemUpdate"]["properties"]["quantity"]["maximum"],
            values::MAX_QUANTITY,
        ),
        (
            "UnitPrice.maximum",
            &schemas["UnitPrice"]["maximum"],
            values::MAX_UNIT_PRICE,
        ),
        (
            "PromotionInput.value.maximum",
            &schemas["PromotionInput"]["properties"]["value"]["maximum"],
            values::MAX_UNIT_PRICE,
        ),
        (
            "Stock.maximum",
            &schemas["Stock"]["maximum"],
            values::MAX_STOCK,
        ),
        (
            "CustomDiscountInput.amount.maximum",
            &schemas["CustomDiscountInput"]["properties"]["amount"]["maximum"],
            discounts::MAX_DISCOUNT,
        ),
        (
            "AttributesInput.maxProperties",
            &schemas["AttributesInput"]["maxProperties"],
            attributes::MAX_ATTRIBUTES as i64,
        ),
        (
            "LineItemList.maxItems",
            &schemas["LineItemList"]["maxItems"],
            items::MAX_ITEMS as i64,
        ),
        (
            "CustomItemList.maxItems",
            &schemas["CustomItemList"]["maxItems"],
            items::MAX_ITEMS as i64,
        ),
        (
            "ProductInput.variants.maxItems",
            &schemas["ProductInput"]["properties"]["variants"]["maxItems"],
            product::MAX_VARIANTS as i64,
        ),
    ];
    for (what, value, code) in limits {
        assert_eq!(number(value, what), code, "openapi.yaml {what}");
    }
}

/// The `ProblemNNN` schemas list every code with the status the catalogue gives it, and no
/// code the catalogue does not have.
#[test]
fn error_codes_are_the_catalogue() {
    use std::collections::BTreeMap;
    use trolley::Code;
    let text = std::fs::read_to_string(trolley_tests::repo_root().join("openapi.yaml")).unwrap();
    let spec: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let schemas = spec["components"]["schemas"].as_mapping().unwrap();
    let mut documented = BTreeMap::new();
    for (name, schema) in schemas {
        let name = name.as_str().unwrap();
        let Some(status) = name
            .strip_prefix("Problem")
            .and_then(|s| s.parse::<u16>().ok())
        else {
            continue;
        };
        let codes = schema["properties"]["code"]["enum"]
            .as_sequence()
            .unwrap_or_else(|| panic!("{name} lists its codes"));
        for code in codes {
            let code = code.as_str().unwrap().to_owned();
            let before = documented.insert(code.clone(), status);
            assert!(before.is_none(), "{code} is documented under two statuses");
        }
    }
    let catalogue: BTreeMap<_, _> = Code::ALL
        .iter()
        .map(|code| (code.name().to_owned(), code.kind().status()))
        .collect();
    assert_eq!(documented, catalogue, "openapi.yaml's codes and statuses");
}
