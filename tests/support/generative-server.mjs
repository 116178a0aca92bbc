// A generative image server on loopback speaking both wire formats the worker's clients speak:
//   Workers AI REST   POST /client/v4/accounts/:account/ai/run/@cf/runwayml/stable-diffusion-v1-5-{inpainting,img2img}
//                     JSON {prompt, image_b64, mask: [bytes], width, height, …} → the PNG's bytes
//   OpenAI            POST /v1/images/edits  multipart image, mask, prompt, model, size, response_format
//                     → {"created", "data": [{"b64_json"}]}
// It edits for real: with a mask, every painted pixel (white for Stable Diffusion, transparent for
// OpenAI) is filled from its surroundings (each row's run is interpolated between the unpainted
// pixels either side); without one, the picture is posterised ("watercolour"). Images are PNG.
//
//   const gen = await startGenerativeServer();
//   gen.mode = 'html';        // every hostile reply: see MODES
//   gen.requests              // [{path, auth, prompt, masked, width, height}]
//   await gen.stop();
import http from 'node:http';

import { bombPng, decodePng, encodePng } from './png.mjs';

export const TOKEN = 'test-generative-key';

/**
 * How the server answers. `ok` edits; the others are the hostile replies the worker must refuse:
 * an HTML error page (200, text/html), a 1 × 1 image, a PNG claiming 20000 × 20000, no answer at
 * all, a 500, a first-attempt 503 then a good answer, an image of the wrong shape.
 */
export const MODES = ['ok', 'html', 'tiny', 'bomb', 'stall', 'error500', 'flaky', 'wrong-size'];

/** Fills painted pixels row by row from the nearest unpainted pixels either side. */
export function fillFromSurroundings({ width, height, rgba }, painted) {
  const out = new Uint8Array(rgba);
  for (let y = 0; y < height; y++) {
    let x = 0;
    while (x < width) {
      if (!painted(y * width + x)) { x++; continue; }
      const start = x;
      while (x < width && painted(y * width + x)) x++;
      const left = start > 0 ? (y * width + start - 1) * 4 : null;
      const right = x < width ? (y * width + x) * 4 : null;
      for (let i = start; i < x; i++) {
        const t = (i - start + 1) / (x - start + 1);
        for (let c = 0; c < 4; c++) {
          const a = left !== null ? rgba[left + c] : rgba[right + c];
          const b = right !== null ? rgba[right + c] : a;
          out[(y * width + i) * 4 + c] = Math.round(a + (b - a) * t);
        }
        out[(y * width + i) * 4 + 3] = 255;
      }
    }
  }
  return { width, height, rgba: out };
}

function posterise({ width, height, rgba }) {
  const out = new Uint8Array(rgba.length);
  for (let i = 0; i < rgba.length; i++) out[i] = (i & 3) === 3 ? 255 : Math.min(255, Math.round(rgba[i] / 64) * 64);
  return { width, height, rgba: out };
}

function edit(imageBytes, maskBytes, maskIsAlpha) {
  const image = decodePng(imageBytes);
  if (!maskBytes) return encodePng(posterise(image));
  const mask = decodePng(maskBytes);
  if (mask.width !== image.width || mask.height !== image.height) throw new Error('mask size differs from the image');
  const painted = maskIsAlpha ? (i) => mask.rgba[i * 4 + 3] < 128 : (i) => mask.rgba[i * 4] > 127;
  return encodePng(fillFromSurroundings(image, painted));
}

const HTML_PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>cloudflare</p></body></html>';

export async function startGenerativeServer() {
  const sockets = new Set();
  const state = { mode: 'ok', requests: [] };

  async function reply(req, body, res) {
    const url = new URL(req.url, 'http://x');
    const auth = req.headers.authorization ?? '';
    const workersAi = url.pathname.match(/^\/client\/v4\/accounts\/([^/]+)\/ai\/run\/(.+)$/);
    const openai = url.pathname === '/v1/images/edits';
    if (!workersAi && !openai) return res.writeHead(404).end('not found');
    if (auth !== `Bearer ${TOKEN}`) {
      return res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad key' } }));
    }
    let image, mask, prompt, width, height;
    if (workersAi) {
      const input = JSON.parse(body.toString('utf8'));
      image = Buffer.from(input.image_b64 ?? '', 'base64');
      mask = Array.isArray(input.mask) ? Buffer.from(input.mask) : null;
      ({ prompt, width, height } = input);
    } else {
      const form = await new Response(body, { headers: { 'content-type': req.headers['content-type'] } }).formData();
      image = Buffer.from(await form.get('image').arrayBuffer());
      mask = form.get('mask') ? Buffer.from(await form.get('mask').arrayBuffer()) : null;
      prompt = form.get('prompt');
      [width, height] = String(form.get('size')).split('x').map(Number);
    }
    const attempt = state.requests.filter((r) => r.prompt === prompt).length;
    state.requests.push({ path: url.pathname, auth, prompt, masked: Boolean(mask), width, height, model: workersAi?.[2] });
    const mode = state.mode;
    if (mode === 'stall') return; // never answers; stop() closes the socket
    if (mode === 'html') return res.writeHead(200, { 'content-type': 'text/html' }).end(HTML_PAGE);
    if (mode === 'error500' || (mode === 'flaky' && attempt === 0)) {
      const status = mode === 'flaky' ? 503 : 500;
      const err = workersAi ? { success: false, errors: [{ code: 3040, message: 'Capacity temporarily exceeded' }] } : { error: { message: 'The server had an error' } };
      return res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(err));
    }
    let png;
    if (mode === 'tiny') png = encodePng({ width: 1, height: 1, rgba: new Uint8Array([0, 0, 0, 255]) });
    else if (mode === 'bomb') png = bombPng(20_000, 20_000);
    else if (mode === 'wrong-size') png = encodePng({ width: 64, height: 200, rgba: new Uint8Array(64 * 200 * 4) });
    else png = edit(image, mask, Boolean(openai));
    if (workersAi) return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ created: Math.floor(Date.now() / 1000), data: [{ b64_json: png.toString('base64') }] }));
  }

  const server = http.createServer((req, res) => {
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => {
      reply(req, Buffer.concat(parts), res).catch((e) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: String(e.message ?? e) } }));
      });
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    /** `GENERATIVE_BASE_URL` for the OpenAI-compatible provider. */
    openaiBaseUrl: `${origin}/v1`,
    /** `WORKERS_AI_API_BASE` for the Workers AI REST provider. */
    workersAiApiBase: `${origin}/client/v4`,
    token: TOKEN,
    get mode() { return state.mode; },
    set mode(m) {
      if (!MODES.includes(m)) throw new Error(`unknown mode ${m}`);
      state.mode = m;
    },
    get requests() { return state.requests; },
    reset() { state.requests = []; state.mode = 'ok'; },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
