/*! Clara chat widget. Embed with:
 *  <script src="https://HOST/widget.js" data-workspace="WORKSPACE_ID" async></script>
 * Vanilla JS, no dependencies, no requests to anyone but the Clara server it came from.
 * Its styles live in a Shadow DOM, so the host page's CSS cannot reach it and it cannot reach the page. */
(() => {
  'use strict';
  const script = document.currentScript || document.querySelector('script[data-workspace][src*="widget.js"]');
  if (!script) return;
  const WS = (script.getAttribute('data-workspace') || '').trim();
  const API = (script.getAttribute('data-api') || new URL(script.src, location.href).origin).replace(/\/+$/, '');
  const loaded = (window.__claraWidgets = window.__claraWidgets || {});
  if (!WS || loaded[WS]) return;
  loaded[WS] = true;

  // ── small helpers ──
  const memory = {};
  const KEY = 'clara:' + WS + ':';
  const store = {
    get: (k) => { try { return sessionStorage.getItem(KEY + k); } catch (e) { return memory[k] || null; } },
    set: (k, v) => { try { sessionStorage.setItem(KEY + k, v); } catch (e) { memory[k] = v; } },
  };
  // crypto.randomUUID exists only on https pages; getRandomValues everywhere
  const uuid = () => (crypto.randomUUID ? crypto.randomUUID()
    : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));
  const TOKEN = /^[\x21-\x7e]{32,128}$/;
  const savedToken = () => { const t = store.get('session'); return t && TOKEN.test(t) ? t : null; };
  const token = () => {
    let t = savedToken();
    if (!t) store.set('session', (t = (uuid() + uuid()).replace(/-/g, '')));
    return t;
  };
  const httpUrl = (u) => (typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null);
  const h = (tag, cls, text) => {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text != null) el.textContent = text;
    return el;
  };
  const svg = (path) => '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">' + path + '</svg>';
  const ICON_CHAT = svg('<path fill="currentColor" d="M12 3C6.5 3 2 6.9 2 11.7c0 2.5 1.2 4.7 3.2 6.3L4.5 21.5l4-2.1c1.1.3 2.3.5 3.5.5 5.5 0 10-3.9 10-8.7S17.5 3 12 3z"/>');
  const ICON_DOWN = svg('<path fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round" d="M6 9l6 6 6-6"/>');
  const ICON_CLOSE = svg('<path fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" d="M6 6l12 12M18 6L6 18"/>');
  const ICON_SEND = svg('<path fill="currentColor" d="M3.4 20.4l17.5-7.5a1 1 0 000-1.8L3.4 3.6a1 1 0 00-1.4 1.2L4.3 11 13 12l-8.7 1-2.3 6.2a1 1 0 001.4 1.2z"/>');
  // readable text on a colour: dark on light colours, white on dark ones
  const luminance = (hex) => {
    let x = hex.slice(1);
    if (x.length < 6) x = x.split('').map((c) => c + c).join('');
    const [r, g, b] = [0, 2, 4].map((i) => {
      const v = parseInt(x.slice(i, i + 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const COLOR = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
  const color = (c, fallback) => (typeof c === 'string' && COLOR.test(c) ? c : fallback);

  const CSS = `
:host{all:initial!important;display:block!important;position:static!important;width:0!important;height:0!important}
.root{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2937;-webkit-font-smoothing:antialiased}
*,*::before,*::after{box-sizing:border-box}
button,textarea{font:inherit;color:inherit;margin:0}
button{cursor:pointer}
.root{--tint:color-mix(in srgb,var(--ink) 14%,transparent)}
:focus-visible{outline:2px solid var(--ink);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.bubble{position:fixed;bottom:20px;right:20px;z-index:2147483000;width:58px;height:58px;border:0;border-radius:50%;padding:0;display:grid;place-items:center;background:var(--bubble);color:var(--bubble-fg);box-shadow:0 6px 20px rgba(0,0,0,.22);transition:transform .15s}
.bubble:hover{transform:scale(1.06)}
.bubble img{width:34px;height:34px;border-radius:50%;object-fit:cover}
.bubble svg{width:28px;height:28px}
.left .bubble,.left .panel{left:20px;right:auto}
.panel{position:fixed;bottom:92px;right:20px;z-index:2147483000;width:380px;height:min(620px,calc(100vh - 112px));display:flex;flex-direction:column;background:#fff;border-radius:16px;overflow:hidden;box-shadow:0 16px 48px rgba(15,23,42,.22),0 2px 6px rgba(15,23,42,.08);animation:in .18s ease-out}
.panel[hidden]{display:none}
.panel:focus{outline:none}
@keyframes in{from{opacity:0;transform:translateY(10px)}}
header{display:flex;align-items:center;gap:12px;padding:14px 14px 14px 16px;background:var(--primary);color:var(--primary-fg)}
header :focus-visible{outline-color:currentColor}
.avatar{flex:none;width:38px;height:38px;border-radius:50%;display:grid;place-items:center;background:rgba(255,255,255,.22);font-weight:700;font-size:17px;object-fit:cover}
.title{flex:1;min-width:0}
h2{margin:0;font-size:16px;line-height:1.25;font-weight:650;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.sub{margin:1px 0 0;font-size:12.5px;opacity:.85}
.close{flex:none;width:36px;height:36px;border:0;border-radius:50%;background:transparent;display:grid;place-items:center;color:inherit}
.close:hover{background:rgba(127,127,127,.2)}
.close svg{width:20px;height:20px}
.log{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:16px;display:flex;flex-direction:column;gap:10px;background:#f8fafc}
.msg{max-width:85%;padding:9px 13px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere}
.bot{align-self:flex-start;background:#fff;border:1px solid #e5e7eb;border-bottom-left-radius:5px}
.user{align-self:flex-end;background:var(--primary);color:var(--primary-fg);border-bottom-right-radius:5px}
.user.failed{opacity:.65}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:-2px;max-width:92%}
.chip{border:1px solid var(--ink);border-radius:999px;background:#fff;color:var(--ink);padding:5px 12px;font-size:13.5px;line-height:1.35;text-align:left}
.chip:hover{background:var(--tint)}
.book{align-self:flex-start;display:inline-flex;align-items:center;gap:6px;padding:8px 15px;border-radius:999px;background:var(--primary);color:var(--primary-fg);font-weight:600;font-size:14px;text-decoration:none}
.book:hover{filter:brightness(1.08)}
.typing{align-self:flex-start;display:flex;gap:4px;padding:13px 14px;background:#fff;border:1px solid #e5e7eb;border-radius:16px;border-bottom-left-radius:5px}
.typing i{width:7px;height:7px;border-radius:50%;background:#9ca3af;animation:dot 1.2s infinite ease-in-out}
.typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}
@keyframes dot{0%,60%,100%{transform:none;opacity:.5}30%{transform:translateY(-4px);opacity:1}}
.err{align-self:flex-end;display:flex;flex-wrap:wrap;justify-content:flex-end;align-items:center;gap:6px 10px;max-width:92%;margin-top:-4px;color:#b91c1c;font-size:13px;text-align:right}
.err button{border:1px solid #b91c1c;border-radius:999px;background:#fff;color:#b91c1c;padding:3px 12px;font-size:13px;font-weight:600}
.err button:disabled{opacity:.6;cursor:default}
form{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid #e5e7eb;background:#fff}
textarea{flex:1;min-height:42px;max-height:120px;resize:none;border:1px solid #d1d5db;border-radius:21px;padding:10px 15px;line-height:20px;background:#fff;outline:none}
textarea:focus{border-color:var(--ink);box-shadow:0 0 0 3px var(--tint);outline:none}
textarea::placeholder{color:#9ca3af}
.send{flex:none;width:42px;height:42px;border:0;border-radius:50%;display:grid;place-items:center;background:var(--primary);color:var(--primary-fg)}
.send:disabled{opacity:.45;cursor:default}
.send svg{width:20px;height:20px}
.powered{padding:0 0 8px;background:#fff;text-align:center;font-size:11.5px;color:#6b7280}
.powered b{font-weight:600;color:#4b5563}
@media (max-width:480px){.panel,.left .panel{inset:0;width:auto;height:auto;border-radius:0}.open .bubble{display:none}textarea{font-size:16px}}
@media (prefers-reduced-motion:reduce){.panel,.typing i,.bubble{animation:none;transition:none}}`;

  // ── the widget ──
  function build(s) {
    const name = s.display_name || 'Clara';
    const primary = color(s.primary_color, '#6366f1');
    const bubbleColor = color(s.bubble_color, '#000000');
    const light = luminance(primary) > 0.45;

    const host = document.createElement('clara-widget');
    const shadow = host.attachShadow({ mode: 'open' });
    if (shadow.adoptedStyleSheets && window.CSSStyleSheet && 'replaceSync' in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      shadow.append(h('style', null, CSS));
    }
    const root = h('div', 'root' + (s.bubble_position === 'left' ? ' left' : ''));
    root.style.setProperty('--primary', primary);
    root.style.setProperty('--primary-fg', light ? '#111827' : '#ffffff');
    root.style.setProperty('--ink', light ? '#374151' : primary);
    root.style.setProperty('--bubble', bubbleColor);
    root.style.setProperty('--bubble-fg', luminance(bubbleColor) > 0.45 ? '#111827' : '#ffffff');

    const panelId = 'clara-panel';
    const bubble = h('button', 'bubble');
    bubble.type = 'button';
    bubble.setAttribute('aria-controls', panelId);
    bubble.setAttribute('aria-expanded', 'false');
    bubble.setAttribute('aria-label', 'Open chat with ' + name);
    const paintBubble = (isOpen) => {
      const icon = !isOpen && httpUrl(s.chat_icon_url);
      if (!icon) { bubble.innerHTML = isOpen ? ICON_DOWN : ICON_CHAT; return; }
      const img = h('img');
      img.src = icon; img.alt = ''; img.referrerPolicy = 'no-referrer';
      bubble.replaceChildren(img);
    };
    paintBubble(false);

    const panel = h('section', 'panel');
    panel.id = panelId;
    panel.hidden = true;
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-modal', 'false');
    panel.setAttribute('aria-labelledby', 'clara-title');
    panel.tabIndex = -1;

    const header = h('header');
    let avatar;
    if (httpUrl(s.avatar_url)) {
      avatar = h('img', 'avatar');
      avatar.src = s.avatar_url; avatar.alt = ''; avatar.referrerPolicy = 'no-referrer';
    } else {
      avatar = h('div', 'avatar', ([...name.trim()][0] || 'C').toUpperCase());
      avatar.setAttribute('aria-hidden', 'true');
    }
    const title = h('div', 'title');
    const h2 = h('h2', null, name);
    h2.id = 'clara-title';
    title.append(h2, h('p', 'sub', 'AI assistant · replies instantly'));
    const close = h('button', 'close');
    close.type = 'button';
    close.setAttribute('aria-label', 'Close chat');
    close.innerHTML = ICON_CLOSE;
    header.append(avatar, title, close);

    const log = h('div', 'log');
    log.setAttribute('role', 'log');
    log.setAttribute('aria-live', 'polite');
    log.setAttribute('aria-label', 'Conversation with ' + name);
    log.tabIndex = 0;

    const form = h('form');
    const label = h('label', 'sr', 'Message ' + name);
    label.htmlFor = 'clara-input';
    const input = h('textarea');
    input.id = 'clara-input';
    input.rows = 1;
    input.maxLength = 4000;
    input.placeholder = s.placeholder_text || 'Type your message...';
    input.setAttribute('enterkeyhint', 'send');
    const send = h('button', 'send');
    send.type = 'submit';
    send.setAttribute('aria-label', 'Send message');
    send.innerHTML = ICON_SEND;
    form.append(label, input, send);

    panel.append(header, log, form);
    if (s.powered_by_clara !== false) {
      const powered = h('div', 'powered', 'Powered by ');
      powered.append(h('b', null, 'Clara'));
      panel.append(powered);
    }
    root.append(panel, bubble);
    shadow.append(root);
    document.body.append(host);

    // ── conversation ──
    let busy = false;
    let typing = null;
    const scroll = () => { log.scrollTop = log.scrollHeight; };
    const add = (el) => { log.insertBefore(el, typing); scroll(); return el; };
    const addMessage = (role, text) => {
      const el = h('div', 'msg ' + (role === 'user' ? 'user' : 'bot'));
      el.append(h('span', 'sr', role === 'user' ? 'You: ' : name + ': '), document.createTextNode(text));
      return add(el);
    };
    const chipsOf = (texts, label) => {
      const group = h('div', 'chips');
      group.setAttribute('role', 'group');
      group.setAttribute('aria-label', label);
      texts.forEach((text) => {
        const chip = h('button', 'chip', text);
        chip.type = 'button';
        chip.addEventListener('click', () => ask(text));
        group.append(chip);
      });
      return group;
    };
    // a streamed answer grows in its own bubble (el), whose text the final reply then replaces
    const addAnswer = (m, el) => {
      if (el) el.lastChild.textContent = m.content || '';
      else addMessage('assistant', m.content || '');
      const booking = m.escalation_offered && httpUrl(m.booking_url);
      if (booking) {
        const a = h('a', 'book', 'Book a call with our team');
        a.href = booking; a.target = '_blank'; a.rel = 'noopener noreferrer';
        a.append(h('span', null, ' →'));
        add(a);
      }
      const chips = Array.isArray(m.suggestion_chips) ? m.suggestion_chips.filter((c) => typeof c === 'string' && c) : [];
      if (chips.length) add(chipsOf(chips, 'Suggested questions'));
    };
    const setTyping = (on) => {
      if (on && !typing) {
        typing = h('div', 'typing');
        typing.setAttribute('aria-hidden', 'true');
        typing.append(h('i'), h('i'), h('i'));
        log.append(typing);
        log.setAttribute('aria-busy', 'true');
        scroll();
      } else if (!on && typing) {
        typing.remove();
        typing = null;
        log.removeAttribute('aria-busy');
      }
    };
    const refreshSend = () => { send.disabled = busy || !input.value.trim(); };

    addMessage('assistant', s.welcome_message || 'Hi! How can I help you today?');
    const suggested = Array.isArray(s.suggested_messages) && s.suggested_messages.length
      ? add(chipsOf(s.suggested_messages.slice(0, 5), 'Suggested messages')) : null;
    const conversationStarted = () => { if (suggested) suggested.remove(); };

    const explain = (status, detail) => {
      if (status === 0) return 'Clara could not be reached. Check your connection and try again.';
      if (status === 429) return 'You are sending messages a little fast. Please wait a moment, then try again.';
      if (status === 403) return 'Chat is not enabled on this site.';
      if (status >= 500) return 'Something went wrong on our side. Please try again.';
      return detail || 'This message could not be sent.';
    };

    const fail = (item, status, retryAfter, detail) => {
      item.el.classList.add('failed');
      const err = h('div', 'err');
      err.setAttribute('role', 'alert');
      err.append(h('span', null, explain(status, detail)));
      const retry = h('button', null, 'Retry');
      retry.type = 'button';
      retry.setAttribute('aria-label', 'Retry sending your message');
      retry.addEventListener('click', () => {
        if (busy) return;
        err.remove();
        item.el.classList.remove('failed');
        deliver(item);
        input.focus();
      });
      err.append(retry);
      item.el.after(err);
      scroll();
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
    const streamAnswer = async (res) => {
      let live = null;
      let reply = null;
      let status = 0;
      try {
        await readEvents(res, (name, data) => {
          let payload;
          try { payload = JSON.parse(data); } catch (e) { return false; }
          if (name === 'delta' && payload && typeof payload.content === 'string') {
            if (!live) { setTyping(false); live = addMessage('assistant', ''); }
            live.lastChild.textContent += payload.content;
            scroll();
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
      setTyping(false);
      if (reply) { addAnswer(reply, live); return 200; }
      if (live) live.remove();
      return status;
    };

    // A message keeps its message_id through every retry: the server stores a turn once per id,
    // and a retry of a stored one replays its reply. The JSON goes as text/plain, and Accept is a
    // safelisted header too: a "simple" CORS request, no preflight round trip on other sites.
    const deliver = async (item) => {
      busy = true;
      refreshSend();
      setTyping(true);
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), 30000);
      try {
        const res = await fetch(API + '/api/chat', {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain;charset=UTF-8', 'Accept': 'text/event-stream' },
          credentials: 'omit',
          signal: ctl.signal,
          body: JSON.stringify({ workspace_id: WS, session_token: token(), message_id: item.id, content: item.content }),
        });
        const type = (res.headers.get('Content-Type') || '').toLowerCase();
        if (res.ok && res.body && type.startsWith('text/event-stream')) {
          const status = await streamAnswer(res);
          if (status !== 200) fail(item, status);
          return;
        }
        // a JSON reply (a server without streaming) or any refusal: problem+json, 429 with Retry-After
        const body = await res.json().catch(() => ({}));
        setTyping(false);
        if (res.ok && body.message) {
          addAnswer(body.message);
        } else {
          const after = parseInt(res.headers.get('Retry-After'), 10)
            || parseInt((/(\d+)\s*s\b/.exec(body.detail || '') || [])[1], 10) || 0;
          fail(item, res.ok ? 500 : res.status, after, typeof body.detail === 'string' ? body.detail : null);
        }
      } catch (e) {
        setTyping(false);
        fail(item, 0);
      } finally {
        clearTimeout(timer);
        busy = false;
        refreshSend();
      }
    };

    // the conversation so far, after a reload: the session token lives in sessionStorage
    const restoring = (async () => {
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
        conversationStarted();
        messages.forEach((m) => (m.role === 'user' ? addMessage('user', m.content || '') : addAnswer(m)));
      } catch (e) { /* a fresh conversation then */ }
    })();

    async function ask(text) {
      text = (text || '').trim();
      if (!text || busy) return;
      busy = true;
      refreshSend();
      await restoring;
      conversationStarted();
      const item = { id: uuid(), content: text };
      item.el = addMessage('user', text);
      deliver(item);
    }

    // ── opening, closing, keyboard ──
    let open = false;
    const setOpen = (value, focus) => {
      open = value;
      panel.hidden = !value;
      root.classList.toggle('open', value);
      bubble.setAttribute('aria-expanded', String(value));
      bubble.setAttribute('aria-label', (value ? 'Close' : 'Open') + ' chat with ' + name);
      paintBubble(value);
      store.set('open', value ? '1' : '');
      if (value) {
        scroll();
        // on a touch screen, focusing the message box would throw the keyboard over the panel
        if (focus) (matchMedia('(pointer: coarse)').matches ? panel : input).focus();
      } else if (focus) {
        bubble.focus();
      }
    };
    bubble.addEventListener('click', () => setOpen(!open, true));
    close.addEventListener('click', () => setOpen(false, true));
    root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && open) {
        e.preventDefault();
        e.stopPropagation();
        setOpen(false, true);
      }
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = input.value;
      if (!text.trim() || busy) return;
      input.value = '';
      grow();
      ask(text);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event('submit', { cancelable: true }));
      }
    });
    const grow = () => {
      input.style.height = 'auto';
      input.style.height = Math.min(input.scrollHeight + 2, 120) + 'px';
      refreshSend();
    };
    input.addEventListener('input', grow);
    refreshSend();
    restoring.then(() => { if (store.get('open')) setOpen(true, false); });
  }

  const start = () => fetch(API + '/api/widget/' + encodeURIComponent(WS) + '/settings', { credentials: 'omit' })
    .then((res) => (res.ok ? res.json() : Promise.reject(new Error('HTTP ' + res.status))))
    .then(build)
    .catch((e) => { loaded[WS] = false; console.warn('Clara widget: not shown for workspace ' + WS + ':', e.message); });
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
