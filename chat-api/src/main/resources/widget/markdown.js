// ── answers as rich text: a little Markdown, as DOM built from text only (never parsed as HTML,
// so <script> in an answer is text); links only to http:, https: and mailto: ──
const safeHref = (url) => {
  try { const u = new URL(url); return /^(https?|mailto):$/.test(u.protocol) ? u.href : null; } catch (e) { return null; }
};
// `code`, **bold**, *italic*, [text](url)
const INLINE = /`([^`\n]+)`|\*\*(.+?)\*\*|\*([^*\s](?:[^*]*[^*\s])?)\*|\[([^\]\n]+)\]\(([^)\s]+)\)/g;
const inline = (el, text) => {
  const re = new RegExp(INLINE.source, 'g'); // one per call: it recurses
  let at = 0;
  for (let m, a; (m = re.exec(text)); at = re.lastIndex) {
    el.append(text.slice(at, m.index));
    const href = m[5] && safeHref(m[5]);
    if (m[1]) el.append(h('code', null, m[1]));
    else if (m[2] || m[3]) inline(el.appendChild(h(m[2] ? 'strong' : 'em')), m[2] || m[3]);
    else if (href) {
      el.append(a = h('a', null, m[4]));
      a.href = href; a.target = '_blank'; a.rel = 'noopener noreferrer';
    } else el.append(m[0]);
  }
  el.append(text.slice(at));
};
// paragraphs (a blank line apart), "- " and "1. " lists
const renderMarkdown = (text) => {
  const root = h('div', 'md');
  let p, list;
  String(text || '').split(/\r?\n/).forEach((line) => {
    const item = /^\s*(?:[-*+]|(\d+)[.)])\s+(.*)/.exec(line);
    if (item) {
      const tag = item[1] ? 'ol' : 'ul';
      if (!list || list.localName !== tag) (list = root.appendChild(h(tag))).start = +item[1] || 1;
      p = null;
      inline(list.appendChild(h('li')), item[2]);
    } else if (!line.trim()) p = list = null;
    else {
      if (p) p.append(h('br'));
      else { list = null; p = root.appendChild(h('p')); }
      inline(p, line);
    }
  });
  return root;
};
// the pairs an answer came from: one small line of their questions
const sourcesOf = (c) => {
  const t = (Array.isArray(c) ? c : []).map((x) => x && x.title).filter((x) => typeof x === 'string' && x);
  return t.length ? h('div', 'src', 'Sources: ' + t.join(' · ')) : null;
};
