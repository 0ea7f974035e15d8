"""schemathesis hooks for `make test` (loaded through schemathesis.toml).

openapi.yaml says everything JSON Schema can say about a request. A few of the API's rules
relate two fields, a field and the clock, or a field and what is stored; the description
of openapi.yaml lists them. Here, and only for requests schemathesis generates as valid
("positive" cases), those rules are applied to the generated data, so that a valid case is
valid by the API's rules too; a refusal of such a case is then a real failure. Negative
cases are sent as generated. Each rule has its own tests (unit tests in shared/, end-to-end
tests in tests/tests/).

The local stack has no API Gateway and so no authorizer: `before_load_schema`
tests every operation as on a stack deployed without one.
"""

import base64
import string
import uuid
from datetime import datetime, timezone

import schemathesis
from schemathesis.core import NOT_SET


@schemathesis.hook
def before_load_schema(context, raw_schema):
    """The local stack (`make run`, `make test`) is served by `cargo lambda watch`, which
    has no authorizer: admin and custom-discount routes, IAM-only behind API Gateway, answer
    unsigned requests there. Every operation is tested as on a stack with no authorizer
    (credentials optional), which is what the local stack is."""
    for item in raw_schema.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "security" in operation:
                if {} not in operation["security"]:
                    operation["security"] = [{}, *operation["security"]]


def _when(text):
    """An RFC 3339 timestamp as an aware datetime, or None when it is not one."""
    if not isinstance(text, str):
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _id_key(value):
    """A client id's canonical text: 80 and "80" name the same thing."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _distinct(items, key):
    """`items` without the later ones whose key was seen before."""
    seen, kept = set(), []
    for item in items:
        if isinstance(item, dict) and key in item:
            mark = _id_key(item[key])
            if mark in seen:
                continue
            seen.add(mark)
        kept.append(item)
    return kept


def _carts(case, body):
    # A snapshot_date makes a preview cart: it must be in the future when set, cannot be
    # removed or moved into the past later, and a preview cart cannot be checked out (all
    # 400 preview_cart). Generated carts are not previews (tests/tests/previews.rs covers
    # them).
    body.pop("snapshot_date", None)


def _new_cart(case, body):
    _carts(case, body)
    # A customer's cart has no contact e-mail (400 contact_on_customer_cart).
    if body.get("customer_id") is not None:
        body.pop("contact", None)


def _abandoned_settings(case, body):
    # `enabled` is another name for `enable_notification`: not both (400).
    if "enable_notification" in body:
        body.pop("enabled", None)


def _update_cart(case, body):
    _carts(case, body)
    if body.get("customer_id") is not None and body.get("contact") is not None:
        del body["contact"]
    # A cart has a customer_id or a contact e-mail, never both, counting what it already
    # has (400 contact_on_customer_cart): setting one clears the other in the same request.
    if body.get("customer_id") is not None and "contact" not in body:
        body["contact"] = None
    if body.get("contact") is not None and "customer_id" not in body:
        body["customer_id"] = None


def _checkout(case, body):
    # Who is buying may not contradict the cart (a contact e-mail for a customer's cart, a
    # customer for a guest cart with an e-mail: 400 contact_on_customer_cart), and the
    # generated cart is unknown here: checkout as the cart says (tests/tests/checkout.rs
    # covers the body).
    body.pop("contact", None)
    body.pop("customer", None)


def _promotion(case, body):
    # ends_at must be after starts_at.
    starts, ends = _when(body.get("starts_at")), _when(body.get("ends_at"))
    if starts and ends and ends <= starts:
        del body["ends_at"]


def _product(case, body):
    # One price per currency in each price list, and variants with different ids; each
    # variant names an option once, and no two variants are the same option values.
    if isinstance(body.get("prices"), list):
        body["prices"] = _distinct(body["prices"], "currency")
    if isinstance(body.get("variants"), list):
        body["variants"] = _distinct(body["variants"], "id")
        combinations = set()
        for variant in body["variants"]:
            if isinstance(variant, dict) and isinstance(variant.get("prices"), list):
                variant["prices"] = _distinct(variant["prices"], "currency")
            if isinstance(variant, dict) and isinstance(variant.get("option_values"), list):
                values = _distinct(variant["option_values"], "option_id")
                combination = frozenset(
                    (_id_key(v.get("option_id")), _id_key(v.get("value_id")))
                    for v in values
                    if isinstance(v, dict)
                )
                if values and combination in combinations:
                    values = []
                combinations.add(combination)
                variant["option_values"] = values


def _merge(case, body):
    # source_cart_id must name another cart.
    target = str(case.path_parameters.get("cart_id", "")).lower()
    if str(body.get("source_cart_id", "")).lower() == target:
        body["source_cart_id"] = str(uuid.uuid4())


# Digits after the point in the minor unit of the currencies openapi.bigcommerce.yaml allows.
_EXPONENTS = {"USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "KWD": 3}


def _round_prices(body, places):
    """Each `list_price` and gift certificate `amount` to `places` decimals."""
    items = (body.get("custom_items") or []) + (body.get("line_items") or [])
    priced = [(item, "list_price") for item in items]
    priced += [(gift, "amount") for gift in body.get("gift_certificates") or []]
    for item, field in priced:
        if isinstance(item, dict) and isinstance(item.get(field), (int, float)):
            price = round(item[field], places)
            item[field] = int(price) if places == 0 else price


def _v3_carts(case, body):
    """A `list_price` (or gift certificate `amount`) has at most as many decimals as the
    cart's currency. Without one the cart takes the store's default, which the native run
    may have changed to any currency: then whole prices, which suit every currency."""
    code = ((body.get("currency") or {}).get("code") or "").upper()
    _round_prices(body, _EXPONENTS.get(code, 0))


def _v3_items(case, body):
    """The cart's currency is not in the request: whole prices suit any currency."""
    _round_prices(body, 0)


def _elastic_path_cart(case, body):
    """Elastic Path's cart bodies wrap the cart's fields in `data`; the same rules hold."""
    if isinstance(body.get("data"), dict):
        _carts(case, body["data"])


def _elastic_path_cart_change(case, body):
    """As a new cart; and a contact e-mail is for a guest cart only (400
    contact_on_customer_cart), while the stored cart may have a customer by now (through
    /relationships/customers), which this body cannot clear: no contact is sent
    (tests/tests/elasticpath.rs covers the rule)."""
    _elastic_path_cart(case, body)
    if isinstance(body.get("data"), dict):
        body["data"].pop("contact", None)


def _elastic_path_item(case, body):
    """An item's `id` in the body, if given, is the path's item."""
    if isinstance(body.get("data"), dict) and "id" in body["data"]:
        body["data"]["id"] = case.path_parameters.get("item_id")


def _tax_rates(body):
    """A tax rate has at most 6 decimals (the schema says so in words: JSON Schema's
    `multipleOf` on a float cannot)."""
    data = body.get("data")
    for tax in data if isinstance(data, list) else [data]:
        if isinstance(tax, dict) and isinstance(tax.get("rate"), float):
            tax["rate"] = round(tax["rate"], 6)


def _elastic_path_tax(case, body):
    """A tax item's `id` in a change, if given, is the path's tax item."""
    _tax_rates(body)
    data = body.get("data")
    if isinstance(data, dict) and "id" in data and "tax_id" in (case.path_parameters or {}):
        data["id"] = case.path_parameters["tax_id"]


BODY_RULES = {
    ("POST", "/v2/carts/{cart_id}/items/{item_id}/taxes"): _elastic_path_tax,
    ("PUT", "/v2/carts/{cart_id}/items/{item_id}/taxes/{tax_id}"): _elastic_path_tax,
    ("POST", "/v2/carts/{cart_id}/taxes"): _elastic_path_tax,
    ("PUT", "/v2/carts/{cart_id}/items/{item_id}"): _elastic_path_item,
    ("POST", "/v2/carts"): _elastic_path_cart,
    ("PUT", "/v2/carts/{cart_id}"): _elastic_path_cart_change,
    ("POST", "/v3/carts"): _v3_carts,
    ("POST", "/v3/carts/{cart_id}/items"): _v3_items,
    ("POST", "/carts"): _new_cart,
    ("PUT", "/v3/abandoned-carts/settings"): _abandoned_settings,
    ("PUT", "/carts/{cart_id}"): _update_cart,
    ("POST", "/carts/{cart_id}/checkout"): _checkout,
    ("PUT", "/promotions/{promotion_id}"): _promotion,
    ("PUT", "/products/{product_id}"): _product,
    ("POST", "/carts/{cart_id}/merge"): _merge,
}


def _sendable(value):
    """Whether cargo lambda watch can put a header value in its event: printable ASCII and
    tab only."""
    return all(char == "\t" or " " <= char <= "~" for char in value)


# Characters a URL path carries as they are; requests percent-encodes every other one.
_PATH_SAFE = set(string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@")


def _path_kept(case):
    """Whether every path parameter reaches the function as generated. API Gateway's HTTP
    API decodes path parameters; cargo lambda watch passes them on still percent-encoded,
    so there `%C2%8C` (U+008C, a control character no id may hold) reads as the valid id
    `%C2%8C`."""
    values = (case.path_parameters or {}).values()
    return all(not isinstance(v, str) or set(v) <= _PATH_SAFE for v in values)


@schemathesis.hook
def filter_case(context, case):
    # cargo lambda watch answers 500 by itself to a header value with a control character
    # or a byte above 0x7F (schemathesis.toml keeps generated values from having them; the
    # coverage phase builds some of its own, such as a non-ASCII Idempotency-Key): such a
    # case is not sent. API Gateway passes them on; the function's answer is unit-tested
    # (shared/src/http/idempotency.rs).
    if not all(not isinstance(v, str) or _sendable(v) for v in (case.headers or {}).values()):
        return False
    # A negative case about a path parameter that cargo lambda watch would leave encoded
    # cannot be judged locally (`_path_kept`); how the functions treat the decoded values
    # API Gateway sends is unit-tested (ids with control characters, in values.rs).
    meta = case.meta
    negative = meta is not None and not meta.generation.mode.is_positive
    # Random bytes that are only white space (`\r`) are, to the API, no body at all (an
    # optional body may be left out; a required one is 400 either way): not a case about
    # invalid data.
    body = case.body
    if negative and isinstance(body, (bytes, bytearray)) and not bytes(body).strip():
        return False
    return not negative or _path_kept(case)


@schemathesis.hook
def map_case(context, case):
    # cargo lambda watch answers 500 by itself to a JSON body that is not UTF-8 (it puts the
    # body in its event as text; API Gateway would pass it on). The random bytes schemathesis
    # sends as a body that is not JSON at all keep their meaning with their invalid
    # sequences replaced (U+FFFD); the function's answer to bytes that are not UTF-8 is
    # unit-tested (shared/src/http/json.rs).
    if isinstance(case.body, (bytes, bytearray)):
        case.body = bytes(case.body).decode("utf-8", errors="replace").encode("utf-8")
    # schemathesis draws keys from a small space ("0", "00", ...), so unrelated requests
    # share one: the later one then replays the first's stored response, as documented
    # (tests/tests/idempotency.rs), whatever its other headers (a replay answers the first
    # request, so an invalid If-Match sent with a reused key is not looked at), and a
    # replayed 201 for a cart another scenario has since deleted reads to schemathesis as a
    # resource created and gone at once (ST302). A generated valid key is made unique to its
    # request (still 1-255 visible ASCII), in every phase.
    key = (case.headers or {}).get("Idempotency-Key")
    # Only a valid key (an invalid one may be what a negative case is about).
    if isinstance(key, str) and 1 <= len(key) <= 255 and all("!" <= c <= "~" for c in key):
        case.headers["Idempotency-Key"] = f"{key[:222]}-{uuid.uuid4().hex}"
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    key = (case.operation.method.upper(), case.operation.path)
    rule = BODY_RULES.get(key)
    if rule is not None and case.body is not NOT_SET and isinstance(case.body, dict):
        rule(case, case.body)
    # A cursor is only ever one a `links.next` of the same list handed out.
    if key == ("GET", "/customers/{customer_id}/carts") and case.query:
        case.query.pop("cursor", None)
    # A metafield cursor is base64 of `id:<id>`, and a listing takes `after` or `before`,
    # not both.
    if key == ("GET", "/v3/carts/metafields") and case.query:
        if "after" in case.query:
            case.query.pop("before", None)
        for name in ("after", "before"):
            if name in case.query:
                place = uuid.uuid4().int % (1 << 53)
                case.query[name] = base64.b64encode(f"id:{place}".encode()).decode()
    return case
