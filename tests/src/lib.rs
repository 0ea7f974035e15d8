//! Shared by the local tools (`local-setup`) and the end-to-end tests: the table built from
//! template.yaml, the fixtures the events/ files refer to, and an HTTP client for the API.

pub mod api;
pub mod fixtures;
pub mod table;

use std::path::PathBuf;

/// The repository's root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A variable the test runner (`make test`) sets; a test without it fails rather than skips.
pub fn required_env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run the tests with `make test`"))
}

/// The store the functions under test use (`TABLE_NAME`, `AWS_ENDPOINT_URL_DYNAMODB`).
pub async fn store() -> trolley::store::Store {
    required_env("AWS_ENDPOINT_URL_DYNAMODB");
    trolley::store::Store::from_env()
        .await
        .expect("TABLE_NAME is set by make test")
}

/// The use cases over that store, reading settings and promotions afresh every time (no
/// cache), as the local stack's functions do.
pub async fn app() -> trolley::service::App {
    trolley::service::App::new(store().await, std::time::Duration::ZERO)
}
