// The owner dashboard (/app/) in Debian's headless Chromium (browser.mjs) against the full pipeline,
// as feedback.test.mjs starts it: CDC relay, embedding worker, gap detector and chat-api on topics
// of this run, so the dashboard's live updates (GET /api/owner/events, fed from Kafka) are real.
// The owner is the demo seed's (demo@clara.local); visitors use the widget on the demo page.
// Every wait is on a DOM state (Playwright's waiting), never a sleep. Screenshots of every screen at
// desktop (1280×800) and phone (390×844) size go to e2e/target/screenshots/dashboard-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as stack from './stack.mjs';
import { DESKTOP, visitor, WS } from './browser.mjs';
import {
  assertInert, dashboardPage, dialogs, DOCUMENT, EDITED, everyScreen, heading, PHONE, shot, signIn, startPipeline, stopPipeline,
  TRANSCRIPT,
} from './dashboard-stack.mjs';

// an unknown question and a paraphrase of it: one gap group (as pipeline.test.mjs shows)
const UNKNOWN = 'Do you ship to Antarctica?';
const PARAPHRASE = 'Is delivery to Antarctica possible?';
const XSS = '<img src=x onerror=alert(1)> see [this](javascript:alert(1))';
const NEW_PAIR = { question: 'Do you have a mobile app?', answer: 'Yes: Brightdesk has iOS and Android apps with push notifications.' };

let owner; // the owner's browser page, signed in, kept across the tests
let xssConversation;

before(startPipeline);
after(stopPipeline);

test('the owner signs in with the keyboard only; the page is served with the dashboard\'s security headers',
  { timeout: 120000 }, async () => {
    const res = await fetch(stack.baseUrl + '/app/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') || '', /script-src 'self'/);
    assert.match(await res.text(), /<script type="module" src="\/app\/main.js">/);
    const demo = await (await fetch(stack.baseUrl + '/')).text();
    assert.match(demo, /href="\/app\/"/, 'the demo page links to the dashboard');

    owner = await dashboardPage(DESKTOP);
    // where an OAuth provider sends a refused sign-in back to: the reason, in words
    await owner.page.goto(stack.baseUrl + '/app/?signin_error=denied');
    await owner.page.getByRole('status').filter({ hasText: 'Sign-in with the provider was cancelled.' }).waitFor();
    assert.equal(new URL(owner.page.url()).hash, '#/signin');
    // the pages the account mails link to: a used or made-up token is refused in words
    await owner.page.goto(stack.baseUrl + '/app/#/reset-password?token=not-a-real-token');
    await heading(owner.page, 'Choose a new password').waitFor();
    await owner.page.getByLabel(/^New password/).fill('a long enough new password');
    await owner.page.getByRole('button', { name: 'Set the new password' }).click();
    await owner.page.getByRole('status').filter({ hasText: 'This link is used up or expired.' }).waitFor();
    await owner.page.goto(stack.baseUrl + '/app/#/confirm?token=not-a-real-token');
    await owner.page.getByRole('status').filter({ hasText: 'This link is used up or expired.' }).waitFor();
    await owner.page.goto(stack.baseUrl + '/app/');
    await heading(owner.page, 'Sign in to your workspace').waitFor();
    await shot(owner.page, 'desktop-00-signin');
    await signIn(owner.page, true);
    await owner.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await owner.page.locator('[data-stat="Q&A pairs"]').filter({ hasText: String(stack.DEMO_PAIRS) }).waitFor();
  });

test('a pair added in the knowledge base becomes embedded without a reload', { timeout: 180000 }, async () => {
  const { page } = owner;
  await page.goto(stack.baseUrl + '/app/#/pairs');
  await heading(page, 'Knowledge base').waitFor();
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.getByText('Add a pair', { exact: true }).click();
  const form = page.locator('form.add-pair');
  await form.getByLabel('Question').fill(NEW_PAIR.question);
  await form.getByLabel('Answer').fill(NEW_PAIR.answer);
  await form.getByRole('button', { name: 'Add pair' }).click();
  const row = page.locator('tr[data-pair]').filter({ hasText: NEW_PAIR.question });
  await row.waitFor();
  // the worker embeds it; QaPairEmbedded → the `pair` event → the list is refetched
  await page.locator('tr[data-embedded="true"]').filter({ hasText: NEW_PAIR.question }).waitFor({ timeout: 120000 });
  assert.match(await row.locator('.state').innerText(), /Embedded/);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
});

test('a visitor\'s unknown question appears in the gap inbox live; "Answer this" resolves its group, the paraphrase '
  + 'shows as resolved automatically and the new pair as embedded', { timeout: 300000 }, async () => {
  const { page } = owner;
  await page.goto(stack.baseUrl + '/app/#/gaps');
  await heading(page, 'Gap inbox').waitFor();
  await page.evaluate(() => { window.__sameDocument = true; });

  const v = await visitor();
  await v.page.goto(stack.baseUrl + '/');
  await v.bubble.click();
  await v.dialog.waitFor();
  await v.ask(UNKNOWN);
  const group = page.locator('article.gap-group').filter({ hasText: UNKNOWN });
  await group.waitFor({ timeout: 60000 });
  await shot(page, 'desktop-03-gap-arrived');

  await v.ask(PARAPHRASE);
  await group.locator('li.phrasing').filter({ hasText: PARAPHRASE }).waitFor({ timeout: 60000 });
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
  await v.context.close();

  await group.getByRole('button', { name: 'Answer this' }).click();
  const form = group.locator('form.answer-form');
  await form.getByLabel('Answer').fill('We ship worldwide, Antarctica included: research stations get their parcels with the next supply flight.');
  await form.getByRole('button', { name: 'Save answer' }).click();

  const answered = page.locator('article.gap-group.answered').filter({ hasText: UNKNOWN });
  await answered.waitFor();
  await answered.locator('li.phrasing').filter({ hasText: PARAPHRASE }).filter({ hasText: 'Resolved automatically' }).waitFor();
  await answered.locator('.pair-state[data-embedded="true"]').waitFor({ timeout: 120000 });
  await shot(page, 'desktop-04-gap-answered');

  // reversible: the paraphrase opens again
  await answered.locator('li.phrasing').filter({ hasText: PARAPHRASE }).getByRole('button', { name: 'Reopen' }).click();
  await answered.locator('li.phrasing[data-status="open"]').filter({ hasText: PARAPHRASE }).waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
});

test('a hostile question shows as text in the gap inbox and in its conversation', { timeout: 180000 }, async () => {
  const { page } = owner;
  await page.goto(stack.baseUrl + '/app/#/gaps');
  await heading(page, 'Gap inbox').waitFor();
  const v = await visitor();
  await v.page.goto(stack.baseUrl + '/');
  await v.bubble.click();
  await v.dialog.waitFor();
  await v.ask(XSS);
  await v.context.close();

  const group = page.locator('article.gap-group').filter({ hasText: XSS });
  await group.waitFor({ timeout: 60000 });
  assert.equal(await group.getByRole('heading').innerText(), XSS, 'the question as the characters it is');
  await assertInert(page);
  await shot(page, 'desktop-05-hostile-gap');

  await group.getByRole('link', { name: 'Conversation' }).click();
  await heading(page, 'Conversation').waitFor();
  xssConversation = page.url();
  await page.locator('.transcript .msg.user .content').filter({ hasText: XSS }).waitFor();
  assert.equal(await page.locator('.transcript .msg.user .content').first().innerText(), XSS);
  await page.locator('.transcript .facts').filter({ hasText: 'Flagged as a gap' }).waitFor();
  await assertInert(page);

  // another owner's conversation, by its id in the URL: the app's "not found", nothing of it shown
  const email = `other-${Date.now()}@example.test`;
  stack.sql(`INSERT INTO auth.users (email) VALUES ('${email}')`);
  const other = stack.sql(`INSERT INTO conversations (workspace_id, session_token)
      SELECT w.id, 'other-owner-token-${Date.now()}' FROM workspaces w JOIN auth.users u ON u.id = w.owner_id
      WHERE u.email = '${email}' RETURNING id`).split('\n')[0];
  stack.sql(`INSERT INTO messages (conversation_id, workspace_id, role, content)
      SELECT id, workspace_id, 'user', 'Another tenant secret question' FROM conversations WHERE id = '${other}'`);
  await page.goto(stack.baseUrl + '/app/#/conversations/' + other);
  // the owner API's 404 problem, shown as the screen's alert
  await page.getByRole('alert').filter({ hasText: 'No such conversation' }).waitFor();
  assert.equal(await page.getByText('Another tenant secret question').count(), 0);
});

test('the calibration marker and figures move with the threshold before it is saved', { timeout: 60000 }, async () => {
  const { page } = owner;
  await page.goto(stack.baseUrl + '/app/#/calibration');
  await heading(page, 'Calibration').waitFor();
  const slider = page.getByRole('slider', { name: 'Threshold' });
  await slider.waitFor();
  const start = Number(await slider.inputValue());
  const marker = page.locator('svg line.marker');
  assert.equal(Number(await marker.getAttribute('data-x')), start);
  const x0 = await marker.getAttribute('x1');

  await slider.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  const moved = (start + 0.05).toFixed(2);
  await page.locator(`svg line.marker[data-x="${moved}"]`).waitFor({ state: 'attached' });
  assert.notEqual(await marker.getAttribute('x1'), x0, 'the marker moved');
  await page.locator('.figures').filter({ hasText: `At ${moved}:` }).waitFor();

  await page.getByLabel('Threshold (number)').fill('0.80');
  await page.getByLabel('Threshold (number)').press('Tab');
  await page.locator('svg line.marker[data-x="0.80"]').waitFor({ state: 'attached' });
  await shot(page, 'desktop-06-calibration-moved');
  await page.getByRole('button', { name: 'Save threshold' }).click();
  await page.getByText('Threshold 0.80 saved.').waitFor();
  const saved = await page.evaluate(() => fetch('/api/owner/workspace/settings').then((r) => r.json()));
  assert.equal(saved.confidence_threshold, 0.8);
  await page.locator('svg line.saved-marker[data-x="0.8"]').waitFor({ state: 'attached' });
});

test('a settings change shows in the live preview before it is saved', { timeout: 60000 }, async () => {
  const { page } = owner;
  await page.goto(stack.baseUrl + '/app/#/settings');
  await heading(page, 'Widget settings').waitFor();
  const preview = page.frameLocator('iframe[title="Widget preview"]');
  await preview.locator('clara-widget h2').filter({ hasText: 'Clara' }).waitFor();
  await page.getByLabel('Name shown in the widget').fill('Brightdesk helper');
  await page.getByLabel('Welcome message').fill('Hello from the preview!');
  await preview.locator('clara-widget h2').filter({ hasText: 'Brightdesk helper' }).waitFor();
  await preview.locator('clara-widget .msg.bot').filter({ hasText: 'Hello from the preview!' }).waitFor();
  const stored = await page.evaluate(() => fetch('/api/owner/workspace/settings').then((r) => r.json()));
  assert.notEqual(stored.display_name, 'Brightdesk helper', 'nothing saved yet');

  // the API's validation message at its field
  await page.getByLabel(/^Booking link/).fill('ftp://nope');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const booking = page.getByLabel(/^Booking link/);
  await page.locator('#' + (await booking.getAttribute('id')) + '-error:not([hidden])').waitFor();
  assert.equal(await booking.getAttribute('aria-invalid'), 'true');
  await booking.fill('https://cal.example.com/brightdesk/demo-call');
  await page.getByRole('button', { name: 'Save settings' }).click();
  // (the screen's notice, not the screen reader's announcer, which says it too 50 ms later)
  await page.locator('main').getByText(/^Settings saved/).waitFor();
  await shot(page, 'desktop-07-settings-preview');
  const after = await page.evaluate(() => fetch('/api/owner/workspace/settings').then((r) => r.json()));
  assert.equal(after.display_name, 'Brightdesk helper');
});

test('a CSV import shows its progress and completes with its report', { timeout: 240000 }, async () => {
  const { page } = owner;
  await page.goto(stack.baseUrl + '/app/#/pairs');
  await heading(page, 'Knowledge base').waitFor();
  const rows = ['question,answer,category'];
  for (let i = 1; i <= 1200; i++) rows.push(`"Import question number ${i}?","Answer number ${i}, imported.",imports`);
  rows.push('"How much does Brightdesk cost?","A duplicate of a demo pair",pricing');
  rows.push('"","an empty question",imports');
  await page.getByText('Import a CSV file', { exact: true }).click();
  // record every progress text the page shows
  await page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const t = document.querySelector('.progress-text')?.textContent;
      if (t && window.__progress.at(-1) !== t) window.__progress.push(t);
    }).observe(document.querySelector('main'), { subtree: true, childList: true, characterData: true });
  });
  await page.getByLabel('CSV file').setInputFiles({ name: 'faq.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('.import-progress progress').waitFor();
  await page.locator('.import-progress[data-status="completed"]').waitFor({ timeout: 180000 });
  const text = await page.locator('.progress-text').innerText();
  assert.match(text, /Done: 1,?200 imported, 1 duplicates skipped, 1 invalid \(of 1,?202 rows\)/);
  assert.equal(await page.locator('.import-progress progress').evaluate((p) => p.value === p.max), true);
  const report = page.locator('.import-report table tbody tr');
  await report.first().waitFor();
  assert.equal(await report.count(), 2);
  console.log('# progress seen:', JSON.stringify(await page.evaluate(() => window.__progress)));
  await shot(page, 'desktop-08-import-done');
});

test('a Markdown document uploaded on the documents screen shows its progress, becomes ready without a reload, '
  + 'shows its chunks as text, downloads and is deleted', { timeout: 300000 }, async () => {
  const { page } = owner;
  await page.goto(stack.baseUrl + '/app/#/documents');
  await heading(page, 'Documents').waitFor();
  // the page polls an unfinished document while its event stream is not up yet: on a loaded
  // machine the stream's first answer can come after the upload, so the test starts once it is live
  await page.locator('#live-status[data-status="live"]').waitFor({ timeout: 60000 });
  await page.evaluate(() => {
    window.__sameDocument = true;
    // every upload-progress text and document status the page shows, in order
    window.__seen = { progress: [], status: [] };
    const push = (list, v) => { if (v && list.at(-1) !== v) list.push(v); };
    new MutationObserver(() => {
      push(window.__seen.progress, document.querySelector('.upload-progress .progress-text')?.textContent);
      push(window.__seen.status, document.querySelector('tr[data-document]')?.dataset.status);
    }).observe(document.querySelector('main'), { subtree: true, childList: true, characterData: true, attributes: true });
  });
  // not a document: the API's 415 problem, in its words
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'photo.png', mimeType: 'image/png',
    buffer: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex') });
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await page.locator('.upload-form .notice.error').filter({ hasText: 'A document must be a PDF' }).waitFor();

  // dropped on the box, as a file dragged from the desktop
  const dropped = await page.evaluateHandle(({ name, text }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], name, { type: 'text/markdown' }));
    return transfer;
  }, DOCUMENT);
  await page.locator('.dropzone').dispatchEvent('drop', { dataTransfer: dropped });
  await page.locator('.chosen').filter({ hasText: `Selected: ${DOCUMENT.name}` }).waitFor();
  await page.getByLabel('Title (optional)').fill(DOCUMENT.title);
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await page.locator('.upload-progress[data-state="done"]').waitFor();
  assert.equal(await page.locator('.upload-progress progress').evaluate((p) => p.value === p.max && p.max > 1), true);
  const row = page.locator('tr[data-document]').filter({ hasText: DOCUMENT.title });
  await row.waitFor();
  await shot(page, 'documents-desktop-1-uploaded');
  // DocumentIngested → the `document` event → the list refetched: ready, with its chunks counted
  await page.locator('tr[data-document][data-status="ready"], tr[data-document][data-status="failed"]')
    .filter({ hasText: DOCUMENT.title }).waitFor({ timeout: 180000 });
  assert.match(await row.locator('.state').innerText(), /ready/, 'the document is ready, not failed');
  assert.ok(Number(await row.locator('.chunks').innerText()) >= 2, 'chunks counted');
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
  const seen = await page.evaluate(() => window.__seen);
  console.log('# seen:', JSON.stringify(seen));
  assert.ok(seen.progress.some((t) => t.startsWith('Uploading')), 'the progress was shown');
  assert.ok(['pending', 'processing'].includes(seen.status[0]) && seen.status.at(-1) === 'ready', 'unfinished, then ready');
  // the stream was up: the status came by the event, not by polling the document
  assert.equal(owner.requests.filter((u) => /\/api\/owner\/documents\/[0-9a-f-]{36}$/.test(u)).length, 0, 'no polling');
  await shot(page, 'documents-desktop-2-ready');

  await row.getByRole('link', { name: DOCUMENT.title, exact: true }).click();
  await heading(page, DOCUMENT.title).waitFor();
  // (the chunker cuts sentences at a full stop, so the markup has none)
  const hostile = page.locator('.chunk-text').filter({ hasText: '<img src=x onerror=alert(1)>' });
  await hostile.waitFor();
  assert.match(await hostile.innerText(), /<img src=x onerror=alert\(1\)> and <script>alert\(2\)<\/script> stay text\.$/);
  await page.locator('.chunk-heading').filter({ hasText: 'Refunds' }).first().waitFor();
  await assertInert(page);
  assert.equal(await page.locator('main script').count(), 0);
  const file = await page.evaluate(() => fetch(document.querySelector('main a[download]').href).then((r) => r.text()));
  assert.equal(file, DOCUMENT.text, 'the download is the file as uploaded');
  await shot(page, 'documents-desktop-3-chunks');

  // the same two screens at phone size: nothing wider than the screen
  const phone = await dashboardPage(PHONE);
  await signIn(phone.page, false);
  for (const [url, title, name] of [['#/documents', 'Documents', 'list'], [new URL(page.url()).hash, DOCUMENT.title, 'chunks']]) {
    await phone.page.goto(stack.baseUrl + '/app/' + url);
    await heading(phone.page, title).waitFor();
    await phone.page.locator('main .loading').waitFor({ state: 'detached' });
    await phone.page.locator(name === 'list' ? 'tr[data-document]' : '.chunk-text').first().waitFor();
    const wide = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `documents ${name} at phone size: the page is ${wide}px wide`);
    await shot(phone.page, `documents-phone-${name}`);
  }
  phone.assertNoThirdPartyRequests();
  await phone.context.close();

  // delete, after the page's own confirmation
  await page.getByRole('button', { name: `Delete: ${DOCUMENT.title}` }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await heading(page, 'Documents').waitFor();
  await page.getByText('No documents yet').waitFor();
  assert.equal(stack.sql(`SELECT count(*) FROM documents WHERE workspace_id = '${WS}'`), '0');
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
});

// a support transcript of three exchanges, one with markup in the customer's words

test('a support transcript uploaded on the suggestions screen proposes its pairs as text; one is edited and accepted '
  + 'into the knowledge base, one rejected', { timeout: 120000 }, async () => {
  const { page } = owner;
  await page.goto(stack.baseUrl + '/app/#/suggestions');
  await heading(page, 'Suggestions').waitFor();
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'support-chat.txt', mimeType: 'text/plain', buffer: Buffer.from(TRANSCRIPT) });
  await page.getByLabel('Title (optional)').fill('Support chat, March');
  await page.getByRole('button', { name: 'Upload and read' }).click();
  await page.locator('.upload-form .notice.ok').filter({ hasText: 'Read "Support chat, March": 3 exchanges' }).waitFor();
  // suggested or already covered, each exchange is one card
  await page.waitForFunction(() => document.querySelectorAll('.suggestion').length === 3);
  const card = (text) => page.locator('.suggestion').filter({ hasText: text });
  assert.equal(await card('onerror').locator('.suggestion-question').innerText(), 'Why does a contact show <img src=x onerror=alert(1)> as its name?');
  assert.equal(await page.locator('tr[data-transcript] .exchanges').innerText(), '3');
  await assertInert(page);
  await shot(page, 'suggestions-desktop');

  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 1280, 'nothing wider than the screen');
  // (the card by its id: while it is edited its question is in a text box, not its text)
  const exported = page.locator(`.suggestion[data-suggestion="${await card('export my tickets').getAttribute('data-suggestion')}"]`);
  await exported.getByRole('button', { name: /^Edit before accepting/ }).click();
  await exported.getByLabel('Question').fill(EDITED);
  await exported.getByRole('button', { name: 'Accept as edited' }).click();
  await page.locator('main > .screen .notice.ok').filter({ hasText: 'Accepted' }).waitFor();
  await card('dark theme').getByRole('button', { name: /^Reject/ }).click();
  await page.locator('main > .screen .notice.ok').filter({ hasText: 'Rejected' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.suggestion').length === 1);
  // the accepted pair, edited, is in the knowledge base: its card links to it
  await page.getByRole('link', { name: 'Accepted', exact: true }).click();
  await card(EDITED).getByRole('link', { name: EDITED }).click();
  await heading(page, 'Knowledge base').waitFor();
  await page.locator('table.pairs tbody tr').filter({ hasText: EDITED }).waitFor();

  const phone = await dashboardPage(PHONE);
  await signIn(phone.page, false);
  await phone.page.goto(stack.baseUrl + '/app/#/suggestions?status=all');
  await heading(phone.page, 'Suggestions').waitFor();
  await phone.page.locator('tr[data-transcript]').waitFor();
  await phone.page.waitForFunction(() => document.querySelectorAll('.suggestion').length === 3); // cards load on their own
  const wide = await phone.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `suggestions at phone size: the page is ${wide}px wide`);
  await shot(phone.page, 'suggestions-phone');
  phone.assertNoThirdPartyRequests();
  await phone.context.close();
});

test('every screen at desktop size, then at phone size (nothing wider than the screen), without third-party requests',
  { timeout: 180000 }, async () => {
    assert.ok(xssConversation, 'the hostile question\'s conversation');
    await everyScreen(owner.page, 'desktop', xssConversation);
    owner.assertNoThirdPartyRequests();

    const phone = await dashboardPage(PHONE);
    await phone.page.goto(stack.baseUrl + '/app/');
    await heading(phone.page, 'Sign in to your workspace').waitFor();
    await shot(phone.page, 'phone-00-signin');
    await signIn(phone.page, false);
    // the navigation is behind the menu button at phone size
    const menu = phone.page.getByRole('button', { name: 'Menu' });
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    await phone.page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Gap inbox' }).click();
    await heading(phone.page, 'Gap inbox').waitFor();
    await everyScreen(phone.page, 'phone', xssConversation);
    phone.assertNoThirdPartyRequests();

    // signing out ends the session: the dashboard asks to sign in again
    await phone.page.getByRole('button', { name: 'Sign out' }).click();
    await heading(phone.page, 'Sign in to your workspace').waitFor();
    assert.equal((await phone.page.evaluate(() => fetch('/app/api/session').then((r) => r.status))), 401);
  });
