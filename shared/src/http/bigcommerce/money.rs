//! Money on BigCommerce's wire is a decimal number in major units (`12.5` dollars); inside it
//! is integer minor units. Both directions are exact: the digits are moved, never computed
//! with floats.

use crate::domain::money::Currency;
use serde_json::Number;

/// `amount` minor units as a JSON number in major units: 1250 USD is `12.5`, 1250 JPY
/// `1250`, 1250 KWD `1.25`.
pub fn decimal(amount: i64, currency: Currency) -> Number {
    let exponent = currency.exponent();
    let scale = 10u64.pow(exponent);
    // Whole amounts are written as integers (`0`, `50`), as BigCommerce writes them.
    if amount.unsigned_abs().is_multiple_of(scale) {
        return Number::from(amount / scale as i64);
    }
    let magnitude = amount.unsigned_abs();
    let sign = if amount < 0 { "-" } else { "" };
    let text = format!(
        "{sign}{}.{:0width$}",
        magnitude / scale,
        magnitude % scale,
        width = exponent as usize
    );
    // The text has at most 19 significant digits, of which a double keeps about 15-17; the
    // largest amounts a cart can hold stay well inside that, so the shortest form of the
    // nearest double is this text again (tested).
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .unwrap_or_else(|| Number::from(0))
}

/// A JSON number in major units as minor units of `currency`: `12.5` USD is 1250. Refuses
/// more decimals than the currency has, a negative amount and anything above `max`.
pub fn minor_units(number: &Number, currency: Currency, max: i64) -> Result<i64, String> {
    let text = number.to_string();
    let exponent = currency.exponent() as usize;
    let too_large = || format!("must be at most {}", decimal(max, currency));
    if text.starts_with('-') {
        return Err("must not be negative".into());
    }
    if text.contains(['e', 'E']) {
        return Err(too_large());
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > exponent {
        return Err(format!(
            "has more than {exponent} decimals, the minor unit of {currency}"
        ));
    }
    let digits = format!("{whole}{fraction:0<exponent$}");
    match digits.parse::<i64>() {
        Ok(amount) if amount <= max => Ok(amount),
        _ => Err(too_large()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn currency(code: &str) -> Currency {
        Currency::try_from(code.to_string()).unwrap()
    }

    #[test]
    fn minor_units_become_decimals_by_the_currency_exponent() {
        let cases = [
            (1250, "USD", "12.5"),
            (1999, "USD", "19.99"),
            (5, "USD", "0.05"),
            (0, "USD", "0"),
            (5000, "USD", "50"),
            (1250, "JPY", "1250"),
            (1250, "KWD", "1.25"),
            (1, "KWD", "0.001"),
            (-1999, "EUR", "-19.99"),
            (99_999_999_999, "USD", "999999999.99"),
        ];
        for (amount, code, text) in cases {
            assert_eq!(
                decimal(amount, currency(code)).to_string(),
                text,
                "{amount} {code}"
            );
        }
    }

    #[test]
    fn decimals_become_minor_units_exactly_or_are_refused() {
        let number = |text: &str| serde_json::from_str::<Number>(text).unwrap();
        let max = 100_000_000_000;
        assert_eq!(minor_units(&number("12.5"), currency("USD"), max), Ok(1250));
        assert_eq!(minor_units(&number("0.1"), currency("USD"), max), Ok(10));
        assert_eq!(
            minor_units(&number("19.99"), currency("USD"), max),
            Ok(1999)
        );
        assert_eq!(minor_units(&number("7"), currency("JPY"), max), Ok(7));
        assert_eq!(minor_units(&number("7.0"), currency("JPY"), max), Ok(7));
        assert_eq!(
            minor_units(&number("1.234"), currency("KWD"), max),
            Ok(1234)
        );
        assert!(minor_units(&number("1.5"), currency("JPY"), max).is_err());
        assert!(minor_units(&number("1.005"), currency("USD"), max).is_err());
        assert!(minor_units(&number("-1"), currency("USD"), max).is_err());
        assert!(minor_units(&number("1e300"), currency("USD"), max).is_err());
        assert!(minor_units(&number("1000000000.01"), currency("USD"), max).is_err());
    }

    #[test]
    fn every_amount_round_trips() {
        for code in ["USD", "JPY", "KWD"] {
            let currency = currency(code);
            for amount in [
                0,
                1,
                9,
                10,
                99,
                101,
                1234,
                99_999,
                12_345_678,
                99_999_999_999,
            ] {
                let number = decimal(amount, currency);
                assert_eq!(
                    minor_units(&number, currency, i64::MAX),
                    Ok(amount),
                    "{amount} {code}"
                );
            }
        }
    }
}
