// ── opening, closing, keyboard ──
const setOpen = (w, value, focus) => {
  w.open = value;
  w.panel.hidden = !value;
  w.root.classList.toggle('open', value);
  w.bubble.setAttribute('aria-expanded', String(value));
  w.bubble.setAttribute('aria-label', (value ? 'Close' : 'Open') + ' chat with ' + w.name);
  w.paintBubble(value);
  store.set('open', value ? '1' : '');
  if (value) {
    scroll(w);
    // on a touch screen, focusing the message box would throw the keyboard over the panel
    if (focus) (matchMedia('(pointer: coarse)').matches ? w.panel : w.input).focus();
  } else if (focus) {
    w.bubble.focus();
  }
};
// the message box grows with its text, up to five lines or so
const grow = (w) => {
  w.input.style.height = 'auto';
  w.input.style.height = Math.min(w.input.scrollHeight + 2, 120) + 'px';
  refreshSend(w);
};

function wireControls(w) {
  w.bubble.addEventListener('click', () => setOpen(w, !w.open, true));
  w.close.addEventListener('click', () => setOpen(w, false, true));
  w.root.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && w.open) {
      e.preventDefault();
      e.stopPropagation();
      setOpen(w, false, true);
    }
  });
  w.form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = w.input.value;
    if (!text.trim() || w.busy) return;
    w.input.value = '';
    grow(w);
    ask(w, text);
  });
  w.input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      w.form.requestSubmit ? w.form.requestSubmit() : w.form.dispatchEvent(new Event('submit', { cancelable: true }));
    }
  });
  w.input.addEventListener('input', () => grow(w));
  refreshSend(w);
  // it was open before the reload: open again, once the conversation so far is back
  w.restoring.then(() => { if (store.get('open')) setOpen(w, true, false); });
}
