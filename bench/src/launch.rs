//! Starting a function binary the way Lambda does: a clean environment, the runtime API's
//! address, and its log (JSON lines) captured to a file.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::process::{Child, Command};

/// Where the binaries are and what they run against.
#[derive(Clone)]
pub struct Launcher {
    pub binaries: PathBuf,
    pub endpoint: String,
    pub table: String,
    pub logs: PathBuf,
}

impl Launcher {
    /// Starts `binary` against the runtime API at `api`, logging to `log`.
    pub fn start(&self, binary: &str, api: &str, log: &Path) -> Child {
        let log = std::fs::File::create(log).expect("a log file");
        Command::new(self.binaries.join(binary))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("AWS_LAMBDA_RUNTIME_API", api)
            .env("AWS_LAMBDA_FUNCTION_NAME", binary)
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "local")
            .env("AWS_SECRET_ACCESS_KEY", "local")
            .env("AWS_ENDPOINT_URL_DYNAMODB", &self.endpoint)
            .env("TABLE_NAME", &self.table)
            // As deployed (template.yaml): settings and promotions reused for 30 s.
            .env("CONFIG_CACHE_SECONDS", "30")
            .env("STOREFRONT_URL", "http://localhost:3000")
            .env("SIGNING_KEYS", trolley_tests::fixtures::LOCAL_SIGNING_KEYS)
            .env("CHECKOUT_KEY", trolley_tests::fixtures::LOCAL_CHECKOUT_KEY)
            .env(
                "V3_AUTH_TOKEN",
                trolley_tests::fixtures::LOCAL_V3_AUTH_TOKEN,
            )
            .env("CART_AUTH", "NONE")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("a log file"))
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("{binary} starts: {e}"))
    }
}

/// Peak resident memory of a running process, in KiB (`VmHWM`).
pub fn peak_rss_kib(child: &Child) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id()?)).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The per-request log lines (`fields` of `"message": "request"`) in a function's log.
pub fn request_lines(log: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["fields"]["message"] == "request")
        .map(|line| line["fields"].clone())
        .collect()
}

/// An API Gateway HTTP API (payload 2.0) event, as the functions receive them.
pub fn http_event(route: &str, path: &str, body: Option<&Value>) -> String {
    let (method, template) = route.split_once(' ').expect("METHOD /path");
    let mut parameters = serde_json::Map::new();
    for (pattern, segment) in template.split('/').zip(path.split('/')) {
        if let Some(name) = pattern.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            parameters.insert(name.to_string(), Value::String(segment.to_string()));
        }
    }
    let mut event = serde_json::json!({
        "version": "2.0", "routeKey": route, "rawPath": path, "rawQueryString": "",
        "headers": {"content-type": "application/json", "host": "bench"},
        "requestContext": {"accountId": "123456789012", "apiId": "bench", "domainName": "bench", "domainPrefix": "bench",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "bench"},
            "requestId": uuid::Uuid::new_v4().to_string(), "routeKey": route, "stage": "$default",
            "time": "22/Nov/2026:12:00:00 +0000", "timeEpoch": 0},
        "pathParameters": parameters, "isBase64Encoded": false
    });
    if let Some(body) = body {
        event["body"] = Value::String(body.to_string());
    }
    event.to_string()
}

/// The status code in a function's answer to an HTTP event.
pub fn status(answer: &str) -> u64 {
    serde_json::from_str::<Value>(answer)
        .ok()
        .and_then(|v| v["statusCode"].as_u64())
        .unwrap_or(0)
}
