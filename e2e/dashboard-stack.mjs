// The dashboard e2e test's pipeline and browser helpers (dashboard.test.mjs): CDC relay, embedding
// worker, gap detector and chat-api with live updates on topics, consumer groups and a replication
// slot of this run; the owner's sign-in; screenshots; the check that data never became markup.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import * as stack from './stack.mjs';
import { close as closeBrowser, launch, SHOTS, visitor, WS } from './browser.mjs';

const KAFKA = `127.0.0.1:${process.env.CLARA_KAFKA_PORT || '19092'}`;
// the ports pipeline.test.mjs uses by default (the files run one at a time, --test-concurrency=1);
// CLARA_E2E_DASHBOARD_PORT_BASE moves them (worker +1, detector +2, relay +3; chat-api's is CLARA_E2E_CHAT_API_PORT)
const BASE = Number(process.env.CLARA_E2E_DASHBOARD_PORT_BASE || 18180);
const PORTS = { worker: BASE + 1, gaps: BASE + 2, relay: BASE + 3 };
const RUN = 'e2e_' + randomBytes(4).toString('hex');
const TOPIC_ENV = {
  CLARA_KAFKA_BOOTSTRAP: KAFKA,
  CLARA_TOPIC_PARTITIONS: '3',
  CLARA_TOPIC_QUESTIONS: `test.${RUN}.questions`,
  CLARA_TOPIC_GAPS: `test.${RUN}.gaps`,
  CLARA_TOPIC_QA_PAIR_CHANGES: `test.${RUN}.qa-pairs.changes`,
  CLARA_TOPIC_QA_PAIR_EMBEDDED: `test.${RUN}.qa-pairs.embedded`,
  CLARA_TOPIC_FEEDBACK: `test.${RUN}.feedback`,
  CLARA_TOPIC_ANSWER_MODELS: `test.${RUN}.answer-models`,
  CLARA_TOPIC_SPEND_CAPS: `test.${RUN}.spend-caps`,
  CLARA_TOPIC_IMPORTS: `test.${RUN}.imports`,
  CLARA_TOPIC_DOCUMENT_CHANGES: `test.${RUN}.documents.changes`,
  CLARA_TOPIC_DOCUMENT_INGESTED: `test.${RUN}.documents.ingested`,
  CLARA_TOPIC_OUTBOX_DEAD_LETTER: `test.${RUN}.outbox-dlt`,
  CLARA_CDC_SLOT: RUN,
  CLARA_CDC_PUBLICATION: RUN,
};
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const OWNER = { email: 'demo@clara.local', password: 'clara-demo' };

const services = [];
/** Every dialog any dashboard page opened (there must be none). */
export const dialogs = [];

/** Starts this run's pipeline, waits until the demo pairs are embedded, then the browser. */
export async function startPipeline() {
  const t = Date.now();
  const env = { ...TOPIC_ENV, CLARA_DATABASE_URL: stack.jdbcUrl };
  await stack.createDatabase();
  // the relay first: it declares the topics; the worker's start-up backfill embeds the demo pairs
  await start('cdc-relay', PORTS.relay, env);
  // consumer groups of this run too: another run's worker in the shared group "embedding-worker" (on
  // topics of its own) would take part in every rebalance of this one and can hold it up for minutes
  const group = (name) => ({ ...env, SPRING_KAFKA_CONSUMER_GROUPID: `${name}-${RUN}` });
  // Tika's child JVM starts slowly on a busy machine: the default 60 s once failed a small Markdown file
  const worker = { ...group('embedding-worker'), CLARA_DOCUMENT_EXTRACTION_TIMEOUT: '180s' };
  await Promise.all([start('embedding-worker', PORTS.worker, worker), start('gap-detector', PORTS.gaps, group('gap-detector')),
    // live updates on: this chat-api reads this run's topics only
    stack.startChatApi({ ...TOPIC_ENV, CLARA_LIVE_ENABLED: 'true' }, 100)]);
  await until('the demo pairs are embedded', () => Number(stack.sql(
    `SELECT count(*) FROM qa_pairs WHERE workspace_id = '${WS}' AND embedding IS NOT NULL`)) === stack.DEMO_PAIRS);
  stack.log(`pipeline up after ${stack.since(t)}`);
  await launch();
}

export async function stopPipeline() {
  await closeBrowser();
  await stack.stopServices(services, RUN);
}

const start = (name, port, env) => stack.startService(services, name, port, env);
/** Polls a condition of the database until it holds (for the set-up only; the browser waits on the DOM). */
const until = (what, condition, seconds = 240) => stack.until(what, condition, seconds);

export const shot = (page, name) => page.screenshot({ path: path.join(SHOTS, `dashboard-${name}.png`), fullPage: true });
export const heading = (page, name) => page.getByRole('heading', { level: 1, name, exact: true });

/** A page of the dashboard in a context of its own; records dialogs, errors and requests. */
export async function dashboardPage(options) {
  const w = await visitor(options);
  w.page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  return w;
}

export async function signIn(page, keyboard) {
  await page.goto(stack.baseUrl + '/app/');
  await heading(page, 'Sign in to your workspace').waitFor();
  if (keyboard) {
    // keyboard only: the heading has focus once the screen is drawn; Tab reaches the e-mail box
    await page.waitForFunction(() => document.activeElement?.matches('h1'));
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('autocomplete')), 'username');
    await page.keyboard.type(OWNER.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(OWNER.password);
    await page.keyboard.press('Enter');
  } else {
    await page.getByLabel('E-mail').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await heading(page, 'Overview').waitFor();
}

/** Nothing from the data became markup: no <img>, no javascript: link, no dialog. */
export async function assertInert(page) {
  // (the settings screen's own avatar and icon previews are the only images the app draws)
  assert.equal(await page.locator('main img:not(.asset-img)').count(), 0, 'no img element was created');
  assert.equal(await page.locator('a[href^="javascript" i]').count(), 0, 'no javascript: link');
  assert.deepEqual(dialogs, [], 'no dialog fired');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
}

const SCREENS = [
  ['overview', 'Overview'], ['pairs', 'Knowledge base'], ['gaps', 'Gap inbox'], ['gaps?filter=auto', 'Gap inbox'],
  ['calibration', 'Calibration'], ['conversations', 'Conversations'], ['conversation', 'Conversation'],
  ['settings', 'Widget settings'], ['keys', 'Keys & usage'], ['model', 'Answer model'], ['phrasing', 'Phrasing suggestions'],
  ['documents', 'Documents'],
];

/** Every screen in turn: nothing wider than the page, a screenshot each, nothing became markup. */
export async function everyScreen(page, size, conversationUrl) {
  let n = 10;
  for (const [route, title] of SCREENS) {
    await page.goto(route === 'conversation' ? conversationUrl : `${stack.baseUrl}/app/#/${route}`);
    await heading(page, title).waitFor();
    await page.locator('main .loading').waitFor({ state: 'detached' });
    if (route === 'settings') await page.frameLocator('iframe[title="Widget preview"]').locator('clara-widget h2').waitFor();
    if (route === 'overview' || route === 'calibration') await page.locator('main svg.chart').first().waitFor();
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= page.viewportSize().width, `${route} at ${size}: the page is ${wide}px wide`);
    await shot(page, `${size}-${n++}-${route.replace(/\W+/g, '-')}`);
  }
  await assertInert(page);
}

// test data: a document and a support transcript whose text holds markup (shown as characters)
// a document whose text holds markup: its chunk must show it as the characters it is
export const DOCUMENT = {
  title: 'Returns policy',
  name: 'returns-policy.md',
  text: `# Returns policy

## Refunds

You can return any Brightdesk plan within 30 days of buying it for a full refund, no questions asked.

## Characters, not markup

Pasted from an old page: <img src=x onerror=alert(1)> and <script>alert(2)</script> stay text.
`,
};
export const TRANSCRIPT = `[09:01] Customer: Can I export my tickets to a spreadsheet for the quarterly audit?
[09:02] Agent Sam: Yes: Reports, then Export, gives a CSV file of every ticket in the period.
Customer: Why does a contact show <img src=x onerror=alert(1)> as its name?
Agent Sam: Brightdesk shows names exactly as they were typed; edit the contact to clean it up.
Customer: Can agents switch the inbox to a dark theme at night?
Agent: Yes, under Profile, then Appearance, choose Dark.
`;
export const EDITED = 'How do I export tickets to a spreadsheet?';
