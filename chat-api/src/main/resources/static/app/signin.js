// The screens before a session: sign-in (password and OAuth providers), sign-up, a forgotten
// password, and the pages the account mails link to (#/reset-password?token=…, #/confirm?token=…).
import * as api from './api.js';
import { busy, field, fill, h, notice } from './dom.js';

const SIGNIN_ERRORS = {
  denied: 'Sign-in with the provider was cancelled.',
  failed: 'Sign-in with the provider failed. Please try again.',
  no_account: 'No Clara account belongs to that sign-in. Sign up first, or use your e-mail and password.',
};

export async function render(root, ctx) {
  const screens = { signin, signup, forgot, 'reset-password': reset, confirm };
  await (screens[ctx.name] || signin)(root, ctx);
}

const card = (title, ...children) => h('section', { class: 'auth-card' },
  h('p', { class: 'brand-big' }, 'Clara'), h('h1', { tabindex: '-1' }, title), ...children);

const email = () => field('E-mail', h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true }));
const password = (label, autocomplete) => field(label,
  h('input', { type: 'password', name: 'password', autocomplete, required: true, minlength: autocomplete === 'new-password' ? 8 : null }));

function showFieldErrors(e, fields) {
  Object.entries(fields).forEach(([name, f]) => f.setError(e?.fieldErrors?.[name]));
}

async function signin(root, ctx) {
  const status = notice();
  const mail = email();
  const pass = password('Password', 'current-password');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { novalidate: true }, mail, pass, submit);
  const providers = h('div', { class: 'providers' });
  fill(root, card('Sign in to your workspace', status, form, providers,
    h('p', { class: 'auth-links' }, h('a', { href: '#/signup' }, 'Create an account'), ' · ', h('a', { href: '#/forgot' }, 'Forgot your password?'))));

  const code = sessionStorage.getItem('clara:signin-error');
  sessionStorage.removeItem('clara:signin-error');
  if (code) status.error(SIGNIN_ERRORS[code] || 'Sign-in failed. Please try again.');
  else if (ctx.query.get('expired')) status.error('Your session ended. Please sign in again.');
  else if (ctx.query.get('confirmed')) status.ok('Your e-mail address is confirmed. You can sign in now.');
  else if (ctx.query.get('reset')) status.ok('Your new password is set. Sign in with it.');

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      status.clear();
      showFieldErrors(null, { email: mail, password: pass });
      const s = await api.signIn(mail.control.value.trim(), pass.control.value);
      await ctx.signedIn(s);
    }, (err) => {
      showFieldErrors(err, { email: mail, password: pass });
      status.error(err.status === 401 ? 'Wrong e-mail address or password.' : err);
    });
  });

  // not awaited: the form is usable (and its heading focused) at once, the buttons follow
  api.get('/app/api/oauth/providers').then(({ providers: list }) => {
    if (list?.length) {
      fill(providers, h('p', { class: 'or' }, 'or'), list.map((p) =>
        // a plain link: the provider's sign-in is a full-page navigation
        h('a', { class: 'button provider', href: safePath(p.start_url) }, `Sign in with ${p.name}`)));
    }
  }, () => { /* no providers to offer */ });
}

// a provider's start URL is the server's own path; anything else is not followed
const safePath = (url) => (typeof url === 'string' && /^\/app\/[\w/.-]*$/.test(url) ? url : '#/signin');

async function signup(root) {
  const status = notice();
  const mail = email();
  const pass = password('Password (at least 8 characters)', 'new-password');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create account');
  const form = h('form', { novalidate: true }, mail, pass, submit);
  fill(root, card('Create an account', status, form, h('p', { class: 'auth-links' }, h('a', { href: '#/signin' }, 'Back to sign-in'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      status.clear();
      showFieldErrors(null, { email: mail, password: pass });
      const res = await api.post('/api/owner/auth/signup', { email: mail.control.value.trim(), password: pass.control.value });
      form.hidden = true;
      status.ok(res?.confirmation_required
        ? 'Check your mailbox: open the link we sent to confirm your address, then sign in.'
        : 'Your account is ready. You can sign in now.');
    }, (err) => { showFieldErrors(err, { email: mail, password: pass }); status.error(err); });
  });
}

async function forgot(root) {
  const status = notice();
  const mail = email();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Send a reset link');
  const form = h('form', { novalidate: true }, mail, submit);
  fill(root, card('Forgot your password?', h('p', {}, 'We mail you a link to choose a new one (it works for 30 minutes).'),
    status, form, h('p', { class: 'auth-links' }, h('a', { href: '#/signin' }, 'Back to sign-in'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      status.clear();
      await api.post('/api/owner/auth/recover', { email: mail.control.value.trim() });
      form.hidden = true;
      status.ok('If an account has this address, a reset link is on its way. Check your mailbox.');
    }, (err) => { showFieldErrors(err, { email: mail }); status.error(err); });
  });
}

async function reset(root, ctx) {
  const token = ctx.query.get('token') || '';
  const status = notice();
  const pass = password('New password (at least 8 characters)', 'new-password');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Set the new password');
  const form = h('form', { novalidate: true }, pass, submit);
  fill(root, card('Choose a new password', status, form, h('p', { class: 'auth-links' }, h('a', { href: '#/forgot' }, 'Ask for a new link'))));
  if (!token) { form.hidden = true; status.error('This link has no token. Ask for a new reset link.'); return; }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      status.clear();
      await api.post('/api/owner/auth/reset', { token, password: pass.control.value });
      ctx.navigate('#/signin?reset=1');
    }, (err) => {
      showFieldErrors(err, { password: pass });
      status.error(err.status === 400 && !err.fieldErrors.password ? 'This link is used up or expired. Ask for a new one.' : err);
    });
  });
}

async function confirm(root, ctx) {
  const token = ctx.query.get('token') || '';
  const status = notice();
  fill(root, card('Confirming your e-mail address', status, h('p', { class: 'auth-links' }, h('a', { href: '#/signin' }, 'Go to sign-in'))));
  if (!token) { status.error('This link has no token.'); return; }
  try {
    await api.post('/api/owner/auth/confirm', { token });
    ctx.navigate('#/signin?confirmed=1');
  } catch (e) {
    status.error(e.status === 400 ? 'This link is used up or expired. Sign in to get a new one mailed.' : e);
  }
}
