//! IAM checked offline: what each function's policy in template.yaml grants on the table,
//! against what the functions were seen to use (`trolley::store::access`, recorded while
//! `make test` runs). Every use needs a grant; every grant needs a use.

use serde_yaml_ng::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use trolley::store::access::Access;

/// One grant, or one use: action, `table` or `index/<name>`, and key prefix.
pub type Grant = (String, String, String);

/// Each function's DynamoDB grants, by function name (its `CodeUri` folder).
pub fn policies_from(template: &Path) -> Result<BTreeMap<String, BTreeSet<Grant>>, String> {
    let text = std::fs::read_to_string(template).map_err(|e| e.to_string())?;
    let document: Value = serde_yaml_ng::from_str(&text).map_err(|e| e.to_string())?;
    let resources = document
        .get("Resources")
        .and_then(Value::as_mapping)
        .ok_or("template has no Resources")?;
    let mut policies = BTreeMap::new();
    for resource in resources.values() {
        if resource.get("Type").and_then(Value::as_str) != Some("AWS::Serverless::Function") {
            continue;
        }
        let properties = &resource["Properties"];
        let name = properties["CodeUri"]
            .as_str()
            .and_then(|uri| uri.strip_prefix("functions/"))
            .ok_or("a function without CodeUri functions/<name>")?;
        let mut grants = BTreeSet::new();
        for policy in properties["Policies"].as_sequence().into_iter().flatten() {
            for statement in policy["Statement"].as_sequence().into_iter().flatten() {
                grants.extend(statement_grants(statement)?);
            }
        }
        policies.insert(name.to_string(), grants);
    }
    Ok(policies)
}

/// The (action, resource, key) triples one Allow statement grants on the table.
fn statement_grants(statement: &Value) -> Result<Vec<Grant>, String> {
    if statement["Effect"].as_str() != Some("Allow") {
        return Err(format!(
            "only Allow statements are understood: {statement:?}"
        ));
    }
    let strings = |value: &Value| -> Vec<String> {
        match value {
            Value::String(one) => vec![one.clone()],
            Value::Sequence(many) => many
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    let actions = strings(&statement["Action"]);
    let resource = table_resource(&statement["Resource"])?;
    let condition = &statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"];
    let keys = strings(condition);
    if keys.is_empty() {
        return Err(format!("a grant without dynamodb:LeadingKeys: {actions:?}"));
    }
    let mut grants = Vec::new();
    for action in &actions {
        for key in &keys {
            grants.push((action.clone(), resource.clone(), key.clone()));
        }
    }
    Ok(grants)
}

/// `!GetAtt CartsTable.Arn` is the table; `!Sub "${CartsTable.Arn}/index/X"` an index.
fn table_resource(value: &Value) -> Result<String, String> {
    let Value::Tagged(tagged) = value else {
        return Err(format!("a resource that is not the table: {value:?}"));
    };
    match (tagged.tag.to_string().as_str(), tagged.value.as_str()) {
        ("!GetAtt", Some("CartsTable.Arn")) => Ok("table".into()),
        ("!Sub", Some(text)) => text
            .strip_prefix("${CartsTable.Arn}/")
            .map(str::to_owned)
            .ok_or_else(|| format!("a resource that is not the table: {text}")),
        _ => Err(format!("a resource that is not the table: {value:?}")),
    }
}

/// What one function's policy lacks and what it grants in vain.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Findings {
    pub missing: BTreeSet<Grant>,
    pub unused: BTreeSet<Grant>,
}

/// Compares the recorded uses with the policies, function by function. A function that
/// was never seen at all is reported with all its grants unused.
pub fn check(
    policies: &BTreeMap<String, BTreeSet<Grant>>,
    seen: &BTreeSet<Access>,
) -> BTreeMap<String, Findings> {
    let mut used: BTreeMap<&str, BTreeSet<Grant>> = BTreeMap::new();
    // Records made outside any function (a test's own client) say nothing about policies.
    for access in seen.iter().filter(|a| !a.function.is_empty()) {
        used.entry(access.function.as_str()).or_default().insert((
            access.action.clone(),
            access.resource.clone(),
            access.key.clone(),
        ));
    }
    let names: BTreeSet<&str> = policies
        .keys()
        .map(String::as_str)
        .chain(used.keys().copied())
        .collect();
    let none = BTreeSet::new();
    names
        .into_iter()
        .map(|name| {
            let granted = policies.get(name).unwrap_or(&none);
            let uses = used.get(name).unwrap_or(&none);
            let findings = Findings {
                missing: uses.difference(granted).cloned().collect(),
                unused: granted.difference(uses).cloned().collect(),
            };
            (name.to_string(), findings)
        })
        .collect()
}

/// Reads the recorded uses (JSON lines).
pub fn read_record(path: &Path) -> Result<BTreeSet<Access>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .map(|line| serde_json::from_str(line).map_err(|e| format!("{line}: {e}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(function: &str, action: &str, key: &str) -> Access {
        Access {
            function: function.into(),
            action: format!("dynamodb:{action}"),
            resource: "table".into(),
            key: key.into(),
        }
    }

    #[test]
    fn the_template_parses_and_a_missing_or_unused_grant_is_found() {
        let policies = policies_from(&crate::repo_root().join("template.yaml")).unwrap();
        assert!(policies["get-cart"].contains(&(
            "dynamodb:GetItem".into(),
            "table".into(),
            "CART#*".into()
        )));
        let mut seen: BTreeSet<Access> = policies["get-order"]
            .iter()
            .map(|(action, resource, key)| Access {
                function: "get-order".into(),
                action: action.clone(),
                resource: resource.clone(),
                key: key.clone(),
            })
            .collect();
        let only_get_order = |policies: &BTreeMap<String, BTreeSet<Grant>>| {
            policies
                .iter()
                .filter(|(name, _)| *name == "get-order")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<BTreeMap<_, _>>()
        };
        let exact = check(&only_get_order(&policies), &seen);
        assert_eq!(exact["get-order"], Findings::default());
        seen.insert(access("get-order", "DeleteItem", "ORDER#*"));
        let findings = check(&only_get_order(&policies), &seen);
        assert_eq!(findings["get-order"].missing.len(), 1);
        let findings = check(&only_get_order(&policies), &BTreeSet::new());
        assert!(!findings["get-order"].unused.is_empty());
    }
}
