//! Creates the DynamoDB table from its one definition, the `AWS::DynamoDB::Table` resource in
//! template.yaml, so local set-up, tests and AWS cannot drift apart. A property this code
//! does not know makes it fail, rather than silently build a different table.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, StreamSpecification, StreamViewType,
    TimeToLiveSpecification,
};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_yaml_ng::Value;
use std::path::Path;

/// The table resource's properties, as CloudFormation names them.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TableDefinition {
    pub billing_mode: String,
    pub attribute_definitions: Vec<Attribute>,
    pub key_schema: Vec<Key>,
    #[serde(default)]
    pub global_secondary_indexes: Vec<Index>,
    pub time_to_live_specification: Option<TimeToLive>,
    pub stream_specification: Option<Stream>,
    /// Backups do not exist in DynamoDB Local; named here so it is not an unknown property.
    pub point_in_time_recovery_specification: Option<IgnoredAny>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Attribute {
    pub attribute_name: String,
    pub attribute_type: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Key {
    pub attribute_name: String,
    pub key_type: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Index {
    pub index_name: String,
    pub key_schema: Vec<Key>,
    pub projection: IndexProjection,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct IndexProjection {
    pub projection_type: String,
    #[serde(default)]
    pub non_key_attributes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TimeToLive {
    pub attribute_name: String,
    pub enabled: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Stream {
    pub stream_view_type: String,
}

/// Reads the one `AWS::DynamoDB::Table` resource of a SAM template.
pub fn definition_from(template: &Path) -> Result<TableDefinition, String> {
    let text =
        std::fs::read_to_string(template).map_err(|e| format!("{}: {e}", template.display()))?;
    let document: Value =
        serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", template.display()))?;
    let resources = document
        .get("Resources")
        .and_then(Value::as_mapping)
        .ok_or("template has no Resources")?;
    let mut tables = resources.values().filter(|resource| {
        resource.get("Type").and_then(Value::as_str) == Some("AWS::DynamoDB::Table")
    });
    let table = tables
        .next()
        .ok_or("template defines no AWS::DynamoDB::Table")?;
    if tables.next().is_some() {
        return Err("template defines more than one table".into());
    }
    let properties = table
        .get("Properties")
        .cloned()
        .ok_or("the table resource has no Properties")?;
    serde_yaml_ng::from_value(properties).map_err(|e| format!("table properties: {e}"))
}

fn keys(schema: &[Key]) -> Result<Vec<KeySchemaElement>, String> {
    schema
        .iter()
        .map(|k| {
            KeySchemaElement::builder()
                .attribute_name(&k.attribute_name)
                .key_type(KeyType::from(k.key_type.as_str()))
                .build()
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// Creates `name` from the definition and enables its TTL. An existing table is left as it is.
pub async fn create(client: &Client, name: &str, table: &TableDefinition) -> Result<(), String> {
    if client
        .describe_table()
        .table_name(name)
        .send()
        .await
        .is_ok()
    {
        return Ok(());
    }
    let mut request = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::from(table.billing_mode.as_str()))
        .set_key_schema(Some(keys(&table.key_schema)?));
    for attribute in &table.attribute_definitions {
        request = request.attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(&attribute.attribute_name)
                .attribute_type(ScalarAttributeType::from(attribute.attribute_type.as_str()))
                .build()
                .map_err(|e| e.to_string())?,
        );
    }
    for index in &table.global_secondary_indexes {
        let projection = Projection::builder()
            .projection_type(ProjectionType::from(
                index.projection.projection_type.as_str(),
            ))
            .set_non_key_attributes(
                (!index.projection.non_key_attributes.is_empty())
                    .then(|| index.projection.non_key_attributes.clone()),
            )
            .build();
        request = request.global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(&index.index_name)
                .set_key_schema(Some(keys(&index.key_schema)?))
                .projection(projection)
                .build()
                .map_err(|e| e.to_string())?,
        );
    }
    if let Some(stream) = &table.stream_specification {
        request = request.stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::from(stream.stream_view_type.as_str()))
                .build()
                .map_err(|e| e.to_string())?,
        );
    }
    request
        .send()
        .await
        .map_err(|e| format!("CreateTable {name}: {e:?}"))?;

    if let Some(ttl) = &table.time_to_live_specification {
        client
            .update_time_to_live()
            .table_name(name)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name(&ttl.attribute_name)
                    .enabled(ttl.enabled)
                    .build()
                    .map_err(|e| e.to_string())?,
            )
            .send()
            .await
            .map_err(|e| format!("UpdateTimeToLive {name}: {e:?}"))?;
    }
    Ok(())
}
