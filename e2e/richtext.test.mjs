// Answers as rich text in the widget, in Chromium: pairs whose answers are hostile (HTML, a
// javascript: link) or Markdown, asked through the widget and answered extractively. Nothing of an
// answer may run, and no element but the renderer's own (p, ul, ol, li, strong, em, code, a, br)
// may appear; the pair answered from is named under the answer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as stack from './stack.mjs';
import { close as closeBrowser, launch, visitor } from './browser.mjs';

const PAIRS = [
  { question: 'How do I attach a screenshot to a ticket?', answer: 'Like this: <img src=x onerror=window.__pwned=1> done.' },
  { question: 'Can I run my own code inside tickets?', answer: 'Try [x](javascript:window.__pwned=1) now.' },
  { question: 'Does the chat accept embedded scripts?', answer: '<script>window.__pwned=1</script>' },
  { question: 'Where is the developer documentation?', answer: '**bold** and [docs](https://example.com/docs)' },
  { question: 'Which steps does a data export take?', answer: 'Three steps:\n- Open *Settings*\n- Choose `Export`\n- Download the file' },
];
const RENDERED = new Set(['DIV', 'P', 'UL', 'OL', 'LI', 'STRONG', 'EM', 'CODE', 'A', 'BR', 'SPAN']);

before(async () => {
  await stack.up({ pairs: PAIRS });
  await launch();
});

after(async () => {
  await closeBrowser();
  await stack.down();
});

test('hostile answers show as text, Markdown as elements, each answer with its source', { timeout: 90000 }, async () => {
  const w = await visitor();
  const { page } = w;
  page.setDefaultTimeout(60000); // the first answer of a cold chat-api on a busy machine may take a while
  await page.goto(stack.baseUrl + '/');
  await w.bubble.click();
  await w.dialog.waitFor();

  const answers = [];
  for (const pair of PAIRS) { // five questions: within the session's budget of six a minute
    await w.ask(pair.question);
    answers.push(await page.evaluate(() => {
      const root = document.querySelector('clara-widget').shadowRoot;
      const bubble = [...root.querySelectorAll('.msg.bot')].pop();
      const source = bubble.nextElementSibling;
      return {
        text: bubble.lastChild.textContent,
        html: bubble.lastChild.innerHTML,
        tags: [...bubble.querySelectorAll('*')].map((el) => el.tagName),
        scriptOrImg: root.querySelectorAll('script, img:not(.avatar)').length,
        links: [...bubble.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href'), rel: a.rel, target: a.target, text: a.textContent })),
        source: source && source.classList.contains('src') ? source.textContent : null,
        pwned: window.__pwned,
      };
    }));
  }
  await w.shot('desktop-12-rich-text');
  const [img, js, script, rich, list] = answers;

  for (const [i, a] of answers.entries()) {
    assert.equal(a.pwned, undefined, `nothing of answer ${i + 1} ran`);
    assert.deepEqual(a.tags.filter((t) => !RENDERED.has(t)), [], `only the renderer's elements in answer ${i + 1}: ${a.html}`);
    assert.equal(a.scriptOrImg, 0, `no <script> or <img> from answer ${i + 1}`);
    assert.equal(a.source, `Sources: ${PAIRS[i].question}`, `answer ${i + 1} names its pair`);
  }
  assert.equal(img.text, PAIRS[0].answer, 'the <img> is shown as text');
  assert.equal(script.text, PAIRS[2].answer, 'the <script> is shown as text');
  assert.equal(js.text, PAIRS[1].answer, 'the javascript: link is shown as written');
  assert.deepEqual(js.links, [], 'the javascript: link is not a link');
  assert.deepEqual(rich.links, [{ href: 'https://example.com/docs', rel: 'noopener noreferrer', target: '_blank', text: 'docs' }]);
  assert.ok(rich.html.includes('<strong>bold</strong>'), `bold is <strong>: ${rich.html}`);
  assert.ok(list.tags.includes('UL') && list.tags.filter((t) => t === 'LI').length === 3, `the list is a list: ${list.html}`);
  assert.ok(list.html.includes('<em>Settings</em>') && list.html.includes('<code>Export</code>'), list.html);
  w.assertNoThirdPartyRequests();
  await w.context.close();
});
