// ── thumbs up / down under each answer, a comment box on "down"; POST /api/chat/feedback ──
// Self-contained (its styles are set on its own elements) and as text/plain, a "simple" CORS request.
const addFeedback = (w, m) => {
  if (!m || typeof m.message_id !== 'string') return;
  const bar = h('div', 'rate');
  bar.setAttribute('role', 'group');
  bar.setAttribute('aria-label', 'Was this answer helpful?');
  bar.style.cssText = 'align-self:flex-start;display:flex;flex-wrap:wrap;gap:6px;margin-top:-4px;font-size:13px;color:#6b7280';
  const status = h('span', null);
  status.setAttribute('role', 'status');
  const btn = (cls, text, label) => {
    const b = h('button', cls, text);
    b.type = 'button';
    if (label) b.setAttribute('aria-label', label);
    b.style.cssText = 'border:1px solid #d1d5db;border-radius:999px;background:#fff;padding:2px 10px';
    return b;
  };
  const up = btn('rate-up', '\u{1F44D}', 'Helpful');
  const down = btn('rate-down', '\u{1F44E}', 'Not helpful');
  [up, down].forEach((b) => b.setAttribute('aria-pressed', 'false'));
  let box = null;
  const send = async (rating, comment) => {
    const ok = await fetch(API + '/api/chat/feedback', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      credentials: 'omit',
      body: JSON.stringify({ workspace_id: WS, session_token: token(), message_id: m.message_id, rating, comment,
        user: USER || undefined }),
    }).then((r) => r.ok, () => false);
    if (ok) {
      up.setAttribute('aria-pressed', String(rating === 'up'));
      down.setAttribute('aria-pressed', String(rating === 'down'));
      if (box) { box.remove(); box = null; }
    }
    status.textContent = ok ? 'Thanks for your feedback.' : 'Your feedback could not be sent.';
  };
  up.addEventListener('click', () => send('up', null));
  down.addEventListener('click', () => {
    if (box) return;
    box = h('form', 'rate-box');
    box.style.cssText = 'display:flex;gap:6px;width:100%';
    const input = h('input', 'rate-comment');
    input.maxLength = 1000;
    input.placeholder = 'What was wrong? (optional)';
    input.setAttribute('aria-label', input.placeholder);
    input.style.cssText = 'flex:1;min-width:0;border:1px solid #d1d5db;border-radius:999px;padding:4px 10px';
    const submit = btn('rate-send', 'Send');
    submit.type = 'submit';
    box.append(input, submit);
    box.addEventListener('submit', (e) => { e.preventDefault(); send('down', input.value.trim() || null); });
    bar.append(box);
    input.focus();
  });
  bar.append(up, down, status);
  add(w, bar);
};
