// The voting-day kiosk, with a network that comes and goes. Each ballot gets a random key and is
// sent with fetch; when the network fails it is kept on the device (localStorage) with the voter
// staff checked, shown as "waiting to send", and sent again when the network returns (the
// `online` event and every 15 seconds). The server casts a key once, so a ballot sent twice is
// counted once. Without JavaScript the page is a plain form.
(function () {
  var form = document.querySelector("form[data-kiosk]");
  if (!form || !window.fetch || !window.localStorage) return;
  var text = JSON.parse(document.getElementById("kiosk-texts").textContent);
  var STORE = "borgerbudget-kiosk-queue";
  var queueStatus = document.getElementById("kiosk-queue");
  var message = document.getElementById("kiosk-message");
  var errors = document.getElementById("kiosk-errors");
  var ballot = document.getElementById("kiosk-ballot");
  var next = document.getElementById("kiosk-next");
  var nextName = document.getElementById("id_next-name");
  var nextBirth = document.getElementById("id_next-birth_date");
  var after = document.getElementById("kiosk-after");
  var flushing = false;
  var afterTimer = null;
  var checked = null;  // the voter staff checked on this page (after the first voter)

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function queue() {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }
  function queueSave(items) { localStorage.setItem(STORE, JSON.stringify(items)); showQueue(); }
  function queueRemove(key) { queueSave(queue().filter(function (i) { return i.key !== key; })); }
  function showQueue() {
    var n = queue().length;
    if (n) {
      queueStatus.textContent = text.waiting.replace("%(count)s", n);
      queueStatus.hidden = false;
      queueStatus.dataset.waiting = n;
    } else if (!queueStatus.hidden) {
      queueStatus.textContent = text.sent;
      queueStatus.dataset.waiting = 0;
    }
  }
  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  // Resolves with {status, body}; rejects when the network fails.
  function send(item) {
    var body = new URLSearchParams();
    item.fields.forEach(function (f) { body.append(f[0], f[1]); });
    body.set("csrfmiddlewaretoken", csrf());
    body.set("idempotency_key", item.key);
    return fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, body: data };
      });
    });
  }
  function showErrors(list) {
    errors.innerHTML = "";
    list.forEach(function (e) { var p = document.createElement("p"); p.textContent = e; errors.appendChild(p); });
    errors.hidden = !list.length;
  }
  function field(name, value) {
    var input = form.querySelector("input[type=hidden][name='" + name + "']");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden"; input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }
  // The voter has voted: forget them, show the receipt (or that the vote waits on the device), and
  // after 15 seconds or "Next voter" wait for staff to check the next voter, on this page.
  function voted(receipt) {
    form.reset();
    checked = null;
    showErrors([]);
    field("voter", "");  // the signed voter was this one; the next is checked on the device
    message.textContent = "";
    if (receipt) {
      var parts = text.receipt.split("%(receipt)s");
      var strong = document.createElement("strong");
      strong.textContent = receipt;
      message.append(parts[0], strong, parts[1] || "");
    } else {
      message.textContent = text.queued;
    }
    ballot.hidden = true; after.hidden = false;
    afterTimer = setTimeout(nextVoter, 15000);
  }
  function nextVoter() {
    clearTimeout(afterTimer);
    message.textContent = "";
    nextName.value = ""; nextBirth.value = "";
    after.hidden = true; next.hidden = false;
    next.querySelector("h2").focus();
  }
  document.getElementById("kiosk-next-link").addEventListener("click", function (event) {
    event.preventDefault();
    nextVoter();
  });
  document.getElementById("kiosk-next-open").addEventListener("click", function () {
    if (!nextName.value.trim() || !nextBirth.value) { message.textContent = text.missing; return; }
    checked = { name: nextName.value.trim(), birth_date: nextBirth.value };  // kept off the page
    message.textContent = "";
    next.hidden = true; ballot.hidden = false;
    var first = form.querySelector("input:not([type=hidden])");
    if (first) first.focus();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") fields.push([name, value]);
    });
    if (checked) fields.push(["name", checked.name], ["birth_date", checked.birth_date]);
    var item = { key: newKey(), url: form.action || location.href, fields: fields };
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    var queued = function () {
      queueSave(queue().concat([item]));
      voted(null);
    };
    send(item).then(function (result) {
      if (result.status === 200 && result.body.receipt) {
        voted(result.body.receipt);
      } else if (result.status === 400) {
        showErrors(result.body.errors || []);
      } else {
        queued();  // a server that cannot answer now: keep the ballot, its key makes a retry safe
      }
    }, queued).then(function () { button.disabled = false; });
  });

  function flush() {
    var items = queue();
    if (flushing || !items.length) return;
    flushing = true;
    var step = function (i) {
      if (i >= items.length) { flushing = false; return; }
      send(items[i]).then(function (result) {
        if (result.status === 200) {
          queueRemove(items[i].key);
        } else if (result.status === 400) {
          queueRemove(items[i].key);  // refused (e.g. already voted): sending again changes nothing
          message.textContent = text.refused.replace("%(reason)s", (result.body.errors || []).join(" "));
        } else {
          flushing = false; return;  // try again later
        }
        step(i + 1);
      }, function () { flushing = false; });
    };
    step(0);
  }
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  showQueue();
  flush();
})();
