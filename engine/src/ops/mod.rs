//! Pixel operations.
