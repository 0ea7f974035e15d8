//! BigCommerce's cart metafields (`/v3/carts/{cart_id}/metafields[/{metafield_id}]`): the
//! bodies, the path's metafield id, the list's filters and pages, and the views.

use super::views::{data, time};
use crate::Error;
use crate::domain::metafields::{Metafield, MetafieldChange, MetafieldInput, PermissionSet};
use crate::domain::values::Text;
use crate::http::ApiRequest;
use crate::http::bodies::present;
use crate::http::request::whole_number;
use crate::http::response::json;
use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
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
        .and_then(|text| whole_number(&text))
        .and_then(|id| u64::try_from(id).ok())
        .ok_or_else(|| Error::not_found("metafield"))
}

#[derive(Serialize)]
pub(super) struct MetafieldView<'a> {
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

pub(super) fn view(cart_id: Uuid, m: &Metafield) -> MetafieldView<'_> {
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

/// `GET …/metafields`: filtered by `key` and `namespace`, a page at a time (`Page`).
pub fn metafields(
    request: &ApiRequest,
    cart_id: Uuid,
    all: &[Metafield],
) -> Result<Response<Body>, Error> {
    let (key, namespace) = (request.query("key"), request.query("namespace"));
    let chosen: Vec<(Uuid, &Metafield)> = all
        .iter()
        .filter(|m| key.as_deref().is_none_or(|k| m.key == k))
        .filter(|m| namespace.as_deref().is_none_or(|n| m.namespace == n))
        .map(|m| (cart_id, m))
        .collect();
    let page = Page::of(request, chosen, &["key", "namespace", "direction"])?;
    let data: Vec<_> = page.shown.iter().map(|(cart, m)| view(*cart, m)).collect();
    let body = serde_json::json!({"data": data, "meta": page.meta});
    Ok(json(StatusCode::OK, &body))
}

/// One page of a metafield listing, and its `meta`. Metafields come by id, which is by
/// creation (oldest first; `direction=desc`: newest first), a page at a time: by `page`
/// (from 1) and `limit` (1-250, default 50) in `pagination`, or by cursor in
/// `cursor_pagination`: `after` a metafield's cursor, the page that follows it; `before`,
/// the page that precedes it. A cursor (BigCommerce's form: base64 of `id:<id>`) is a place
/// in the order, so it stays good when its metafield is gone.
pub(super) struct Page<'a> {
    pub shown: Vec<(Uuid, &'a Metafield)>,
    pub meta: Value,
}

impl<'a> Page<'a> {
    /// `rows`: the listing, filtered; `kept`: the parameters its links keep.
    pub fn of(
        request: &ApiRequest,
        mut rows: Vec<(Uuid, &'a Metafield)>,
        kept: &[&str],
    ) -> Result<Page<'a>, Error> {
        let limit = request.limit(50, 250)? as usize;
        let page = request.query_count("page", 1, 1_000_000)? as usize;
        rows.sort_by_key(|(_, m)| m.id);
        let ascending = match request.query("direction").as_deref() {
            None | Some("asc") => true,
            Some("desc") => false,
            Some(_) => return Err(Error::invalid("direction", "direction must be asc or desc")),
        };
        if !ascending {
            rows.reverse();
        }
        // Whether `id` comes before the cursor's place in this order.
        let earlier = |id: u64, place: u64| if ascending { id < place } else { id > place };
        let total = rows.len();
        let range = match (cursor(request, "after")?, cursor(request, "before")?) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid("before", "give after or before, not both"));
            }
            (Some(place), None) => {
                let start = rows.partition_point(|(_, m)| earlier(m.id, place) || m.id == place);
                start..(start + limit).min(total)
            }
            (None, Some(place)) => {
                let end = rows.partition_point(|(_, m)| earlier(m.id, place));
                end.saturating_sub(limit)..end
            }
            (None, None) => {
                let start = (page - 1).saturating_mul(limit).min(total);
                start..(start + limit).min(total)
            }
        };
        let mut kept_query = String::new();
        for name in kept {
            if let Some(value) = request.query(name) {
                kept_query.push_str(&format!("&{name}={}", encode(&value)));
            }
        }
        let shown: Vec<(Uuid, &Metafield)> = rows[range.clone()].to_vec();
        // What this page follows, so that its own link asks for it again.
        let follows = range.start.checked_sub(1).map(|at| rows[at].1.id);
        let cursors = Cursors {
            range: &range,
            follows,
            limit,
            total,
        };
        let meta = serde_json::json!({
            "pagination": pagination(page, limit, total, shown.len(), &kept_query),
            "cursor_pagination": cursor_pagination(&shown, cursors, &kept_query),
        });
        Ok(Page { shown, meta })
    }
}

/// Offset pages: `total`, `count`, `per_page`, `current_page`, `total_pages`, `links`.
fn pagination(page: usize, limit: usize, total: usize, count: usize, kept: &str) -> Value {
    let total_pages = total.div_ceil(limit).max(1);
    let link = |p: usize| Value::String(format!("?page={p}&limit={limit}{kept}"));
    let mut links = Map::new();
    if page > 1 {
        links.insert("previous".into(), link(page - 1));
    }
    links.insert("current".into(), link(page));
    if page < total_pages {
        links.insert("next".into(), link(page + 1));
    }
    serde_json::json!({
        "total": total, "count": count, "per_page": limit,
        "current_page": page, "total_pages": total_pages, "links": links,
    })
}

/// Where a page stands in its listing.
struct Cursors<'r> {
    range: &'r std::ops::Range<usize>,
    /// The id of the metafield just before the page, if any.
    follows: Option<u64>,
    limit: usize,
    total: usize,
}

/// Cursor pages: `count`, `per_page`, and (when the page has metafields) `start_cursor`,
/// `end_cursor` and `links`: this page (after what it follows), and the pages before and
/// after it.
fn cursor_pagination(shown: &[(Uuid, &Metafield)], at: Cursors<'_>, kept: &str) -> Value {
    let Cursors {
        range,
        follows,
        limit,
        total,
    } = at;
    let mut meta = serde_json::json!({"count": shown.len(), "per_page": limit});
    let (Some((_, first)), Some((_, last))) = (shown.first(), shown.last()) else {
        return meta;
    };
    let (start, end) = (encode_cursor(first.id), encode_cursor(last.id));
    let by = |name: &str, cursor: &str| {
        Value::String(format!("?{name}={}&limit={limit}{kept}", encode(cursor)))
    };
    let mut links = Map::new();
    if range.start > 0 {
        links.insert("previous".into(), by("before", &start));
    }
    let current = match follows {
        Some(id) => by("after", &encode_cursor(id)),
        None => Value::String(format!("?limit={limit}{kept}")),
    };
    links.insert("current".into(), current);
    if range.end < total {
        links.insert("next".into(), by("after", &end));
    }
    meta["start_cursor"] = Value::String(start);
    meta["end_cursor"] = Value::String(end);
    meta["links"] = Value::Object(links);
    meta
}

/// Cursors: standard base64, padded when written, read with or without the padding.
const CURSOR: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A metafield's cursor, in BigCommerce's form: base64 of `id:<id>`.
fn encode_cursor(id: u64) -> String {
    CURSOR.encode(format!("id:{id}"))
}

/// The place a cursor parameter names; 400 naming it when it is not a cursor.
fn cursor(request: &ApiRequest, name: &str) -> Result<Option<u64>, Error> {
    let Some(text) = request.query(name) else {
        return Ok(None);
    };
    match decode_cursor(&text) {
        Some(id) => Ok(Some(id)),
        None => Err(Error::invalid(
            name,
            format!("{name} must be a cursor this API handed out (base64 of id:<id>)"),
        )),
    }
}

fn decode_cursor(text: &str) -> Option<u64> {
    let bytes = CURSOR.decode(text).ok()?;
    let plain = String::from_utf8(bytes).ok()?;
    let digits = plain.strip_prefix("id:")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_are_bigcommerces_base64_of_an_id_and_read_back() {
        assert_eq!(encode_cursor(7), "aWQ6Nw==");
        for id in [1, 7, 4242, (1 << 53) - 1] {
            assert_eq!(decode_cursor(&encode_cursor(id)), Some(id));
        }
        // Without its padding too.
        assert_eq!(decode_cursor("aWQ6Nw"), Some(7));
        for bad in ["", "!!", "aWQ6", "aWQ6LTE=", "Nw==", "aWQ6K3M="] {
            assert_eq!(decode_cursor(bad), None, "{bad}");
        }
    }
}
