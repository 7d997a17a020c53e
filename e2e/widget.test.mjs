// Clara's widget end to end: Debian's headless Chromium (never a browser of a test tool's own),
// driven by playwright-core (browser.mjs), against a real chat-api whose demo Q&A pairs were
// embedded by the real embedding worker (stack.mjs). Screenshots go to e2e/target/screenshots/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as stack from './stack.mjs';
import { answerTo, close as closeBrowser, DESKTOP, launch, PHONE, SHOTS, sleep, stored, visitor, WS } from './browser.mjs';

const HOST_PORT = Number(process.env.CLARA_E2E_HOST_PAGE_PORT || 18190);
const HOST_ORIGIN = `http://localhost:${HOST_PORT}`; // another origin than the API's http://127.0.0.1:18180
const BOOKING_URL = 'https://cal.example.com/brightdesk/demo-call';

let hostPages;

// ── a site of someone else's that embeds the widget: a clean one and one with hostile CSS ──
const HOSTILE_CSS = `
* { font-family: "Courier New", monospace !important; font-size: 26px !important; line-height: 3 !important;
    color: #ff00ff !important; background: #ffff00 !important; border: 3px dashed #ff0000 !important;
    padding: 14px !important; margin: 9px !important; letter-spacing: 3px !important; text-transform: uppercase !important;
    box-sizing: content-box !important; border-radius: 0 !important; box-shadow: 0 0 0 6px #00ffff !important;
    text-align: right !important; text-decoration: line-through !important; font-weight: 900 !important;
    cursor: crosshair !important; outline: 4px solid lime !important; white-space: nowrap !important; }
div, section, header, form, button, textarea, a, span, p, h2, b, i, svg, img { display: block !important;
    position: static !important; float: left !important; width: 50% !important; height: 40px !important;
    min-height: 0 !important; max-height: none !important; z-index: 0 !important; visibility: visible !important; }
[hidden] { display: block !important; }
button:hover, button:focus { transform: rotate(3deg) !important; }
:root { --primary: #ff0000; --ink: #00ff00; --bubble: #ff0000; }
`;
const hostPage = (css) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>A shop</title><style>${css}</style></head>
<body><h1>Someone else's shop</h1><p>Its own styles, its own scripts; the widget must look the same.</p>
<script src="${stack.baseUrl}/widget.js" data-workspace="${WS}" async></script></body></html>`;

before(async () => {
  rmSync(SHOTS, { recursive: true, force: true });
  hostPages = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(hostPage(req.url.startsWith('/hostile') ? HOSTILE_CSS : ''));
  });
  await new Promise((resolve) => hostPages.listen(HOST_PORT, '127.0.0.1', resolve));
  await stack.up();
  await launch();
});

after(async () => {
  await closeBrowser();
  hostPages?.close();
  await stack.down();
});

test('widget.js is small and served with a short cache lifetime and an ETag', async () => {
  const res = await fetch(`${stack.baseUrl}/widget.js`);
  const body = Buffer.from(await res.arrayBuffer());
  const gzip = gzipSync(body, { level: 9 }).length;
  console.log(`# widget.js: ${body.length} bytes raw, ${gzip} bytes gzip -9`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /javascript/);
  assert.match(res.headers.get('cache-control'), /max-age=300/);
  assert.ok(body.length < 32 * 1024, `widget.js is ${body.length} bytes`);
  // 12 KB since the widget streams, renders safe rich text, shows sources and takes feedback
  // (10.7 KB then); it loads on every page view of every site that embeds it
  assert.ok(gzip < 12 * 1024, `widget.js is ${gzip} bytes gzipped`);
  // a compressed response's ETag is a weak one (W/"…"); If-None-Match compares weakly
  const etag = res.headers.get('etag');
  assert.match(etag ?? '', /^(W\/)?"[0-9a-f]{32}"$/);
  const again = await fetch(`${stack.baseUrl}/widget.js`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
});

test('demo page: a question in other words gets the matching answer with chips; a chip asks its question; '
  + 'asking for a human offers the booking link; a reload restores the conversation; a new visitor starts afresh',
{ timeout: 180000 }, async () => {
  const w = await visitor();
  const { page } = w;
  await page.goto(stack.baseUrl + '/');
  await w.bubble.waitFor();
  await w.shot('desktop-1-demo-page');
  assert.equal(await w.dialog.isVisible(), false);

  await w.bubble.click();
  await w.dialog.waitFor();
  assert.equal(await w.bubble.getAttribute('aria-expanded'), 'true');
  const settings = await (await fetch(`${stack.baseUrl}/api/widget/${WS}/settings`)).json();
  assert.deepEqual(await w.messages(), [{ role: 'assistant', text: settings.welcome_message }]);
  const suggestions = page.getByRole('group', { name: 'Suggested messages' }).getByRole('button');
  assert.deepEqual(await suggestions.allInnerTexts(), settings.suggested_messages);
  assert.equal(await page.getByText('Powered by Clara').isVisible(), true);
  await sleep(300); // the panel's opening animation
  await w.shot('desktop-2-open');

  // the typing indicator shows while Clara answers (the answer is held back a moment to see it)
  await page.route('**/api/chat', async (route) => { await sleep(1500); await route.continue(); }, { times: 1 });
  await w.input.fill("What's the price of Brightdesk?");
  await w.input.press('Enter');
  await page.locator('clara-widget .typing').waitFor({ state: 'visible' });
  await w.shot('desktop-3-typing');
  await w.botCount(2);
  assert.equal(await w.lastAnswer(), answerTo('How much does Brightdesk cost?'));
  assert.equal(await page.locator('clara-widget .typing').count(), 0);
  assert.equal(await suggestions.count(), 0, 'the suggested messages give way to the conversation');
  const chips = page.getByRole('group', { name: 'Suggested questions' }).last().getByRole('button');
  const chipTexts = await chips.allInnerTexts();
  assert.ok(chipTexts.length >= 1, 'chips under the answer');

  await chips.first().click();
  await w.botCount(3);
  assert.equal(await w.lastAnswer(), answerTo(chipTexts[0]), `the answer to the chip "${chipTexts[0]}"`);

  await w.ask('Can I talk to a real person?');
  const booking = page.getByRole('link', { name: /Book a call/ });
  await booking.waitFor();
  assert.equal(await booking.getAttribute('href'), BOOKING_URL);
  assert.equal(await booking.getAttribute('target'), '_blank');
  assert.match(await booking.getAttribute('rel'), /noopener/);
  await sleep(200);
  await w.shot('desktop-4-conversation');

  const before = await w.messages();
  assert.deepEqual(before.map((m) => m.role), ['assistant', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
  const token = await w.token();
  assert.match(token, /^[\x21-\x7e]{32,128}$/);
  assert.deepEqual(stored(token).map((m) => m.content), before.slice(1).map((m) => m.text));

  await page.reload();
  await w.dialog.waitFor(); // it was open: it opens again
  await w.botCount(4);
  assert.deepEqual(await w.messages(), before, 'the conversation after a reload');
  assert.equal(await page.getByRole('link', { name: /Book a call/ }).getAttribute('href'), BOOKING_URL);
  assert.equal(await page.getByRole('group', { name: 'Suggested questions' }).count(), 3);
  assert.equal(await w.token(), token);
  await w.shot('desktop-5-after-reload');
  w.assertNoThirdPartyRequests();

  const other = await visitor();
  await other.page.goto(stack.baseUrl + '/');
  await other.bubble.click();
  await other.dialog.waitFor();
  await sleep(300);
  assert.deepEqual(await other.messages(), [{ role: 'assistant', text: settings.welcome_message }]);
  assert.equal(await other.token(), null, 'no session until the visitor writes');
  await other.context.close();
  await w.context.close();
});

test('flaky network: the answer is lost after the server stored the turn; retry reuses the message_id and '
  + 'exactly one turn is stored', { timeout: 120000 }, async () => {
  const w = await visitor();
  const { page } = w;
  const sent = [];
  await page.route('**/api/chat', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    sent.push(route.request().postDataJSON());
    if (sent.length === 1) {
      await route.fetch(); // reaches the server, which answers and stores the turn...
      return route.abort('connectionreset'); // ...but the answer never reaches the browser
    }
    return route.continue();
  });
  await page.goto(stack.baseUrl + '/');
  await w.bubble.click();
  await w.input.fill('Is my data safe with you?');
  await w.input.press('Enter');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /could not be reached/);
  await w.shot('desktop-6-network-error');
  const token = await w.token();
  assert.equal(stored(token).length, 2, 'the server had stored the turn');

  await page.getByRole('button', { name: 'Retry sending your message' }).click();
  await w.botCount(2);
  assert.equal(await w.lastAnswer(), answerTo('Is my data secure?'));
  assert.equal(await alert.count(), 0);
  assert.equal(sent.length, 2);
  assert.equal(sent[1].message_id, sent[0].message_id, 'the retry reuses the message_id');
  assert.equal(sent[1].content, sent[0].content);
  const turns = stored(token);
  assert.deepEqual(turns.map((m) => m.role), ['user', 'assistant'], 'exactly one stored turn');
  assert.equal(turns[0].id, sent[0].message_id);
  assert.equal(stack.sql(`SELECT count(*) FROM outbox_events WHERE workspace_id = '${WS}'
      AND event_type = 'QuestionAsked' AND payload -> 'payload' ->> 'message_id' = '${sent[0].message_id}'`), '1');
  w.assertNoThirdPartyRequests();
  await w.context.close();
});

test('too many messages: the 429 is explained politely, with a retry that waits for Retry-After',
  { timeout: 120000 }, async () => {
    const w = await visitor();
    const { page } = w;
    await page.goto(stack.baseUrl + '/');
    await w.bubble.click();
    await w.ask('How much is Brightdesk?');
    const token = await w.token();
    let limited = false;
    for (let attempt = 0; attempt < 3 && !limited; attempt++) {
      // spend the session's budget the way a script would, then write from the widget
      const statuses = await page.evaluate(async ({ ws, tok, budget }) => {
        const seen = [];
        for (let i = 0; i <= budget + 1; i++) {
          const res = await fetch('/api/chat', { method: 'POST', headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ workspace_id: ws, session_token: tok, message_id: crypto.randomUUID(), content: 'hello ' + i }) });
          seen.push(res.status);
          if (res.status === 429) break;
        }
        return seen;
      }, { ws: WS, tok: token, budget: stack.SESSION_BUDGET });
      assert.equal(statuses.at(-1), 429, `statuses ${statuses}`);
      const answers = (await w.messages()).filter((m) => m.role === 'assistant').length;
      await w.input.fill('Is there a free trial available?');
      await w.input.press('Enter');
      const outcome = await Promise.race([
        page.getByRole('alert').waitFor().then(() => 'alert', () => 'none'),
        w.botCount(answers + 1).then(() => 'answer', () => 'none'),
      ]);
      limited = outcome === 'alert'; // 'answer': a new rate window began in between; spend it again
    }
    assert.ok(limited, 'the widget met the rate limit');
    const alert = page.getByRole('alert');
    assert.match(await alert.innerText(), /a little fast\. Please wait a moment, then try again\./);
    const retry = page.getByRole('button', { name: 'Retry sending your message' });
    assert.match(await retry.innerText(), /^Retry in \d+ s$/);
    assert.equal(await retry.isDisabled(), true);
    await w.shot('desktop-7-rate-limited');
    assert.equal(stored(token).filter((m) => m.content === 'Is there a free trial available?').length, 0);
    w.assertNoThirdPartyRequests();
    await w.context.close();
  });

test('another site embeds the widget: CORS works, and its hostile CSS does not change the widget',
  { timeout: 120000 }, async () => {
    const signature = async (w) => w.page.evaluate(() => {
      const props = ['color', 'backgroundColor', 'fontFamily', 'fontSize', 'fontWeight', 'lineHeight', 'letterSpacing',
        'textTransform', 'textAlign', 'textDecorationLine', 'whiteSpace', 'padding', 'margin', 'borderTopWidth',
        'borderTopStyle', 'borderTopColor', 'borderRadius', 'boxShadow', 'boxSizing', 'display', 'position', 'cursor',
        'outlineStyle', 'zIndex', 'visibility'];
      return [...document.querySelector('clara-widget').shadowRoot.querySelectorAll('*')].map((el) => {
        const cs = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return [el.tagName, el.getAttribute('class'), Math.round(r.width), Math.round(r.height),
          ...props.map((p) => cs[p])].join(' | ');
      });
    });
    const open = async (pathname) => {
      const w = await visitor({ ...DESKTOP, reducedMotion: 'reduce' });
      await w.page.goto(HOST_ORIGIN + pathname);
      await w.bubble.click();
      await w.dialog.waitFor();
      return w;
    };
    const clean = await open('/clean');
    const hostile = await open('/hostile');
    const bodyFont = await hostile.page.evaluate(() => getComputedStyle(document.body).fontFamily);
    assert.match(bodyFont, /Courier New/, 'the hostile CSS is in force on its page');

    assert.deepEqual(await signature(hostile), await signature(clean), 'the widget on the hostile page');
    for (const w of [clean, hostile]) {
      assert.equal(await w.ask("What's the price of Brightdesk?"), answerTo('How much does Brightdesk cost?'));
    }
    assert.deepEqual(await signature(hostile), await signature(clean), 'the conversation on the hostile page');
    await hostile.shot('desktop-8-hostile-css');
    for (const w of [clean, hostile]) {
      w.assertNoThirdPartyRequests(HOST_ORIGIN);
      await w.context.close();
    }
  });

test('another site: a reload there restores the conversation too', { timeout: 120000 }, async () => {
  const w = await visitor();
  await w.page.goto(HOST_ORIGIN + '/clean');
  await w.bubble.click();
  await w.ask('Is there a free trial available?');
  const before = await w.messages();
  await w.page.reload();
  await w.dialog.waitFor();
  await w.botCount(2).catch(() => {});
  try {
    assert.deepEqual(await w.messages(), before);
  } finally {
    await w.context.close();
  }
});

test('keyboard and screen reader: Tab to the bubble, Enter opens with focus in the message box, Enter sends, '
  + 'Shift+Tab reaches a chip, Escape closes and focus returns to the bubble', { timeout: 120000 }, async () => {
  const w = await visitor();
  const { page } = w;
  await page.goto(stack.baseUrl + '/');
  await w.bubble.waitFor();
  let tabs = 0;
  while ((await w.focused()) !== 'bubble' && tabs++ < 40) await page.keyboard.press('Tab');
  assert.equal(await w.focused(), 'bubble', 'Tab reaches the bubble');
  await page.keyboard.press('Enter');
  await w.dialog.waitFor();
  assert.equal(await w.focused(), 'clara-input', 'focus moves into the message box');
  assert.equal(await w.log.getAttribute('aria-live'), 'polite');
  assert.equal(await page.getByRole('button', { name: 'Send message' }).isDisabled(), true, 'nothing to send yet');
  await page.getByRole('button', { name: 'Close chat', exact: true }).waitFor();

  await page.keyboard.type('Do you offer refunds?');
  await page.keyboard.press('Enter');
  await w.botCount(2);
  assert.equal(await w.lastAnswer(), answerTo('What is your refund policy?'));
  assert.equal(await w.focused(), 'clara-input', 'focus stays in the message box');
  const chips = await page.getByRole('group', { name: 'Suggested questions' }).getByRole('button').allInnerTexts();
  await page.keyboard.press('Shift+Tab');
  assert.equal(await w.focused(), 'chip');
  await w.shot('desktop-9-keyboard');
  await page.keyboard.press('Enter');
  await w.botCount(3);
  assert.equal(await w.lastAnswer(), answerTo(chips.at(-1)));

  await w.input.focus();
  await page.keyboard.press('Escape');
  assert.equal(await w.dialog.isVisible(), false, 'Escape closes');
  assert.equal(await w.focused(), 'bubble', 'focus returns to the bubble');
  assert.equal(await w.bubble.getAttribute('aria-expanded'), 'false');
  await page.keyboard.press('Enter');
  await w.dialog.waitFor();
  assert.equal((await w.messages()).length, 5, 'the conversation is still there');
  w.assertNoThirdPartyRequests();
  await w.context.close();
});

test('phone-sized viewport (375×667): the panel fills the screen and nothing overflows', { timeout: 120000 }, async () => {
  const w = await visitor(PHONE);
  const { page } = w;
  await page.goto(stack.baseUrl + '/');
  await w.bubble.waitFor();
  const bubbleBox = await w.bubble.boundingBox();
  assert.ok(bubbleBox.x + bubbleBox.width <= 375 && bubbleBox.y + bubbleBox.height <= 667, 'bubble on screen');
  await w.shot('phone-1-demo-page');
  await w.bubble.tap();
  await w.dialog.waitFor();
  await sleep(300);
  assert.deepEqual(await w.dialog.boundingBox(), { x: 0, y: 0, width: 375, height: 667 });
  assert.equal(await w.bubble.isVisible(), false, 'the close button in the header takes over');
  await w.shot('phone-2-open');
  await w.ask("What's the price of Brightdesk?");
  await w.ask('Can I talk to a real person?');
  await sleep(200);
  const overflow = await page.evaluate(() => {
    const root = document.querySelector('clara-widget').shadowRoot;
    const log = root.querySelector('.log');
    const wide = [...root.querySelectorAll('.msg, .chip, .book, form, header')]
      .filter((el) => el.getBoundingClientRect().right > 375.5).map((el) => el.className);
    return { scroll: log.scrollWidth - log.clientWidth, wide };
  });
  assert.deepEqual(overflow, { scroll: 0, wide: [] });
  await w.shot('phone-3-conversation');
  await page.getByRole('button', { name: 'Close chat', exact: true }).tap();
  assert.equal(await w.dialog.isVisible(), false);
  assert.equal(await w.bubble.isVisible(), true);
  w.assertNoThirdPartyRequests();
  await w.context.close();
});

test('chat API stopped: sending shows an error; once it is back, retry answers and stores the turn once',
  { timeout: 400000 }, async () => {
    const w = await visitor();
    const { page } = w;
    await page.goto(stack.baseUrl + '/');
    await w.bubble.click();
    await w.dialog.waitFor();
    await stack.stopChatApi();
    try {
      await w.input.fill('How do I cancel?');
      await w.input.press('Enter');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.innerText(), /could not be reached/);
      assert.equal(await page.locator('clara-widget .msg.user.failed').count(), 1);
      await w.shot('desktop-10-api-down');
    } finally {
      await stack.startChatApi();
    }
    await page.getByRole('button', { name: 'Retry sending your message' }).click();
    await w.botCount(2);
    assert.equal(await w.lastAnswer(), answerTo('How do I cancel my subscription?'));
    assert.equal(await page.locator('clara-widget .msg.user.failed').count(), 0);
    assert.deepEqual(stored(await w.token()).map((m) => m.role + ': ' + m.content),
      ['user: How do I cancel?', 'assistant: ' + answerTo('How do I cancel my subscription?')]);
    w.assertNoThirdPartyRequests();
    await w.context.close();
  });
