//! The one error type and the catalogue of everything a client can be told.
//!
//! Every failure a client can see is an `Error`: one or more `Problem`s, each naming a
//! `Code` from the catalogue below with a detail and, where it applies, the field. The
//! catalogue owns each code's wire name, its status and its title; call sites only choose a
//! code and say what exactly was wrong. How a problem is drawn on the wire (the native body,
//! or another API's) is the http layer's business and depends on nothing else.

use std::fmt;

/// What kind of failure this is; decides the HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 400: the request itself is malformed or invalid.
    BadRequest,
    /// 401: who is calling cannot be told (no usable identity where one is needed).
    Unauthenticated,
    /// 403: the authenticated shopper may not do this (another customer's cart, say).
    Forbidden,
    /// 404: the resource does not exist (or has expired).
    NotFound,
    /// 405: this function serves another method.
    MethodNotAllowed,
    /// 409: the request conflicts with the resource's state; retrying may succeed.
    Conflict,
    /// 412: `If-Match` did not match.
    PreconditionFailed,
    /// 413: the body is larger than the API accepts.
    PayloadTooLarge,
    /// 415: a write whose body is not JSON.
    UnsupportedMediaType,
    /// 422: well-formed, but the cart's rules or the stored data refuse it.
    Unprocessable,
    /// 503: storage is unavailable or throttled; safe to retry.
    Unavailable,
    /// 500: a bug on our side. Never carries internal details.
    Internal,
}

impl ErrorKind {
    /// The HTTP status for this kind.
    pub const fn status(self) -> u16 {
        match self {
            ErrorKind::BadRequest => 400,
            ErrorKind::Unauthenticated => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::MethodNotAllowed => 405,
            ErrorKind::Conflict => 409,
            ErrorKind::PreconditionFailed => 412,
            ErrorKind::PayloadTooLarge => 413,
            ErrorKind::UnsupportedMediaType => 415,
            ErrorKind::Unprocessable => 422,
            ErrorKind::Unavailable => 503,
            ErrorKind::Internal => 500,
        }
    }
}

/// Declares the catalogue: each line is a variant, its wire name, its kind and its title.
macro_rules! catalogue {
    ($($variant:ident => $name:literal, $kind:ident, $title:literal;)+) => {
        /// Every code a client can receive. The wire name is the public contract.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($variant,)+
        }

        impl Code {
            /// The whole catalogue, in declaration order.
            pub const ALL: &[Code] = &[$(Code::$variant,)+];

            /// The stable snake_case name clients switch on.
            pub const fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)+ }
            }

            /// The kind, and so the HTTP status, every problem with this code has.
            pub const fn kind(self) -> ErrorKind {
                match self { $(Code::$variant => ErrorKind::$kind,)+ }
            }

            /// A short human summary of the code.
            pub const fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)+ }
            }
        }
    };
}

catalogue! {
    MalformedJson => "malformed_json", BadRequest, "Malformed JSON";
    ValidationFailed => "validation_failed", BadRequest, "Invalid field";
    ContactOnCustomerCart => "contact_on_customer_cart", BadRequest, "Contact on a customer cart";
    PreviewCart => "preview_cart", BadRequest, "Preview cart";
    Unauthenticated => "unauthenticated", Unauthenticated, "Unauthenticated";
    Forbidden => "forbidden", Forbidden, "Forbidden";
    NotFound => "not_found", NotFound, "Not found";
    MethodNotAllowed => "method_not_allowed", MethodNotAllowed, "Method not allowed";
    WriteConflict => "write_conflict", Conflict, "Too many concurrent changes";
    PromotionCodeInUse => "promotion_code_in_use", Conflict, "Promotion code in use";
    PromotionLimitReached => "promotion_limit_reached", Conflict, "Promotion limit reached";
    IdempotencyInProgress => "idempotency_in_progress", Conflict, "Request in progress";
    PriceChanged => "price_changed", Conflict, "Price changed";
    MetafieldExists => "metafield_exists", Conflict, "Metafield exists";
    VersionMismatch => "version_mismatch", PreconditionFailed, "Version mismatch";
    PayloadTooLarge => "payload_too_large", PayloadTooLarge, "Payload too large";
    UnsupportedMediaType => "unsupported_media_type", UnsupportedMediaType, "Unsupported media type";
    ProductNotFound => "product_not_found", Unprocessable, "Product not found";
    PriceNotAvailable => "price_not_available", Unprocessable, "Price not available";
    InsufficientStock => "insufficient_stock", Unprocessable, "Insufficient stock";
    CartItemLimit => "cart_item_limit", Unprocessable, "Cart item limit reached";
    CartProductLimit => "cart_product_limit", Unprocessable, "Cart product limit reached";
    ItemQuantityLimit => "item_quantity_limit", Unprocessable, "Item quantity limit reached";
    PromotionNotApplicable => "promotion_not_applicable", Unprocessable, "Promotion not applicable";
    PromotionCodeLimit => "promotion_code_limit", Unprocessable, "Too many promotion codes";
    CustomDiscountsDisabled => "custom_discounts_disabled", Unprocessable, "Custom discounts disabled";
    CustomDiscountLimit => "custom_discount_limit", Unprocessable, "Custom discount limit reached";
    ItemNotFound => "item_not_found", Unprocessable, "Item not found";
    ItemNotDiscountable => "item_not_discountable", Unprocessable, "Item not discountable";
    OptionsNotAvailable => "options_not_available", Unprocessable, "Options not available";
    ItemNotTaxable => "item_not_taxable", Unprocessable, "Item not taxable";
    TaxItemLimit => "tax_item_limit", Unprocessable, "Tax item limit reached";
    AccountsNotSupported => "accounts_not_supported", Unprocessable, "Accounts not supported";
    SourceCartNotFound => "source_cart_not_found", Unprocessable, "Source cart not found";
    CurrencyMismatch => "currency_mismatch", Unprocessable, "Currency mismatch";
    CartEmpty => "cart_empty", Unprocessable, "Cart empty";
    PurchasingDisabled => "purchasing_disabled", Unprocessable, "Purchasing disabled";
    ChannelLimit => "channel_limit", Unprocessable, "Too many channel settings";
    MetafieldLimit => "metafield_limit", Unprocessable, "Metafield limit reached";
    CustomerMismatch => "customer_mismatch", Unprocessable, "Customer mismatch";
    ShopperRequired => "shopper_required", Unprocessable, "Shopper required";
    CartTooLarge => "cart_too_large", Unprocessable, "Cart too large";
    OrderTooLarge => "order_too_large", Unprocessable, "Order too large";
    CheckoutTooLarge => "checkout_too_large", Unprocessable, "Checkout too large";
    AmountOverflow => "amount_overflow", Unprocessable, "Amount too large";
    IdempotencyKeyReused => "idempotency_key_reused", Unprocessable, "Idempotency key reused";
    InternalError => "internal_error", Internal, "Internal error";
    ServiceUnavailable => "service_unavailable", Unavailable, "Service unavailable";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Lets tests and logs compare a code with its wire name.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

/// One thing wrong with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    /// What exactly was wrong, for a developer reading it.
    pub detail: String,
    /// The field the problem is about, as a path like `line_items[0].quantity`.
    pub source: Option<String>,
}

impl Problem {
    pub fn new(code: Code, detail: impl Into<String>) -> Self {
        Problem {
            code,
            detail: detail.into(),
            source: None,
        }
    }

    /// Names the field or header the problem is about.
    pub fn at(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }
}

/// What a response needs beyond its problems: the version to re-read after a 412, the
/// method a 405 route serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    None,
    CurrentVersion(u64),
    Allow(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Never empty; every problem has the same kind.
    pub problems: Vec<Problem>,
    pub context: Context,
}

impl From<Problem> for Error {
    fn from(problem: Problem) -> Self {
        Error {
            problems: vec![problem],
            context: Context::None,
        }
    }
}

impl Error {
    /// One problem with `code`.
    pub fn of(code: Code, detail: impl Into<String>) -> Self {
        Problem::new(code, detail).into()
    }

    /// Names the field every problem of this error is about.
    pub fn at(mut self, source: impl Into<String>) -> Self {
        let source = source.into();
        for problem in &mut self.problems {
            problem.source = Some(source.clone());
        }
        self
    }

    /// Several problems of the same kind, reported together.
    pub fn many(problems: Vec<Problem>) -> Self {
        debug_assert!(!problems.is_empty());
        debug_assert!(
            problems
                .iter()
                .all(|p| p.code.kind() == problems[0].code.kind())
        );
        Error {
            problems,
            context: Context::None,
        }
    }

    /// The first (usually only) problem's code.
    pub fn code(&self) -> Code {
        self.problems[0].code
    }

    /// The kind of every problem here, and so the status.
    pub fn kind(&self) -> ErrorKind {
        self.code().kind()
    }

    /// 400 `validation_failed` on one field.
    pub fn invalid(source: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::of(Code::ValidationFailed, detail).at(source)
    }

    /// 403: what the request asks is not this shopper's to ask.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Error::of(Code::Forbidden, detail)
    }

    /// 404 for a resource that does not exist.
    pub fn not_found(what: &str) -> Self {
        Error::of(Code::NotFound, format!("{what} not found"))
    }

    /// 405: the request's method is not the one this function serves.
    pub fn method_not_allowed(allowed: &'static str) -> Self {
        Error {
            context: Context::Allow(allowed),
            ..Error::of(
                Code::MethodNotAllowed,
                format!("this route answers {allowed} only"),
            )
        }
    }

    /// 412: the client's `If-Match` is stale.
    pub fn version_mismatch(current_version: u64) -> Self {
        Error {
            context: Context::CurrentVersion(current_version),
            ..Error::of(
                Code::VersionMismatch,
                format!("If-Match does not match the current version {current_version}"),
            )
            .at("If-Match")
        }
    }

    /// 503: storage did not answer in time or throttled us.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Error::of(Code::ServiceUnavailable, detail)
    }

    /// 500: logged in full by the caller, shown to the client without internals.
    pub fn internal() -> Self {
        Error::of(
            Code::InternalError,
            "Something went wrong on our side; the request id identifies it in our logs",
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", p.code, p.detail)?;
            if let Some(source) = &p.source {
                write!(f, " ({source})")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_has_a_unique_snake_case_name_and_a_title() {
        let mut names = HashSet::new();
        for code in Code::ALL {
            let name = code.name();
            assert!(names.insert(name), "{name} twice");
            assert!(
                !name.is_empty()
                    && name
                        .split('_')
                        .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())),
                "{name}"
            );
            assert!(!code.title().is_empty(), "{name}");
        }
    }

    #[test]
    fn an_error_takes_its_kind_from_its_code() {
        assert_eq!(Error::not_found("cart").kind(), ErrorKind::NotFound);
        assert_eq!(Error::internal().kind().status(), 500);
        let stale = Error::version_mismatch(3);
        assert_eq!(stale.context, Context::CurrentVersion(3));
        assert_eq!(stale.problems[0].source.as_deref(), Some("If-Match"));
    }
}
