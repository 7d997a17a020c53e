// The widget's answer streamed from an LLM, in Chromium: a chat-api whose deployment-wide
// OpenAI-compatible provider (OPENAI_BASE_URL, OPENAI_API_KEY) is this test's own fake
// (fake-openai.mjs), which writes its answer a word at a time, CHUNK_DELAY_MS apart. The demo pairs
// are embedded (stack.up): chat-api keeps an LLM answer only when it cites an entry it was given.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as stack from './stack.mjs';
import { close as closeBrowser, launch, stored, visitor, WS } from './browser.mjs';
import { startFakeOpenAi } from './fake-openai.mjs';

// One piece is markup: the bubble must show it as text. The last cites the first entry of the
// knowledge base and ends with a line break, neither of which the stored reply has (chat-api
// removes the marker and strips the LLM's text): the bubble shows the reply only once the final
// "message" event has replaced the deltas, and the turn is stored by then.
const CHUNKS = ['Brightdesk', ' writes', ' this', ' answer', ' <b>word</b>', ' by', ' word,', ' as', ' it', ' comes', ' [1].\n'];
const CHUNK_DELAY_MS = 300;
const STREAMED = CHUNKS.join('');
const ANSWER = STREAMED.replace(' [1]', '').trim();
const API_KEY = 'sk-e2e-streaming-fake-key';
const QUESTION = 'How much does Brightdesk cost?';

let llm;

before(async () => {
  llm = await startFakeOpenAi({ chunks: CHUNKS, delayMs: CHUNK_DELAY_MS });
  await stack.up({ llm: { baseUrl: llm.baseUrl, apiKey: API_KEY } });
  await launch();
});

after(async () => {
  await closeBrowser();
  await llm?.close();
  await stack.down();
});

test('an LLM answer streams into its bubble as text, a part before the whole; one turn is stored',
  { timeout: 60000 }, async () => {
    const w = await visitor();
    const { page } = w;
    await page.goto(stack.baseUrl + '/');
    await w.bubble.click();
    await w.dialog.waitFor();
    await w.input.fill(QUESTION);
    const sent = Date.now();
    await w.input.press('Enter');

    // the answer's bubble, Clara's second (after the welcome): it appears with the first delta
    const answer = await page.locator('clara-widget .msg.bot').nth(1).elementHandle();
    const partial = await (await page.waitForFunction(([el, reply]) => {
      const text = el.lastChild.textContent;
      return text && text !== reply ? text : null;
    }, [answer, ANSWER], { polling: 50 })).jsonValue();
    await w.shot('desktop-11-streaming');
    const pieces = CHUNKS.findIndex((_, i) => CHUNKS.slice(0, i + 1).join('') === partial) + 1;
    assert.ok(pieces >= 1 && pieces < CHUNKS.length, `a part of the answer, in whole pieces, is shown first: "${partial}"`);
    assert.equal(await page.locator('clara-widget .typing').count(), 0, 'the first delta replaced the typing indicator');

    await page.waitForFunction(([el, reply]) => el.lastChild.textContent === reply, [answer, ANSWER], { polling: 50 });
    const took = Date.now() - sent;
    assert.ok(took >= CHUNKS.length * CHUNK_DELAY_MS, `the whole answer came as the LLM wrote it (${took} ms)`);
    assert.equal(await answer.evaluate((el) => el.querySelector('b')), null, 'the markup in the answer is text');
    // the entry it cited, by its question, under the answer
    assert.equal(await page.locator('clara-widget .src').textContent(), `Sources: ${QUESTION}`);
    assert.deepEqual((await w.messages()).slice(1), [{ role: 'user', text: QUESTION }, { role: 'assistant', text: ANSWER }]);

    // the provider was asked once, as a stream, with the deployment's key
    assert.equal(llm.requests.length, 1);
    const [asked] = llm.requests;
    assert.equal(asked.authorization, `Bearer ${API_KEY}`);
    assert.equal(asked.body.stream, true);
    assert.equal(asked.body.messages.at(-1).content, QUESTION);

    // one turn stored, as the history endpoint gives it to the widget after a reload
    const token = await w.token();
    const history = await fetch(`${stack.baseUrl}/api/chat/messages?workspace_id=${WS}`,
      { headers: { 'X-Clara-Session-Token': token } });
    assert.equal(history.status, 200);
    assert.deepEqual((await history.json()).messages.map((m) => [m.role, m.content]),
      [['user', QUESTION], ['assistant', ANSWER]]);
    assert.equal(stored(token).length, 2);
    w.assertNoThirdPartyRequests();
    await w.context.close();
  });
