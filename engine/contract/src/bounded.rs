//! Numbers with a range, checked while deserializing.
//!
//! A field typed [`Pixels`] can only ever hold 1 to 16384, so operations never re-check it, and a bad
//! value is refused with a message in sharp's style — `expected an integer from 1 to 16384, got -5` —
//! that the contract prefixes with the field's path. The JSON Schema of each type carries the same
//! bounds, so the LLM is shown exactly what the validator accepts.

use std::borrow::Cow;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Formats a received JSON number for an error message without a spurious `.0`.
fn shown(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else if v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// Reads any JSON number (or refuses anything else) as `f64`, for range checks with a good message.
struct NumberVisitor(&'static str);

impl Visitor<'_> for NumberVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        Err(E::custom(format!("{}, got the string {v:?}", self.0)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<f64, E> {
        Err(E::custom(format!("{}, got {v}", self.0)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<f64, E> {
        Err(E::custom(format!("{}, got null", self.0)))
    }
}

macro_rules! bounded_int {
    ($(#[$doc:meta])* $name:ident: $ty:ty, $min:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name($ty);

        impl $name {
            /// The smallest value accepted.
            pub const MIN: $ty = $min;
            /// The largest value accepted.
            pub const MAX: $ty = $max;
            const EXPECTED: &'static str =
                concat!("expected an integer from ", stringify!($min), " to ", stringify!($max));

            /// The value, if it is in range.
            pub fn new(v: $ty) -> Option<Self> {
                (Self::MIN..=Self::MAX).contains(&v).then_some(Self(v))
            }
            /// The value, clamped into range.
            pub fn saturating(v: i64) -> Self {
                Self(v.clamp(Self::MIN as i64, Self::MAX as i64) as $ty)
            }
            /// The number.
            pub const fn get(self) -> $ty {
                self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = d.deserialize_any(NumberVisitor(Self::EXPECTED))?;
                if v.fract() != 0.0 || v < Self::MIN as f64 || v > Self::MAX as f64 {
                    return Err(de::Error::custom(format!("{}, got {}", Self::EXPECTED, shown(v))));
                }
                Ok(Self(v as $ty))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(s)
            }
        }

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "integer", "minimum": $min, "maximum": $max })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

macro_rules! bounded_float {
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr, exclusive_min = $excl:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
        pub struct $name(f64);

        impl $name {
            /// The lower bound.
            pub const MIN: f64 = $min as f64;
            /// The largest value accepted.
            pub const MAX: f64 = $max as f64;
            const EXPECTED: &'static str = if $excl {
                concat!("expected a number greater than ", stringify!($min), " and at most ", stringify!($max))
            } else {
                concat!("expected a number from ", stringify!($min), " to ", stringify!($max))
            };

            /// The value, if it is in range (and finite).
            pub fn new(v: f64) -> Option<Self> {
                let above = if $excl { v > Self::MIN } else { v >= Self::MIN };
                (v.is_finite() && above && v <= Self::MAX).then_some(Self(v))
            }
            /// The number.
            pub const fn get(self) -> f64 {
                self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = d.deserialize_any(NumberVisitor(Self::EXPECTED))?;
                Self::new(v).ok_or_else(|| {
                    de::Error::custom(format!("{}, got {}", Self::EXPECTED, shown(v)))
                })
            }
        }

        impl Serialize for $name {
            /// Whole numbers are written without a fraction (`20`, not `20.0`).
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                if self.0.fract() == 0.0 && self.0.abs() < 1e15 {
                    (self.0 as i64).serialize(s)
                } else {
                    self.0.serialize(s)
                }
            }
        }

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                if $excl {
                    json_schema!({ "type": "number", "exclusiveMinimum": $min, "maximum": $max })
                } else {
                    json_schema!({ "type": "number", "minimum": $min, "maximum": $max })
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

bounded_int!(
    /// A width or height in pixels: 1 to 16384.
    Pixels: u32, 1, 16384
);
bounded_int!(
    /// A position or inset in pixels: 0 to 16384.
    Offset: u32, 0, 16384
);
bounded_int!(
    /// An encoder quality: 1 (smallest) to 100 (best).
    Quality: u8, 1, 100
);
bounded_int!(
    /// A file-size budget in bytes: 1024 (1 KB) to 1073741824 (1 GiB).
    MaxBytes: u64, 1024, 1_073_741_824
);
bounded_int!(
    /// A border or margin width in pixels: 0 to 2000.
    Thickness: u32, 0, 2000
);
bounded_int!(
    /// A font size in pixels: 4 to 1000.
    FontSize: u32, 4, 1000
);
bounded_float!(
    /// A resize factor: greater than 0 and at most 16 (0.5 halves, 2 doubles).
    Scale, 0, 16, exclusive_min = true
);
bounded_float!(
    /// An angle in degrees, clockwise: -360 to 360.
    Degrees, -360, 360, exclusive_min = false
);
bounded_float!(
    /// A hue rotation in degrees: -180 to 180.
    HueDegrees, -180, 180, exclusive_min = false
);
bounded_float!(
    /// A Gaussian sigma in pixels: 0.3 to 100.
    Sigma, 0.3, 100, exclusive_min = false
);
bounded_float!(
    /// A sharpening strength: 0 to 10 (1 is a normal unsharp mask).
    Amount, 0, 10, exclusive_min = false
);
bounded_float!(
    /// A signed percentage: -100 (all the way down) to 100 (all the way up), 0 leaves it.
    Percent, -100, 100, exclusive_min = false
);
bounded_float!(
    /// A fraction from 0 to 1.
    Fraction, 0, 1, exclusive_min = false
);
bounded_float!(
    /// A gamma exponent: 0.1 to 10 (1 leaves the image unchanged, above 1 brightens mid-tones).
    Gamma, 0.1, 10, exclusive_min = false
);
bounded_float!(
    /// Exposure in photographic stops: -5 to 5 (+1 doubles the light).
    Stops, -5, 5, exclusive_min = false
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_range_values_pass() {
        let p: Pixels = serde_json::from_str("800").unwrap();
        assert_eq!(p.get(), 800);
        let s: Scale = serde_json::from_str("0.5").unwrap();
        assert!((s.get() - 0.5).abs() < f64::EPSILON);
        // An integral float is an integer.
        let q: Quality = serde_json::from_str("80.0").unwrap();
        assert_eq!(q.get(), 80);
    }

    #[test]
    fn out_of_range_values_say_what_was_expected_and_received() {
        let e = serde_json::from_str::<Pixels>("-5")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("expected an integer from 1 to 16384, got -5"),
            "{e}"
        );
        let e = serde_json::from_str::<Pixels>("1.5")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("expected an integer from 1 to 16384, got 1.5"),
            "{e}"
        );
        let e = serde_json::from_str::<Scale>("0").unwrap_err().to_string();
        assert!(
            e.starts_with("expected a number greater than 0 and at most 16, got 0"),
            "{e}"
        );
        let e = serde_json::from_str::<Quality>("\"high\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("got the string \"high\""), "{e}");
    }

    #[test]
    fn schema_carries_the_bounds() {
        let s = schemars::schema_for!(Pixels);
        assert_eq!(s.get("minimum"), Some(&serde_json::json!(1)));
        assert_eq!(s.get("maximum"), Some(&serde_json::json!(16384)));
    }
}
