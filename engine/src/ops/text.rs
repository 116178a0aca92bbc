//! `add_text`: antialiased text in an embedded font.

use super::canvas::Raster;
use crate::contract::TextParams;
use crate::error::{Error, Result};

/// Applies an `add_text` tool call.
pub(crate) fn add_text(_src: Raster, _p: &TextParams) -> Result<Raster> {
    Err(Error::Unsupported("add_text is being written".into()))
}
