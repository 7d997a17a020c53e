// A tiny OpenAI-compatible server for the e2e tests: POST {base}/chat/completions answered with a
// fixed answer, as OpenAI streams it when asked ("stream": true): one chat.completion.chunk per
// piece of text, `delayMs` apart, a last chunk with finish_reason "stop", the usage chunk when
// stream_options.include_usage asks for it, then [DONE]. Without "stream" it answers in one JSON.
import { createServer } from 'node:http';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts it on a free local port; resolves to { baseUrl, requests, close }. */
export async function startFakeOpenAi({ chunks, delayMs, model = 'gpt-4o-mini' }) {
  const requests = [];
  const id = 'chatcmpl-e2e';
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: 120, completion_tokens: chunks.length, total_tokens: 120 + chunks.length };
  const chunk = (delta, finishReason) => ({ id, object: 'chat.completion.chunk', created, model,
    choices: [{ index: 0, delta, finish_reason: finishReason }] });

  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const part of req) raw += part;
    if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    const body = JSON.parse(raw);
    requests.push({ authorization: req.headers.authorization, body });
    if (!body.stream) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id, object: 'chat.completion',
        created, model, usage, choices: [{ index: 0, finish_reason: 'stop',
          message: { role: 'assistant', content: chunks.join('') } }] }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const send = (json) => res.write(`data: ${JSON.stringify(json)}\n\n`);
    for (const [i, content] of chunks.entries()) {
      await sleep(delayMs);
      if (res.destroyed) return; // the client gave up
      send(chunk(i === 0 ? { role: 'assistant', content } : { content }, null));
    }
    send(chunk({}, 'stop'));
    if (body.stream_options?.include_usage) send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
    res.end('data: [DONE]\n\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}/v1`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
