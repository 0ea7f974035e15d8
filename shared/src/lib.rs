//! Trolley's shared crate: everything the Lambda functions have in common.
//!
//! Dependencies point one way: `http` -> `service` -> `domain`, `store`.
//! - `domain`: pure types and rules (no I/O; time comes in as an argument).
//! - `store`: DynamoDB, the only place that knows the table layout.
//! - `service`: use cases that load, apply domain rules and save with a version condition.
//! - `http`: request parsing, the error body, responses, and the function runtime glue.

pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod service;
pub mod store;

pub use error::{Code, Error, ErrorKind, Problem};
