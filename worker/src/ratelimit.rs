//! A fixed-window request counter, one per user (kept in the user's rate-limit Durable Object).
//!
//! ```
//! use retouch_worker::ratelimit::Window;
//! let mut w = Window::default();
//! assert!(w.hit(0, 2, 60_000).is_ok());
//! assert!(w.hit(1, 2, 60_000).is_ok());
//! assert_eq!(w.hit(2, 2, 60_000), Err(60)); // retry in 60 s
//! assert!(w.hit(60_000, 2, 60_000).is_ok()); // a new window
//! ```

/// The window of the per-user generative edit quota: one UTC day (windows start at multiples of
/// their length since the epoch, so a day window resets at midnight UTC).
pub const DAY_MS: i64 = 86_400_000;

/// Requests counted in the current window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Window {
    /// Start of the window, ms since the epoch.
    pub start_ms: i64,
    /// Requests counted since `start_ms`.
    pub count: u32,
}

impl Window {
    /// Counts a request at `now_ms` against `limit` per `window_ms`; `Err(seconds)` says how
    /// long until the window resets when the limit is used up (the request is not counted).
    pub fn hit(&mut self, now_ms: i64, limit: u32, window_ms: i64) -> Result<u32, u64> {
        let window_ms = window_ms.max(1);
        if now_ms >= self.start_ms.saturating_add(window_ms) || now_ms < self.start_ms {
            *self = Self {
                start_ms: now_ms - now_ms.rem_euclid(window_ms),
                count: 0,
            };
        }
        if self.count >= limit {
            let left_ms = self.start_ms + window_ms - now_ms;
            return Err(u64::try_from((left_ms + 999) / 1000).unwrap_or(1).max(1));
        }
        self.count += 1;
        Ok(limit - self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_window_resets_at_midnight_utc() {
        let noon = 20_000 * DAY_MS + DAY_MS / 2;
        let mut w = Window::default();
        assert_eq!(w.hit(noon, 1, DAY_MS), Ok(0));
        // Twelve hours to midnight.
        assert_eq!(w.hit(noon + 1, 1, DAY_MS), Err(43_200));
        assert_eq!(w.hit(21_000 * DAY_MS, 1, DAY_MS), Ok(0));
    }
}
