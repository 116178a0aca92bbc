//! Colours as people and LLMs write them: CSS names, `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`,
//! and `transparent`.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

#[path = "css_names.rs"]
mod css_names;
use css_names::CSS_NAMES;

/// An sRGB colour with straight (not premultiplied) alpha.
///
/// ```
/// use retouch_contract::Color;
/// let c: Color = "#f80".parse().unwrap();
/// assert_eq!(c, Color::rgba(0xff, 0x88, 0x00, 0xff));
/// assert_eq!("white".parse::<Color>().unwrap(), Color::WHITE);
/// assert_eq!(Color::rgba(1, 2, 3, 255).to_string(), "#010203");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
    /// Alpha, 0 (transparent) to 255 (opaque).
    pub a: u8,
}

impl Color {
    /// Opaque black.
    pub const BLACK: Self = Self::rgba(0, 0, 0, 255);
    /// Opaque white.
    pub const WHITE: Self = Self::rgba(255, 255, 255, 255);
    /// Fully transparent black.
    pub const TRANSPARENT: Self = Self::rgba(0, 0, 0, 0);

    /// A colour from its four channels.
    pub const fn rgba(r: u8, g: u8, b: u8, a: u8) -> Self {
        Self { r, g, b, a }
    }

    /// The channels as `[r, g, b, a]`.
    pub const fn to_array(self) -> [u8; 4] {
        [self.r, self.g, self.b, self.a]
    }

    /// Looks up a CSS colour name (case-insensitive, spaces ignored: "light blue" works).
    pub fn from_name(name: &str) -> Option<Self> {
        let key: String = name
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_lowercase)
            .collect();
        if key == "transparent" {
            return Some(Self::TRANSPARENT);
        }
        let i = CSS_NAMES
            .binary_search_by(|(n, _)| n.cmp(&key.as_str()))
            .ok()?;
        let [_, r, g, b] = CSS_NAMES[i].1.to_be_bytes();
        Some(Self::rgba(r, g, b, 255))
    }

    fn from_hex(hex: &str) -> Option<Self> {
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let nibble = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok().map(|v| v * 17);
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        match hex.len() {
            3 => Some(Self::rgba(nibble(0)?, nibble(1)?, nibble(2)?, 255)),
            4 => Some(Self::rgba(nibble(0)?, nibble(1)?, nibble(2)?, nibble(3)?)),
            6 => Some(Self::rgba(byte(0)?, byte(2)?, byte(4)?, 255)),
            8 => Some(Self::rgba(byte(0)?, byte(2)?, byte(4)?, byte(6)?)),
            _ => None,
        }
    }
}

/// Why a colour string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColorParseError(String);

impl fmt::Display for ColorParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expected a CSS colour name or #rgb, #rgba, #rrggbb, #rrggbbaa, got {:?}",
            self.0
        )
    }
}

impl std::error::Error for ColorParseError {}

impl FromStr for Color {
    type Err = ColorParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let parsed = match t.strip_prefix('#') {
            Some(hex) => Self::from_hex(hex),
            None => Self::from_name(t),
        };
        parsed.ok_or_else(|| ColorParseError(s.to_owned()))
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)?;
        if self.a != 255 {
            write!(f, "{:02x}", self.a)?;
        }
        Ok(())
    }
}

impl Serialize for Color {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<str>::deserialize(d).map_err(|_| {
            de::Error::custom("expected a colour string such as \"white\" or \"#ff8800\"")
        })?;
        s.parse().map_err(de::Error::custom)
    }
}

impl JsonSchema for Color {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Color".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A CSS colour name (\"white\", \"navy\", \"transparent\") or hex #rgb, #rgba, #rrggbb, #rrggbbaa",
            "maxLength": 32
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_documented_form() {
        assert_eq!("#000".parse::<Color>().unwrap(), Color::BLACK);
        assert_eq!(
            "#0008".parse::<Color>().unwrap(),
            Color::rgba(0, 0, 0, 0x88)
        );
        assert_eq!(
            "#FF8800".parse::<Color>().unwrap(),
            Color::rgba(255, 136, 0, 255)
        );
        assert_eq!(
            "#ff880080".parse::<Color>().unwrap(),
            Color::rgba(255, 136, 0, 128)
        );
        assert_eq!(
            "Rebecca Purple".parse::<Color>().unwrap(),
            Color::rgba(0x66, 0x33, 0x99, 255)
        );
        assert_eq!("transparent".parse::<Color>().unwrap(), Color::TRANSPARENT);
    }

    #[test]
    fn refuses_nonsense_with_the_value_in_the_message() {
        for bad in ["#12", "#ggg", "blurple", "", "#12345", "#é12"] {
            let e = bad.parse::<Color>().unwrap_err();
            assert!(
                e.to_string().contains("expected a CSS colour"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn names_table_is_sorted_for_binary_search() {
        assert!(CSS_NAMES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(CSS_NAMES.len(), 148);
    }

    #[test]
    fn display_round_trips() {
        for c in [Color::WHITE, Color::rgba(1, 2, 3, 4), Color::TRANSPARENT] {
            assert_eq!(c.to_string().parse::<Color>().unwrap(), c);
        }
    }
}
