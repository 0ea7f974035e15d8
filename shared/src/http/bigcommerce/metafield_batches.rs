//! BigCommerce's batch cart metafields (`/v3/carts/metafields`): bodies that are JSON arrays
//! of metafields across carts, answers that report each item's success or failure, and the
//! listing of every cart's metafields with BigCommerce's filters, pages and cursors.

use super::errors::batch_failure;
use super::metafields::{MetafieldView, Page, view};
use crate::domain::metafields::{Metafield, MetafieldChange, MetafieldInput, PermissionSet};
use crate::domain::values::Text;
use crate::http::ApiRequest;
use crate::http::bodies::present;
use crate::http::response::json;
use crate::service::metafields::{MAX_BATCH, Outcomes};
use crate::{Code, Error};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use lambda_http::{Body, Response, http::StatusCode};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use uuid::Uuid;

/// One item of a batch `POST`: a new metafield and the cart (`resource_id`) it goes on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewCartMetafield {
    permission_set: PermissionSet,
    namespace: Text<1, 64>,
    key: Text<1, 64>,
    value: Text<1, 65_535>,
    #[serde(default, deserialize_with = "present")]
    description: Option<Text<0, 255>>,
    resource_id: String,
}

/// One item of a batch `PUT`: the metafield's `id` and the fields that change.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CartMetafieldUpdate {
    #[serde(deserialize_with = "metafield_id")]
    id: u64,
    #[serde(default, deserialize_with = "present")]
    permission_set: Option<PermissionSet>,
    #[serde(default, deserialize_with = "present")]
    namespace: Option<Text<1, 64>>,
    #[serde(default, deserialize_with = "present")]
    key: Option<Text<1, 64>>,
    #[serde(default, deserialize_with = "present")]
    value: Option<Text<1, 65_535>>,
    #[serde(default, deserialize_with = "present")]
    description: Option<Text<0, 255>>,
}

/// A metafield id, as BigCommerce writes it in one place or another: an integer (`7.0`
/// too, as JSON counts it one), or a string of its digits.
fn metafield_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let id = match Value::deserialize(deserializer)? {
        Value::Number(n) => n.as_u64().or_else(|| {
            let x = n.as_f64()?;
            (x.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(&x)).then_some(x as u64)
        }),
        Value::String(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse().ok()
        }
        _ => None,
    };
    id.ok_or_else(|| {
        serde::de::Error::custom("must be a metafield id: an integer, or a string of its digits")
    })
}

#[derive(Deserialize)]
#[serde(transparent)]
struct Id(#[serde(deserialize_with = "metafield_id")] u64);

/// A batch body: a JSON array of 1 to `MAX_BATCH` items.
fn batch<T: serde::de::DeserializeOwned>(request: &ApiRequest) -> Result<Vec<T>, Error> {
    let items: Vec<T> = request.required_json().map_err(|err| {
        // A body of the wrong type is wrong as a whole: say so by name.
        if err.code() == Code::ValidationFailed && err.problems[0].source.is_none() {
            err.at("body")
        } else {
            err
        }
    })?;
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(Error::invalid(
            "body",
            format!("a batch holds 1 to {MAX_BATCH} items"),
        ));
    }
    Ok(items)
}

/// The metafields a batch `POST` adds, each with its cart. A `resource_id` that is not a
/// cart id names no cart, so that item fails as not found (its position says which).
pub fn new_cart_metafields(request: &ApiRequest) -> Result<Vec<(Uuid, MetafieldInput)>, Error> {
    Ok(batch::<NewCartMetafield>(request)?
        .into_iter()
        .map(|item| {
            let cart = Uuid::parse_str(&item.resource_id).unwrap_or(Uuid::nil());
            let input = MetafieldInput {
                namespace: item.namespace,
                key: item.key,
                value: item.value,
                description: item.description.unwrap_or_default(),
                permission_set: item.permission_set,
            };
            (cart, input)
        })
        .collect())
}

/// The changes a batch `PUT` asks for, by metafield id.
pub fn cart_metafield_changes(request: &ApiRequest) -> Result<Vec<(u64, MetafieldChange)>, Error> {
    Ok(batch::<CartMetafieldUpdate>(request)?
        .into_iter()
        .map(|item| {
            let change = MetafieldChange {
                namespace: item.namespace,
                key: item.key,
                value: item.value,
                description: item.description,
                permission_set: item.permission_set,
            };
            (item.id, change)
        })
        .collect())
}

/// The metafield ids a batch `DELETE` names.
pub fn metafield_ids(request: &ApiRequest) -> Result<Vec<u64>, Error> {
    Ok(batch::<Id>(request)?.into_iter().map(|Id(id)| id).collect())
}

/// A batch answer: `{"data": [...], "errors": [...], "meta": {total, success, failed}}`,
/// `200` when every item succeeded, `422` when any failed. A failure is keyed by the
/// item's metafield id, or (for a new metafield, which has none) by its position.
fn outcome<T>(
    outcomes: Outcomes<T>,
    key: impl Fn(usize) -> String,
    show: impl Fn(T) -> Value,
) -> Response<Body> {
    let total = outcomes.len();
    let (mut data, mut errors) = (Vec::new(), Vec::new());
    for (i, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            Ok(done) => data.push(show(done)),
            Err(err) => errors.push(batch_failure(&key(i), &err)),
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let meta = serde_json::json!({
        "total": total, "success": data.len(), "failed": errors.len(),
    });
    json(
        status,
        &serde_json::json!({"data": data, "errors": errors, "meta": meta}),
    )
}

fn shown(cart: Uuid, m: &Metafield) -> Value {
    serde_json::to_value(view(cart, m)).unwrap_or_default()
}

/// The answer to a batch `POST`.
pub fn created_metafields(outcomes: Outcomes<(Uuid, Metafield)>) -> Response<Body> {
    outcome(outcomes, |i| i.to_string(), |(cart, m)| shown(cart, &m))
}

/// The answer to a batch `PUT`: failures keyed by the ids asked for.
pub fn updated_metafields(ids: &[u64], outcomes: Outcomes<(Uuid, Metafield)>) -> Response<Body> {
    outcome(
        outcomes,
        |i| ids[i].to_string(),
        |(cart, m)| shown(cart, &m),
    )
}

/// The answer to a batch `DELETE`: the ids removed.
pub fn deleted_metafields(ids: &[u64], outcomes: Outcomes<u64>) -> Response<Body> {
    outcome(outcomes, |i| ids[i].to_string(), Value::from)
}

/// `GET /v3/carts/metafields`: every cart's metafields, filtered (`key`, `key:in`,
/// `namespace`, `namespace:in`, `date_created:min|max`, `date_modified:min|max`), oldest
/// first (`direction=desc`: newest first), a page at a time by `page` or by the cursors
/// `after` and `before`, each metafield shown with `id` and the `include_fields` asked for
/// (all, by default).
pub fn all_metafields(
    request: &ApiRequest,
    all: &[(Uuid, Metafield)],
) -> Result<Response<Body>, Error> {
    let filters = Filters::of(request)?;
    let fields = include_fields(request)?;
    let chosen: Vec<(Uuid, &Metafield)> = all
        .iter()
        .filter(|(_, m)| filters.keep(m))
        .map(|(cart, m)| (*cart, m))
        .collect();
    let page = Page::of(request, chosen, KEPT)?;
    let data: Vec<Value> = page
        .shown
        .iter()
        .map(|(cart, m)| fields.pick(&view(*cart, m)))
        .collect();
    let body = serde_json::json!({"data": data, "meta": page.meta});
    Ok(json(StatusCode::OK, &body))
}

/// Checks the listing's query before anything is read, so a bad one is `400` without the
/// cost of the read.
pub fn check_all_metafields_query(request: &ApiRequest) -> Result<(), Error> {
    Filters::of(request)?;
    include_fields(request)?;
    Page::of(request, Vec::new(), KEPT)?;
    Ok(())
}

/// The query parameters a listing's links carry on.
const KEPT: &[&str] = &[
    "key",
    "key:in",
    "namespace",
    "namespace:in",
    "direction",
    "include_fields",
    "date_created:min",
    "date_created:max",
    "date_modified:min",
    "date_modified:max",
];

struct Filters {
    keys: Option<Vec<String>>,
    namespaces: Option<Vec<String>>,
    created: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    modified: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
}

impl Filters {
    fn of(request: &ApiRequest) -> Result<Filters, Error> {
        let date = |name: &str| request.query(name).map(|t| instant(name, &t)).transpose();
        Ok(Filters {
            keys: one_of(request, "key"),
            namespaces: one_of(request, "namespace"),
            created: (date("date_created:min")?, date("date_created:max")?),
            modified: (date("date_modified:min")?, date("date_modified:max")?),
        })
    }

    fn keep(&self, m: &Metafield) -> bool {
        let within = |at: DateTime<Utc>, (min, max): (Option<_>, Option<_>)| {
            min.is_none_or(|min| at >= min) && max.is_none_or(|max| at <= max)
        };
        self.keys.as_ref().is_none_or(|k| k.contains(&m.key))
            && self
                .namespaces
                .as_ref()
                .is_none_or(|n| n.contains(&m.namespace))
            && within(m.created_at, self.created)
            && within(m.updated_at, self.modified)
    }
}

/// `name` and `name:in` (comma-separated) together: the values either allows.
fn one_of(request: &ApiRequest, name: &str) -> Option<Vec<String>> {
    let one = request.query(name);
    let many = request.query(&format!("{name}:in"));
    if one.is_none() && many.is_none() {
        return None;
    }
    let mut values: Vec<String> = one.into_iter().collect();
    if let Some(list) = many {
        values.extend(list.split(',').map(str::to_owned));
    }
    Some(values)
}

/// A date filter: a date-time with or without an offset (UTC when none), or a date
/// (its midnight, UTC).
fn instant(name: &str, text: &str) -> Result<DateTime<Utc>, Error> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    if let Ok(at) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S") {
        return Ok(at.and_utc());
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    Err(Error::invalid(
        name,
        format!("{name} must be a date (2024-05-14) or a date-time (2024-05-14T09:34:00)"),
    ))
}

/// The fields `include_fields` asks for; `id` always comes too.
struct Fields(Option<Vec<String>>);

const FIELDS: &[&str] = &[
    "resource_id",
    "key",
    "value",
    "namespace",
    "permission_set",
    "resource_type",
    "description",
    "owner_client_id",
    "date_created",
    "date_modified",
];

fn include_fields(request: &ApiRequest) -> Result<Fields, Error> {
    let Some(list) = request.query("include_fields") else {
        return Ok(Fields(None));
    };
    let names: Vec<String> = list.split(',').map(str::to_owned).collect();
    if let Some(unknown) = names.iter().find(|n| !FIELDS.contains(&n.as_str())) {
        return Err(Error::invalid(
            "include_fields",
            format!("include_fields: {unknown:?} is not a metafield field"),
        ));
    }
    Ok(Fields(Some(names)))
}

impl Fields {
    fn pick(&self, view: &MetafieldView<'_>) -> Value {
        let Ok(Value::Object(all)) = serde_json::to_value(view) else {
            return Value::Null;
        };
        let Some(names) = &self.0 else {
            return Value::Object(all);
        };
        let picked: Map<String, Value> = all
            .into_iter()
            .filter(|(name, _)| name == "id" || names.contains(name))
            .collect();
        Value::Object(picked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_filter_is_a_date_time_or_a_date() {
        let at = |text: &str| instant("date_created:min", text).map(|t| t.to_rfc3339());
        assert_eq!(
            at("2024-05-14T09:34:00").unwrap(),
            "2024-05-14T09:34:00+00:00"
        );
        assert_eq!(at("2024-05-14").unwrap(), "2024-05-14T00:00:00+00:00");
        assert_eq!(
            at("2024-05-14T09:34:00.5+02:00").unwrap(),
            "2024-05-14T07:34:00.500+00:00"
        );
        assert_eq!(
            at("2024-05-14t09:34:00z").unwrap(),
            "2024-05-14T09:34:00+00:00"
        );
        for bad in ["", "yesterday", "2024-13-01", "2024-02-30", "14/05/2024"] {
            let err = at(bad).unwrap_err();
            assert_eq!(
                err.problems[0].source.as_deref(),
                Some("date_created:min"),
                "{bad}"
            );
        }
    }
}
