//! BigCommerce's cart metafields (`/v3/carts/{cart_id}/metafields[/{metafield_id}]`): the
//! bodies, the path's metafield id, the list's filters and pages, and the views.

use super::views::{data, time};
use crate::Error;
use crate::domain::metafields::{Metafield, MetafieldChange, MetafieldInput, PermissionSet};
use crate::domain::values::Text;
use crate::http::ApiRequest;
use crate::http::bodies::present;
use crate::http::response::json;
use lambda_http::{Body, Response, http::StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// `POST …/metafields`: the four fields BigCommerce requires, and a description.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewMetafield {
    permission_set: PermissionSet,
    namespace: Text<1, 64>,
    key: Text<1, 64>,
    value: Text<1, 65_535>,
    #[serde(default, deserialize_with = "present")]
    description: Option<Text<0, 255>>,
}

/// `PUT …/metafields/{metafield_id}`: the fields given change, the rest stay.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetafieldUpdate {
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

/// The new metafield a `POST` body describes.
pub fn new_metafield(request: &ApiRequest) -> Result<MetafieldInput, Error> {
    let body = request.required_json::<NewMetafield>()?;
    Ok(MetafieldInput {
        namespace: body.namespace,
        key: body.key,
        value: body.value,
        description: body.description.unwrap_or_default(),
        permission_set: body.permission_set,
    })
}

/// The change a `PUT` body asks for.
pub fn metafield_change(request: &ApiRequest) -> Result<MetafieldChange, Error> {
    let body = request.required_json::<MetafieldUpdate>()?;
    Ok(MetafieldChange {
        namespace: body.namespace,
        key: body.key,
        value: body.value,
        description: body.description,
        permission_set: body.permission_set,
    })
}

/// The path's `metafield_id`: BigCommerce's ids are integers, so anything else names no
/// metafield (404).
pub fn metafield_id(request: &ApiRequest) -> Result<u64, Error> {
    request
        .path_param("metafield_id")
        .and_then(|text| text.parse().ok())
        .ok_or_else(|| Error::not_found("metafield"))
}

#[derive(Serialize)]
struct MetafieldView<'a> {
    /// BigCommerce's spec gives the id as a string of digits.
    id: String,
    key: &'a str,
    value: &'a str,
    namespace: &'a str,
    permission_set: PermissionSet,
    resource_type: &'static str,
    resource_id: String,
    description: &'a str,
    date_created: String,
    date_modified: String,
}

fn view(cart_id: Uuid, m: &Metafield) -> MetafieldView<'_> {
    MetafieldView {
        id: m.id.to_string(),
        key: &m.key,
        value: &m.value,
        namespace: &m.namespace,
        permission_set: m.permission_set,
        resource_type: "cart",
        resource_id: cart_id.to_string(),
        description: &m.description,
        date_created: time(m.created_at),
        date_modified: time(m.updated_at),
    }
}

/// One metafield (`200`; BigCommerce answers a create with `200` too).
pub fn metafield(cart_id: Uuid, m: &Metafield) -> Response<Body> {
    data(StatusCode::OK, &view(cart_id, m))
}

/// `GET …/metafields`: filtered by `key` and `namespace`, oldest first (`direction=desc`:
/// newest first), a page at a time (`page` from 1, `limit` 1-250, default 50).
pub fn metafields(
    request: &ApiRequest,
    cart_id: Uuid,
    all: &[Metafield],
) -> Result<Response<Body>, Error> {
    let limit = request.limit(50, 250)? as usize;
    let page = request.query_count("page", 1, 1_000_000)? as usize;
    let descending = match request.query("direction").as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(_) => return Err(Error::invalid("direction", "direction must be asc or desc")),
    };
    let (key, namespace) = (request.query("key"), request.query("namespace"));
    let mut chosen: Vec<&Metafield> = all
        .iter()
        .filter(|m| key.as_deref().is_none_or(|k| m.key == k))
        .filter(|m| namespace.as_deref().is_none_or(|n| m.namespace == n))
        .collect();
    if descending {
        chosen.reverse();
    }
    let total = chosen.len();
    let total_pages = total.div_ceil(limit).max(1);
    let shown: Vec<_> = chosen
        .into_iter()
        .skip((page - 1).saturating_mul(limit))
        .take(limit)
        .map(|m| view(cart_id, m))
        .collect();
    // The links keep the request's filters and order.
    let mut kept = String::new();
    for name in ["key", "namespace", "direction"] {
        if let Some(value) = request.query(name) {
            kept.push_str(&format!("&{name}={}", encode(&value)));
        }
    }
    let link = |p: usize| Value::String(format!("?page={p}&limit={limit}{kept}"));
    let mut links = Map::new();
    if page > 1 {
        links.insert("previous".into(), link(page - 1));
    }
    links.insert("current".into(), link(page));
    if page < total_pages {
        links.insert("next".into(), link(page + 1));
    }
    let pagination = serde_json::json!({
        "total": total, "count": shown.len(), "per_page": limit,
        "current_page": page, "total_pages": total_pages, "links": links,
    });
    let body = serde_json::json!({"data": shown, "meta": {"pagination": pagination}});
    Ok(json(StatusCode::OK, &body))
}

/// A query value as it may stand in a link: unreserved characters as they are, every other
/// byte percent-encoded.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
