// Beside the settings form: the real widget in an iframe of /app/preview.html (same origin), fed
// the form's settings by postMessage as they change; avatar and icon upload; the embed snippet.
import * as api from './api.js';
import { busy, button, h, notice } from './dom.js';

/** An uploaded asset's URL as this origin serves it (the stored URL may name another host). */
export const sameOrigin = (url) => {
  if (!url) return null;
  try {
    const u = new URL(url, location.origin);
    return u.pathname.startsWith('/storage/v1/object/public/') ? location.origin + u.pathname + u.search : url;
  } catch (e) { return null; }
};

export function preview(workspaceId) {
  const frame = h('iframe', { src: '/app/preview.html#' + encodeURIComponent(workspaceId), title: 'Widget preview', class: 'preview-frame' });
  let ready = false;
  let last = null;
  let readyListener = () => {};
  const send = () => {
    if (!ready || !last) return;
    frame.contentWindow.postMessage({ clara_preview: last }, location.origin);
  };
  const onMessage = (e) => {
    if (e.origin !== location.origin || e.source !== frame.contentWindow || !e.data?.clara_preview_ready) return;
    ready = true;
    readyListener();
    send();
  };
  window.addEventListener('message', onMessage);
  let timer = null;
  return {
    el: h('div', {}, h('h2', {}, 'Preview'), h('p', { class: 'hint' }, 'The real widget with the settings in the form, before you save. You can chat with it.'), frame),
    update(settings) {
      last = { ...settings, avatar_url: sameOrigin(settings.avatar_url), chat_icon_url: sameOrigin(settings.chat_icon_url) };
      clearTimeout(timer);
      timer = setTimeout(send, 120);
    },
    onReady(fn) { readyListener = fn; },
    dispose() { window.removeEventListener('message', onMessage); clearTimeout(timer); },
  };
}

export function assetsBox(current, changed) {
  const box = h('section', { class: 'panel-box' }, h('h2', {}, 'Avatar and chat icon'));
  const status = notice();
  const row = (kind, setting, label) => {
    const img = h('img', { alt: '', class: 'asset-img' });
    const input = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp', id: 'asset-' + kind });
    const remove = button('Remove', (e) => busy(e.currentTarget, async () => {
      await api.del('/api/owner/assets/' + kind);
      status.ok(label + ' removed.');
      await changed();
      paint();
    }, (err) => status.error(err)));
    const paint = () => {
      const url = sameOrigin(current()[setting]);
      img.hidden = !url;
      remove.hidden = !url;
      if (url) img.src = url;
    };
    input.addEventListener('change', () => busy(input, async () => {
      if (!input.files[0]) return;
      await api.upload('/api/owner/assets/' + kind, input.files[0]);
      input.value = '';
      status.ok(label + ' uploaded.');
      await changed();
      paint();
    }, (err) => status.error(err)));
    paint();
    return h('div', { class: 'asset-row' }, img, h('div', {}, h('label', { for: input.id }, label + ' (PNG, JPEG, GIF or WebP, at most 1 MB)'), input, remove));
  };
  box.append(row('avatar', 'avatar_url', 'Avatar'), row('icon', 'chat_icon_url', 'Chat bubble icon'), status);
  return box;
}

export function embedSnippet(workspaceId) {
  const code = `<script src="${location.origin}/widget.js" data-workspace="${workspaceId}" async></script>`;
  const status = notice();
  const pre = h('pre', { class: 'snippet', tabindex: '0', 'aria-label': 'Embed snippet' }, h('code', {}, code));
  const copy = button('Copy snippet', async () => {
    try {
      await navigator.clipboard.writeText(code);
      status.ok('Copied.');
    } catch (e) {
      getSelection().selectAllChildren(pre);
      status.ok('Selected: press Ctrl+C (or ⌘C) to copy.');
    }
  });
  return h('section', { class: 'panel-box' }, h('h2', {}, 'Put the widget on your site'),
    h('p', {}, 'Paste this before </body> on every page that should show the chat:'), pre, copy, status);
}

