// The fast variant of the load test (tests/load/load.mjs) for the test command: 300 parses, 20 at
// a time; 20 SSE listeners on one session while 40 reports arrive. Nothing may fail or be lost.
import { test } from 'node:test';
import { assertHeld, runLoad, summary } from './load.mjs';

test('loopback load smoke: parse throughput and SSE fan-out hold', async () => {
  const requests = 300;
  const r = await runLoad({ requests, concurrency: 20, listeners: 20, reports: 40, maxSeconds: 120 });
  console.log(summary(r));
  assertHeld(r, requests);
});
