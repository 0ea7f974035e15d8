//! Records which DynamoDB actions, on which table or index and which key prefixes, this
//! function actually uses, when `TROLLEY_ACCESS_LOG` names a file (the end-to-end tests set
//! it; deployed functions never do). DynamoDB Local ignores IAM, so `make test` compares
//! this record with each function's policy in template.yaml (`iam-check`): a grant a
//! function lacks, or one it never uses, fails the build instead of showing up in AWS.

use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;

/// One use of DynamoDB, as IAM sees it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Access {
    /// The Lambda function (its binary's name).
    pub function: String,
    /// The IAM action: `dynamodb:GetItem`... (each action of a transaction is its own).
    pub action: String,
    /// `table`, or `index/<name>`.
    pub resource: String,
    /// The partition key's prefix as a `dynamodb:LeadingKeys` pattern: `CART#*`, or the
    /// whole key when it has no `#` (`SETTINGS`).
    pub key: String,
}

/// The variable naming the record file.
pub const ACCESS_LOG: &str = "TROLLEY_ACCESS_LOG";

/// The interceptor that records.
#[derive(Debug)]
pub struct RecordAccess {
    file: PathBuf,
    function: String,
}

impl RecordAccess {
    /// A recorder for this function (`AWS_LAMBDA_FUNCTION_NAME`) when the environment asks
    /// for one. Outside a function the name is empty, and the check ignores such records.
    pub(crate) fn from_env() -> Option<RecordAccess> {
        let function = std::env::var("AWS_LAMBDA_FUNCTION_NAME").unwrap_or_default();
        RecordAccess::for_function(&function)
    }

    /// A recorder that books what it sees to `function`: a test that drives one function's
    /// code path in-process (a fault DynamoDB Local cannot produce) records it for that
    /// function.
    pub fn for_function(function: &str) -> Option<RecordAccess> {
        let file = std::env::var_os(ACCESS_LOG)?;
        Some(RecordAccess {
            file: file.into(),
            function: function.to_string(),
        })
    }

    fn write(&self, accesses: &[Access]) {
        let mut text = String::new();
        for access in accesses {
            if let Ok(line) = serde_json::to_string(access) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        // One append per request: whole lines, even with many processes writing.
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.file)
            .and_then(|mut file| file.write_all(text.as_bytes()));
        if let Err(err) = written {
            tracing::warn!(%err, "cannot record DynamoDB access");
        }
    }
}

impl Intercept for RecordAccess {
    fn name(&self) -> &'static str {
        "RecordAccess"
    }

    /// After signing: the request as built, before anything (a test's fault injection)
    /// may change what is sent.
    fn read_after_signing(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let operation = cfg.load::<Metadata>().map(|m| m.name().to_string());
        let body = context
            .request()
            .body()
            .bytes()
            .and_then(|b| serde_json::from_slice(b).ok());
        if let (Some(operation), Some(body)) = (operation, body) {
            self.write(&accesses(&self.function, &operation, &body));
        }
        Ok(())
    }
}

/// The IAM view of one request's JSON body.
pub fn accesses(function: &str, operation: &str, body: &Value) -> Vec<Access> {
    let access = |action: &str, resource: String, pk: Option<&str>| Access {
        function: function.to_string(),
        action: format!("dynamodb:{action}"),
        resource,
        key: pk.map_or_else(|| "*".to_string(), leading_key),
    };
    let pk = |item: &Value| {
        item.pointer("/PK/S")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let resource = |body: &Value| match body.get("IndexName").and_then(Value::as_str) {
        Some(index) => format!("index/{index}"),
        None => "table".to_string(),
    };
    match operation {
        "GetItem" | "UpdateItem" | "DeleteItem" => {
            vec![access(
                operation,
                resource(body),
                pk(&body["Key"]).as_deref(),
            )]
        }
        "PutItem" => vec![access(
            operation,
            resource(body),
            pk(&body["Item"]).as_deref(),
        )],
        "Query" => vec![access(
            operation,
            resource(body),
            query_partition(body).as_deref(),
        )],
        "BatchGetItem" => batch_keys(body)
            .iter()
            .map(|key| access("BatchGetItem", "table".into(), pk(key).as_deref()))
            .collect(),
        "TransactWriteItems" | "TransactGetItems" => body["TransactItems"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| {
                let (kind, inner) = item.as_object()?.iter().next()?;
                let action = match kind.as_str() {
                    "Put" => "PutItem",
                    "Update" => "UpdateItem",
                    "Delete" => "DeleteItem",
                    "ConditionCheck" => "ConditionCheckItem",
                    "Get" => "GetItem",
                    _ => return None,
                };
                let key = inner.get("Key").or_else(|| inner.get("Item"))?;
                Some(access(action, "table".into(), pk(key).as_deref()))
            })
            .collect(),
        other => vec![access(other, resource(body), None)],
    }
}

fn batch_keys(body: &Value) -> Vec<Value> {
    body["RequestItems"]
        .as_object()
        .into_iter()
        .flat_map(|tables| tables.values())
        .flat_map(|request| request["Keys"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// The partition key value a Query names: the value compared with `=` first in its key
/// condition (`#shard = :shard AND ...`, `GSI1PK = :pk`).
fn query_partition(body: &Value) -> Option<String> {
    let condition = body["KeyConditionExpression"].as_str()?;
    let (_, right) = condition.split_once('=')?;
    let placeholder = right.split_whitespace().next()?;
    body["ExpressionAttributeValues"][placeholder]["S"]
        .as_str()
        .map(str::to_owned)
}

/// `CART#1234` → `CART#*`; `SETTINGS` → `SETTINGS`; a customer's orders,
/// `ORDERS#CUSTOMER#abc` → `ORDERS#CUSTOMER#*` (the narrowest pattern their policy can take).
pub fn leading_key(pk: &str) -> String {
    if pk.starts_with(super::keys::CUSTOMER_ORDERS) {
        return format!("{}*", super::keys::CUSTOMER_ORDERS);
    }
    match pk.split_once('#') {
        Some((prefix, _)) => format!("{prefix}#*"),
        None => pk.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_operation_names_its_actions_resources_and_key_prefixes() {
        let seen = |operation: &str, body: Value| -> Vec<(String, String, String)> {
            accesses("f", operation, &body)
                .into_iter()
                .map(|a| (a.action, a.resource, a.key))
                .collect()
        };
        let triple =
            |a: &str, r: &str, k: &str| (format!("dynamodb:{a}"), r.to_string(), k.to_string());
        assert_eq!(
            seen(
                "GetItem",
                json!({"TableName": "t", "Key": {"PK": {"S": "CART#1"}, "SK": {"S": "CART"}}})
            ),
            [triple("GetItem", "table", "CART#*")]
        );
        assert_eq!(
            seen(
                "PutItem",
                json!({"TableName": "t", "Item": {"PK": {"S": "SETTINGS"}}})
            ),
            [triple("PutItem", "table", "SETTINGS")]
        );
        assert_eq!(
            seen(
                "Query",
                json!({"TableName": "t", "IndexName": "ByActivity",
                "KeyConditionExpression": "#shard = :shard AND #a < :c",
                "ExpressionAttributeValues": {":shard": {"S": "ACTIVE#3"}, ":c": {"S": "x"}}})
            ),
            [triple("Query", "index/ByActivity", "ACTIVE#*")]
        );
        assert_eq!(
            seen(
                "TransactWriteItems",
                json!({"TransactItems": [
                {"Put": {"Item": {"PK": {"S": "ORDER#1"}}}},
                {"Update": {"Key": {"PK": {"S": "PRODUCT#p"}}}},
                {"ConditionCheck": {"Key": {"PK": {"S": "CART#2"}}}}]})
            ),
            [
                triple("PutItem", "table", "ORDER#*"),
                triple("UpdateItem", "table", "PRODUCT#*"),
                triple("ConditionCheckItem", "table", "CART#*")
            ]
        );
        assert_eq!(
            seen(
                "BatchGetItem",
                json!({"RequestItems": {"t": {"Keys": [{"PK": {"S": "PRODUCT#a"}}]}}})
            ),
            [triple("BatchGetItem", "table", "PRODUCT#*")]
        );
    }

    #[test]
    fn a_customers_orders_are_told_apart_from_other_keys() {
        assert_eq!(leading_key("ORDERS#CUSTOMER#abc"), "ORDERS#CUSTOMER#*");
        assert_eq!(leading_key("ORDER#1"), "ORDER#*");
        assert_eq!(leading_key("CUSTOMER#abc"), "CUSTOMER#*");
    }
}
