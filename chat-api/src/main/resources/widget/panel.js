// ── the widget's elements ──
// untrusted text only ever goes in as text (h's textContent); markup is for the widget's own icons
const httpUrl = (u) => (typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null);
const h = (tag, cls, text) => {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text != null) el.textContent = text;
  return el;
};

// The bubble and the (hidden) panel in a Shadow DOM of their own, appended to the page. Returns the
// widget (w): its elements and the conversation's state, which the other parts work on.
function buildPanel(s) {
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

  return {
    name, root, bubble, paintBubble, panel, close, log, form, input, send,
    busy: false, // a message is on its way: nothing else is sent meanwhile
    typing: null, // the typing indicator while it is shown
    open: false,
    suggested: null, // the workspace's suggested messages, until the conversation starts
    restoring: null, // the conversation so far being fetched after a reload (history.js)
  };
}
