//! Dwolla's amounts as decimals (the `decimal` feature): Dwolla writes an amount as a string
//! (`"5.00"`), which `rust_decimal` reads and writes without losing a digit or the scale. Each
//! amount type of the models gets `to_decimal` and `from_decimal` built on the two functions
//! here.

use std::fmt;

use rust_decimal::Decimal;

/// Why an amount's string is not a decimal.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AmountError {
    /// The amount has no value.
    Missing,
    /// The value is not a plain decimal number: an optional `-`, digits, and at most one `.`
    /// followed by digits.
    NotDecimal(String),
    /// The value has more digits than a `Decimal` holds exactly (28 or so).
    TooPrecise(String),
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountError::Missing => f.write_str("the amount has no value"),
            AmountError::NotDecimal(v) => write!(f, "the amount `{v}` is not a decimal number"),
            AmountError::TooPrecise(v) => write!(f, "the amount `{v}` does not fit a decimal exactly"),
        }
    }
}

impl std::error::Error for AmountError {}

/// The decimal an amount's string spells, exactly; its scale is the number of digits after the
/// point.
pub fn parse(value: Option<&str>) -> Result<Decimal, AmountError> {
    let value = value.ok_or(AmountError::Missing)?;
    let digits = value.strip_prefix('-').unwrap_or(value);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
        return Err(AmountError::NotDecimal(value.to_owned()));
    }
    Decimal::from_str_exact(value).map_err(|_| AmountError::TooPrecise(value.to_owned()))
}

/// The string Dwolla reads for `value`: its digits with its scale (`5.00` stays `"5.00"`).
pub fn format(value: Decimal) -> String {
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_amounts_round_trip_with_their_scale() {
        for text in ["5.00", "0.01", "-12.34", "1000000", "42.0", "0.000001", "79228162514264337593543950335"] {
            assert_eq!(format(parse(Some(text)).unwrap()), text);
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for text in ["", "-", ".5", "5.", "1e3", "+5.00", " 5.00", "5.00 ", "5,00", "1.2.3", "NaN", "--1", "٣"] {
            assert_eq!(parse(Some(text)), Err(AmountError::NotDecimal(text.to_owned())), "{text:?}");
        }
        assert_eq!(parse(None), Err(AmountError::Missing));
        let huge = "7922816251426433759354395033600";
        assert_eq!(parse(Some(huge)), Err(AmountError::TooPrecise(huge.to_owned())));
    }
}
