// A scriptable OpenAI-compatible chat-completions server on loopback, for testing the worker's
// LLM path: good tool calls, garbage, hostile calls, errors and slow answers.
//
//   const llm = await startLlmServer();
//   llm.script([llm.toolCalls([{ name: 'rotate', arguments: { degrees: 90 } }])]);
//   ... worker with LLM_BASE_URL = llm.baseUrl ...
//   llm.requests  // every request body received
//   await llm.stop();
//
// A reply is { status?, body?, raw?, delayMs? }: `body` is sent as JSON, `raw` as text. Replies in
// the script are used in order; when it is empty, `fallback` answers.
import http from 'node:http';

/** A chat completion whose message calls `calls` ([{name, arguments}]); arguments as a JSON string, as OpenAI sends them. */
export function toolCalls(calls) {
  return {
    body: {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      model: 'llama-3.1-8b-instant',
      choices: [{
        index: 0,
        finish_reason: 'tool_calls',
        message: {
          role: 'assistant',
          content: null,
          tool_calls: calls.map((c, i) => ({
            id: `call_${i}`,
            type: 'function',
            function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
          })),
        },
      }],
    },
  };
}

/** A chat completion that answers in prose, with no tool calls. */
export function prose(text) {
  return { body: { choices: [{ index: 0, message: { role: 'assistant', content: text } }] } };
}

export async function startLlmServer() {
  let queue = [];
  const sockets = new Set();
  const state = {
    requests: [],
    fallback: { status: 500, body: { error: { message: 'no reply scripted' } } },
  };
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      let body = null;
      try { body = JSON.parse(data); } catch { /* recorded as null */ }
      state.requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      const reply = queue.length ? queue.shift() : state.fallback;
      const send = () => {
        if (res.destroyed) return;
        const status = reply.status ?? 200;
        if (reply.raw !== undefined) {
          res.writeHead(status, { 'content-type': 'text/plain' }).end(reply.raw);
        } else {
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body ?? {}));
        }
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
      else send();
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get requests() { return state.requests; },
    /** Replaces the scripted replies and forgets recorded requests. */
    script(replies, fallback) {
      queue = [...replies];
      state.requests = [];
      if (fallback) state.fallback = fallback;
    },
    toolCalls,
    prose,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
