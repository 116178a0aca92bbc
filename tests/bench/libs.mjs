// The workloads as each library does them — the way a user of that library would write them.
// Each library: `setup()` (load, init wasm, single thread), `run[W](input) → encoded bytes`,
// and `notes[W]` where its output differs from the others or it cannot do the workload.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const require = createRequire(import.meta.url);

/** The workloads: what each must produce. */
export const WORKLOADS = {
  W1: "decode the 17.9 MP photo → 1600 px wide (Lanczos3) → JPEG q80",
  W2: "decode → grayscale → PNG",
  W3: "decode → Gaussian blur σ 5 → JPEG q80",
  W4: "decode → rotate 90° → WebP q80 (lossy)",
  W5: "20 mid-size photos → fit inside 800×800 → WebP q75 (total)",
};

/** Fits w×h inside a box, keeping the aspect ratio. */
const inside = (w, h, box) => {
  const s = Math.min(box / w, box / h, 1);
  return [Math.max(1, Math.round(w * s)), Math.max(1, Math.round(h * s))];
};

// ---- @retouch/engine (this package, wasm) -------------------------------------------------------
const CALLS = {
  W1: [[{ tool: "resize", params: { width: 1600, kernel: "lanczos3" } }], { outputFormat: "jpg", quality: 80 }],
  W2: [[{ tool: "apply_filter", params: { filter: "grayscale" } }], { outputFormat: "png" }],
  W3: [[{ tool: "apply_filter", params: { filter: "blur", sigma: 5 } }], { outputFormat: "jpg", quality: 80 }],
  W4: [[{ tool: "rotate", params: { degrees: 90 } }], { outputFormat: "webp", quality: 80 }],
  W5: [[{ tool: "resize", params: { width: 800, height: 800, fit: "inside" } }], { outputFormat: "webp", quality: 75 }],
};

const retouch = {
  label: "@retouch/engine (wasm)",
  async setup() {
    this.engine = await import(path.join(repo, "engine/wasm/pkg/npm/node/index.mjs"));
  },
  run(w, input) {
    const [calls, options] = CALLS[w];
    return input.map((bytes) => this.engine.process(bytes, calls, options).bytes);
  },
  notes: {},
};

// ---- retouch CLI (native) -------------------------------------------------------------------------
const cliPath = () => path.join(process.env.CARGO_TARGET_DIR ?? path.join(repo, "target"), "release", "retouch");
const native = {
  label: "retouch CLI (native)",
  files: true, // works from files: the times include process start and reading the file
  async setup() {
    if (!fs.existsSync(cliPath())) throw new Error(`${cliPath()} not built (cargo build --release --bin retouch)`);
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "retouch-bench-"));
  },
  args(w, files) {
    const [calls, options] = CALLS[w];
    const ops = path.join(this.dir, `${w}.json`);
    fs.writeFileSync(ops, JSON.stringify(calls));
    const out = path.join(this.dir, "out");
    return [["edit", "--ops", ops, "--format", options.outputFormat, ...(options.quality ? ["--quality", String(options.quality)] : []), "-o", out, ...files], out];
  },
  run(w, _input, files) {
    const [args, out] = this.args(w, files);
    fs.rmSync(out, { recursive: true, force: true });
    execFileSync(cliPath(), args, { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, RAYON_NUM_THREADS: "1" } });
    return fs.readdirSync(out).map((f) => fs.readFileSync(path.join(out, f)));
  },
  notes: {},
};

// ---- sharp (native libvips) -----------------------------------------------------------------------
const sharpLib = {
  label: "sharp",
  async setup() {
    this.sharp = require("sharp");
    this.sharp.concurrency(1);
    this.sharp.cache(false);
  },
  async run(w, input) {
    const s = this.sharp;
    const one = (b) => {
      switch (w) {
        case "W1": return s(b).resize({ width: 1600, kernel: "lanczos3" }).jpeg({ quality: 80 }).toBuffer();
        case "W2": return s(b).grayscale().png().toBuffer();
        case "W3": return s(b).blur(5).jpeg({ quality: 80 }).toBuffer();
        case "W4": return s(b).rotate(90).webp({ quality: 80 }).toBuffer();
        default: return s(b).resize(800, 800, { fit: "inside" }).webp({ quality: 75 }).toBuffer();
      }
    };
    const out = [];
    for (const b of input) out.push(await one(b));
    return out;
  },
  notes: { W2: "1-channel grey PNG" },
};

// ---- wasm-vips ------------------------------------------------------------------------------------
const wasmVips = {
  label: "wasm-vips",
  async setup() {
    const Vips = (await import("wasm-vips")).default;
    // No optional modules (HEIF, JXL, SVG): not needed here, and they cost start-up time.
    this.vips = await Vips({ dynamicLibraries: [] });
    this.vips.concurrency(1);
    this.vips.Cache.max(0);
  },
  run(w, input) {
    const { Image } = this.vips;
    const out = [];
    for (const b of input) {
      let im;
      let res;
      switch (w) {
        case "W1":
          im = Image.thumbnailBuffer(b, 1600, { height: 100000, size: "down" });
          res = im.writeToBuffer(".jpg", { Q: 80 });
          break;
        case "W2": {
          im = Image.newFromBuffer(b, "", { access: "sequential" });
          const grey = im.colourspace("b-w");
          res = grey.writeToBuffer(".png");
          grey.delete();
          break;
        }
        case "W3": {
          im = Image.newFromBuffer(b, "", { access: "sequential" });
          const blurred = im.gaussblur(5);
          res = blurred.writeToBuffer(".jpg", { Q: 80 });
          blurred.delete();
          break;
        }
        case "W4": {
          im = Image.newFromBuffer(b);
          const turned = im.rot90();
          res = turned.writeToBuffer(".webp", { Q: 80 });
          turned.delete();
          break;
        }
        default:
          im = Image.thumbnailBuffer(b, 800, { height: 800 });
          res = im.writeToBuffer(".webp", { Q: 75 });
      }
      im.delete();
      out.push(res);
    }
    return out;
  },
  notes: { W1: "thumbnail (shrink-on-load)", W2: "1-channel grey PNG" },
};

// ---- photon ---------------------------------------------------------------------------------------
const photon = {
  label: "photon-node",
  async setup() {
    this.p = require("@silvia-odwyer/photon-node");
  },
  run(w, input) {
    const p = this.p;
    const out = [];
    for (const b of input) {
      const im = p.PhotonImage.new_from_byteslice(b);
      let res;
      switch (w) {
        case "W1": {
          const h = Math.round((im.get_height() * 1600) / im.get_width());
          const small = p.resize(im, 1600, h, p.SamplingFilter.Lanczos3);
          res = small.get_bytes_jpeg(80);
          small.free();
          break;
        }
        case "W2":
          p.grayscale(im);
          res = im.get_bytes(); // PNG
          break;
        case "W3":
          p.gaussian_blur(im, 5);
          res = im.get_bytes_jpeg(80);
          break;
        case "W4": {
          const turned = p.rotate(im, 90);
          res = turned.get_bytes_webp();
          turned.free();
          break;
        }
        default: {
          const [tw, th] = inside(im.get_width(), im.get_height(), 800);
          const small = p.resize(im, tw, th, p.SamplingFilter.Lanczos3);
          res = small.get_bytes_webp();
          small.free();
        }
      }
      im.free();
      out.push(res);
    }
    return out;
  },
  notes: { W2: "RGBA PNG", W3: "photon's gaussian_blur (box-blur approximation)", W4: "lossless WebP only", W5: "lossless WebP only" },
  incomparable: { W3: true, W4: true, W5: true },
};

// ---- jSquash (squoosh codecs) -----------------------------------------------------------------
class NodeImageData {
  constructor(data, width, height) {
    this.data = data;
    this.width = width;
    this.height = height;
    this.colorSpace = "srgb";
  }
}

const jsquash = {
  label: "jSquash",
  async setup() {
    globalThis.ImageData ??= NodeImageData;
    const mod = async (spec) => WebAssembly.compile(fs.readFileSync(require.resolve(spec)));
    const jpegDec = await import("@jsquash/jpeg/decode.js");
    const jpegEnc = await import("@jsquash/jpeg/encode.js");
    const pngEnc = await import("@jsquash/png/encode.js");
    const webpEnc = await import("@jsquash/webp/encode.js");
    const resize = await import("@jsquash/resize");
    await jpegDec.init(await mod("@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm"));
    await jpegEnc.init(await mod("@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm"));
    await pngEnc.init(await mod("@jsquash/png/codec/pkg/squoosh_png_bg.wasm"));
    await webpEnc.init(await mod("@jsquash/webp/codec/enc/webp_enc_simd.wasm"));
    await resize.initResize(await mod("@jsquash/resize/lib/resize/pkg/squoosh_resize_bg.wasm"));
    Object.assign(this, { decode: jpegDec.default, jpeg: jpegEnc.default, png: pngEnc.default, webp: webpEnc.default, resize: resize.default });
  },
  async run(w, input) {
    const out = [];
    for (const b of input) {
      const img = await this.decode(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
      let res;
      switch (w) {
        case "W1": {
          const h = Math.round((img.height * 1600) / img.width);
          res = await this.jpeg(await this.resize(img, { width: 1600, height: h, method: "lanczos3" }), { quality: 80 });
          break;
        }
        case "W2": {
          const d = img.data;
          for (let i = 0; i < d.length; i += 4) {
            const y = Math.round(0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2]);
            d[i] = d[i + 1] = d[i + 2] = y;
          }
          res = await this.png(img);
          break;
        }
        case "W4": {
          const { width: w0, height: h0, data: src } = img;
          const dst = new Uint8ClampedArray(src.length);
          const s32 = new Uint32Array(src.buffer, src.byteOffset, w0 * h0);
          const d32 = new Uint32Array(dst.buffer);
          for (let y = 0; y < h0; y++) for (let x = 0; x < w0; x++) d32[x * h0 + (h0 - 1 - y)] = s32[y * w0 + x];
          res = await this.webp(new ImageData(dst, h0, w0), { quality: 80 });
          break;
        }
        default: {
          const [tw, th] = inside(img.width, img.height, 800);
          res = await this.webp(await this.resize(img, { width: tw, height: th, method: "lanczos3" }), { quality: 75 });
        }
      }
      out.push(new Uint8Array(res));
    }
    return out;
  },
  skip: { W3: "no blur in jSquash" },
  notes: { W2: "RGBA PNG, grey by a JS loop", W4: "rotation by a JS loop" },
};

// ---- jimp -------------------------------------------------------------------------------------------
const jimp = {
  label: "jimp",
  async setup() {
    this.jimp = await import("jimp");
  },
  async run(w, input) {
    const { Jimp, ResizeStrategy } = this.jimp;
    const out = [];
    for (const b of input) {
      const img = await Jimp.read(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
      if (w === "W1") {
        img.resize({ w: 1600, mode: ResizeStrategy.BICUBIC });
        out.push(await img.getBuffer("image/jpeg", { quality: 80 }));
      } else {
        img.greyscale();
        out.push(await img.getBuffer("image/png"));
      }
    }
    return out;
  },
  skip: {
    W3: "jimp's gaussian(5) takes minutes on this photo (414 s measured)",
    W4: "no WebP encoder in jimp",
    W5: "no WebP encoder in jimp",
  },
  notes: { W1: "bicubic (no Lanczos3 in jimp)" },
};

export const LIBRARIES = { retouch, native, sharp: sharpLib, "wasm-vips": wasmVips, photon, jsquash, jimp };
