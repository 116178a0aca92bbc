// Numbers for people: bytes, durations, dimensions.

/**
 * `1536` → `"1.5 KB"`, `2_500_000` → `"2.5 MB"`: decimal units (1 KB = 1000 bytes), the same units the
 * max-file-size field and the CLI's `--max-bytes` take, so a result under "150 KB" never reads as more.
 */
export function bytes(n) {
  if (!Number.isFinite(n)) return '';
  if (n < 1000) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return `${v >= 100 ? Math.round(v) : Math.round(v * 10) / 10} ${units[u]}`;
}

/** Seconds left as "about 5 s" / "about 2 min". */
export function timeLeft(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 1.5) return 'almost done';
  if (seconds < 60) return `about ${Math.ceil(seconds)} s left`;
  return `about ${Math.ceil(seconds / 60)} min left`;
}

/** `"1280 × 1024"` */
export function dims(w, h) {
  return w && h ? `${w} × ${h}` : '';
}

/** The change in size as "−85 %" (smaller) or "+12 %" (larger). */
export function saved(before, after) {
  if (!before || !Number.isFinite(after)) return '';
  const pct = Math.round((1 - after / before) * 100);
  if (pct > 0) return `−${pct} %`;
  if (pct < 0) return `+${-pct} %`;
  return '±0 %';
}
