// ── the conversation as shown: messages, chips, the typing indicator, errors with a retry ──
const scroll = (w) => { w.log.scrollTop = w.log.scrollHeight; };
// new entries go above the typing indicator, which stays last while it is shown
const add = (w, el) => { w.log.insertBefore(el, w.typing); scroll(w); return el; };
const addMessage = (w, role, text) => {
  const el = h('div', 'msg ' + (role === 'user' ? 'user' : 'bot'));
  el.append(h('span', 'sr', role === 'user' ? 'You: ' : w.name + ': '), document.createTextNode(text));
  return add(w, el);
};
const chipsOf = (w, texts, label) => {
  const group = h('div', 'chips');
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', label);
  texts.forEach((text) => {
    const chip = h('button', 'chip', text);
    chip.type = 'button';
    chip.addEventListener('click', () => ask(w, text));
    group.append(chip);
  });
  return group;
};
// a streamed answer grows in its bubble (el) as text; the reply replaces it as rich text
const addAnswer = (w, m, el) => {
  (el || addMessage(w, 'assistant', '')).lastChild.replaceWith(renderMarkdown(m.content));
  const sources = sourcesOf(m.citations);
  if (sources) add(w, sources);
  // the rating belongs to the answer; the chips after it are the next questions, nearest the input
  addFeedback(w, m);
  const booking = m.escalation_offered && httpUrl(m.booking_url);
  if (booking) {
    const a = h('a', 'book', 'Book a call with our team');
    a.href = booking; a.target = '_blank'; a.rel = 'noopener noreferrer';
    a.append(h('span', null, ' →'));
    add(w, a);
  }
  const chips = Array.isArray(m.suggestion_chips) ? m.suggestion_chips.filter((c) => typeof c === 'string' && c) : [];
  if (chips.length) add(w, chipsOf(w, chips, 'Suggested questions'));
};
const setTyping = (w, on) => {
  if (on && !w.typing) {
    w.typing = h('div', 'typing');
    w.typing.setAttribute('aria-hidden', 'true');
    w.typing.append(h('i'), h('i'), h('i'));
    w.log.append(w.typing);
    w.log.setAttribute('aria-busy', 'true');
    scroll(w);
  } else if (!on && w.typing) {
    w.typing.remove();
    w.typing = null;
    w.log.removeAttribute('aria-busy');
  }
};
const refreshSend = (w) => { w.send.disabled = w.busy || !w.input.value.trim(); };
const conversationStarted = (w) => { if (w.suggested) w.suggested.remove(); };

const explain = (status, detail) => {
  if (status === 0) return 'Clara could not be reached. Check your connection and try again.';
  if (status === 429) return 'You are sending messages a little fast. Please wait a moment, then try again.';
  if (status === 403) return 'Chat is not enabled on this site.';
  if (status >= 500) return 'Something went wrong on our side. Please try again.';
  return detail || 'This message could not be sent.';
};

const fail = (w, item, status, retryAfter, detail) => {
  item.el.classList.add('failed');
  const err = h('div', 'err');
  err.setAttribute('role', 'alert');
  err.append(h('span', null, explain(status, detail)));
  const retry = h('button', null, 'Retry');
  retry.type = 'button';
  retry.setAttribute('aria-label', 'Retry sending your message');
  retry.addEventListener('click', () => {
    if (w.busy) return;
    err.remove();
    item.el.classList.remove('failed');
    deliver(w, item);
    w.input.focus();
  });
  err.append(retry);
  item.el.after(err);
  scroll(w);
  // a rate limit says when to come back: the retry waits that long, counting down
  let wait = status === 429 ? Math.min(3600, retryAfter || 0) : 0;
  const tick = () => {
    if (!retry.isConnected) return;
    if (wait <= 0) { retry.disabled = false; retry.textContent = 'Retry'; return; }
    retry.disabled = true;
    retry.textContent = 'Retry in ' + wait-- + ' s';
    setTimeout(tick, 1000);
  };
  tick();
};
