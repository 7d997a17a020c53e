// Signed-in visitors end to end: a site's server signs its user's id with the workspace's identity
// secret (HMAC-SHA256, hex) and puts it on the widget's script tag. The same user on two devices
// (two browser contexts, each its own sessionStorage) sees one history: the second device opens on
// the conversation the first one had. A forged hash is refused and stores nothing. Identity
// travels in the body and in headers, never in a URL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import * as stack from './stack.mjs';
import { close as closeBrowser, DESKTOP, launch, PHONE, q, stored, visitor, WS } from './browser.mjs';

const HOST_PORT = Number(process.env.CLARA_E2E_IDENTITY_PAGE_PORT || 18191);
const HOST_ORIGIN = `http://localhost:${HOST_PORT}`;
const QUESTION = 'How much does Brightdesk cost?';
let secret;
let hostPages;

const hmac = (id) => createHmac('sha256', secret).update(id).digest('hex');

// the site's page for a signed-in user: /u/<id> signs honestly, /forged/<id> with another user's hash
const hostPage = (id, hash) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>My account</title></head>
<body><h1>Signed in as ${id}</h1>
<script src="${stack.baseUrl}/widget.js" data-workspace="${WS}" data-user-id="${id}" data-user-hash="${hash}"
 data-user-name="Ann" async></script></body></html>`;

before(async () => {
  hostPages = createServer((req, res) => {
    const [, kind, id] = req.url.split('/');
    if (!id) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(hostPage(id, kind === 'forged' ? hmac(id + '-someone-else') : hmac(id)));
  });
  await new Promise((resolve) => hostPages.listen(HOST_PORT, '127.0.0.1', resolve));
  await stack.up();
  // identity secrets are kept encrypted under the deployment's master keys
  await stack.stopChatApi();
  await stack.startChatApi({ CLARA_MASTER_KEYS: 'e2e:' + randomBytes(32).toString('base64'), CLARA_MASTER_KEY_ID: 'e2e' });
  const signin = await fetch(`${stack.baseUrl}/api/owner/auth/signin`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'demo@clara.local', password: 'clara-demo' }),
  });
  assert.equal(signin.status, 200, await signin.clone().text());
  const created = await fetch(`${stack.baseUrl}/api/owner/workspace/identity-secrets`, {
    method: 'POST', headers: { Authorization: `Bearer ${(await signin.json()).access_token}` },
  });
  assert.equal(created.status, 201, await created.clone().text());
  secret = (await created.json()).secret;
  await launch();
});

after(async () => {
  await closeBrowser();
  hostPages?.close();
  await stack.down();
});

const open = async (w, url) => {
  await w.page.goto(url);
  await w.bubble.click();
  await w.dialog.waitFor();
};

test('the same signed-in user on a laptop and a phone sees one history; the identity never goes into a URL', async () => {
  const id = 'user-' + randomBytes(4).toString('hex');
  const laptop = await visitor(DESKTOP);
  await open(laptop, `${HOST_ORIGIN}/u/${id}`);
  const answer = await laptop.ask(QUESTION);
  assert.match(answer, /Brightdesk/i);

  const phone = await visitor(PHONE);
  await open(phone, `${HOST_ORIGIN}/u/${id}`);
  // the phone opens on the laptop's conversation, without a question asked on it
  await phone.page.waitForFunction((question) => [...document.querySelector('clara-widget').shadowRoot
    .querySelectorAll('.msg.user')].some((m) => m.textContent.includes(question)), QUESTION);
  const follow = await phone.ask('Is there a free trial?');
  assert.ok(follow.length > 0);
  await phone.shot('identity-phone-history');

  const conversations = Number(stack.sql(`SELECT count(DISTINCT c.id) FROM conversations c JOIN end_users e
      ON e.id = c.end_user_id WHERE e.workspace_id = '${WS}' AND e.external_id = '${q(id)}'`));
  const messages = Number(stack.sql(`SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
      JOIN end_users e ON e.id = c.end_user_id WHERE e.external_id = '${q(id)}'`));
  assert.equal(conversations, 1, 'one conversation for the user across both devices');
  assert.equal(messages, 4);
  assert.equal(stack.sql(`SELECT name FROM end_users WHERE workspace_id = '${WS}' AND external_id = '${q(id)}'`), 'Ann');
  for (const w of [laptop, phone]) {
    const toClara = w.requests.filter((u) => u.startsWith(stack.baseUrl));
    assert.ok(toClara.some((u) => u.includes('/api/chat/conversations')), 'the widget asked for the user\'s conversations');
    assert.deepEqual(toClara.filter((u) => u.includes(hmac(id)) || u.includes(id)), [], 'identity in a URL');
    w.assertNoThirdPartyRequests(HOST_ORIGIN);
    await w.context.close();
  }
});

test('a forged hash is refused: the widget says so and nothing is stored', async () => {
  const id = 'user-' + randomBytes(4).toString('hex');
  const mallory = await visitor(DESKTOP);
  await open(mallory, `${HOST_ORIGIN}/forged/${id}`);
  await mallory.input.fill(QUESTION);
  await mallory.input.press('Enter');
  await mallory.page.waitForFunction(() => document.querySelector('clara-widget').shadowRoot.querySelector('.err'));

  const token = await mallory.page.evaluate((key) => sessionStorage.getItem(key), `clara:${WS}:u:${id}:session`);
  assert.ok(token, 'the widget made a session for the claimed user');
  assert.deepEqual(stored(token), [], 'nothing stored for the refused message');
  assert.equal(Number(stack.sql(`SELECT count(*) FROM end_users WHERE workspace_id = '${WS}' AND external_id = '${q(id)}'`)), 0);
  await mallory.context.close();
});
