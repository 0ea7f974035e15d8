//! Elastic Path's Carts API wire format, under `/v2`: its request bodies (wrapped in
//! `{"data": …}`), its views (money in minor units with `formatted` text, as natively) and
//! its error body. Everything below this module is shared with the native API.

mod bodies;
mod discounts;
mod errors;
mod orders;
mod relationships;
mod settings;
mod taxes;
mod views;

pub use bodies::{
    AddItemsCommand, add_items, cart_patch, in_data, item_update, item_updates, new_cart,
};
pub use discounts::{
    custom_discount, custom_discount_list, custom_discount_view, new_custom_discounts,
};
pub use errors::error;
pub use orders::{checkout, in_checkout, order, order_items, order_list};
pub use relationships::{
    customer_relationship, customer_relationships, customer_to_remove, in_relationship, no_accounts,
};
pub use settings::{settings, settings_change};
pub use taxes::{new_tax_item, new_tax_items, tax_item, tax_item_patch, tax_items};
pub use views::{Include, cart, cart_including, cart_list, items, items_with_refusals};
