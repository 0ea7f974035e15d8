//! The wire formats Trolley speaks. Every route belongs to one: the native API, the
//! BigCommerce-compatible API under `/v3`, or the Elastic Path-compatible one under `/v2`. Below `http` nothing knows which one a request used.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// The project's own API (openapi.yaml).
    Native,
    /// BigCommerce's Carts v3 API, under `/v3`.
    BigCommerce,
    /// Elastic Path's Carts API, under `/v2`.
    ElasticPath,
}

impl Dialect {
    /// The dialect of a route's path template.
    pub fn of_route(path: &str) -> Dialect {
        if path.starts_with("/v3/") {
            Dialect::BigCommerce
        } else if path.starts_with("/v2/") {
            Dialect::ElasticPath
        } else {
            Dialect::Native
        }
    }
}
