//! A number's text read as a decimal, as rust_decimal's `from_str` reads it.
//!
//! rust_decimal's reader is built once for each combination of what it has seen (a sign, a
//! point, a long number, rounding), several kilobytes of the browser's first module for texts
//! that are a few digits long. This is its digit loop written once; the exponent and any
//! rounding are rust_decimal's own operations. A property test holds the two equal on every
//! text, value and scale.

use rust_decimal::Decimal;

/// The mantissa's limit: 2⁹⁶.
const LIMIT: u128 = 1 << 96;

/// The most digits after the point.
const MAX_SCALE: u32 = 28;

/// Reads an optional sign, digits with at most one point and an optional exponent (`1.5e3`,
/// `2E-4`), as `Decimal::from_str` does: digits beyond 28 decimal places, or beyond the
/// mantissa's 96 bits after the point, are rounded at the first one dropped (half away from
/// zero); a whole part too large is refused. Unlike it, an underscore is refused: the grouping
/// of digits is read before ([`super::read_decimal`]).
pub fn from_text(text: &str) -> Option<Decimal> {
    match text.split_once(['e', 'E']) {
        None => plain(text),
        Some((base, exponent)) => scientific(plain(base)?, exponent),
    }
}

/// A number without an exponent.
fn plain(text: &str) -> Option<Decimal> {
    let (negative, bytes) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        all => (false, all),
    };
    let mut mantissa: u128 = 0;
    let mut scale = 0;
    let mut point = false;
    let mut digits = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'.' {
            if point {
                return None;
            }
            point = true;
            continue;
        }
        let digit = digit_of(b)?;
        digits = true;
        let next = mantissa * 10 + digit;
        if next >= LIMIT {
            // Too many digits for the mantissa: rounded at this one, after the point.
            return if point { rounded(mantissa, digit, &bytes[i + 1..], scale, negative) } else { None };
        }
        mantissa = next;
        if point {
            scale += 1;
            if scale == MAX_SCALE
                && let Some((&b, rest)) = bytes.get(i + 1..).and_then(<[u8]>::split_first)
            {
                // As many places as a decimal holds: rounded at the next digit.
                return rounded(mantissa, digit_of(b)?, rest, scale, negative);
            }
        }
    }
    digits.then(|| parts(mantissa, negative, scale))
}

/// The digit a byte is, if it is one.
fn digit_of(b: u8) -> Option<u128> {
    b.is_ascii_digit().then(|| u128::from(b - b'0'))
}

/// `mantissa` rounded at `digit`, the first digit dropped, where what follows it is digits.
fn rounded(mut mantissa: u128, digit: u128, rest: &[u8], mut scale: u32, negative: bool) -> Option<Decimal> {
    if !rest.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if digit >= 5 {
        mantissa += 1;
        if mantissa >= LIMIT {
            // Rounded up past the limit: one place fewer.
            scale = scale.checked_sub(1)?;
            mantissa = (mantissa + 4) / 10;
        }
    }
    Some(parts(mantissa, negative, scale))
}

fn parts(mantissa: u128, negative: bool, scale: u32) -> Decimal {
    // Below 2⁹⁶, so each part is the 32 bits it is cut to.
    Decimal::from_parts(mantissa as u32, (mantissa >> 32) as u32, (mantissa >> 64) as u32, negative, scale)
}

/// `base` × 10^`exponent`, as rust_decimal's `from_scientific_lossy` works it out.
fn scientific(mut base: Decimal, exponent: &str) -> Option<Decimal> {
    let scale = base.scale();
    if let Some(down) = exponent.strip_prefix('-') {
        let down: u32 = down.parse().ok()?;
        if down > MAX_SCALE {
            return None;
        }
        if scale + down > MAX_SCALE {
            base.rescale(MAX_SCALE - down);
            base.set_scale(MAX_SCALE).ok()?;
        } else {
            base.set_scale(scale + down).ok()?;
        }
        return Some(base);
    }
    let up: u32 = exponent.parse().ok()?;
    if up <= scale {
        base.set_scale(scale - up).ok()?;
        return Some(base);
    }
    if up > MAX_SCALE {
        return None;
    }
    let mut out = base.checked_mul(Decimal::try_from_i128_with_scale(10_i128.checked_pow(up)?, 0).ok()?)?;
    out.normalize_assign();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// The same value, and the same scale and sign (which the display shows), or neither reads.
    fn same(text: &str) -> Result<(), String> {
        let ours = from_text(text);
        let theirs = Decimal::from_str(text).ok();
        let show = |d: Option<Decimal>| d.map(|d| (d.to_string(), d.scale(), d.is_sign_negative()));
        if show(ours) == show(theirs) {
            Ok(())
        } else {
            Err(format!("{text:?}: {:?} against {:?}", show(ours), show(theirs)))
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn reads_as_rust_decimal_reads() {
        let limit = "79228162514264337593543950335";
        let long = "0.12345678901234567890123456785";
        let cases = [
            "",
            "-",
            "+",
            ".",
            "-.",
            "5.",
            ".5",
            "-.5",
            "+5",
            "0",
            "-0",
            "-0.00",
            "007",
            "1.2.3",
            "1a",
            "1 ",
            limit,
            "79228162514264337593543950336",
            "7922816251426433759354395033.5",
            "7922816251426433759354395033.55",
            "7922816251426433759354395033.45",
            "79228162514264337593543950.3359",
            "0.0000000000000000000000000001",
            "0.00000000000000000000000000005",
            "0.00000000000000000000000000004",
            long,
            "0.1234567890123456789012345678",
            "0.99999999999999999999999999995",
            "1.0000000000000000000000000000",
            "0.1234567890123456789012345678x",
            "0.12345678901234567890123456789.",
            "1.5e3",
            "1.5E3",
            "-1.5e3",
            "1e",
            "1e-",
            "1e+",
            "1e+3",
            "1e-3",
            "1e--3",
            "1e-+3",
            "1e3e3",
            "e3",
            ".e3",
            "1e28",
            "1e29",
            "1e-28",
            "1e-29",
            "1.5e-28",
            "1.23456789e-25",
            "1234.5678e-26",
            "12.5e-28",
            "7.9e28",
            "7.9e27",
            "1.20e2",
            "1.200e1",
            "0e5",
            "-0e-3",
            "100e-2",
            "1.5e0",
            "1e00003",
            "1e4294967296",
        ];
        for case in cases {
            same(case).unwrap_or_else(|e| panic!("{e}"));
        }
        // Grouping is read before: an underscore here is refused.
        assert_eq!(from_text("1_000"), None);
    }

    // Native only: proptest has no wasm32 build.
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn numbers_read_as_rust_decimal_reads_them(
            text in r"[-+]?[0-9]{0,31}(\.[0-9]{0,32})?([eE][-+]?[0-9]{0,2})?",
        ) {
            proptest::prop_assert_eq!(same(&text), Ok(()));
        }

        #[test]
        fn any_text_reads_as_rust_decimal_reads_it(text in r"[-+.0-9eEx]{0,40}") {
            proptest::prop_assert_eq!(same(&text), Ok(()));
        }
    }
}
