// Documents end to end, from the built jars: the owner uploads a Markdown file through the owner
// API, chat-api stores it with its DocumentChanged in the outbox, the CDC relay puts it on Kafka,
// the embedding worker reads it (Tika in a child JVM), chunks and embeds it and announces
// DocumentIngested, the gap detector closes the gap the document answers, and the chat answers
// the question from the document with a citation naming it. A support transcript's accepted
// suggestion becomes a pair the same pipeline embeds.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import * as stack from './stack.mjs';

const WS = stack.DEMO_WORKSPACE;
const KAFKA = `127.0.0.1:${process.env.CLARA_KAFKA_PORT || '19092'}`;
// the pipeline test's ports by default (the files run one at a time); CLARA_E2E_DOCUMENTS_PORT_BASE moves
// them (worker +1, detector +2, relay +3; chat-api's is CLARA_E2E_CHAT_API_PORT)
const BASE = Number(process.env.CLARA_E2E_DOCUMENTS_PORT_BASE || 18180);
const PORTS = { worker: BASE + 1, gaps: BASE + 2, relay: BASE + 3 };
const RUN = 'e2e_' + randomBytes(4).toString('hex');
// topics of this run only, so a running stack is never read or written
const TOPIC_ENV = {
  CLARA_KAFKA_BOOTSTRAP: KAFKA,
  CLARA_TOPIC_PARTITIONS: '3',
  CLARA_TOPIC_QUESTIONS: `test.${RUN}.questions`,
  CLARA_TOPIC_GAPS: `test.${RUN}.gaps`,
  CLARA_TOPIC_QA_PAIR_CHANGES: `test.${RUN}.qa-pairs.changes`,
  CLARA_TOPIC_QA_PAIR_EMBEDDED: `test.${RUN}.qa-pairs.embedded`,
  CLARA_TOPIC_DOCUMENT_CHANGES: `test.${RUN}.documents.changes`,
  CLARA_TOPIC_DOCUMENT_INGESTED: `test.${RUN}.documents.ingested`,
  CLARA_TOPIC_OUTBOX_DEAD_LETTER: `test.${RUN}.outbox-dlt`,
  CLARA_CDC_SLOT: RUN,
  CLARA_CDC_PUBLICATION: RUN,
};

// far from the demo knowledge base (a help-desk product): only the document answers it
const QUESTION = 'How long is the warranty on the Acme kettle?';
const MARKDOWN = `# Acme kettle

## Warranty

Every Acme kettle comes with a two-year warranty. The warranty covers defects in materials and
workmanship. It does not cover damage from dropping the kettle.

## Repairs

Repairs are done at our workshop in Leeds. A repair usually takes ten working days.
`;

const services = [];
let token;

before(async () => {
  const t = Date.now();
  const env = { ...TOPIC_ENV, CLARA_DATABASE_URL: stack.jdbcUrl };
  await stack.createDatabase();
  await stack.startService(services, 'cdc-relay', PORTS.relay, env);
  await Promise.all([stack.startService(services, 'embedding-worker', PORTS.worker, env), stack.startService(services, 'gap-detector', PORTS.gaps, env),
    stack.startChatApi(TOPIC_ENV, 100)]);
  stack.log(`documents pipeline up after ${stack.since(t)}`);
  token = await stack.demoOwnerToken();
});

// the documents' steps (extraction in a child JVM) get longer than the shared default
const until = (what, condition, seconds = 180) => stack.until(what, condition, seconds);

after(async () => {
  await stack.stopServices(services, RUN);
});



async function owner(method, url, body) {
  const res = await fetch(`${stack.baseUrl}${url}`, { method, headers: { Authorization: `Bearer ${token}` }, body });
  const text = await res.text();
  return { status: res.status, json: text && text.startsWith('{') ? JSON.parse(text) : null, text };
}

async function ask(content, session = 'e2e-session-' + randomUUID()) {
  const res = await fetch(`${stack.baseUrl}/api/chat`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ workspace_id: WS, session_token: session, message_id: randomUUID(), content }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).message;
}

test('an uploaded document answers a question that was a gap, cites itself, and closes the gap', async () => {
  const before = await ask(QUESTION);
  assert.equal(before.gap_detected, true, 'nothing answers the question before the upload');
  await until('the question is a gap', () => Number(stack.sql(
    `SELECT count(*) FROM qa_gaps WHERE workspace_id = '${WS}' AND question = '${QUESTION}' AND status = 'open'`)) === 1);

  const form = new FormData();
  form.append('title', 'Kettle care');
  form.append('file', new Blob([MARKDOWN], { type: 'application/octet-stream' }), 'kettle.md');
  const uploaded = await owner('POST', '/api/owner/documents', form);
  assert.equal(uploaded.status, 202, uploaded.text);
  assert.equal(uploaded.json.status, 'pending');
  assert.equal(uploaded.json.content_type, 'text/markdown');
  const id = uploaded.json.id;

  const ready = await until('the document is ready', async () => {
    const doc = (await owner('GET', `/api/owner/documents/${id}`)).json;
    assert.notEqual(doc.status, 'failed', doc.failure_reason);
    return doc.status === 'ready' && doc;
  });
  assert.ok(ready.chunk_count >= 2, `chunks: ${ready.chunk_count}`);
  assert.equal(ready.serving_version, 1);

  const session = 'e2e-session-' + randomUUID();
  const answer = await ask(QUESTION, session);
  assert.equal(answer.gap_detected, false, JSON.stringify(answer));
  assert.match(answer.content, /two-year warranty/);
  assert.equal(answer.citations[0].document_id, id);
  assert.equal(answer.citations[0].title, 'Kettle care');
  assert.equal(Number(stack.sql(`SELECT count(*) FROM document_conversation_links l JOIN conversations c
    ON c.id = l.conversation_id WHERE l.document_id = '${id}' AND c.session_token = '${session}'`)), 1);

  // the gap detector saw DocumentIngested and closed the gap the document answers
  await until('the gap is resolved by the document', () => stack.sql(
    `SELECT resolved_document_id FROM qa_gaps WHERE workspace_id = '${WS}' AND question = '${QUESTION}'`) === id);

  const removed = await owner('DELETE', `/api/owner/documents/${id}`);
  assert.equal(removed.status, 204);
  assert.equal((await ask(QUESTION)).gap_detected, true, 'without the document the question is a gap again');
});

test('an accepted transcript suggestion becomes a pair the pipeline embeds', async () => {
  const form = new FormData();
  form.append('title', 'Kettle support chat');
  form.append('file', new Blob([`Agent: Hello, Acme support here.
Customer: Does the Acme kettle work on 110 volt sockets?
Agent: No, it is made for 220-240 volts; use the US model on 110 volts.
`], { type: 'text/plain' }), 'chat.txt');
  const uploaded = await owner('POST', '/api/owner/transcripts', form);
  assert.equal(uploaded.status, 201, uploaded.text);
  assert.equal(uploaded.json.transcript.exchange_count, 1);
  const suggestion = uploaded.json.suggestions[0];
  assert.match(suggestion.question, /110 volt/);

  const accepted = await owner('POST', `/api/owner/transcript-suggestions/${suggestion.id}/accept`);
  assert.equal(accepted.status, 201, accepted.text);
  const pair = accepted.json.accepted_qa_id;
  const embedded = await until('the accepted pair is embedded', async () => {
    const read = (await owner('GET', `/api/owner/qa-pairs/${pair}`)).json;
    return read.embedded && read.embedding_current && read;
  });
  assert.equal(embedded.source, 'transcript_extraction');
  assert.equal(embedded.is_active, true);
});
