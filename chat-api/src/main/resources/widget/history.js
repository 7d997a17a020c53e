// ── the conversation so far, after a reload: the session token lives in sessionStorage ──
const restore = async (w) => {
  const t = savedToken();
  if (!t) return;
  try {
    const res = await fetch(API + '/api/chat/messages?workspace_id=' + encodeURIComponent(WS), {
      headers: { 'X-Clara-Session-Token': t },
      credentials: 'omit',
    });
    if (!res.ok) return;
    const { messages } = await res.json();
    if (!Array.isArray(messages) || !messages.length) return;
    conversationStarted(w);
    messages.forEach((m) => (m.role === 'user' ? addMessage(w, 'user', m.content || '') : addAnswer(w, m)));
  } catch (e) { /* a fresh conversation then */ }
};
