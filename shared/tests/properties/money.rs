//! Money formatting: any amount in any known currency formats without a panic, and the text
//! says exactly that amount (sign, digits, and the currency's number of decimals).

use crate::common::config;
use proptest::prelude::*;
use proptest::sample::select;
use std::sync::LazyLock;
use trolley::domain::money::Currency;

/// Every code the crate knows, found by asking it about every three-letter code.
static KNOWN: LazyLock<Vec<Currency>> = LazyLock::new(|| {
    let letters = 'A'..='Z';
    let mut known = Vec::new();
    for a in letters.clone() {
        for b in letters.clone() {
            for c in letters.clone() {
                if let Ok(currency) = Currency::try_from(format!("{a}{b}{c}")) {
                    known.push(currency);
                }
            }
        }
    }
    known
});

fn amount() -> BoxedStrategy<i64> {
    prop_oneof![
        any::<i64>(),
        select(vec![i64::MIN, i64::MIN + 1, -1, 0, 1, 999, 1_000, i64::MAX]),
        -1_000_000i64..=1_000_000,
    ]
    .boxed()
}

/// The amount a formatted text says, in minor units, and how many decimals it shows.
fn read_back(text: &str, currency: Currency) -> Option<(i128, usize)> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    // Past the symbol or "CODE ": everything from the first digit on.
    let number = &rest[rest.find(|c: char| c.is_ascii_digit())?..];
    let prefix = &rest[..rest.len() - number.len()];
    if prefix.is_empty() || prefix.contains(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if !prefix.ends_with(' ') && prefix.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    if prefix.ends_with(' ') && prefix.trim_end() != currency.code() {
        return None;
    }
    let (whole, decimals) = number.split_once('.').unwrap_or((number, ""));
    // Thousands grouped by three.
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped = groups[0].len() <= 3
        && !groups[0].is_empty()
        && groups[1..].iter().all(|g| g.len() == 3)
        && (groups.len() == 1 || !groups[0].starts_with('0'));
    if !grouped || !decimals.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits: String = groups.concat() + decimals;
    let magnitude: i128 = digits.parse().ok()?;
    Some((
        if negative { -magnitude } else { magnitude },
        decimals.len(),
    ))
}

#[test]
fn the_crate_knows_the_common_currencies() {
    assert!(KNOWN.len() > 150, "{} codes", KNOWN.len());
    for code in ["USD", "EUR", "JPY", "KWD", "CLF", "GBP"] {
        assert!(KNOWN.iter().any(|c| c.code() == code), "{code}");
    }
}

proptest! {
    #![proptest_config(config(2048))]

    #[test]
    fn any_amount_formats_as_itself(amount in amount(), index in any::<prop::sample::Index>()) {
        let currency = *index.get(&KNOWN);
        let text = currency.format(amount);
        prop_assert_eq!(text.starts_with('-'), amount < 0, "{}", text);
        let (said, decimals) = read_back(&text, currency)
            .ok_or_else(|| TestCaseError::fail(format!("cannot read {text:?} back")))?;
        prop_assert_eq!(said, i128::from(amount), "{}", text);
        prop_assert_eq!(decimals, currency.exponent() as usize, "{}", text);
    }
}
