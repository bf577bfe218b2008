// Passkeys (WebAuthn) on the sign-in, second-factor, account and invitation pages. A form marked data-passkey holds
// the CSRF token and two hidden fields; this script asks the server for a ceremony's options (POST to
// data-options, same origin), runs navigator.credentials.get or create, and posts the browser's answer in the form.
// Without JavaScript or WebAuthn the form stays hidden and the password path works as before.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) return;
  var forms = document.querySelectorAll("form[data-passkey]");
  for (var f = 0; f < forms.length; f++) setUp(forms[f]);

function setUp(form) {
  var mode = form.getAttribute("data-passkey");
  var button = form.querySelector("button[type=button]");
  form.hidden = false;

  function fromB64u(text) {
    var s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var raw = atob(s), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes.buffer;
  }
  function toB64u(buffer) {
    if (!buffer) return null;
    var bytes = new Uint8Array(buffer), raw = "";
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function decodeList(list) {
    (list || []).forEach(function (c) { c.id = fromB64u(c.id); });
  }

  function options() {
    var body = new URLSearchParams();
    body.set("csrf_token", form.elements["csrf_token"].value);
    return fetch(form.getAttribute("data-options"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).then(function (r) {
      if (!r.ok) throw new Error("passkey options: " + r.status);
      return r.json();
    });
  }

  function submit(ceremony, credential) {
    form.elements["ceremony"].value = ceremony;
    form.elements["credential"].value = JSON.stringify(credential);
    form.submit();
  }

  function assertion(cred) {
    return {
      id: cred.id, rawId: toB64u(cred.rawId), type: cred.type,
      extensions: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: {
        authenticatorData: toB64u(cred.response.authenticatorData),
        clientDataJSON: toB64u(cred.response.clientDataJSON),
        signature: toB64u(cred.response.signature),
        userHandle: toB64u(cred.response.userHandle)
      }
    };
  }

  function attestation(cred) {
    return {
      id: cred.id, rawId: toB64u(cred.rawId), type: cred.type,
      extensions: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: {
        attestationObject: toB64u(cred.response.attestationObject),
        clientDataJSON: toB64u(cred.response.clientDataJSON),
        transports: cred.response.getTransports ? cred.response.getTransports() : []
      }
    };
  }

  var pending = null; // the conditional (autofill) request, aborted when the button is used
  function signIn(conditional) {
    return options().then(function (got) {
      var pk = got.options.publicKey;
      pk.challenge = fromB64u(pk.challenge);
      decodeList(pk.allowCredentials);
      var request = { publicKey: pk };
      if (conditional) {
        pending = new AbortController();
        request.mediation = "conditional";
        request.signal = pending.signal;
      }
      return navigator.credentials.get(request).then(function (cred) {
        if (cred) submit(got.ceremony, assertion(cred));
      });
    });
  }

  function register() {
    return options().then(function (got) {
      var pk = got.options.publicKey;
      pk.challenge = fromB64u(pk.challenge);
      pk.user.id = fromB64u(pk.user.id);
      decodeList(pk.excludeCredentials);
      return navigator.credentials.create({ publicKey: pk }).then(function (cred) {
        if (cred) submit(got.ceremony, attestation(cred));
      });
    });
  }

  function failed(e) {
    if (e && e.name === "AbortError") return;
    var note = form.querySelector("[role=alert]");
    if (note) note.hidden = false;
  }

  if (button) {
    button.addEventListener("click", function () {
      if (pending) { pending.abort(); pending = null; }
      (mode === "register" ? register() : signIn(false)).catch(failed);
    });
  }
  // Conditional mediation: the browser offers the passkeys in the username field's autofill, where it can.
  if (mode === "sign-in" && PublicKeyCredential.isConditionalMediationAvailable) {
    PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
      if (available) signIn(true).catch(function () {});
    });
  }
}
})();
