//! A progress bar on stderr, drawn only when stderr is a terminal; failure lines always.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

const WIDTH: usize = 30;

/// Progress over a batch: each image's fraction done, summed.
pub struct Bar {
    draw: bool,
    /// Each image's fraction, as `f32` bits.
    fractions: Vec<AtomicU32>,
    /// Images finished and failed so far; also serialises drawing.
    counts: Mutex<(usize, usize)>,
}

impl Bar {
    pub fn new(images: usize) -> Self {
        Self {
            draw: std::io::stderr().is_terminal(),
            fractions: (0..images).map(|_| AtomicU32::new(0)).collect(),
            counts: Mutex::new((0, 0)),
        }
    }

    /// Image `i` is `fraction` done.
    pub fn set(&self, i: usize, fraction: f32) {
        if let Some(f) = self.fractions.get(i) {
            f.store(fraction.to_bits(), Ordering::Relaxed);
        }
        if self.draw {
            let counts = self
                .counts
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            self.redraw(*counts);
        }
    }

    /// Image `i` is finished; `failure` is its error line, printed at once.
    pub fn finish(&self, i: usize, failure: Option<String>) {
        if let Some(f) = self.fractions.get(i) {
            f.store(1f32.to_bits(), Ordering::Relaxed);
        }
        let mut counts = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        counts.0 += 1;
        let mut err = std::io::stderr().lock();
        if let Some(line) = failure {
            counts.1 += 1;
            let clear = if self.draw { "\r\x1b[K" } else { "" };
            let _ = writeln!(err, "{clear}{line}");
        }
        drop(err);
        if self.draw {
            self.redraw(*counts);
        }
    }

    /// Removes the bar, leaving the terminal line empty.
    pub fn clear(&self) {
        if self.draw {
            eprint!("\r\x1b[K");
        }
    }

    fn redraw(&self, (done, failed): (usize, usize)) {
        let total = self.fractions.len().max(1);
        let sum: f32 = self
            .fractions
            .iter()
            .map(|f| f32::from_bits(f.load(Ordering::Relaxed)))
            .sum();
        let filled = ((sum / total as f32) * WIDTH as f32).round() as usize;
        let failed = if failed > 0 {
            format!(", {failed} failed")
        } else {
            String::new()
        };
        eprint!(
            "\r\x1b[K[{}{}] {done}/{} images{failed}",
            "#".repeat(filled.min(WIDTH)),
            " ".repeat(WIDTH - filled.min(WIDTH)),
            self.fractions.len()
        );
    }
}
