// ── the conversation so far (after a reload; for a signed-in user, on any device) ──
const load = async (w, t) => {
  const res = await fetch(API + '/api/chat/messages?workspace_id=' + encodeURIComponent(WS), {
    headers: Object.assign({ 'X-Clara-Session-Token': t }, userHeaders()),
    credentials: 'omit',
  });
  if (!res.ok) return;
  const { messages } = await res.json();
  if (!Array.isArray(messages) || !messages.length) return;
  conversationStarted(w);
  messages.forEach((m) => (m.role === 'user' ? addMessage(w, 'user', m.content || '') : addAnswer(w, m)));
};
const previous = (w, list) => {
  const others = list.filter((c) => c.session_token !== savedToken()).slice(0, 5);
  if (!others.length) return;
  const box = h('details', 'previous');
  box.append(h('summary', null, 'Previous conversations'));
  others.forEach((c) => {
    const b = h('button', 'chip', c.first_question || 'Conversation');
    b.type = 'button';
    b.addEventListener('click', () => {
      if (!TOKEN.test(c.session_token || '')) return;
      store.set('session', c.session_token);
      w.log.querySelectorAll('.msg:not(:first-child),.chips,.err,.previous').forEach((el) => el.remove());
      w.restoring = load(w, c.session_token).catch(() => {});
    });
    box.append(b);
  });
  add(w, box);
};
const restore = async (w) => {
  try {
    let list = [];
    if (USER) {
      const res = await fetch(API + '/api/chat/conversations?workspace_id=' + encodeURIComponent(WS),
        { headers: userHeaders(), credentials: 'omit' });
      list = res.ok ? ((await res.json()).conversations || []) : [];
      if (!savedToken() && list.length && TOKEN.test(list[0].session_token || '')) store.set('session', list[0].session_token);
    }
    const t = savedToken();
    if (t) await load(w, t);
    previous(w, list);
  } catch (e) { /* a fresh conversation then */ }
};
