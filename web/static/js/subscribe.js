// Proof of work for the sign-up form (consent/form_guard.h): find a nonce so that
// SHA-256(stamp ":" nonce) starts with `data-pow-bits` zero bits, then send. Without this
// script (or without WebCrypto, which needs https or localhost) the form still works: the
// server then asks for a longer time between showing and sending the form.
(function () {
  var form = document.getElementById('subscribe-form');
  if (!form || !window.crypto || !window.crypto.subtle || !window.TextEncoder) return;
  var bits = parseInt(form.getAttribute('data-pow-bits'), 10) || 16;
  var stamp = form.elements['stamp'].value;
  var status = document.getElementById('pow-status');
  var solved = null;
  function zeroBits(buf) {
    var bytes = new Uint8Array(buf), n = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { n += 8; continue; }
      for (var m = 128; m && !(bytes[i] & m); m >>= 1) n++;
      break;
    }
    return n;
  }
  async function solve() {
    var enc = new TextEncoder();
    for (var nonce = 0; ; nonce++) {
      var h = await crypto.subtle.digest('SHA-256', enc.encode(stamp + ':' + nonce));
      if (zeroBits(h) >= bits) return String(nonce);
    }
  }
  var work = solve().then(function (n) { solved = n; form.elements['pow'].value = n; });
  form.addEventListener('submit', function (ev) {
    if (solved !== null) return;
    ev.preventDefault();
    if (status) status.textContent = form.getAttribute('data-wait') || '…';
    work.then(function () { form.submit(); });
  });
})();
