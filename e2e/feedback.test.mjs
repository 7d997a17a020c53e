// Thumbs down end to end: a visitor rates an answer down in the widget (Debian's headless Chromium,
// browser.mjs) with a comment; the chat-api writes AnswerRated through its outbox, the CDC relay
// puts it on the feedback topic, and the gap detector turns it into a gap of kind `feedback` that
// the owner sees through the owner API. The record on the topic is read with kcat, as an analyst
// would, and validated against its JSON Schema. The full pipeline runs, as in pipeline.test.mjs:
// the relay is what moves the outbox to Kafka, the detector what opens the gap.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import * as stack from './stack.mjs';
import { answerTo, close as closeBrowser, launch, stored, visitor, WS } from './browser.mjs';

const KAFKA = `127.0.0.1:${process.env.CLARA_KAFKA_PORT || '19092'}`;
// the ports pipeline.test.mjs uses: the files run one at a time (--test-concurrency=1)
const PORTS = { relay: 18183, worker: 18181, gaps: 18182 };
const RUN = 'e2e_' + randomBytes(4).toString('hex');
// topics of this run only, so a running stack is never read or written (and `from the beginning`
// holds this run's records only)
const TOPICS = {
  questions: `test.${RUN}.questions`,
  gaps: `test.${RUN}.gaps`,
  changes: `test.${RUN}.qa-pairs.changes`,
  embedded: `test.${RUN}.qa-pairs.embedded`,
  feedback: `test.${RUN}.feedback`,
  outboxDlt: `test.${RUN}.outbox-dlt`,
};
const TOPIC_ENV = {
  CLARA_KAFKA_BOOTSTRAP: KAFKA,
  CLARA_TOPIC_PARTITIONS: '3',
  CLARA_TOPIC_QUESTIONS: TOPICS.questions,
  CLARA_TOPIC_GAPS: TOPICS.gaps,
  CLARA_TOPIC_QA_PAIR_CHANGES: TOPICS.changes,
  CLARA_TOPIC_QA_PAIR_EMBEDDED: TOPICS.embedded,
  CLARA_TOPIC_FEEDBACK: TOPICS.feedback,
  CLARA_TOPIC_OUTBOX_DEAD_LETTER: TOPICS.outboxDlt,
  CLARA_CDC_SLOT: RUN,
  CLARA_CDC_PUBLICATION: RUN,
};

// a question in other words than the demo pair's, which the chat answers with that pair (widget.test.mjs)
const QUESTION = "What's the price of Brightdesk?";
const PAIR = 'How much does Brightdesk cost?';
const COMMENT = 'That is last year\'s price, it went up in March.';
const THANKS = 'Thanks for your feedback.';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const ANSWER_RATED = ajv.compile(JSON.parse(readFileSync(
  path.join(stack.REPO, 'shared/src/main/resources/events/answer-rated.v1.schema.json'), 'utf8')));

const services = [];
let token;
// what the first test rated, for the second to find on the topic
let rated;

before(async () => {
  const t = Date.now();
  const env = { ...TOPIC_ENV, CLARA_DATABASE_URL: stack.jdbcUrl };
  await stack.createDatabase();
  // the relay first: it declares the topics; the worker's start-up backfill embeds the demo pairs
  await stack.startService(services, 'cdc-relay', PORTS.relay, env);
  await Promise.all([stack.startService(services, 'embedding-worker', PORTS.worker, env), stack.startService(services, 'gap-detector', PORTS.gaps, env),
    stack.startChatApi(TOPIC_ENV, 100)]);
  await stack.until('the demo pairs are embedded', () => Number(stack.sql(
    `SELECT count(*) FROM qa_pairs WHERE workspace_id = '${WS}' AND embedding IS NOT NULL`)) === stack.DEMO_PAIRS);
  stack.log(`pipeline up after ${stack.since(t)}`);
  token = await stack.demoOwnerToken();
  await launch();
});

after(async () => {
  await closeBrowser();
  await stack.stopServices(services, RUN);
});



async function gaps(status) {
  const res = await fetch(`${stack.baseUrl}/api/owner/gaps?status=${status}&per_page=100`,
    { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).items;
}

/** Every record of a topic from the beginning, read by kcat (-J: its JSON envelope with key, headers, payload). */
function kcat(topic) {
  const run = spawnSync('kcat', ['-b', KAFKA, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-J'],
    { encoding: 'utf8', timeout: 60000 });
  assert.equal(run.status, 0, `kcat failed: ${run.stderr}`);
  return run.stdout.split('\n').filter(Boolean).map((line) => {
    const record = JSON.parse(line);
    const headers = {};
    for (let i = 0; i + 1 < (record.headers || []).length; i += 2) headers[record.headers[i]] = record.headers[i + 1];
    return { key: record.key, headers, payload: record.payload };
  });
}

test('a visitor rates an answer down with a comment in the widget; the owner finds a feedback gap with the question, the comment and the answer',
  { timeout: 240000 }, async () => {
    const w = await visitor();
    const { page } = w;
    await page.goto(stack.baseUrl + '/');
    await w.bubble.click();
    await w.dialog.waitFor();
    const answer = await w.ask(QUESTION);
    assert.equal(answer, answerTo(PAIR), 'the question gets the demo pair\'s answer');

    // the rating bar under the answer just given (the welcome message has none: it is no answer)
    const bar = page.locator('clara-widget .rate').last();
    await bar.locator('.rate-down').click();
    const comment = bar.locator('.rate-comment');
    await comment.waitFor();
    await comment.fill(COMMENT);
    await bar.locator('.rate-send').click();
    // the widget says thanks only once the server took the rating (a 200); the box goes away
    await bar.getByRole('status').filter({ hasText: THANKS }).waitFor();
    assert.equal(await bar.locator('.rate-down').getAttribute('aria-pressed'), 'true');
    assert.equal(await bar.locator('.rate-box').count(), 0);
    await w.shot('feedback-1-rated-down');
    assert.deepEqual(w.errors, [], 'uncaught page errors');

    // the rated message is the session's assistant message that answered the question
    const messages = stored(await w.token());
    const reply = messages.filter((m) => m.role === 'assistant').pop();
    assert.equal(reply.content, answer);
    rated = { messageId: reply.id, answer };
    await w.context.close();

    // outbox → relay → feedback topic → gap detector → gaps table: asynchronous, so polled
    const gap = await stack.until('an open feedback gap with the question', async () =>
      (await gaps('open')).find((g) => g.kind === 'feedback' && g.question === QUESTION));
    assert.equal(gap.status, 'open');
    assert.equal(gap.feedback_comment, COMMENT);
    assert.equal(gap.ai_answer, answer);
    // the owner's one-gap view says the same
    const one = await fetch(`${stack.baseUrl}/api/owner/gaps/${gap.id}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(one.status, 200);
    const view = await one.json();
    assert.equal(view.kind, 'feedback');
    assert.equal(view.feedback_comment, COMMENT);
    assert.equal(view.ai_answer, answer);
  });

test('the AnswerRated on the feedback topic, read with kcat, is valid against its JSON Schema and carries the down rating and the comment',
  async () => {
    assert.ok(rated, 'the first test rated an answer');
    // the first test waited for the gap, so the event is on the topic already; polled all the same
    const records = await stack.until('the AnswerRated on the feedback topic', () => {
      const list = kcat(TOPICS.feedback);
      return list.length >= 1 ? list : null;
    }, 60);
    assert.equal(records.length, 1, 'one rating, one event');
    const { key, headers, payload } = records[0];
    const event = JSON.parse(payload);
    assert.ok(ANSWER_RATED(event), `AnswerRated is not valid: ${ajv.errorsText(ANSWER_RATED.errors)}\n${payload}`);
    assert.equal(event.event_type, 'AnswerRated');
    assert.equal(headers['clara-event-type'], 'AnswerRated');
    assert.equal(headers['clara-event-id'], event.event_id);
    assert.equal(key, WS, 'keyed by workspace');
    assert.equal(event.workspace_id, WS);
    assert.equal(event.payload.rating, 'down');
    assert.equal(event.payload.comment, COMMENT);
    assert.equal(event.payload.message_id, rated.messageId);
    assert.equal(event.payload.question, QUESTION);
    assert.equal(event.payload.answer, rated.answer);
    assert.ok(event.payload.matched_qa_ids.length >= 1, 'the answer came from a pair');
  });
