// Widget settings: every setting of the workspace's settings JSON, the API's validation messages
// shown at their fields, avatar and icon, allowed origins, and beside the form a live preview of
// the real widget (settings-preview.js) that follows the form before anything is saved.
import * as api from './api.js';
import { busy, checkbox, field, fill, h, notice, screenHeader } from './dom.js';
import { assetsBox, embedSnippet, preview } from './settings-preview.js';

const lines = (text) => text.split('\n').map((x) => x.trim()).filter(Boolean);
const numberOrNull = (v) => (v.trim() === '' ? null : Number(v));

// each setting: its control, how the form reads it, how it shows the stored value
const SPEC = [
  ['display_name', 'Name shown in the widget', () => h('input', { type: 'text', maxlength: 100, required: true })],
  ['welcome_message', 'Welcome message', () => h('textarea', { rows: 2, maxlength: 500 })],
  ['placeholder_text', 'Placeholder of the message box', () => h('input', { type: 'text', maxlength: 100 })],
  ['suggested_messages', 'Suggested messages (one per line, at most 5)', () => h('textarea', { rows: 3 }), 'lines'],
  ['primary_color', 'Main colour', () => h('input', { type: 'color' })],
  ['bubble_color', 'Chat bubble colour', () => h('input', { type: 'color' })],
  ['bubble_position', 'Bubble position', () => h('select', {}, h('option', { value: 'right' }, 'Bottom right'), h('option', { value: 'left' }, 'Bottom left'))],
  ['powered_by_clara', 'Show "Powered by Clara"', null, 'bool'],
  ['booking_url', 'Booking link offered when a visitor asks for a person', () => h('input', { type: 'url', placeholder: 'https://…' }), 'nullable'],
  ['escalation_enabled', 'Offer the booking link when a visitor asks for a person', null, 'bool'],
  ['max_suggestion_chips', 'Suggested questions under an answer (1–5)', () => h('input', { type: 'number', min: 1, max: 5, step: 1, class: 'narrow' }), 'number'],
  ['confidence_threshold', 'Confidence threshold (0.50–0.95; empty: the model\'s default)', () => h('input', { type: 'number', min: 0.5, max: 0.95, step: 0.01, class: 'narrow' }), 'numberOrNull'],
  ['personality_prompt', 'Personality (instructions for the AI\'s tone)', () => h('textarea', { rows: 4, maxlength: 10000 })],
  ['allowed_origins', 'Sites allowed to show the widget (one origin per line, e.g. https://shop.example.com; empty: any site)', () => h('textarea', { rows: 3 }), 'lines'],
  ['monthly_token_budget', 'Monthly token budget (empty: no cap)', () => h('input', { type: 'number', min: 1, step: 1 }), 'numberOrNull'],
];
const HINTS = {
  confidence_threshold: 'The calibration screen shows what a threshold would do.',
  monthly_token_budget: 'Once reached, Clara answers from the knowledge base only until the month ends.',
};

export async function render(root, ctx) {
  const workspace = await api.get('/api/owner/workspace');
  const fields = {};
  for (const [name, label, make, kind] of SPEC) {
    fields[name] = kind === 'bool' ? checkbox(label, false) : field(label, make(), HINTS[name]);
    fields[name].kind = kind;
  }
  const status = notice();
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save settings');
  const form = h('form', { class: 'settings-form', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Look'), ['display_name', 'welcome_message', 'placeholder_text', 'suggested_messages',
      'primary_color', 'bubble_color', 'bubble_position', 'powered_by_clara'].map((n) => fields[n])),
    h('fieldset', {}, h('legend', {}, 'Answers'), ['booking_url', 'escalation_enabled', 'max_suggestion_chips', 'confidence_threshold', 'personality_prompt'].map((n) => fields[n])),
    h('fieldset', {}, h('legend', {}, 'Where and how much'), ['allowed_origins', 'monthly_token_budget'].map((n) => fields[n])),
    status, h('div', { class: 'actions' }, save));

  let stored = workspace.settings;
  const show = (settings) => {
    for (const [name, f] of Object.entries(fields)) {
      const v = settings[name];
      if (f.kind === 'bool') f.control.checked = v !== false && (name !== 'escalation_enabled' || v === true);
      else if (f.kind === 'lines') f.control.value = (v || []).join('\n');
      else f.control.value = v == null ? '' : String(v);
    }
  };
  const read = () => {
    const out = {};
    for (const [name, f] of Object.entries(fields)) {
      const value = f.control.value;
      out[name] = f.kind === 'bool' ? f.control.checked : f.kind === 'lines' ? lines(value)
        : f.kind === 'number' ? Number(value) : f.kind === 'numberOrNull' ? numberOrNull(value)
          : f.kind === 'nullable' ? (value.trim() || null) : value;
    }
    return out;
  };
  show(stored);

  const live = preview(workspace.id);
  ctx.onLeave(live.dispose);
  const assets = assetsBox(() => stored, async () => {
    stored = (await api.get('/api/owner/workspace')).settings;
    live.update({ ...stored, ...read() });
  });
  const update = () => live.update({ ...stored, ...read() });
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  live.onReady(update);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      status.clear();
      Object.values(fields).forEach((f) => f.setError?.(null));
      stored = await api.patch('/api/owner/workspace/settings', read());
      show(stored);
      update();
      status.ok('Settings saved. Sites showing the widget pick them up within a minute.');
      ctx.announce('Settings saved.');
    }, (err) => {
      const other = [];
      for (const [key, message] of Object.entries(err.fieldErrors)) {
        const f = fields[key.replace(/\[.*$/, '')];
        if (f?.setError) f.setError(key.includes('[') ? `${key}: ${message}` : message);
        else other.push(`${key}: ${message}`);
      }
      status.error(other.length || !Object.keys(err.fieldErrors).length ? (other.join('; ') || err.message) : 'Please correct the fields marked below.');
      form.querySelector('[aria-invalid="true"]')?.focus();
    });
  });

  fill(root, screenHeader('Widget settings'),
    h('div', { class: 'settings-layout' },
      h('div', { class: 'settings-main' }, form, assets, embedSnippet(workspace.id)),
      h('aside', { class: 'settings-preview', 'aria-label': 'Live preview' }, live.el)));
}
