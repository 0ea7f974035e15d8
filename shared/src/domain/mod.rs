//! Pure types and rules. No I/O and no AWS types; time always comes in as an argument.

pub mod abandoned_settings;
pub mod address;
pub mod attributes;
pub mod cart;
pub mod discounts;
pub mod items;
pub mod merge;
pub mod metafields;
pub mod money;
pub mod order;
pub mod pricing;
pub mod product;
pub mod promotion;
pub mod settings;
pub mod taxes;
pub mod tokens;
pub mod values;
