//! An item's size as DynamoDB counts it, so that a write too large for one item (400 KB)
//! is refused with a clear 422 before DynamoDB refuses it with a 400 of its own.
//!
//! DynamoDB's rules: a name or string is its UTF-8 length; a number about one byte per two
//! significant digits, plus one; null and booleans one byte; a list or map three bytes plus
//! its elements, each with one byte of overhead (and, in a map, its name).

use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

/// DynamoDB's limit on one item.
pub const DYNAMODB_ITEM_LIMIT: usize = 400 * 1024;

pub fn item_size(item: &HashMap<String, AttributeValue>) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value_size(value))
        .sum()
}

fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(text) => text.len(),
        AttributeValue::N(number) => number_size(number),
        AttributeValue::B(bytes) => bytes.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::L(list) => 3 + list.iter().map(|v| 1 + value_size(v)).sum::<usize>(),
        AttributeValue::M(map) => {
            3 + map
                .iter()
                .map(|(k, v)| 1 + k.len() + value_size(v))
                .sum::<usize>()
        }
        AttributeValue::Ss(set) => set.iter().map(String::len).sum(),
        AttributeValue::Ns(set) => set.iter().map(|n| number_size(n)).sum(),
        AttributeValue::Bs(set) => set.iter().map(|b| b.as_ref().len()).sum(),
        // Kinds this service never writes: count generously.
        _ => 64,
    }
}

fn number_size(number: &str) -> usize {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let significant = digits
        .trim_start_matches('0')
        .trim_end_matches('0')
        .len()
        .max(1);
    significant.div_ceil(2) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_dynamodb_rules() {
        let item = HashMap::from([
            ("PK".to_string(), AttributeValue::S("CART#1".into())),
            ("version".to_string(), AttributeValue::N("12345".into())),
            ("flag".to_string(), AttributeValue::Bool(true)),
            (
                "list".to_string(),
                AttributeValue::L(vec![
                    AttributeValue::S("ab".into()),
                    AttributeValue::Null(true),
                ]),
            ),
            (
                "map".to_string(),
                AttributeValue::M(HashMap::from([(
                    "k".to_string(),
                    AttributeValue::S("é".into()),
                )])),
            ),
        ]);
        // PK 2+6, version 7+4 (5 digits), flag 4+1, list 4+3+(1+2)+(1+1), map 3+3+(1+1+2)
        assert_eq!(item_size(&item), 8 + 11 + 5 + 12 + 10);
    }
}
