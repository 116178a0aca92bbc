//! `adjust`: tonal and colour adjustments.

use super::canvas::Raster;
use crate::contract::AdjustParams;
use crate::error::{Error, Result};

/// Applies an `adjust` tool call.
pub(crate) fn adjust(_src: Raster, _p: &AdjustParams) -> Result<Raster> {
    Err(Error::Unsupported("adjust is being written".into()))
}
