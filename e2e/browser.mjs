// The browser side of the e2e tests: Debian's headless Chromium (never a browser of a test tool's
// own) driven by playwright-core, a visitor per browser context, and what the database stored.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import * as stack from './stack.mjs';

const CHROMIUM = process.env.CLARA_E2E_CHROMIUM || '/usr/bin/chromium';
export const SHOTS = path.join(stack.TARGET, 'screenshots');
export const WS = stack.DEMO_WORKSPACE;
export const DESKTOP = { viewport: { width: 1280, height: 800 } };
export const PHONE = { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A string for an SQL literal. */
export const q = (s) => s.replace(/'/g, "''");
export const answerTo = (question) =>
  stack.sql(`SELECT answer FROM qa_pairs WHERE workspace_id = '${WS}' AND question = '${q(question)}'`);

let browser;

export async function launch() {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM, // Debian's; playwright-core never downloads one (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1)
    headless: true,
    // launch() gives every run a fresh temporary user-data-dir of its own
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  console.log(`# chromium ${browser.version()} from ${CHROMIUM}`);
  return browser;
}

export async function close() {
  await browser?.close();
}

/** A new browser context (its own sessionStorage): a new visitor. Records every request it makes. */
export async function visitor(options = DESKTOP) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const requests = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  const w = {
    context, page, requests, errors,
    bubble: page.getByRole('button', { name: /chat with Clara$/ }),
    dialog: page.getByRole('dialog', { name: 'Clara' }),
    input: page.getByRole('textbox', { name: 'Message Clara' }),
    log: page.getByRole('log', { name: 'Conversation with Clara' }),
    /** The conversation as shown: role and text of every bubble, without the screen-reader prefix. */
    messages: () => page.evaluate(() => [...document.querySelector('clara-widget').shadowRoot.querySelectorAll('.msg')]
      .map((m) => ({ role: m.classList.contains('user') ? 'user' : 'assistant', text: m.lastChild.textContent }))),
    botCount: async (n) => page.waitForFunction((count) => document.querySelector('clara-widget')
      .shadowRoot.querySelectorAll('.msg.bot').length >= count, n),
    lastAnswer: async () => (await w.messages()).filter((m) => m.role === 'assistant').pop().text,
    ask: async (text) => {
      const answers = (await w.messages()).filter((m) => m.role === 'assistant').length;
      await w.input.fill(text);
      await w.input.press('Enter');
      await w.botCount(answers + 1);
      return w.lastAnswer();
    },
    token: () => page.evaluate((ws) => sessionStorage.getItem(`clara:${ws}:session`), WS),
    focused: () => page.evaluate(() => {
      const a = document.activeElement;
      const inner = a && a.shadowRoot ? a.shadowRoot.activeElement : null;
      return a?.tagName === 'CLARA-WIDGET' && inner ? (inner.id || inner.className) : a?.tagName;
    }),
    shot: (name) => page.screenshot({ path: path.join(SHOTS, name + '.png') }),
    /** Only the Clara server (and the host page's own origin) was asked for anything. */
    assertNoThirdPartyRequests: (...origins) => {
      const allowed = new Set([stack.baseUrl, ...origins]);
      const foreign = requests.filter((u) => !u.startsWith('data:') && !allowed.has(new URL(u).origin));
      assert.deepEqual(foreign, [], 'requests to third parties');
      assert.deepEqual(errors, [], 'uncaught page errors');
    },
  };
  return w;
}

/** Stored messages of one widget session, oldest first. */
export function stored(token) {
  const rows = stack.sql(`SELECT m.role || '|' || m.message_id || '|' || m.content FROM conversations c
      JOIN messages m ON m.conversation_id = c.id AND m.workspace_id = c.workspace_id
      WHERE c.workspace_id = '${WS}' AND c.session_token = '${q(token)}' ORDER BY m.created_at, m.role DESC`);
  return rows ? rows.split('\n').map((r) => { const [role, id, ...c] = r.split('|'); return { role, id, content: c.join('|') }; }) : [];
}
