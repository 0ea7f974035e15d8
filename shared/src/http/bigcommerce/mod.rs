//! BigCommerce's Carts v3 wire format, under `/v3`: its request bodies, its views (money as
//! decimals in major units) and its error body. Everything below this module is shared with
//! the native API: the same carts, the same rules, the same table.

mod abandoned_settings;
mod bodies;
mod errors;
mod metafield_batches;
mod metafields;
mod money;
mod settings;
mod views;

pub use abandoned_settings::{
    abandoned_cart_change, abandoned_cart_settings, is_abandoned_cart_settings,
};
pub use bodies::{AddItems, CartUpdate, ItemUpdate, NewCart, RedirectUrls, Version};
pub use errors::error;
pub use metafield_batches::{
    all_metafields, cart_metafield_changes, check_all_metafields_query, created_metafields,
    deleted_metafields, metafield_ids, new_cart_metafields, updated_metafields,
};
pub use metafields::{metafield, metafield_change, metafield_id, metafields, new_metafield};
pub use settings::{CartSettings, ChannelCartSettings, cart_settings, channel};
pub use views::{cart, created_cart, data, redirect_urls};
