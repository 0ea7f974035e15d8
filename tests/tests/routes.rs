//! The routes are written in three places: template.yaml (API Gateway), the local router in
//! Cargo.toml, and each function's main.rs. They must agree, every function must be
//! deployed, and every function must have a success and an error event.

use serde_yaml_ng::Value;
use std::collections::BTreeSet;
use trolley_tests::repo_root;

type Route = (String, String, String); // method, path, function

/// The one function that is not an HTTP route.
const SCHEDULED: &str = "flag-abandoned-carts";

fn template_routes() -> BTreeSet<Route> {
    let text = std::fs::read_to_string(repo_root().join("template.yaml")).unwrap();
    let template: Value = serde_yaml_ng::from_str(&text).unwrap();
    let mut routes = BTreeSet::new();
    for resource in template["Resources"].as_mapping().unwrap().values() {
        if resource["Type"] != "AWS::Serverless::Function" {
            continue;
        }
        let code = resource["Properties"]["CodeUri"].as_str().unwrap();
        let function = code
            .strip_prefix("functions/")
            .expect("CodeUri is functions/<name>");
        let Some(events) = resource["Properties"]["Events"].as_mapping() else {
            continue;
        };
        for event in events.values().filter(|e| e["Type"] == "HttpApi") {
            let properties = &event["Properties"];
            let (method, path) = (
                properties["Method"].as_str().unwrap(),
                properties["Path"].as_str().unwrap(),
            );
            routes.insert((method.to_string(), path.to_string(), function.to_string()));
        }
    }
    routes
}

fn router_routes() -> BTreeSet<Route> {
    let text = std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap();
    let manifest: toml::Table = text.parse().unwrap();
    let router = manifest["workspace"]["metadata"]["lambda"]["watch"]["router"]
        .as_table()
        .unwrap();
    let mut routes = BTreeSet::new();
    for (path, entries) in router {
        for entry in entries.as_array().unwrap() {
            let (method, function) = (
                entry["method"].as_str().unwrap(),
                entry["function"].as_str().unwrap(),
            );
            routes.insert((method.to_string(), path.clone(), function.to_string()));
        }
    }
    routes
}

/// Each HTTP function's main.rs documents `METHOD /path` in its first line and serves
/// `"METHOD /path"` (the scheduled sweep has no route).
fn function_routes() -> BTreeSet<Route> {
    let mut routes = BTreeSet::new();
    for function in function_names().into_iter().filter(|f| f != SCHEDULED) {
        let main = std::fs::read_to_string(
            repo_root()
                .join("functions")
                .join(&function)
                .join("src/main.rs"),
        )
        .unwrap();
        let doc = main.lines().next().unwrap().trim_start_matches("//! `");
        let (method, rest) = doc.split_once(' ').unwrap();
        let path = rest.split('`').next().unwrap();
        assert!(
            main.contains(&format!("\"{method} {path}\"")),
            "{function} serves the route it documents"
        );
        routes.insert((method.to_string(), path.to_string(), function));
    }
    routes
}

fn function_names() -> BTreeSet<String> {
    std::fs::read_dir(repo_root().join("functions"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect()
}

#[test]
fn template_router_and_functions_agree() {
    let template = template_routes();
    assert!(!template.is_empty());
    assert_eq!(
        template,
        router_routes(),
        "template.yaml and the Cargo.toml router"
    );
    assert_eq!(
        template,
        function_routes(),
        "template.yaml and functions/*/src/main.rs"
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
        function_names(),
        "events/ has a folder per function and nothing else"
    );
    for function in function_names() {
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
