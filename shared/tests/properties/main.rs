//! Property tests (fuzzing with `proptest`) over the crate's public API: request parsing,
//! cart operations, pricing, redirect tokens and money formatting.
//!
//! `cargo test` runs each property with a small, fixed number of cases (see `common::config`)
//! so `make test` stays quick. Run them longer with, for example:
//!
//! ```sh
//! PROPTEST_CASES=100000 cargo test -p trolley --test properties
//! ```
//!
//! A failure prints the input it shrank to; keep it as a plain unit test next to the code
//! it is about.

mod common;
mod money;
mod operations;
mod parsing;
mod pricing;
mod tokens;
