//! The HTTP edge: request parsing (path parameters, JSON bodies, `If-Match`), the error
//! body, response shapes, and the glue that runs a handler as a Lambda function.

pub mod bigcommerce;
pub mod bodies;
mod dialect;
pub mod elasticpath;
pub mod idempotency;
mod identity;
mod json;
mod objects;
mod request;
pub mod response;
mod serve;
pub mod token_authorizer;
mod views;

pub use dialect::Dialect;
pub use json::{MAX_BODY_BYTES, parse_json};
pub use lambda_http::{Body, Error as LambdaError, Response, http::StatusCode};
pub use request::ApiRequest;
pub use serve::serve;

/// What a handler returns: a response, or an error the runtime renders in the API's shape.
pub type HandlerResult = Result<Response<Body>, crate::Error>;
