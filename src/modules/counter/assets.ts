/**
 * The counter's browser enhancements, served from the module (CSP: same-origin scripts only):
 * the signature pad (pointer events on a canvas, posted as a cropped PNG) and reading a
 * pre-entry QR code with the webcam (jsQR, served from the installed package). Without
 * JavaScript the pages work as they are: a scanner types the code; the forms are signed on paper.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { App } from '../../platform/http/app.js';
import { COUNTER_CSS, COUNTER_CSS_HREF } from './views/common.js';

export const COUNTER_SCRIPT = `
(function () {
  'use strict';
  // ---- the signature pad ----
  var form = document.querySelector('[data-sign-form]');
  if (form) {
    var canvas = form.querySelector('[data-sign-pad]');
    var status = form.querySelector('[data-sign-status]');
    var field = form.querySelector('[data-signature]');
    var g = canvas.getContext('2d');
    var drawn = false, down = false, last = null;
    var box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    form.hidden = false;
    g.lineCap = 'round'; g.lineJoin = 'round'; g.strokeStyle = '#111';
    function at(e) {
      var r = canvas.getBoundingClientRect();
      return { x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height, p: e.pressure || 0.5 };
    }
    function grow(p) { box.x0 = Math.min(box.x0, p.x); box.y0 = Math.min(box.y0, p.y); box.x1 = Math.max(box.x1, p.x); box.y1 = Math.max(box.y1, p.y); }
    canvas.addEventListener('pointerdown', function (e) { e.preventDefault(); down = true; last = at(e); grow(last); status.textContent = ''; canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener('pointermove', function (e) {
      if (!down) return;
      var p = at(e);
      g.lineWidth = 3 + 5 * p.p;
      g.beginPath(); g.moveTo(last.x, last.y); g.lineTo(p.x, p.y); g.stroke();
      last = p; grow(p); drawn = true;
    });
    function up() { down = false; }
    canvas.addEventListener('pointerup', up); canvas.addEventListener('pointercancel', up);
    form.querySelector('[data-sign-clear]').addEventListener('click', function () {
      g.clearRect(0, 0, canvas.width, canvas.height); drawn = false;
      box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity }; status.textContent = '';
    });
    form.addEventListener('submit', function (e) {
      if (!drawn) { e.preventDefault(); status.textContent = form.getAttribute('data-empty'); canvas.focus(); return; }
      var pad = 12;
      var x = Math.max(0, Math.floor(box.x0 - pad)), y = Math.max(0, Math.floor(box.y0 - pad));
      var w = Math.min(canvas.width, Math.ceil(box.x1 + pad)) - x, h = Math.min(canvas.height, Math.ceil(box.y1 + pad)) - y;
      var out = document.createElement('canvas');
      out.width = Math.max(w, 60); out.height = Math.max(h, 24);
      out.getContext('2d').drawImage(canvas, x, y, w, h, 0, 0, w, h);
      field.value = out.toDataURL('image/png');
    });
  }

  // ---- reading a pre-entry code with the camera ----
  var camera = document.querySelector('[data-camera]');
  if (camera && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    var qrForm = camera.closest('form');
    var input = qrForm.querySelector('input[name=code]');
    var video = qrForm.querySelector('[data-video]');
    var say = qrForm.querySelector('[data-camera-status]');
    var label = camera.textContent;
    var stream = null, frame = document.createElement('canvas');
    camera.hidden = false;
    function stop() {
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null; video.hidden = true; camera.textContent = label;
    }
    function scan() {
      if (!stream) return;
      if (video.readyState >= 2 && window.jsQR) {
        frame.width = video.videoWidth; frame.height = video.videoHeight;
        var c = frame.getContext('2d'); c.drawImage(video, 0, 0);
        var img = c.getImageData(0, 0, frame.width, frame.height);
        var found = window.jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
        if (found && found.data) { input.value = found.data; stop(); qrForm.submit(); return; }
      }
      requestAnimationFrame(scan);
    }
    function withReader(then) {
      if (window.jsQR) return then();
      var s = document.createElement('script'); s.src = '/counter/assets/jsqr.js'; s.onload = then; document.head.appendChild(s);
    }
    camera.addEventListener('click', function () {
      if (stream) { stop(); return; }
      withReader(function () {
        navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then(function (s) {
          stream = s; video.srcObject = s; video.hidden = false; camera.textContent = camera.getAttribute('data-stop');
          video.play(); scan();
        }).catch(function () { say.textContent = camera.getAttribute('data-none'); });
      });
    });
  }
})();
`;

let jsqr: string | undefined;
/** jsQR's browser build, read once from the installed package (nothing is downloaded). */
function jsqrSource(): string {
  jsqr ??= readFileSync(createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js'), 'utf8');
  return jsqr;
}

export function registerCounterAssets(app: App): void {
  const js = 'text/javascript; charset=utf-8';
  app.get('/counter/assets/counter.js', async (_req, reply) => reply.type(js).header('cache-control', 'public, max-age=3600').send(COUNTER_SCRIPT));
  app.get('/counter/assets/jsqr.js', async (_req, reply) => reply.type(js).header('cache-control', 'public, max-age=86400').send(jsqrSource()));
  app.get(COUNTER_CSS_HREF, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(COUNTER_CSS));
}
