//! Pure types and rules. No I/O and no AWS types; time always comes in as an argument.

pub mod attributes;
pub mod cart;
pub mod items;
pub mod money;
pub mod product;
pub mod settings;
pub mod totals;
pub mod values;
