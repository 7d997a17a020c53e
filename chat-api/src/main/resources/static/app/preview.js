// The widget preview page, framed by the dashboard's settings screen (same origin only): loads the
// real /widget.js in preview mode (data-preview), which draws itself from the settings the
// dashboard posts to it instead of the saved ones.
const workspace = decodeURIComponent(location.hash.slice(1));
if (window.parent !== window && /^[0-9a-f-]{36}$/i.test(workspace)) {
  const script = document.createElement('script');
  script.src = '/widget.js';
  script.dataset.workspace = workspace;
  script.dataset.preview = '';
  script.onload = () => window.parent.postMessage({ clara_preview_ready: true }, location.origin);
  document.head.append(script);
}
