// ── the look: icons, colours and the widget's own style sheet (its Shadow DOM's, nothing else's) ──
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
.md{white-space:normal}.md>*{margin:0 0 6px;padding-left:0}.md>ul,.md>ol{padding-left:20px}.md>:last-child{margin:0}.md a{color:var(--ink)}
.md code{font-family:monospace;background:#f1f5f9}.src{max-width:85%;margin-top:-6px;color:#6b7280;font-size:12px}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:-2px;max-width:92%}
.chip{border:1px solid var(--ink);border-radius:999px;background:#fff;color:var(--ink);padding:5px 12px;font-size:13.5px;line-height:1.35;text-align:left}
.chip:hover{background:var(--tint)}
.previous{font-size:13px;color:var(--ink)}.previous summary{cursor:pointer;margin-bottom:6px}.previous .chip{display:block;margin:4px 0}
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
