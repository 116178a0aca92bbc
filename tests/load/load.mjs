// A bounded loopback load test of the worker: the command-parse endpoint under concurrent
// requests, and one session's progress stream fanned out to many SSE listeners while reports
// arrive. Prints throughput, latency and error counts; fails if any request errs, any listener
// misses or reorders an event, or the time bound is hit.
//
//   node tests/load/load.mjs                      # 2,000 parses (50 at a time), 50 listeners, 200 reports
//   node tests/load/load.mjs --requests 500 --concurrency 20 --listeners 20 --reports 50 --max-seconds 60
//   node tests/load/load.mjs --url http://127.0.0.1:8787   # against a worker already running (TEST_VARS secrets)
//
// Everything stays on 127.0.0.1. `runLoad(options)` is exported for the smoke test.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startWorker } from '../support/worker.mjs';
import { claimsFor, hs256 } from '../support/jwt.mjs';
import { listen, TEST_VARS } from '../worker/helpers.mjs';

export const DEFAULTS = { requests: 2000, concurrency: 50, listeners: 50, reports: 200, maxSeconds: 300 };

const COMMANDS = [
  'make them black and white, 800 px wide, webp quality 80',
  'rotate 90 degrees clockwise and crop to a square',
  'brighten a bit, more contrast, add a 10px white border',
  'flip horizontally, resize to 50%, sharpen',
  'remove the background',
];

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

/** `requests` POST /v1/commands:parse calls, `concurrency` at a time, spread over 10 users. */
async function parseLoad(url, { requests, concurrency, deadline }) {
  const tokens = Array.from({ length: 10 }, (_, i) => hs256(claimsFor(`load${i}@x.io`), TEST_VARS.JWT_SECRET));
  const latencies = [];
  const errors = new Map();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < requests && Date.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      try {
        const res = await fetch(`${url}/v1/commands:parse`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[i % tokens.length]}`, 'content-type': 'application/json' },
          body: JSON.stringify({ command: COMMANDS[i % COMMANDS.length], parser: 'rules' }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = await res.json();
        if (res.status !== 200 || !Array.isArray(body.toolCalls) || body.toolCalls.length === 0) {
          errors.set(`status ${res.status}`, (errors.get(`status ${res.status}`) ?? 0) + 1);
        }
      } catch (e) {
        errors.set(e.name, (errors.get(e.name) ?? 0) + 1);
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    done: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: Object.fromEntries(errors),
    errorCount: [...errors.values()].reduce((a, b) => a + b, 0),
  };
}

/** One session, `listeners` SSE streams on it, `reports` progress reports; every stream must get every event in order. */
async function progressLoad(url, { listeners, reports, deadline }) {
  const t = hs256(claimsFor('fanout@x.io'), TEST_VARS.JWT_SECRET);
  const images = [{ id: 'a', name: 'a.jpg' }, { id: 'b', name: 'b.jpg' }];
  const created = await fetch(`${url}/image-edit`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
    body: JSON.stringify({ images, operation: { type: 'bulk', bulkOp: { type: 'rotate', params: { degrees: 90 } } } }),
  });
  assert.equal(created.status, 202, await created.clone().text());
  const session = await created.json();
  const timeoutMs = Math.max(5_000, deadline - Date.now());
  const streams = Array.from({ length: listeners }, () => listen(`${url}${session.progressUrl}`, { token: t, timeoutMs }));
  await Promise.all(streams.map((s) => s.opened));
  const sent = [];
  for (let i = 0; i < reports; i++) {
    sent.push({ imageId: images[i % 2].id, status: 'processing', progress: Math.floor((i * 100) / reports), message: `step ${i}` });
  }
  for (const img of images) sent.push({ imageId: img.id, status: 'error', progress: 0, message: 'failed', error: 'load test' });
  const started = performance.now();
  let reportErrors = 0;
  // Reports arrive a few at a time, as several browser tabs would send them.
  for (let i = 0; i < sent.length; i += 4) {
    const batch = sent.slice(i, i + 4);
    const results = await Promise.all(batch.map(async (body) => {
      const r = await fetch(`${url}/image-edit/${session.sessionId}/progress`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await r.arrayBuffer();
      return r.status;
    }));
    reportErrors += results.filter((s) => s !== 200).length;
  }
  const reportSeconds = (performance.now() - started) / 1000;
  const received = await Promise.all(streams.map((s) => s.done.catch((e) => ({ status: e.name, events: [] }))));
  const seconds = (performance.now() - started) / 1000;
  const expected = sent.length + 2; // session, each report, the final error
  let lost = 0;
  let disordered = 0;
  for (const r of received) {
    lost += Math.max(0, expected - r.events.length);
    const ids = r.events.map((e) => e.id);
    if (ids.some((id, i) => id !== i + 1)) disordered++;
  }
  // Every stream saw the same reports, in the order the server numbered them.
  const reference = JSON.stringify(received[0].events);
  const differing = received.filter((r) => JSON.stringify(r.events) !== reference).length;
  return {
    listeners,
    reports: sent.length,
    eventsPerListener: expected,
    delivered: received.reduce((a, r) => a + r.events.length, 0),
    reportsPerSecond: sent.length / reportSeconds,
    seconds,
    lost,
    disordered,
    differing,
    reportErrors,
    lastEvent: received[0].events.at(-1)?.event,
  };
}

/** Runs both loads against `url` (or a fresh local worker) and returns the figures. */
export async function runLoad(options = {}) {
  const o = { ...DEFAULTS, ...options };
  const deadline = Date.now() + o.maxSeconds * 1000;
  // The load test measures capacity (parse throughput, one Durable Object's fan-out), so its own
  // worker lifts the per-user and per-session policy caps it would otherwise measure instead.
  const own = o.url ? null : await startWorker({
    vars: { ...TEST_VARS, RATE_LIMIT_PER_MINUTE: '1000000', SSE_MAX_STREAMS: '1000', PROGRESS_REPORTS_PER_10S: '1000000' },
  });
  const url = o.url ?? own.url;
  try {
    const parse = await parseLoad(url, { ...o, deadline });
    const progress = await progressLoad(url, { ...o, deadline });
    return { parse, progress, timedOut: Date.now() > deadline };
  } finally {
    await own?.stop();
  }
}

/** A human summary of `runLoad`'s figures. */
export function summary({ parse, progress, timedOut }) {
  return [
    `parse: ${parse.done} requests in ${parse.seconds.toFixed(1)} s = ${parse.perSecond.toFixed(0)} req/s, ` +
      `p50 ${parse.p50.toFixed(0)} ms, p99 ${parse.p99.toFixed(0)} ms, errors ${parse.errorCount} ${JSON.stringify(parse.errors)}`,
    `progress: ${progress.listeners} SSE listeners × ${progress.eventsPerListener} events (${progress.reports} reports at ` +
      `${progress.reportsPerSecond.toFixed(0)}/s), delivered ${progress.delivered} in ${progress.seconds.toFixed(1)} s; ` +
      `lost ${progress.lost}, out of order ${progress.disordered}, differing ${progress.differing}, report errors ${progress.reportErrors}` +
      `${timedOut ? '; TIME BOUND HIT' : ''}`,
  ].join('\n');
}

/** Throws unless nothing was lost and nothing failed. */
export function assertHeld(r, requests) {
  assert.equal(r.timedOut, false, 'the time bound was hit');
  assert.equal(r.parse.done, requests);
  assert.equal(r.parse.errorCount, 0, JSON.stringify(r.parse.errors));
  assert.equal(r.progress.reportErrors, 0);
  assert.equal(r.progress.lost, 0);
  assert.equal(r.progress.disordered, 0);
  assert.equal(r.progress.differing, 0);
  assert.equal(r.progress.lastEvent, 'error');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opts = {};
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i].replace(/^--/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase());
    opts[key] = key === 'url' ? args[i + 1] : Number(args[i + 1]);
  }
  const r = await runLoad(opts);
  console.log(summary(r));
  assertHeld(r, opts.requests ?? DEFAULTS.requests);
  console.log('load held');
}
