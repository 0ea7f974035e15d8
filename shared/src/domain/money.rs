//! Money is integer minor units plus an ISO 4217 currency. Never floats.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 currency code this service knows the minor-unit exponent of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct Currency(&'static str);

// Written out rather than derived: the derive would demand `'de: 'static` for the field.
impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Currency::try_from(code).map_err(serde::de::Error::custom)
    }
}

/// Active ISO 4217 codes whose minor unit is not 2 digits; every other known code has 2.
const EXPONENTS: &[(&str, u32)] = &[
    ("BHD", 3),
    ("BIF", 0),
    ("CLF", 4),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("IQD", 3),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("PYG", 0),
    ("RWF", 0),
    ("TND", 3),
    ("UGX", 0),
    ("UYI", 0),
    ("UYW", 4),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
];

/// Active ISO 4217 currency codes (funds codes included; precious metals and test codes not).
const CODES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
    "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE", "CZK",
    "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS",
    "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD",
    "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD",
    "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT",
    "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK",
    "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
    "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP",
    "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS",
    "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST",
    "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
];

/// Symbols written before the amount; other currencies are written as "CHF 12.50".
const SYMBOLS: &[(&str, &str)] = &[
    ("USD", "$"),
    ("EUR", "€"),
    ("GBP", "£"),
    ("JPY", "¥"),
    ("CNY", "¥"),
    ("INR", "₹"),
    ("KRW", "₩"),
    ("AUD", "A$"),
    ("CAD", "CA$"),
    ("NZD", "NZ$"),
    ("BRL", "R$"),
    ("MXN", "MX$"),
];

impl Currency {
    pub const USD: Currency = Currency("USD");

    pub fn code(self) -> &'static str {
        self.0
    }

    /// Digits after the decimal point in this currency's minor unit.
    pub fn exponent(self) -> u32 {
        EXPONENTS
            .iter()
            .find(|(c, _)| *c == self.0)
            .map_or(2, |(_, e)| *e)
    }

    /// Renders minor units for display, e.g. 123456 USD -> "$1,234.56".
    /// Locale-independent: a display convenience, never parsed back.
    pub fn format(self, amount: i64) -> String {
        let exponent = self.exponent();
        let scale = 10u64.pow(exponent);
        let magnitude = amount.unsigned_abs();
        let mut number = group_thousands(magnitude / scale);
        if exponent > 0 {
            number = format!(
                "{number}.{:0width$}",
                magnitude % scale,
                width = exponent as usize
            );
        }
        let sign = if amount < 0 { "-" } else { "" };
        match SYMBOLS.iter().find(|(c, _)| *c == self.0) {
            Some((_, symbol)) => format!("{sign}{symbol}{number}"),
            None => format!("{sign}{} {number}", self.0),
        }
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(code: String) -> Result<Self, String> {
        CODES
            .iter()
            .find(|c| **c == code)
            .map(|c| Currency(c))
            .ok_or_else(|| "must be an ISO 4217 currency code such as USD or EUR".to_string())
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> String {
        currency.0.to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn currency(code: &str) -> Currency {
        Currency::try_from(code.to_string()).unwrap()
    }

    #[test]
    fn formats_by_the_currency_exponent() {
        assert_eq!(Currency::USD.format(1999), "$19.99");
        assert_eq!(Currency::USD.format(5), "$0.05");
        assert_eq!(Currency::USD.format(0), "$0.00");
        assert_eq!(Currency::USD.format(-250), "-$2.50");
        assert_eq!(Currency::USD.format(123_456_789), "$1,234,567.89");
        assert_eq!(currency("JPY").format(1500), "¥1,500");
        assert_eq!(currency("KWD").format(1234), "KWD 1.234");
        assert_eq!(currency("CHF").format(1250), "CHF 12.50");
    }

    #[test]
    fn formats_the_extremes_without_overflow() {
        assert_eq!(
            Currency::USD.format(i64::MIN),
            "-$92,233,720,368,547,758.08"
        );
    }

    #[test]
    fn only_known_codes_are_currencies() {
        assert!(Currency::try_from("EUR".to_string()).is_ok());
        for bad in ["usd", "US", "XXX", "ABC", ""] {
            assert!(Currency::try_from(bad.to_string()).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_code_with_an_exponent_is_a_known_code() {
        let named = EXPONENTS
            .iter()
            .map(|(c, _)| c)
            .chain(SYMBOLS.iter().map(|(c, _)| c));
        for code in named {
            assert!(CODES.contains(code), "{code}");
        }
    }
}
