// Keys & usage: the workspace's LLM keys (only their last four characters are ever shown), the
// product API keys (a new one shown once), and the tokens used per model per day against the
// month's budget.
import * as api from './api.js';
import { barChart, dataTable } from './charts.js';
import { badge, busy, button, checkbox, field, fill, h, notice, number, screenHeader, when } from './dom.js';

export async function render(root, ctx) {
  const llm = h('section', { class: 'panel-box' });
  const tokens = h('section', { class: 'panel-box' });
  const usage = h('section', { class: 'panel-box' });
  fill(root, screenHeader('Keys & usage'), llm, tokens, usage);
  await Promise.all([llmKeys(llm), accessTokens(tokens), usageBox(usage)]);
  ctx.live(['spend-cap', 'question'], () => usageBox(usage).catch(() => {}), 3000);
}

const act = (label, fn, status, reload, attrs) => button(label, (e) => busy(e.currentTarget, async () => {
  await fn();
  status.ok(label + ': done.');
  await reload();
}, (err) => status.error(err)), attrs);

async function llmKeys(box) {
  const status = notice();
  const list = h('div', { class: 'table-wrap' });
  const reload = async () => {
    const data = await api.get('/api/owner/llm-keys');
    const items = Array.isArray(data) ? data : data.items;
    fill(list, items.length ? h('table', {}, h('caption', { class: 'sr-only' }, 'LLM keys'),
      h('thead', {}, h('tr', {}, ['Provider', 'Model', 'Label', 'Key', 'State', 'Actions'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, items.map((k) => h('tr', {},
        h('td', { 'data-label': 'Provider' }, k.provider), h('td', { 'data-label': 'Model' }, k.model), h('td', { 'data-label': 'Label' }, k.label || ''),
        h('td', { 'data-label': 'Key' }, h('code', {}, '••••' + k.key_last4)),
        h('td', { 'data-label': 'State' }, k.is_default ? badge('Default', 'ok') : null, ' ', k.is_active ? null : badge('Deactivated', 'muted')),
        h('td', { 'data-label': 'Actions', class: 'row-actions' },
          k.is_active && !k.is_default ? act('Make default', () => api.post(`/api/owner/llm-keys/${k.id}/default`), status, reload) : null,
          k.is_active ? act('Deactivate', () => api.post(`/api/owner/llm-keys/${k.id}/deactivate`), status, reload)
            : act('Activate', () => api.post(`/api/owner/llm-keys/${k.id}/activate`), status, reload),
          act('Delete', async () => { if (confirm(`Delete the ${k.provider} key ••••${k.key_last4}?`)) await api.del('/api/owner/llm-keys/' + k.id); }, status, reload,
            { 'aria-label': `Delete key ending ${k.key_last4}` }))))))
      : h('p', { class: 'empty' }, 'No LLM key: Clara answers with the matching Q&A answer as it is written.'));
  };
  const provider = field('Provider', h('select', {}, h('option', { value: 'openai' }, 'OpenAI'), h('option', { value: 'anthropic' }, 'Anthropic')));
  const model = field('Model', h('input', { type: 'text', required: true, placeholder: 'gpt-4o-mini' }));
  const key = field('API key', h('input', { type: 'password', required: true, autocomplete: 'off' }), 'Stored encrypted; only its last four characters are shown again.');
  const label = field('Label (optional)', h('input', { type: 'text', maxlength: 100 }));
  const isDefault = checkbox('Make it the default', false);
  const add = h('button', { type: 'submit', class: 'primary' }, 'Add key');
  const form = h('form', { novalidate: true }, provider, model, key, label, isDefault, add);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(add, async () => {
      [provider, model, key, label].forEach((f) => f.setError(null));
      await api.post('/api/owner/llm-keys', { provider: provider.control.value, model: model.control.value.trim(), api_key: key.control.value.trim(),
        label: label.control.value.trim() || undefined, is_default: isDefault.control.checked });
      form.reset();
      status.ok('Key added.');
      await reload();
    }, (err) => {
      [['provider', provider], ['model', model], ['api_key', key], ['label', label]].forEach(([n, f]) => f.setError(err.fieldErrors[n]));
      status.error(err);
    });
  });
  fill(box, h('h2', {}, 'LLM keys'), status, list, h('details', {}, h('summary', {}, 'Add an LLM key'), form));
  await reload();
}

async function accessTokens(box) {
  const status = notice();
  const list = h('div', { class: 'table-wrap' });
  const created = h('div', { 'aria-live': 'polite' });
  const reload = async () => {
    const data = await api.get('/api/owner/access-tokens');
    const items = (Array.isArray(data) ? data : data.items).filter((t) => !t.revoked_at);
    fill(list, items.length ? h('table', {}, h('caption', { class: 'sr-only' }, 'API keys'),
      h('thead', {}, h('tr', {}, ['Name', 'Key', 'Created', 'Last used', 'Actions'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, items.map((t) => h('tr', {}, h('td', { 'data-label': 'Name' }, t.name), h('td', { 'data-label': 'Key' }, h('code', {}, t.prefix + '…')),
        h('td', { 'data-label': 'Created' }, when(t.created_at)), h('td', { 'data-label': 'Last used' }, when(t.last_used_at)),
        h('td', { 'data-label': 'Actions', class: 'row-actions' }, act('Revoke', async () => { if (confirm(`Revoke "${t.name}"? Scripts using it stop at once.`)) await api.del('/api/owner/access-tokens/' + t.id); },
          status, reload, { 'aria-label': 'Revoke ' + t.name }))))))
      : h('p', { class: 'empty' }, 'No API keys.'));
  };
  const name = field('Name', h('input', { type: 'text', required: true, maxlength: 100, placeholder: 'Nightly sync' }));
  const add = h('button', { type: 'submit', class: 'primary' }, 'Create API key');
  const form = h('form', { novalidate: true }, name, add);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(add, async () => {
      name.setError(null);
      const t = await api.post('/api/owner/access-tokens', { name: name.control.value.trim() });
      form.reset();
      const code = h('code', { class: 'secret' }, t.token);
      fill(created, h('div', { class: 'once', role: 'alert' }, h('p', {}, h('strong', {}, 'Copy this key now: it is not shown again.')), code,
        button('Copy', () => navigator.clipboard.writeText(t.token).then(() => status.ok('Copied.'), () => getSelection().selectAllChildren(code))),
        button('I have copied it', () => fill(created))));
      await reload();
    }, (err) => { name.setError(err.fieldErrors.name); status.error(err); });
  });
  fill(box, h('h2', {}, 'API keys'), h('p', { class: 'hint' }, 'For your scripts: a key acts as you on the owner API (it cannot create keys).'),
    status, created, list, h('details', {}, h('summary', {}, 'Create an API key'), form));
  await reload();
}

async function usageBox(box) {
  const u = await api.get('/api/owner/usage');
  const m = u.month || {};
  const byDay = new Map();
  for (const d of u.days || []) byDay.set(d.day, (byDay.get(d.day) || 0) + d.total_tokens);
  const days = [...byDay.keys()].sort();
  const meter = m.budget ? h('meter', { min: 0, max: m.budget, value: Math.min(m.tokens, m.budget), high: m.budget * 0.8, optimum: 0, 'aria-label': 'Tokens used this month' }) : null;
  fill(box, h('h2', {}, 'Usage'),
    h('p', { class: 'figures' }, `This month (${m.month || ''}): ${number(m.tokens)} tokens`, m.budget ? ` of a budget of ${number(m.budget)}` : ' (no budget set)', '. ',
      m.cap_reached ? badge('Budget reached: answers come from the knowledge base only', 'warn') : null),
    meter,
    h('p', { class: 'hint' }, 'Set the budget in ', h('a', { href: '#/settings' }, 'widget settings'), '.'),
    days.length ? barChart({ title: 'Tokens per day', description: `${number(u.total_tokens)} tokens from ${u.from} to ${u.to}; the table lists them per model.`,
      labels: days.map((d) => d.slice(5)), series: [{ name: 'tokens', values: days.map((d) => byDay.get(d)), cls: 's1' }], height: 180 }) : h('p', { class: 'empty' }, 'No tokens used in the last 30 days.'),
    (u.days || []).length ? dataTable('Tokens per model per day', ['Day', 'Provider', 'Model', 'Calls', 'Prompt', 'Completion', 'Total'],
      u.days.map((d) => [d.day, d.provider, d.model, d.calls, number(d.prompt_tokens), number(d.completion_tokens), number(d.total_tokens)])) : null);
}
