//! Every file in events/ goes through `cargo lambda invoke` to the running functions (against
//! DynamoDB Local) and must answer with the status its name starts with. The fixtures are
//! rewritten before each event, so every event meets the state it was written for.

use serde_json::Value;
use std::process::Command;
use trolley_tests::{fixtures, repo_root, required_env};

#[tokio::test]
async fn every_event_answers_with_the_status_its_name_says() {
    let store = trolley_tests::store().await;
    let api = required_env("TROLLEY_API_URL");
    let port = api.rsplit(':').next().expect("TROLLEY_API_URL has a port");

    let mut events: Vec<_> = std::fs::read_dir(repo_root().join("events"))
        .expect("events/ exists")
        .flat_map(|dir| std::fs::read_dir(dir.unwrap().path()).unwrap())
        .map(|file| file.unwrap().path())
        .collect();
    events.sort();
    assert!(events.len() >= 20, "events/ holds {} files", events.len());

    for path in &events {
        let function = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let case = path.file_stem().unwrap().to_str().unwrap();
        let expected: u16 = case
            .split('-')
            .next()
            .unwrap()
            .parse()
            .expect("the file name starts with a status");
        fixtures::seed(&store, trolley::service::now())
            .await
            .expect("fixtures written");

        let output = Command::new("cargo")
            .args(["lambda", "invoke", function, "--output-format", "json"])
            .args(["--invoke-address", "127.0.0.1", "--invoke-port", port])
            .arg("--data-file")
            .arg(path)
            .output()
            .expect("cargo lambda runs");
        let (stdout, stderr) = (
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
        if !output.status.success() {
            // Only a function that is not behind HTTP (the scheduled sweep) fails an
            // invocation; HTTP functions answer every error with a status.
            assert!(
                expected >= 400 && stderr.contains("Error"),
                "{function}/{case}: {stderr}{stdout}"
            );
            continue;
        }
        let response: Value =
            serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{function}/{case}: {stdout}"));
        match (response.get("statusCode"), response.get("isAuthorized")) {
            (Some(status), _) => assert_eq!(status, expected, "{function}/{case}: {response:#}"),
            // A Lambda authorizer's answer: API Gateway answers 403 to a refused request.
            (None, Some(allowed)) => assert_eq!(
                allowed.as_bool(),
                Some(expected == 200),
                "{function}/{case}: {response:#}"
            ),
            (None, None) => assert!(
                expected < 300,
                "{function}/{case} should have refused the event: {response:#}"
            ),
        }
    }
}

/// The signed tokens in events/ are the fixtures' tokens under the development key (an event
/// file cannot compute one, so this keeps them from drifting when the token format changes).
#[test]
fn the_events_tokens_are_the_fixtures_tokens() {
    let read = |path: &str| std::fs::read_to_string(repo_root().join(path)).unwrap();
    let valid = read("events/resolve-redirect-token/200-valid.json");
    assert!(valid.contains(&fixtures::redirect_token().unwrap()));
    let found = read("events/get-abandoned-cart/200-found.json");
    assert!(found.contains(&fixtures::recovery_token().unwrap()));
    let lib = read("scripts/lib.sh");
    assert!(
        lib.contains(&format!("SIGNING_KEYS='{}'", fixtures::LOCAL_SIGNING_KEYS)),
        "scripts/lib.sh gives the functions the fixtures' keys"
    );
    assert!(lib.contains(&format!("CHECKOUT_KEY={}", fixtures::LOCAL_CHECKOUT_KEY)));
    assert!(lib.contains(&format!("V3_AUTH_TOKEN={}", fixtures::LOCAL_V3_AUTH_TOKEN)));
    let allowed = read("events/authorize-v3-token/200-allowed.json");
    assert!(allowed.contains(&format!("\"{}\"", fixtures::LOCAL_V3_AUTH_TOKEN)));
}
