//! The routes, read from every place that names them: template.yaml (API Gateway), the local
//! router in Cargo.toml (`cargo lambda watch`), each function's main.rs, and openapi.yaml.
//! One way to read each, for the tests that check they agree (tests/tests/routes.rs and
//! tests/tests/openapi.rs).

use crate::repo_root;
use serde_yaml_ng::Value;
use std::collections::BTreeSet;
use std::fmt;

/// One HTTP route: a method and a path template, served by a function.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    pub method: String,
    pub path: String,
    pub function: String,
}

impl Route {
    fn new(method: &str, path: &str, function: &str) -> Route {
        Route {
            method: method.to_string(),
            path: path.to_string(),
            function: function.to_string(),
        }
    }

    /// `METHOD /path`, without the function.
    pub fn endpoint(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.method, self.path, self.function)
    }
}

/// The functions that are not an HTTP route: the scheduled sweep, and the Lambda authorizer
/// API Gateway calls before `/v3` routes when deployed with `V3Auth=TOKEN`.
pub const NOT_ROUTES: [&str; 2] = ["flag-abandoned-carts", "authorize-v3-token"];

fn read(relative: &str) -> String {
    let path = repo_root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml(relative: &str) -> Value {
    serde_yaml_ng::from_str(&read(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Every `HttpApi` event of every function in template.yaml.
pub fn template() -> BTreeSet<Route> {
    let template = yaml("template.yaml");
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
            routes.insert(Route::new(
                properties["Method"].as_str().unwrap(),
                properties["Path"].as_str().unwrap(),
                function,
            ));
        }
    }
    routes
}

/// Who may call each route, from the HTTP API's definition in template.yaml: `"iam"` where a
/// route always needs SigV4, `"cart"` where the `CartAuth` parameter decides (an `Fn::If`
/// on its conditions), `"v3"` where `V3Auth` picks the token authorizer or else IAM.
pub fn template_security() -> std::collections::BTreeMap<String, String> {
    let template = yaml("template.yaml");
    let paths = &template["Resources"]["HttpApi"]["Properties"]["DefinitionBody"]["paths"];
    let mut security = std::collections::BTreeMap::new();
    for (path, operations) in paths.as_mapping().expect("DefinitionBody has paths") {
        for (method, operation) in operations.as_mapping().expect("a path item") {
            let rule = &operation["security"];
            let condition = rule.get("Fn::If").and_then(|f| f[0].as_str());
            let iam_only = |rule: &Value| {
                rule.as_sequence()
                    .is_some_and(|s| s.len() == 1 && s[0].get("iam").is_some())
            };
            let who = if condition == Some("CartAuthJwt") {
                "cart"
            } else if condition == Some("V3AuthToken")
                && rule["Fn::If"][1][0].get("v3Token").is_some()
                && iam_only(&rule["Fn::If"][2])
            {
                "v3"
            } else if iam_only(rule) {
                "iam"
            } else {
                "other"
            };
            let endpoint = format!(
                "{} {}",
                method.as_str().unwrap().to_uppercase(),
                path.as_str().unwrap()
            );
            security.insert(endpoint, who.to_string());
        }
    }
    security
}

/// `[workspace.metadata.lambda.watch.router]` in Cargo.toml: what `make run` serves.
pub fn router() -> BTreeSet<Route> {
    let manifest: toml::Table = read("Cargo.toml").parse().unwrap();
    let router = manifest["workspace"]["metadata"]["lambda"]["watch"]["router"]
        .as_table()
        .expect("Cargo.toml has [workspace.metadata.lambda.watch.router]");
    let mut routes = BTreeSet::new();
    for (path, entries) in router {
        for entry in entries.as_array().unwrap() {
            routes.insert(Route::new(
                entry["method"].as_str().unwrap(),
                path,
                entry["function"].as_str().unwrap(),
            ));
        }
    }
    routes
}

/// Each HTTP function's main.rs documents its native `METHOD /path` in its first line and
/// serves every `"METHOD /path"` it names (the native route, and another wire format's for
/// the same operation); the scheduled sweep has no route.
pub fn functions() -> BTreeSet<Route> {
    let mut routes = BTreeSet::new();
    for function in function_names()
        .into_iter()
        .filter(|f| !NOT_ROUTES.contains(&f.as_str()))
    {
        let main = read(&format!("functions/{function}/src/main.rs"));
        let doc = main.lines().next().unwrap().trim_start_matches("//! `");
        let (method, rest) = doc.split_once(' ').unwrap();
        let path = rest.split('`').next().unwrap();
        assert!(
            main.contains(&format!("\"{method} {path}\"")),
            "{function} serves the route it documents"
        );
        for quoted in main.split('"').skip(1).step_by(2) {
            if let Some((method, path)) = quoted.split_once(' ')
                && ["GET", "POST", "PUT", "DELETE"].contains(&method)
                && path.starts_with('/')
            {
                routes.insert(Route::new(method, path, &function));
            }
        }
    }
    routes
}

/// The folders under functions/.
pub fn function_names() -> BTreeSet<String> {
    std::fs::read_dir(repo_root().join("functions"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect()
}

/// The HTTP methods an OpenAPI path item may hold.
const OPENAPI_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The OpenAPI files: the native API, and each other wire format's.
pub const OPENAPI_FILES: [&str; 3] = [
    "openapi.yaml",
    "openapi.bigcommerce.yaml",
    "openapi.elasticpath.yaml",
];

/// Every operation in the OpenAPI files; its `operationId` names the function that serves
/// it, unless `x-function` does (operationIds are unique, and one function may serve two
/// operations of a file).
pub fn openapi() -> BTreeSet<Route> {
    let mut routes = BTreeSet::new();
    for file in OPENAPI_FILES {
        routes.extend(openapi_file(file));
    }
    routes
}

fn openapi_file(file: &str) -> BTreeSet<Route> {
    let spec = yaml(file);
    let paths = spec["paths"]
        .as_mapping()
        .expect("an OpenAPI file has paths");
    let mut routes = BTreeSet::new();
    for (path, item) in paths {
        let path = path.as_str().expect("a path is a string");
        for method in OPENAPI_METHODS {
            let operation = &item[method];
            if operation.is_null() {
                continue;
            }
            let function = operation["x-function"]
                .as_str()
                .or(operation["operationId"].as_str())
                .unwrap_or_else(|| panic!("{method} {path} has an operationId"));
            routes.insert(Route::new(&method.to_uppercase(), path, function));
        }
    }
    routes
}

/// Panics, listing what only one side has, unless `left` and `right` hold the same routes.
#[track_caller]
pub fn assert_same(
    left_name: &str,
    left: &BTreeSet<Route>,
    right_name: &str,
    right: &BTreeSet<Route>,
) {
    let only = |a: &BTreeSet<Route>, b: &BTreeSet<Route>| -> Vec<String> {
        a.difference(b).map(ToString::to_string).collect()
    };
    let (only_left, only_right) = (only(left, right), only(right, left));
    assert!(
        only_left.is_empty() && only_right.is_empty(),
        "{left_name} and {right_name} disagree\n  only in {left_name}: {only_left:?}\n  only in {right_name}: {only_right:?}"
    );
}
