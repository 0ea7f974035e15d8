"""Writes openapi.elasticpath.yaml: the Elastic Path-compatible operations, with the schemas
they share taken from openapi.yaml. Run it after changing either:

  python3 scripts/openapi_elasticpath.py          (rewrites the file)
  python3 scripts/openapi_elasticpath.py --check  (fails if the file is not what it writes)
"""
import copy
import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
native = yaml.safe_load((ROOT / "openapi.yaml").read_text())
ns = native['components']['schemas']
take = ['CustomerId', 'CustomerIdText', 'Name','Description','Email','AttributeText','AttributeName','StorableFloat','AttributeInput',
        'AttributesInput','CustomAttribute','CustomAttributes','ClientIdText','ClientId','Quantity','UnitPrice',
        'Code','CurrencyCode','Money','Timestamp']
schemas = {k: copy.deepcopy(ns[k]) for k in take}

ERR = ["400","401","403","404","405","409","413","415","422","500","503"]
def errors(codes=ERR):
    return {c: {"$ref": "#/components/responses/Error"} for c in codes}
def body(ref, required=True):
    return {"required": required, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}
def ok(ref, desc, status="200"):
    return {status: {"description": desc, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}}
def no_content(desc):
    return {"204": {"description": desc}}
def merge(*ds):
    out = {}
    for d in ds: out.update(d)
    return out
cart_id = {"name": "cart_id", "in": "path", "required": True, "description": "The cart's id (Elastic Path's `cartID`).", "schema": {"type": "string", "format": "uuid"}}
item_id = {"name": "item_id", "in": "path", "required": True, "description": "The item's id (Elastic Path's `cartitemID`).", "schema": {"type": "string", "format": "uuid"}}

tax_id = {"name": "tax_id", "in": "path", "required": True, "description": "The tax item's id (Elastic Path's `taxitemID`).", "schema": {"type": "string", "format": "uuid"}}
order_id = {"name": "order_id", "in": "path", "required": True, "description": "The order's id (Elastic Path's `orderID`).", "schema": {"type": "string", "format": "uuid"}}
discount_id = {"name": "discount_id", "in": "path", "required": True, "description": "The custom discount's id (Elastic Path's `customdiscountID`).", "schema": {"type": "string", "format": "uuid"}}
DISCOUNT_RULES = ("Custom discounts are an external engine's: only the trusted backend adds them (IAM; a shopper is `403`), only on a cart with "
                  "`discount_settings.custom_discounts_enabled`, at most 5 off the cart and 5 off each item, none off a gift certificate (`422`). "
                  "`amount` is negative, in minor units; a discount never takes more than what it applies to.")
TAX_RULES = ("Tax items are a tax service's: only the trusted backend sets them (IAM; a shopper is `403`). "
             "A `rate` is a fraction (`0.2` is 20 %) from 0 to 10 with at most 6 decimals; a tax service that has "
             "worked the tax out itself gives an `amount` instead (Trolley's addition), the tax on the whole item "
             "in minor units. A price that excludes tax gets the amount added; one that includes it holds it.")
# A tax item charges a rate or an amount, one of them.
TAX_CHARGE = {"rate": {"type": "number", "minimum": 0, "maximum": 10, "description": "A fraction, at most 6 decimals."},
              "amount": {"type": "integer", "minimum": 0, "maximum": 1000000000000000,
                         "description": "Instead of a rate: the tax on the whole item, in minor units."}}
RATE_OR_AMOUNT = [{"required": ["rate"]}, {"required": ["amount"]}]

paths = {
  "/v2/carts": {
    "get": {"operationId": "list-customer-carts", "summary": "The signed-in shopper's carts, most recently changed first",
            "description": "A shopper's own carts (with `CartAuth=JWT`, the token in `x-moltin-customer-token`); a caller that is not a shopper (the backend, or the local stack) is `422 shopper_required`. At most 1000 carts are counted.",
            "parameters": [{"name": "page[offset]", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000000}},
                           {"name": "page[limit]", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}],
            "responses": merge(ok("CartList", "A page of carts."), errors())},
    "post": {"operationId": "create-cart", "summary": "Create a cart (`200`, as Elastic Path answers)",
             "description": "Every field is optional, and so is the body. A `snapshot_date` makes a preview cart; it must be in the future.",
             "requestBody": body("NewCartBody", False),
             "responses": merge(ok("CartResponse", "The new cart."), errors())},
  },
  "/v2/carts/{cart_id}": {
    "parameters": [cart_id],
    "get": {"operationId": "get-cart", "summary": "A cart, with the records `include` names",
            "parameters": [{"name": "include", "in": "query", "description": "Comma-separated: `items`, `tax_items`, `custom_discounts`, `promotions` (each listed in `included`).",
                            "schema": {"type": "string", "pattern": "^(items|tax_items|custom_discounts|promotions)(,(items|tax_items|custom_discounts|promotions))*$"}}],
            "responses": merge(ok("CartIncludedResponse", "The cart."), errors())},
    "put": {"operationId": "update-cart", "summary": "Change a cart (the fields given; `null` clears one)",
            "description": "`custom_attributes` replaces the whole map. A preview cart's `snapshot_date` cannot be removed or moved into the past, and a contact e-mail is for a guest cart only (both `400`).",
            "requestBody": body("CartPatchBody", False),
            "responses": merge(ok("CartResponse", "The cart."), errors())},
    "delete": {"operationId": "delete-cart", "summary": "Delete a cart", "responses": merge(no_content("Deleted."), errors())},
  },
  "/v2/carts/{cart_id}/items": {
    "parameters": [cart_id],
    "get": {"operationId": "get-cart-items", "x-function": "get-cart", "summary": "A cart's items, with the cart's prices",
            "responses": merge(ok("ItemsResponse", "The items."), errors())},
    "post": {"operationId": "add-items", "summary": "Add products, custom items and promotion codes (`200`, with the cart's items)",
             "description": "`data` is one item or an array of them. With `options.add_all_or_nothing` off (the default) the items that can be added are, and the others are listed in `errors`; on, one refused item refuses them all. A custom item's `price.includes_tax` (default `true`) says whether tax items take tax out of its price or add it on top; a catalog product's price excludes tax. An unknown product or code is `422`.",
             "requestBody": body("AddItemsBody"),
             "responses": merge(ok("ItemsResponse", "The cart's items."), errors())},
    "put": {"operationId": "update-items", "x-function": "update-item", "summary": "Change several items' quantities in one change (`0` removes one)",
            "description": "With `options.update_all_or_nothing` off (the default; `add_all_or_nothing`, as Elastic Path's example writes it, is read when it is not given) the quantities that can be set are, and the refusals (an item the cart lacks, too little stock) are listed in `errors`, naming their place in `data` (all refused is `422`); on, one refusal refuses them all.",
            "requestBody": body("ItemsUpdateBody"),
            "responses": merge(ok("ItemsResponse", "The cart's items."), errors())},
    "delete": {"operationId": "clear-items", "summary": "Remove every item (the cart stays)", "responses": merge(no_content("Emptied."), errors())},
  },
  "/v2/carts/{cart_id}/discounts/{code}": {
    "parameters": [cart_id, {"name": "code", "in": "path", "required": True, "description": "A promotion code on the cart (Elastic Path's `promoCode`); any letter case.", "schema": {"type": "string", "minLength": 1, "maxLength": 64}}],
    "delete": {"operationId": "remove-promotion", "summary": "Remove a promotion code from the cart", "responses": merge(no_content("Removed."), errors())},
  },
  "/v2/carts/{cart_id}/relationships/customers": {
    "parameters": [cart_id],
    "post": {"operationId": "set-cart-customer", "summary": "Give the cart its customer",
             "description": "The same change as the native `PUT /carts/{cart_id}` with `customer_id`, under the same rules: a shopper may name only themselves (`403`). A guest's contact e-mail on the cart goes: a cart has a customer or a guest's e-mail, not both.",
             "requestBody": body("CustomerRelationship"),
             "responses": merge(ok("CustomerRelationshipResponse", "The cart's customer."), errors())},
    "delete": {"operationId": "remove-cart-customer", "summary": "Make the cart a guest cart again (`204`)",
               "description": "A shopper may not give a cart away (`403`). A body, if sent, must have the relationship's shape and name the cart's customer: naming another is `422 customer_mismatch`, and changes nothing.",
               "requestBody": body("CustomerRelationship", False),
               "responses": merge(no_content("The cart has no customer."), errors())},
  },
  "/v2/carts/{cart_id}/relationships/accounts": {
    "parameters": [cart_id],
    "post": {"operationId": "set-cart-account", "x-function": "set-cart-customer", "summary": "Always `422 accounts_not_supported`: Trolley has customers, not accounts",
             "requestBody": {"required": False, "content": {"application/json": {"schema": {}}}},
             "responses": errors(["400", "401", "403", "404", "405", "413", "415", "422", "500", "503"])},
    "delete": {"operationId": "remove-cart-account", "x-function": "remove-cart-customer", "summary": "Always `422 accounts_not_supported`: Trolley has customers, not accounts",
               "responses": errors(["400", "401", "403", "404", "405", "413", "415", "422", "500", "503"])},
  },
  "/v2/carts/{cart_id}/checkout": {
    "parameters": [cart_id],
    "post": {"operationId": "checkout", "summary": "Check the cart out (`200` with the order, as Elastic Path answers)",
             "description": "The buyer is a customer (`customer.id`, which a shopper may only give as their own; a cart that has a customer keeps it) or a guest (`customer.email` and `customer.name`); the addresses are copied to the order. The cart stays. Checking out an unchanged cart again answers with the same order. Accounts are not supported (`400`); neither are payments: an order stays `incomplete`, `unpaid` and `unfulfilled`. An empty or preview cart, or stock that ran out, is `422`; prices that changed since items were added are `409` (the cart takes the new prices).",
             "requestBody": body("CheckoutBody", False),
             "responses": merge(ok("OrderResponse", "The order."), errors())},
  },
  "/v2/orders": {
    "get": {"operationId": "list-orders", "summary": "The signed-in shopper's orders, newest first",
            "description": "A shopper's own orders (with `CartAuth=JWT`, the token in `x-moltin-customer-token`); a caller that is not a shopper (the backend, or the local stack) is `422 shopper_required`. At most the newest 1000 are counted; guest orders are in no shopper's list.",
            "parameters": [{"name": "page[offset]", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000000}},
                           {"name": "page[limit]", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}],
            "responses": merge(ok("OrderList", "A page of orders."), errors())},
  },
  "/v2/orders/{order_id}": {
    "parameters": [order_id],
    "get": {"operationId": "get-order", "summary": "An order", "responses": merge(ok("OrderResponse", "The order."), errors())},
  },
  "/v2/orders/{order_id}/items": {
    "parameters": [order_id],
    "get": {"operationId": "get-order-items", "x-function": "get-order", "summary": "An order's items, priced as at checkout",
            "responses": merge(ok("OrderItems", "The items."), errors())},
  },
  "/v2/settings/cart": {
    "get": {"operationId": "get-cart-settings", "summary": "The store's cart settings (the back office's: IAM)",
            "responses": merge(ok("SettingsResponse", "The settings."), errors())},
    "put": {"operationId": "update-cart-settings", "summary": "Change the store's cart settings (the fields given)",
            "description": "The same settings as the native `/settings/cart`. `cart_expiry_days` applies to every cart at its next change; `custom_discounts_enabled` is what new carts start with. Trolley's promotions are its own (`/promotions`), so `use_rule_promotions` can only be `false` (`400`).",
            "requestBody": body("SettingsBody"),
            "responses": merge(ok("SettingsResponse", "The settings."), errors())},
  },
  "/v2/carts/{cart_id}/custom-discounts": {
    "parameters": [cart_id],
    "post": {"operationId": "add-custom-discounts", "x-function": "add-custom-discount", "summary": "Add custom discounts, off the cart or the items they name, in one change",
             "description": DISCOUNT_RULES + " With `options.add_all_or_nothing` off (the default) the discounts that can be added are, and the others are listed in `errors` (all refused is `422`); on, one refusal refuses them all.",
             "requestBody": body("DiscountsBody"),
             "responses": merge(ok("DiscountList", "The discounts added."), errors())},
    "delete": {"operationId": "delete-custom-discounts", "x-function": "delete-custom-discount", "summary": "Remove every custom discount, the cart's and its items'",
               "responses": merge(no_content("Removed."), errors())},
  },
  "/v2/carts/{cart_id}/custom-discounts/{discount_id}": {
    "parameters": [cart_id, discount_id],
    "put": {"operationId": "update-custom-discount", "summary": "Replace a custom discount's amount and text (every field again)",
            "description": DISCOUNT_RULES, "requestBody": body("DiscountBody"),
            "responses": merge(ok("DiscountResponse", "The discount."), errors())},
    "delete": {"operationId": "delete-custom-discount", "summary": "Remove a custom discount", "responses": merge(no_content("Removed."), errors())},
  },
  "/v2/carts/{cart_id}/items/{item_id}/custom-discounts": {
    "parameters": [cart_id, item_id],
    "post": {"operationId": "add-item-custom-discount", "x-function": "add-custom-discount", "summary": "Add a custom discount off one item",
             "description": DISCOUNT_RULES + " The body may also be the discount itself, without `data`, as Elastic Path's reference shows it.",
             "requestBody": body("ItemDiscountBody"),
             "responses": merge(ok("DiscountResponse", "The discount."), errors())},
  },
  "/v2/carts/{cart_id}/items/{item_id}/custom-discounts/{discount_id}": {
    "parameters": [cart_id, item_id, discount_id],
    "put": {"operationId": "update-item-custom-discount", "x-function": "update-custom-discount", "summary": "Replace a custom discount on this item",
            "description": DISCOUNT_RULES + " A discount that is not on this item is `404`.", "requestBody": body("DiscountBody"),
            "responses": merge(ok("DiscountResponse", "The discount."), errors())},
    "delete": {"operationId": "delete-item-custom-discount", "x-function": "delete-custom-discount", "summary": "Remove a custom discount from this item (`404` if it is not on it)",
               "responses": merge(no_content("Removed."), errors())},
  },
  "/v2/carts/{cart_id}/items/{item_id}/taxes": {
    "parameters": [cart_id, item_id],
    "post": {"operationId": "add-tax-item", "x-function": "add-tax-items", "summary": "Set a tax item on an item (the backend's)",
             "description": TAX_RULES + " An item takes at most 5 tax items, and a gift certificate none (`422`).",
             "requestBody": body("TaxItemBody"),
             "responses": merge(ok("TaxItemResponse", "The tax item."), errors())},
  },
  "/v2/carts/{cart_id}/items/{item_id}/taxes/{tax_id}": {
    "parameters": [cart_id, item_id, tax_id],
    "put": {"operationId": "update-tax-item", "summary": "Change a tax item (the fields given)",
            "description": "An `id` in the body must be the path's tax item (`400`).",
            "requestBody": body("TaxItemPatchBody"),
            "responses": merge(ok("TaxItemResponse", "The tax item."), errors())},
    "delete": {"operationId": "delete-tax-item", "x-function": "delete-tax-items", "summary": "Remove a tax item",
               "responses": merge(no_content("Removed."), errors())},
  },
  "/v2/carts/{cart_id}/taxes": {
    "parameters": [cart_id],
    "post": {"operationId": "add-tax-items", "summary": "Set tax items on several items in one change",
             "description": TAX_RULES + " Each names its item in `relationships.item.data`. With `options.add_all_or_nothing` off (the default) the tax items that can be set are, and the others are listed in `errors` (all refused is `422`); on, one refusal refuses them all.",
             "requestBody": body("TaxItemsBody"),
             "responses": merge(ok("TaxItemList", "The tax items set."), errors())},
    "delete": {"operationId": "delete-tax-items", "summary": "Remove every tax item in the cart",
               "responses": merge(no_content("Removed."), errors())},
  },
  "/v2/carts/{cart_id}/items/{item_id}": {
    "parameters": [cart_id, item_id],
    "put": {"operationId": "update-item", "summary": "Change an item's quantity (`0` removes it; answered with the cart's items)",
            "description": "An `id` in the body must be the path's item (`400`).",
            "requestBody": body("ItemUpdateBody"),
            "responses": merge(ok("ItemsResponse", "The cart's items."), errors())},
    "delete": {"operationId": "delete-item", "summary": "Remove an item", "responses": merge(no_content("Removed."), errors())},
  },
}

def obj(props, required=(), desc=None):
    o = {"type": "object", "additionalProperties": False}
    if desc: o["description"] = desc
    if required: o["required"] = list(required)
    o["properties"] = props
    return o
ref = lambda n: {"$ref": f"#/components/schemas/{n}"}
TEXT = lambda n: {"type": "string", "maxLength": n, "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"}
nullable = lambda n: {"oneOf": [ref(n), {"type": "null"}]}
DISCOUNT_FIELDS = {"type": {"const": "custom_discount"},
                   "amount": {"type": "integer", "minimum": -1000000000000000, "maximum": -1, "description": "Negative: what is taken off, in minor units."},
                   "description": ref("Name"), "discount_code": ref("Code"), "discount_engine": TEXT(255), "external_id": TEXT(255)}
discount_settings_in = obj({"custom_discounts_enabled": {"type": "boolean"}}, desc="Left out, a new cart takes the store's setting and a changed cart keeps its own.")
schemas.update({
  "DiscountSettingsInput": discount_settings_in,
  "ContactInput": obj({"email": ref("Email")}, ["email"]),
  "NewCart": obj({"name": ref("Name"), "description": ref("Description"), "discount_settings": ref("DiscountSettingsInput"),
                  "snapshot_date": {"type": "string", "format": "date-time", "description": "In the future: makes a preview cart, priced as on that date."},
                  "custom_attributes": ref("AttributesInput"), "contact": ref("ContactInput")}),
  "NewCartBody": obj({"data": ref("NewCart")}),
  "CartPatch": obj({"name": nullable("Name"), "description": nullable("Description"), "discount_settings": ref("DiscountSettingsInput"),
                    "snapshot_date": {"type": ["string", "null"], "format": "date-time"},
                    "custom_attributes": nullable("AttributesInput"), "contact": nullable("ContactInput")}),
  "CartPatchBody": obj({"data": ref("CartPatch")}),
  "ProductItemInput": obj({"type": {"const": "cart_item"}, "id": ref("ClientId"), "quantity": ref("Quantity")}, ["type", "id", "quantity"],
                          desc="A catalog product, by its id."),
  "ProductSkuItemInput": obj({"type": {"const": "cart_item"}, "sku": ref("Sku"), "quantity": ref("Quantity")}, ["type", "sku", "quantity"],
                             desc="A catalog product or variant, by its sku (the product or variant last saved with it). A sku no product has is `422 product_not_found` at `data.sku`."),
  "Sku": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]{1,255}$"},
  "CustomItemInput": obj({"type": {"const": "custom_item"}, "name": ref("Name"),
                          "sku": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]{1,255}$", "description": "Items with the same sku are one line; left out, the item gets a sku of its own."},
                          "description": ref("Description"), "quantity": ref("Quantity"),
                          "price": obj({"amount": ref("UnitPrice"), "includes_tax": {"type": "boolean", "description": "`true` (the default): the price holds its tax; `false`: tax items add to it."}}, ["amount"])},
                         ["type", "name", "quantity", "price"]),
  "PromotionItemInput": obj({"type": {"const": "promotion_item"}, "code": ref("Code")}, ["type", "code"], desc="A promotion code to apply."),
  "ItemInput": {"oneOf": [ref("ProductItemInput"), ref("ProductSkuItemInput"), ref("CustomItemInput"), ref("PromotionItemInput")]},
  "AddItemsBody": obj({"data": {"oneOf": [ref("ItemInput"), {"type": "array", "minItems": 1, "maxItems": 100, "items": ref("ItemInput")}]},
                       "options": obj({"add_all_or_nothing": {"type": "boolean"}})}, ["data"]),
  "ItemUpdate": obj({"id": {"type": "string", "format": "uuid"}, "type": {"type": "string", "enum": ["cart_item", "custom_item"]},
                     "quantity": {"type": "integer", "minimum": 0, "maximum": 10000}}, ["quantity"]),
  "ItemUpdateBody": obj({"data": ref("ItemUpdate")}, ["data"]),
  "ItemsUpdateBody": obj({"data": {"type": "array", "minItems": 1, "maxItems": 100,
                                   "items": obj({"id": {"type": "string", "format": "uuid"}, "type": {"type": "string", "enum": ["cart_item", "custom_item"]},
                                                 "quantity": {"type": "integer", "minimum": 0, "maximum": 10000}}, ["id", "quantity"])},
                          "options": obj({"update_all_or_nothing": {"type": "boolean"}, "add_all_or_nothing": {"type": "boolean"}})}, ["data"]),
  "DisplayPrice": obj({k: ref("Money") for k in ["with_tax", "without_tax", "tax", "discount", "without_discount"]},
                      ["with_tax", "without_tax", "tax", "discount", "without_discount"],
                      desc="`with_tax` is what is paid; `tax` the tax within it, from the items' tax items; `without_tax` the difference. `discount` is negative (an item's includes its share of the cart-wide discounts); `without_discount` is `with_tax` plus what was taken off (the tax stays as charged)."),
  "UnitAndValue": obj({"unit": ref("Money"), "value": ref("Money")}, ["unit", "value"], desc="One unit's price (the line's divided by the quantity, rounded toward zero) and the line's (exact)."),
  "ItemDisplayPrice": obj({k: ref("UnitAndValue") for k in ["with_tax", "without_tax", "tax", "discount", "without_discount"]},
                          ["with_tax", "without_tax", "tax", "discount", "without_discount"]),
  "Timestamps": obj({"created_at": ref("Timestamp"), "updated_at": ref("Timestamp"), "expires_at": ref("Timestamp")}, ["created_at", "updated_at", "expires_at"]),
  "CartMeta": obj({"display_price": ref("DisplayPrice"), "timestamps": ref("Timestamps")}, ["display_price", "timestamps"]),
  "Reference": obj({"type": {"type": "string"}, "id": {"type": "string"}}, ["type", "id"]),
  "Related": obj({"data": {"type": "array", "items": ref("Reference")}}, ["data"]),
  "Cart": obj({"id": {"type": "string", "format": "uuid"}, "type": {"const": "cart"}, "name": {"type": "string"}, "description": {"type": "string"},
               "discount_settings": obj({"custom_discounts_enabled": {"type": "boolean"}}, ["custom_discounts_enabled"]),
               "snapshot_date": ref("Timestamp"), "custom_attributes": ref("CustomAttributes"),
               "contact": obj({"email": {"type": "string"}}, ["email"]),
               "links": obj({"self": {"type": "string"}}, ["self"]),
               "meta": ref("CartMeta"),
               "relationships": obj({"customers": obj({"data": ref("Reference")}, ["data"])},
                                    desc="The cart's customer, when it has one, as one object (as Elastic Path's published spec has it); the items are at `…/items`.")},
              ["id", "type", "name", "description", "discount_settings", "custom_attributes", "links", "meta", "relationships"]),
  "CartResponse": obj({"data": ref("Cart")}, ["data"]),
  "CartIncludedResponse": obj({"data": ref("Cart"),
                               "included": obj({"items": {"type": "array", "items": ref("Item")},
                                                "tax_items": {"type": "array", "items": ref("TaxItem")},
                                                "custom_discounts": {"type": "array", "items": ref("Discount")},
                                                "promotions": {"type": "array", "items": ref("IncludedPromotion")}},
                                               desc="What `include` asked for, each list only when asked for.")}, ["data"]),
  "IncludedPromotion": obj({"id": {"type": "string"}, "type": {"const": "promotion"}, "name": {"type": "string"}, "code": {"type": "string"},
                            "amount": ref("Money")}, ["id", "type", "name", "amount"],
                           desc="A promotion that takes something off the cart now, and what it takes (negative)."),
  "PageLinks": obj({k: {"type": "string"} for k in ["current", "first", "last", "next", "prev"]}, ["current", "first", "last"]),
  "ListMeta": obj({"page": obj({k: {"type": "integer"} for k in ["current", "limit", "offset", "total"]}, ["current", "limit", "offset", "total"]),
                    "results": obj({"total": {"type": "integer"}}, ["total"])}, ["page", "results"]),
  "CartList": obj({"data": {"type": "array", "items": ref("Cart")}, "links": ref("PageLinks"), "meta": ref("ListMeta")},
                  ["data", "links", "meta"]),
  "ItemPrice": obj({"amount": {"type": "integer"}, "currency": ref("CurrencyCode"), "includes_tax": {"type": "boolean"}}, ["amount", "currency", "includes_tax"]),
  "Item": obj({"id": {"type": "string", "format": "uuid"}, "type": {"type": "string", "enum": ["cart_item", "custom_item"]},
               "product_id": ref("ClientId"), "name": {"type": "string"}, "description": {"type": "string"}, "sku": {"type": "string"},
               "quantity": {"type": "integer", "minimum": 1}, "unit_price": ref("ItemPrice"), "value": ref("ItemPrice"),
               "links": obj({"product": {"type": "string"}}),
               "relationships": obj({"taxes": ref("Related")}, ["taxes"]),
               "meta": obj({"display_price": ref("ItemDisplayPrice")}, ["display_price"])},
              ["id", "type", "name", "description", "sku", "quantity", "unit_price", "value", "links", "relationships", "meta"]),
  "ItemsResponse": obj({"data": {"type": "array", "items": ref("Item")}, "meta": ref("CartMeta"),
                        "errors": {"type": "array", "description": "Items refused while the others were added.", "items": ref("Problem")}},
                       ["data", "meta"]),
  "CustomerRelationship": obj({"data": {"type": "array", "minItems": 1, "maxItems": 1,
                                         "items": obj({"type": {"const": "customer"}, "id": ref("CustomerId")}, ["type", "id"])}}, ["data"]),
  "CustomerRelationshipResponse": obj({"data": {"type": "array", "items": ref("Reference")}}, ["data"]),
  "AddressInput": obj(dict({k: ref("Name") for k in ["first_name", "last_name", "company_name", "line_1", "line_2", "city", "county", "region"]},
                            postcode={"oneOf": [{"type": "string", "minLength": 1, "maxLength": 32, "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]{1,32}$"},
                                                {"type": "integer", "minimum": 0, "maximum": 9007199254740991, "description": "Taken as its digits, as Elastic Path's examples write it."}]},
                            country={"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2."},
                            phone_number={"type": "string", "minLength": 1, "maxLength": 32, "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]{1,32}$"},
                            instructions={"type": "string", "minLength": 1, "maxLength": 500, "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]{1,500}$"}),
                       ["first_name", "last_name", "line_1", "region", "postcode", "country"]),
  "CheckoutBody": obj({"data": obj({"customer": {"oneOf": [obj({"id": ref("CustomerId")}, ["id"], desc="A customer."),
                                                           obj({"email": ref("Email"), "name": ref("Name")}, ["email"], desc="A guest.")]},
                                    "billing_address": ref("AddressInput"), "shipping_address": ref("AddressInput")})}),
  "Address": obj({k: {"type": "string"} for k in ["first_name", "last_name", "company_name", "line_1", "line_2", "city", "county", "region",
                                                  "postcode", "country", "phone_number", "instructions"]},
                 ["first_name", "last_name", "line_1", "region", "postcode", "country"]),
  "OrderPrices": obj({k: ref("Money") for k in ["with_tax", "without_tax", "tax", "discount", "without_discount", "paid", "authorized", "balance_owing"]},
                     ["with_tax", "without_tax", "tax", "discount", "without_discount", "paid", "authorized", "balance_owing"],
                     desc="The cart's prices at checkout; `paid` and `authorized` are 0, as Trolley takes no payments."),
  "Order": obj({"id": {"type": "string", "format": "uuid"}, "type": {"const": "order"},
                "status": {"const": "incomplete"}, "payment": {"const": "unpaid"}, "shipping": {"const": "unfulfilled"},
                "anonymized": {"type": "boolean"},
                "customer": obj({"id": ref("CustomerId")}, ["id"]),
                "contact": obj({"email": {"type": "string"}, "name": {"type": "string"}}, ["email"]),
                "billing_address": ref("Address"), "shipping_address": ref("Address"),
                "links": obj({}),
                "meta": obj({"display_price": ref("OrderPrices"),
                             "timestamps": obj({"created_at": ref("Timestamp"), "updated_at": ref("Timestamp")}, ["created_at", "updated_at"])},
                            ["display_price", "timestamps"]),
                "relationships": obj({"items": ref("Related"), "cart": ref("Related"), "customer": ref("Related")}, ["items", "cart"])},
               ["id", "type", "status", "payment", "shipping", "anonymized", "links", "meta", "relationships"]),
  "OrderResponse": obj({"data": ref("Order")}, ["data"]),
  "OrderList": obj({"data": {"type": "array", "items": ref("Order")}, "links": ref("PageLinks"), "meta": ref("ListMeta")}, ["data", "links", "meta"]),
  "OrderItem": obj({"id": {"type": "string", "format": "uuid"}, "type": {"const": "order_item"}, "product_id": ref("ClientId"),
                    "name": {"type": "string"}, "sku": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1},
                    "unit_price": ref("ItemPrice"), "value": ref("ItemPrice"), "links": obj({}),
                    "meta": obj({"display_price": ref("ItemDisplayPrice")}, ["display_price"]),
                    "relationships": obj({"cart_item": obj({"data": ref("Reference")}, ["data"])}, ["cart_item"])},
                   ["id", "type", "name", "sku", "quantity", "unit_price", "value", "links", "meta", "relationships"]),
  "OrderItems": obj({"data": {"type": "array", "items": ref("OrderItem")}}, ["data"]),
  "SettingsBody": obj({"data": obj({"type": {"const": "settings"}, "cart_expiry_days": {"type": "integer", "minimum": 1, "maximum": 365},
                                     "discounts": obj({"custom_discounts_enabled": {"type": "boolean"}, "use_rule_promotions": {"const": False}})},
                                    ["type"])}, ["data"]),
  "SettingsResponse": obj({"data": obj({"type": {"const": "settings"}, "cart_expiry_days": {"type": "integer", "minimum": 1, "maximum": 365},
                                         "discounts": obj({"custom_discounts_enabled": {"type": "boolean"}, "use_rule_promotions": {"type": "boolean"}},
                                                          ["custom_discounts_enabled", "use_rule_promotions"])},
                                        ["type", "cart_expiry_days", "discounts"])}, ["data"]),
  "DiscountFields": obj(DISCOUNT_FIELDS, ["type", "amount", "description", "discount_code"]),
  "DiscountBody": obj({"data": ref("DiscountFields")}, ["data"]),
  "ItemDiscountBody": {"oneOf": [ref("DiscountBody"), ref("DiscountFields")]},
  "DiscountsBody": obj({"data": {"type": "array", "minItems": 1, "maxItems": 100,
                                 "items": obj(dict(DISCOUNT_FIELDS, id={"description": "Taken and left unused: Trolley gives each discount its own id."},
                                                   relationships=obj({"item": ref("ItemRelation")}, ["item"], desc="Left out: off the cart as a whole.")),
                                              ["type", "amount", "description", "discount_code"])},
                        "options": obj({"add_all_or_nothing": {"type": "boolean"}})}, ["data"]),
  "Discount": obj({"id": {"type": "string", "format": "uuid"}, "type": {"const": "custom_discount"}, "amount": ref("Money"),
                   "description": {"type": "string"}, "discount_code": {"type": "string"}, "discount_engine": {"type": "string"},
                   "external_id": {"type": "string"}, "relationships": obj({"item": ref("Related")}, ["item"], desc="Present when it is off one item.")},
                  ["id", "type", "amount", "description", "discount_code", "discount_engine", "external_id"]),
  "DiscountResponse": obj({"data": ref("Discount")}, ["data"]),
  "DiscountList": obj({"data": {"type": "array", "items": ref("Discount")},
                       "errors": {"type": "array", "description": "Discounts refused while the others were added.", "items": ref("Problem")}},
                      ["data"]),
  "TaxItemFields": dict(obj(dict({"type": {"const": "tax_item"}, "id": {"type": "string", "format": "uuid", "description": "Taken and left unused: Trolley gives each tax item its own."},
                                  "name": TEXT(255), "code": TEXT(64), "jurisdiction": TEXT(255)}, **TAX_CHARGE), ["type"]),
                        oneOf=RATE_OR_AMOUNT),
  "TaxItemBody": obj({"data": ref("TaxItemFields")}, ["data"]),
  "TaxItemPatchBody": obj({"data": dict(obj(dict({"type": {"const": "tax_item"}, "id": {"type": "string", "format": "uuid"},
                                                  "name": TEXT(255), "code": TEXT(64), "jurisdiction": TEXT(255)}, **TAX_CHARGE), ["type"]),
                                        **{"not": {"required": ["rate", "amount"]}})}, ["data"]),
  "ItemRelation": obj({"data": obj({"type": {"type": "string", "enum": ["cart_item", "custom_item"]}, "id": {"type": "string", "format": "uuid"}}, ["type", "id"])}, ["data"]),
  "TaxItemsBody": {"type": "object", "additionalProperties": False, "required": ["data"],
                   "properties": {"data": {"type": "array", "minItems": 1, "maxItems": 100,
                                           "items": dict(obj(dict({"type": {"const": "tax_item"}, "id": {"type": "string", "format": "uuid"},
                                                                   "name": TEXT(255), "code": TEXT(64), "jurisdiction": TEXT(255),
                                                                   "relationships": obj({"item": ref("ItemRelation")}, ["item"])}, **TAX_CHARGE),
                                                              ["type", "relationships"]),
                                                         oneOf=RATE_OR_AMOUNT)},
                                  "options": obj({"add_all_or_nothing": {"type": "boolean"}})}},
  "TaxItem": dict(obj({"id": {"type": "string", "format": "uuid"}, "type": {"const": "tax_item"}, "name": {"type": "string"},
                       "code": {"type": "string"}, "jurisdiction": {"type": "string"}, "rate": {"type": "number"},
                       "amount": {"type": "integer", "description": "A fixed amount of tax on the whole item, in minor units (where set instead of a rate)."},
                       "relationships": obj({"item": ref("Related")}, ["item"])},
                      ["id", "type", "name", "code", "jurisdiction", "relationships"]),
                  oneOf=RATE_OR_AMOUNT),
  "TaxItemResponse": obj({"data": ref("TaxItem")}, ["data"]),
  "TaxItemList": obj({"data": {"type": "array", "items": ref("TaxItem")},
                      "errors": {"type": "array", "description": "Tax items refused while the others were set.", "items": ref("Problem")}},
                     ["data"]),
  "Problem": obj({"status": {"type": "integer"}, "title": {"type": "string"}, "detail": {"type": "string"}, "source": {"type": "string"}},
                 ["status", "title", "detail"]),
  "Error": obj({"errors": {"type": "array", "minItems": 1, "items": ref("Problem")}}, ["errors"]),
})

HEADER = "# The Elastic Path-compatible operations, written from the facts of Elastic Path's published\n# carts spec (paths, fields, types, statuses). Read by tests/tests/openapi.rs and by schemathesis\n# in `make test`.\n"
spec = {
  "openapi": "3.1.0",
  "info": {"title": "Trolley, Elastic Path-compatible carts", "version": "0.1.0",
           "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
           "summary": "The operations of Elastic Path's Carts API that Trolley serves so far, under /v2.",
           "description": ("The same carts as the native API (openapi.yaml), in Elastic Path's wire format: request bodies wrapped "
                           "as `{\"data\": ...}`, money in integer minor units with its currency and `formatted` text, carts and items "
                           "with `type`, `links`, `relationships` and `meta` (`display_price`, `timestamps`). Each `operationId` (or "
                           "`x-function`) names the function that serves the operation: the native operation's.\n\n"
                           "**Rules this schema cannot express** are in the operations' descriptions; whatever depends on stored data "
                           "(an unknown product or code, a preview cart) is `4xx` too.\n\n"
                           "**Errors** have Elastic Path's shape: `errors`, each with `status`, `title`, `detail` and, when it is about "
                           "a field, `source`.\n\n"
                           "**Security.** These are a storefront's routes, like the native cart routes: the authorizer chosen at deploy "
                           "time (none, IAM or a shopper's JWT). The local stack (`make run`) has none.")},
  "servers": [{"url": "http://127.0.0.1:9000", "description": "The local stack (`make run`)."}],
  "paths": paths,
  "components": {"responses": {"Error": {"description": "Elastic Path's error body.", "content": {"application/json": {"schema": ref("Error")}}}},
                 "schemas": schemas},
}
class D(yaml.SafeDumper):
    def ignore_aliases(self, data): return True
def text(dumper, data):
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)
D.add_representer(str, text)
written = HEADER + yaml.dump(spec, Dumper=D, sort_keys=False, allow_unicode=True, width=100)
target = ROOT / "openapi.elasticpath.yaml"
if "--check" in sys.argv[1:]:
    if target.read_text() != written:
        sys.exit("openapi.elasticpath.yaml is not what scripts/openapi_elasticpath.py writes: run it")
else:
    target.write_text(written)
