// The owner's live updates across chat-api replicas, from the built jars: two chat-api processes
// (A and B) on one database and one set of topics, with the CDC relay, the embedding worker and the
// gap detector. The owner's dashboard stream is open on A (GET /api/owner/events with a bearer); a
// visitor asks through B a question the demo knowledge base cannot answer. B records the turn, the
// relay publishes QuestionAsked, the detector opens the gap, the relay publishes GapDetected, and
// A, which never saw the request, tells the owner: a `question` event, then a `gap` event; a pair the
// owner adds on B shows on A as `pair` created, then embedded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as stack from './stack.mjs';

const WS = stack.DEMO_WORKSPACE;
const KAFKA = `127.0.0.1:${process.env.CLARA_KAFKA_PORT || '19092'}`;
// the pipeline test's ports (the files run one at a time), and B beside them; CLARA_E2E_LIVE_PORT_BASE
// moves all five (A = base, worker +1, detector +2, relay +3, B +4)
const BASE = Number(process.env.CLARA_E2E_LIVE_PORT_BASE || 18180);
const PORTS = { a: BASE, worker: BASE + 1, gaps: BASE + 2, relay: BASE + 3, b: BASE + 4 };
const RUN = 'e2e_' + randomBytes(4).toString('hex');
// every topic of this run only, the ones chat-api's live updates read among them
const TOPIC_ENV = {
  CLARA_KAFKA_BOOTSTRAP: KAFKA,
  CLARA_TOPIC_PARTITIONS: '3',
  CLARA_TOPIC_QUESTIONS: `test.${RUN}.questions`,
  CLARA_TOPIC_GAPS: `test.${RUN}.gaps`,
  CLARA_TOPIC_QA_PAIR_CHANGES: `test.${RUN}.qa-pairs.changes`,
  CLARA_TOPIC_QA_PAIR_EMBEDDED: `test.${RUN}.qa-pairs.embedded`,
  CLARA_TOPIC_ANSWER_MODELS: `test.${RUN}.answer-models`,
  CLARA_TOPIC_FEEDBACK: `test.${RUN}.feedback`,
  CLARA_TOPIC_SPEND_CAPS: `test.${RUN}.spend-caps`,
  CLARA_TOPIC_IMPORTS: `test.${RUN}.imports`,
  CLARA_TOPIC_OUTBOX_DEAD_LETTER: `test.${RUN}.outbox-dlt`,
  CLARA_CDC_SLOT: RUN,
  CLARA_CDC_PUBLICATION: RUN,
};
// both replicas verify the same owner tokens
const JWT_SECRET = randomBytes(24).toString('hex');
// far from every demo pair (pipeline.test.mjs): a gap with either embedding model
const QUESTION = 'Do you ship to Antarctica?';

const services = [];
const jars = {};
let token;

before(async () => {
  const t = Date.now();
  const env = { ...TOPIC_ENV, CLARA_DATABASE_URL: stack.jdbcUrl };
  await stack.createDatabase();
  // the relay first: it declares the topics
  await start('cdc-relay', 'cdc-relay', PORTS.relay, env);
  await Promise.all([start('embedding-worker', 'embedding-worker', PORTS.worker, env),
    start('gap-detector', 'gap-detector', PORTS.gaps, env), chatApi('chat-api-a', PORTS.a), chatApi('chat-api-b', PORTS.b)]);
  await until('the demo pairs are embedded', () => Number(stack.sql(
    `SELECT count(*) FROM qa_pairs WHERE workspace_id = '${WS}' AND embedding IS NOT NULL`)) === stack.DEMO_PAIRS);
  stack.log(`two chat-api replicas and the pipeline up after ${stack.since(t)}`);
  token = await signIn(PORTS.b);
});

after(async () => {
  await Promise.all(services.map(stack.stop));
  services.forEach((child) => stack.running.delete(child));
  try {
    stack.sql(`SELECT pg_drop_replication_slot('${RUN}') FROM pg_replication_slots WHERE slot_name = '${RUN}'`, 'postgres');
  } catch (e) {
    console.error('# could not drop slot', RUN, e.message);
  }
  await stack.down();
});

async function start(name, jarName, port, env, args = []) {
  const t = Date.now();
  // the two replicas run one copy: copying it again for the second would replace it under the first
  jars[jarName] ??= stack.jar(jarName);
  const child = stack.java(name, ['-jar', jars[jarName], `--server.port=${port}`, ...args], env);
  stack.running.add(child);
  services.push(child);
  await stack.healthy(port, child, name);
  stack.log(`${name} healthy on :${port} after ${stack.since(t)}`);
  return child;
}

/**
 * A chat-api replica with live updates on; resolves once its consumer reads its partitions (it
 * starts at their end: an event published before that would pass it by).
 */
async function chatApi(name, port) {
  const log = path.join(stack.TARGET, 'logs', name + '.log');
  const offset = existsSync(log) ? statSync(log).size : 0;
  await start(name, 'chat-api', port, { ...TOPIC_ENV, CLARA_LIVE_ENABLED: 'true', CLARA_JWT_SECRET: JWT_SECRET,
    OPENAI_API_KEY: '' }, [`--spring.datasource.url=${stack.jdbcUrl}`, '--clara.openai.api-key=',
    '--clara.chat.rate-limit.per-ip=100000', '--clara.chat.rate-limit.per-workspace=100000']);
  await until(`${name} reads the topics`, () => readFileSync(log).subarray(offset).toString('utf8')
    .includes('Live updates: reading'));
}

async function until(what, condition, seconds = 120) {
  const t = Date.now();
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() - t > seconds * 1000) throw new Error(`not within ${seconds}s: ${what}`);
    await stack.sleep(250);
  }
}

async function signIn(port) {
  const res = await fetch(`http://127.0.0.1:${port}/api/owner/auth/signin`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'demo@clara.local', password: 'clara-demo' }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).access_token;
}

/**
 * GET /api/owner/events read as an EventSource would: `events` fills as they arrive
 * ({ name, data, retry }), `comments` with the keep-alive lines; `close()` aborts it.
 */
async function openEvents(port, bearer) {
  const abort = new AbortController();
  const res = await fetch(`http://127.0.0.1:${port}/api/owner/events`, {
    headers: { Accept: 'text/event-stream', ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
    signal: abort.signal,
  });
  const stream = { status: res.status, headers: res.headers, events: [], comments: [], close: () => abort.abort() };
  if (res.status !== 200) {
    stream.body = await res.text();
    return stream;
  }
  (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = { name: 'message', data: null, retry: null };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) stream.comments.push(line.slice(1));
            else if (line.startsWith('event:')) event.name = line.slice(6).trim();
            else if (line.startsWith('retry:')) event.retry = line.slice(6).trim();
            else if (line.startsWith('data:')) event.data = (event.data === null ? '' : event.data + '\n') + line.slice(5).replace(/^ /, '');
          }
          if (event.data !== null) stream.events.push(event);
        }
      }
    } catch (e) { /* aborted by the test */ }
  })();
  return stream;
}

test('an owner connected to replica A hears of a question a visitor asked through replica B, and of its gap', async () => {
  const refused = await openEvents(PORTS.a, null);
  assert.equal(refused.status, 401, 'no stream without a token');
  assert.match(refused.headers.get('content-type'), /application\/problem\+json/);

  const events = await openEvents(PORTS.a, token);
  try {
    assert.equal(events.status, 200);
    assert.match(events.headers.get('content-type'), /^text\/event-stream/);
    const hello = await until('the hello event', () => events.events[0]);
    assert.equal(hello.name, 'hello');
    assert.equal(hello.retry, '3000');
    assert.deepEqual(JSON.parse(hello.data), { workspace_id: WS });

    const res = await fetch(`http://127.0.0.1:${PORTS.b}/api/chat`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ workspace_id: WS, session_token: 'e2e-live-' + randomUUID(), message_id: randomUUID(), content: QUESTION }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const reply = (await res.json()).message;
    assert.equal(reply.gap_detected, true, `a gap (confidence ${reply.confidence})`);

    const question = await until('a question event on A', () => events.events.find((e) => e.name === 'question'));
    assert.deepEqual(Object.keys(JSON.parse(question.data)).sort(), ['conversation_id', 'gap_detected', 'workspace_id']);
    assert.equal(JSON.parse(question.data).gap_detected, true);
    const gap = await until('a gap event on A', () => events.events.find((e) => e.name === 'gap'));
    const data = JSON.parse(gap.data);
    assert.equal(data.workspace_id, WS);
    assert.equal(data.status, 'open');
    assert.equal(data.ask_count, 1);
    assert.equal(data.resolved_automatically, false);
    // the event is a hint: the owner API (on either replica) has the gap it names
    const gaps = await fetch(`http://127.0.0.1:${PORTS.a}/api/owner/gaps?status=open`, { headers: { Authorization: `Bearer ${token}` } });
    const listed = (await gaps.json()).items.find((g) => g.id === data.gap_id);
    assert.ok(listed, 'the gap of the event is listed');
    assert.equal(listed.question, QUESTION);
    assert.equal(listed.group_id, data.group_id);

    // the owner answers on B with a new pair: A hears it created (the relay's change stream), then embedded (the worker)
    const created = await fetch(`http://127.0.0.1:${PORTS.b}/api/owner/qa-pairs`, {
      method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ question: 'Do you deliver to research stations?', answer: 'Yes, twice a year.' }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const pairId = (await created.json()).qa_pair.id;
    const changes = await until('the pair created and embedded on A', () => {
      const mine = events.events.filter((e) => e.name === 'pair').map((e) => JSON.parse(e.data))
        .filter((d) => d.qa_pair_id === pairId);
      return mine.some((d) => d.change === 'created') && mine.some((d) => d.change === 'embedded') ? mine : null;
    });
    assert.deepEqual(changes.map((d) => d.change).slice(0, 2), ['created', 'embedded']);
    for (const event of events.events) assert.ok(!event.data.includes('\n'), 'one line of JSON per event');
  } finally {
    events.close();
  }
});
