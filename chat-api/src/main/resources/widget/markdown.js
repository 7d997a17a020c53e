// ── answers as rich text: a small Markdown subset, built as DOM nodes from text only ──
// Nothing of an answer is ever parsed as HTML: every piece goes in through textContent or a text
// node, so a <script> or an <img onerror> in an answer is shown as the literal text it is. Links
// only to http:, https: and mailto: URLs; any other link stays text as written.
const safeHref = (url) => {
  try {
    const u = new URL(url);
    return /^(https?|mailto):$/.test(u.protocol) ? u.href : null;
  } catch (e) { return null; } // relative or malformed: not a link
};
const link = (href, text) => {
  const a = h('a', null, text);
  a.href = href; a.target = '_blank'; a.rel = 'noopener noreferrer';
  return a;
};
// `code`, **bold**, *italic*, [text](url), a bare http(s) URL (less the punctuation after it)
const INLINE = /`([^`\n]+)`|\*\*(.+?)\*\*|\*([^*\s](?:[^*]*[^*\s])?)\*|\[([^\]\n]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>()]*[^\s<>().,;:!?'"])/g;
const inline = (parent, text) => {
  const re = new RegExp(INLINE.source, 'g'); // one per call: bold and italic recurse
  let at = 0;
  for (let m; (m = re.exec(text));) {
    if (m.index > at) parent.append(text.slice(at, m.index));
    const href = m[4] != null ? safeHref(m[5]) : m[6] && safeHref(m[6]);
    if (m[1] != null) parent.append(h('code', null, m[1]));
    else if (m[2] != null) inline(parent.appendChild(h('strong')), m[2]);
    else if (m[3] != null) inline(parent.appendChild(h('em')), m[3]);
    else if (href) parent.append(link(href, m[4] != null ? m[4] : m[6]));
    else parent.append(m[0]);
    at = re.lastIndex;
  }
  if (at < text.length) parent.append(text.slice(at));
};
// paragraphs (a blank line apart; a single line break stays one), "- " and "1. " lists, and
// "# " headings shown as a bold line
const renderMarkdown = (text) => {
  const root = h('div', 'md');
  let para = null;
  let list = null;
  String(text || '').replace(/\r\n?/g, '\n').split('\n').forEach((line) => {
    const item = /^\s*(?:[-*+]|(\d{1,9})[.)])\s+(.*)$/.exec(line);
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (item) {
      const tag = item[1] ? 'ol' : 'ul';
      if (!list || list.localName !== tag) {
        list = root.appendChild(h(tag));
        if (item[1] && item[1] !== '1') list.start = Number(item[1]);
      }
      para = null;
      inline(list.appendChild(h('li')), item[2]);
    } else if (!line.trim() || heading) {
      para = list = null;
      if (heading) inline(root.appendChild(h('p')).appendChild(h('strong')), heading[1]);
    } else {
      if (para) para.append(h('br'));
      else { list = null; para = root.appendChild(h('p')); }
      inline(para, line);
    }
  });
  return root;
};
// the Q&A pairs an answer came from, as one small line of their questions (text only)
const sourcesOf = (citations) => {
  const titles = (Array.isArray(citations) ? citations : []).map((c) => c && c.title).filter((t) => typeof t === 'string' && t);
  if (!titles.length) return null;
  const line = h('div', 'src', 'Sources: ' + titles.join(' · '));
  line.setAttribute('aria-label', 'Sources: ' + titles.join(', '));
  return line;
};
