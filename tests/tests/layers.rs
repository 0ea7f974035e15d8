//! The layers as ARCHITECTURE.md draws them, kept by reading the code: domain (pure rules)
//! <- store (DynamoDB) <- service (use cases) <- http (wire formats), and the functions call
//! only `http` and `service` (and name the crate's `Error`, which every layer shares). A
//! path into a layer above is a failure naming the file.

use std::path::{Path, PathBuf};
use trolley_tests::repo_root;

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// Every `<prefix><module>` path in the files under `dir` whose module is not `allowed`.
fn reaches(dir: &Path, prefix: &str, allowed: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        // Unit tests sit at the end of a file and may write their inputs as native bodies.
        let code_lines = text.lines().take_while(|l| l.trim() != "#[cfg(test)]");
        for (number, line) in code_lines.enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for (at, _) in code.match_indices(prefix) {
                let module: String = code[at + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !module.is_empty() && !allowed.contains(&module.as_str()) {
                    found.push(format!(
                        "{}:{}: {}",
                        file.display(),
                        number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn functions_call_only_http_and_service() {
    let allowed = ["http", "service", "Error"];
    let found = reaches(&repo_root().join("functions"), "trolley::", &allowed);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    let shared = repo_root().join("shared/src");
    // The modules each layer may name in the crate besides itself; every layer shares the
    // error catalogue.
    let below: [(&str, &[&str]); 4] = [
        ("domain", &["domain"]),
        ("store", &["store", "domain"]),
        ("service", &["service", "store", "domain", "config"]),
        // The wire formats go through the use cases, never to DynamoDB themselves.
        ("http", &["http", "service", "domain", "config"]),
    ];
    let shared_by_all = ["error", "Error", "ErrorKind", "Problem", "Code"];
    for (layer, modules) in below {
        let allowed: Vec<&str> = modules.iter().chain(&shared_by_all).copied().collect();
        let found = reaches(&shared.join(layer), "crate::", &allowed);
        assert!(found.is_empty(), "{layer} reaches up: {found:#?}");
    }
}

#[test]
fn request_bodies_live_at_the_edge() {
    // A body's field names, nesting and unknown-field rule are the wire format's; the layers
    // below take commands built from domain types.
    let shared = repo_root().join("shared/src");
    for layer in ["domain", "store", "service"] {
        for file in rust_files(&shared.join(layer)) {
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(
                !text.contains("deny_unknown_fields"),
                "{} declares a request body",
                file.display()
            );
        }
    }
}
