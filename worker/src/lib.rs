//! The Retouch backend on Cloudflare Workers (being written).
