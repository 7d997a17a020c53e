// ── sending a message: the chat request, its answer streamed as server-sent events ──

// Server-sent events, parsed by hand: blocks split by a blank line, "event:" and "data:" fields.
// onEvent returns true to stop reading. (The server ends lines with LF; CRLF is folded to LF.)
const readEvents = async (res, onEvent) => {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    buf = (buf + decoder.decode(value || new Uint8Array(0), { stream: !done })).replace(/\r\n/g, '\n');
    let end;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      let name = 'message';
      const data = [];
      block.split('\n').forEach((line) => {
        const i = line.indexOf(':');
        const field = i < 0 ? line : line.slice(0, i);
        const v = i < 0 ? '' : line.slice(line[i + 1] === ' ' ? i + 2 : i + 1);
        if (field === 'event') name = v;
        else if (field === 'data') data.push(v);
      });
      if (data.length && onEvent(name, data.join('\n'))) { reader.cancel().catch(() => {}); return; }
    }
    if (done) return;
  }
};

// The answer as it is written: deltas go into one bubble as text (never markup); the final
// "message" event is the reply as stored, which replaces them. Returns 200 with the reply shown,
// 500 after an "error" event, 0 when the connection dropped first (the retry replays a stored turn).
const streamAnswer = async (w, res) => {
  let live = null;
  let reply = null;
  let status = 0;
  try {
    await readEvents(res, (name, data) => {
      let payload;
      try { payload = JSON.parse(data); } catch (e) { return false; }
      if (name === 'delta' && payload && typeof payload.content === 'string') {
        if (!live) { setTyping(w, false); live = addMessage(w, 'assistant', ''); }
        live.lastChild.textContent += payload.content;
        scroll(w);
      } else if (name === 'message' && payload && payload.message) {
        reply = payload.message;
        return true;
      } else if (name === 'error') {
        status = 500;
        return true;
      }
      return false;
    });
  } catch (e) { /* dropped mid-stream: no reply */ }
  setTyping(w, false);
  if (reply) { addAnswer(w, reply, live); return 200; }
  if (live) live.remove();
  return status;
};

// A message keeps its message_id through every retry: the server stores a turn once per id,
// and a retry of a stored one replays its reply. The JSON goes as text/plain, and Accept is a
// safelisted header too: a "simple" CORS request, no preflight round trip on other sites.
const deliver = async (w, item) => {
  w.busy = true;
  refreshSend(w);
  setTyping(w, true);
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), 30000);
  try {
    const res = await fetch(API + '/api/chat', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', 'Accept': 'text/event-stream' },
      credentials: 'omit',
      signal: ctl.signal,
      body: JSON.stringify({ workspace_id: WS, session_token: token(), message_id: item.id, content: item.content,
        user: USER || undefined }),
    });
    const type = (res.headers.get('Content-Type') || '').toLowerCase();
    if (res.ok && res.body && type.startsWith('text/event-stream')) {
      const status = await streamAnswer(w, res);
      if (status !== 200) fail(w, item, status);
      return;
    }
    // a JSON reply (a server without streaming) or any refusal: problem+json, 429 with Retry-After
    const body = await res.json().catch(() => ({}));
    setTyping(w, false);
    if (res.ok && body.message) {
      addAnswer(w, body.message);
    } else {
      const after = parseInt(res.headers.get('Retry-After'), 10)
        || parseInt((/(\d+)\s*s\b/.exec(body.detail || '') || [])[1], 10) || 0;
      fail(w, item, res.ok ? 500 : res.status, after, typeof body.detail === 'string' ? body.detail : null);
    }
  } catch (e) {
    setTyping(w, false);
    fail(w, item, 0);
  } finally {
    clearTimeout(timer);
    w.busy = false;
    refreshSend(w);
  }
};

// a visitor's message (typed, or a chip's): shown at once, after the restored conversation
async function ask(w, text) {
  text = (text || '').trim();
  if (!text || w.busy) return;
  w.busy = true;
  refreshSend(w);
  await w.restoring;
  conversationStarted(w);
  const item = { id: uuid(), content: text };
  item.el = addMessage(w, 'user', text);
  deliver(w, item);
}
