// "Paint what to change": a brush and an eraser over a larger view of one photo, with a size
// slider and undo. The painted region becomes the mask of the plan's AI step.
//
//   const painter = new MaskPainter(document.querySelector('#painter'));
//   await painter.open(photoUrl, img.mask);      // the photo, and a mask painted before (or null)
//   ... the person paints ...
//   img.mask = painter.mask();                  // {canvas, painted} or null when nothing is painted
//   const png = await maskPng(img.mask, 1024, 768); // the PNG sent to the worker
//
// The mask is kept at the photo's own resolution (capped at MAX_MASK_SIDE) in a canvas whose
// alpha is "painted"; it is scaled to whatever size the AI step's image has. The exported PNG is
// painted = (255, 255, 255, 0), the rest = (0, 0, 0, 255): transparent means "edit here" to
// OpenAI's images/edits, white means "inpaint here" to Stable Diffusion.
//
// No inline script or style attributes are needed (CSP `script-src 'self'`); the view is built
// from the markup in index.html (`#painter`), found by data-role.

/** The largest side of a stored mask, in pixels. */
export const MAX_MASK_SIDE = 2048;
const UNDO_LIMIT = 30;

/** A new canvas (OffscreenCanvas is not drawable by <canvas> in every browser; a DOM canvas is). */
function canvas(width, height) {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c;
}

/** How much of a mask canvas is painted (0–1), sampled on a grid of at most 256 × 256. */
export function paintedShare(maskCanvas) {
  const step = Math.max(1, Math.ceil(Math.max(maskCanvas.width, maskCanvas.height) / 256));
  const w = Math.ceil(maskCanvas.width / step);
  const h = Math.ceil(maskCanvas.height / step);
  const small = canvas(w, h);
  const ctx = small.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(maskCanvas, 0, 0, w, h);
  const { data } = ctx.getImageData(0, 0, w, h);
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] >= 128) painted++;
  return painted / (w * h);
}

/**
 * The mask as the PNG the worker takes, at `width` × `height`: painted (alpha ≥ 128 after
 * scaling) = (255, 255, 255, 0), the rest = (0, 0, 0, 255).
 */
export async function maskPng(mask, width, height) {
  const c = canvas(width, height);
  const ctx = c.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(mask.canvas, 0, 0, width, height);
  const img = ctx.getImageData(0, 0, width, height);
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) {
    const painted = d[i + 3] >= 128;
    d[i] = d[i + 1] = d[i + 2] = painted ? 255 : 0;
    d[i + 3] = painted ? 0 : 255;
  }
  ctx.putImageData(img, 0, 0);
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('the mask could not be encoded'))), 'image/png'));
}

export class MaskPainter {
  /** `root` holds the markup: data-role photo (img), overlay (canvas), brush, eraser, size, undo, clear. */
  constructor(root) {
    this.root = root;
    this.photo = root.querySelector('[data-role=photo]');
    this.overlay = root.querySelector('[data-role=overlay]');
    this.sizeInput = root.querySelector('[data-role=size]');
    this.undoButton = root.querySelector('[data-role=undo]');
    this.clearButton = root.querySelector('[data-role=clear]');
    this.modeInputs = [...root.querySelectorAll('[data-role=mode]')];
    this.maskCanvas = null;
    this.undoStack = [];
    this.stroke = null;
    this.onChange = () => {};
    this.overlay.addEventListener('pointerdown', (e) => this.#down(e));
    this.overlay.addEventListener('pointermove', (e) => this.#move(e));
    this.overlay.addEventListener('pointerup', (e) => this.#up(e));
    this.overlay.addEventListener('pointercancel', (e) => this.#up(e));
    this.undoButton.addEventListener('click', () => this.undo());
    this.clearButton.addEventListener('click', () => this.clear());
    root.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') { e.preventDefault(); this.undo(); }
    });
    if (globalThis.ResizeObserver) new ResizeObserver(() => this.#fitOverlay()).observe(this.photo);
  }

  /** Shows `url` (the photo) with `mask` (a previous {canvas}) or nothing painted. */
  async open(url, mask = null) {
    this.photo.src = url;
    await this.photo.decode();
    const { naturalWidth: w, naturalHeight: h } = this.photo;
    const scale = Math.min(1, MAX_MASK_SIDE / Math.max(w, h));
    this.maskCanvas = canvas(Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale)));
    if (mask?.canvas) this.maskCanvas.getContext('2d').drawImage(mask.canvas, 0, 0, this.maskCanvas.width, this.maskCanvas.height);
    this.undoStack = [];
    this.#fitOverlay();
    this.#render();
  }

  /** The painted mask, or null when nothing is painted. */
  mask() {
    if (!this.maskCanvas) return null;
    const painted = paintedShare(this.maskCanvas);
    if (painted === 0) return null;
    const copy = canvas(this.maskCanvas.width, this.maskCanvas.height);
    copy.getContext('2d').drawImage(this.maskCanvas, 0, 0);
    return { canvas: copy, painted };
  }

  get mode() {
    return this.modeInputs.find((i) => i.checked)?.value ?? 'brush';
  }

  /** Brush diameter in mask pixels (the slider is in screen pixels). */
  #brush() {
    const screen = Number(this.sizeInput.value) || 30;
    return screen * (this.maskCanvas.width / Math.max(1, this.overlay.clientWidth));
  }

  undo() {
    const prev = this.undoStack.pop();
    if (!prev) return;
    this.maskCanvas.getContext('2d').putImageData(prev, 0, 0);
    this.#render();
  }

  clear() {
    if (!this.maskCanvas) return;
    this.#snapshot();
    this.maskCanvas.getContext('2d').clearRect(0, 0, this.maskCanvas.width, this.maskCanvas.height);
    this.#render();
  }

  #snapshot() {
    const ctx = this.maskCanvas.getContext('2d', { willReadFrequently: true });
    this.undoStack.push(ctx.getImageData(0, 0, this.maskCanvas.width, this.maskCanvas.height));
    if (this.undoStack.length > UNDO_LIMIT) this.undoStack.shift();
  }

  #point(e) {
    const r = this.overlay.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) / r.width) * this.maskCanvas.width,
      y: ((e.clientY - r.top) / r.height) * this.maskCanvas.height,
    };
  }

  #down(e) {
    if (!this.maskCanvas || e.button !== 0) return;
    this.overlay.setPointerCapture(e.pointerId);
    this.#snapshot();
    this.stroke = this.#point(e);
    this.#segment(this.stroke, this.stroke);
  }

  #move(e) {
    if (!this.stroke) return;
    const p = this.#point(e);
    this.#segment(this.stroke, p);
    this.stroke = p;
  }

  #up(e) {
    if (!this.stroke) return;
    this.stroke = null;
    if (this.overlay.hasPointerCapture(e.pointerId)) this.overlay.releasePointerCapture(e.pointerId);
    this.onChange(this.mask());
  }

  #segment(a, b) {
    const ctx = this.maskCanvas.getContext('2d');
    ctx.save();
    ctx.globalCompositeOperation = this.mode === 'eraser' ? 'destination-out' : 'source-over';
    ctx.strokeStyle = ctx.fillStyle = '#fff';
    ctx.lineWidth = this.#brush();
    ctx.lineCap = ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x + 0.01, b.y);
    ctx.stroke();
    ctx.restore();
    this.#render();
  }

  /** The overlay canvas matches the photo's displayed size (in device pixels). */
  #fitOverlay() {
    const dpr = globalThis.devicePixelRatio ?? 1;
    const w = Math.max(1, Math.round(this.photo.clientWidth * dpr));
    const h = Math.max(1, Math.round(this.photo.clientHeight * dpr));
    if (this.overlay.width !== w || this.overlay.height !== h) {
      this.overlay.width = w;
      this.overlay.height = h;
      this.#render();
    }
  }

  /** Paints the mask over the photo in a translucent colour. */
  #render() {
    const ctx = this.overlay.getContext('2d');
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    if (!this.maskCanvas) return;
    ctx.save();
    ctx.drawImage(this.maskCanvas, 0, 0, this.overlay.width, this.overlay.height);
    ctx.globalCompositeOperation = 'source-in';
    ctx.fillStyle = 'rgba(255, 40, 90, 0.55)';
    ctx.fillRect(0, 0, this.overlay.width, this.overlay.height);
    ctx.restore();
    this.undoButton.disabled = this.undoStack.length === 0;
  }
}
