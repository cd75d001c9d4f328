/**
 * The only script of the application pages, and only an enhancement: everything works
 * without it. It hides conditional fields until they apply, saves the draft every ten
 * seconds after a change (announcing 「保存しました hh:mm」 in a live region), and stops a
 * second click on a send button from sending twice (the server's Idempotency key would
 * catch it anyway). Served as a file: the CSP allows no inline script.
 */
export const FORM_SCRIPT = `(function () {
  'use strict';
  function valueOf(form, name) {
    var inputs = form.querySelectorAll('[name="' + name.replace(/"/g, '\\\\"') + '"]');
    var values = [];
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.type === 'checkbox') { if (inputs.length === 1) values.push(el.checked ? 'true' : 'false'); else if (el.checked) values.push(el.value); }
      else if (el.type === 'radio') { if (el.checked) values.push(el.value); }
      else values.push(el.value);
    }
    return values;
  }
  function applyConditions(form) {
    var parts = form.querySelectorAll('[data-when-name]');
    for (var i = 0; i < parts.length; i++) {
      var el = parts[i];
      var wanted = JSON.parse(el.getAttribute('data-when-values') || '[]');
      var have = valueOf(form, el.getAttribute('data-when-name'));
      var show = have.some(function (v) { return wanted.indexOf(v) >= 0; });
      el.hidden = !show;
    }
  }
  function autosave(form) {
    var status = document.getElementById('save-status');
    var every = Number(form.getAttribute('data-autosave')) || 10000;
    var dirty = false, busy = false;
    form.addEventListener('input', function () { dirty = true; });
    form.addEventListener('change', function () { dirty = true; });
    setInterval(function () {
      if (!dirty || busy || !window.fetch || !window.FormData) return;
      dirty = false; busy = true;
      var data = new FormData(form);
      var drop = [];
      data.forEach(function (_v, k) { if (k.indexOf('file:') === 0 || k.indexOf('remove:') === 0) drop.push(k); });
      drop.forEach(function (k) { data.delete(k); });
      data.set('action', 'autosave');
      fetch(form.getAttribute('action') || location.pathname, { method: 'POST', body: data, credentials: 'same-origin', headers: { Accept: 'application/json', 'X-Autosave': '1' } })
        .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.json(); })
        .then(function (body) { if (status) status.textContent = (status.getAttribute('data-saved') || '').replace('{time}', body.savedAt); })
        .catch(function () { dirty = true; if (status) status.textContent = status.getAttribute('data-failed') || ''; })
        .then(function () { busy = false; });
    }, every);
  }
  function once(form) {
    var sent = false;
    form.addEventListener('submit', function (e) {
      if (sent) { e.preventDefault(); return; }
      sent = true;
      var buttons = form.querySelectorAll('button[type="submit"]');
      for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute('aria-disabled', 'true');
    });
  }
  // After a post with problems, the summary is read first (GOV.UK pattern).
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();
  var forms = document.querySelectorAll('form');
  for (var i = 0; i < forms.length; i++) {
    var form = forms[i];
    if (form.querySelector('[data-when-name]')) {
      applyConditions(form);
      form.addEventListener('change', applyConditions.bind(null, form));
    }
    if (form.hasAttribute('data-autosave')) autosave(form);
    if (form.hasAttribute('data-once')) once(form);
  }
})();
`;
