// When a card shows a small engine-made preview instead of the photo itself.
//
// A phone photo is 12 megapixels: 48 MB once decoded. Fifty of them as <img> thumbnails would ask
// the browser for gigabytes, so a large photo (or result) gets a preview made by the engine in a
// worker (resize to PREVIEW_SIDE, JPEG, or WebP with alpha) and the card never points at the
// full-size file. Small photos are shown as they are. No canvas is involved anywhere.
//
//   const side = previewSide(info, file.size);   // 0: show the file; else make a preview this big

/**
 * The long side of a preview, in pixels: a card is about 170 CSS px wide on a 3× phone screen,
 * and a 4032 px phone photo decodes at 1/8 scale (504 px, the fastest) for it.
 */
export const PREVIEW_SIDE = 480;
/** Photos up to this long side (and size in bytes) are shown as they are. */
export const SHOW_AS_IS_SIDE = 1600;
export const SHOW_AS_IS_BYTES = 3_000_000;
/** Formats every browser shows in an <img>; others (HEIC, JXL…) always get a preview. */
const SHOWN = new Set(['jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp']);

/**
 * @param {{width: number, height: number, format?: string}} info the engine's inspect() result
 * @param {number} bytes the file's size
 * @returns {number} 0 to show the file itself, else the preview's long side
 */
export function previewSide(info, bytes = 0) {
  if (!info || !(info.width > 0) || !(info.height > 0)) return 0;
  const format = String(info.format ?? '').toLowerCase();
  if (format === 'gif') return 0; // keep animations moving; GIFs are small
  const large = Math.max(info.width, info.height) > SHOW_AS_IS_SIDE || bytes > SHOW_AS_IS_BYTES;
  return large || (format && !SHOWN.has(format)) ? PREVIEW_SIDE : 0;
}
