/* 家政美家 live updates: one socket per signed-in user (/ws/, session cookie).
 * After every connect it resyncs each open chat from the last message id on the page, then
 * appends chat messages, refreshes offer lists and order panels (htmx "refresh" event), and
 * beeps / vibrates for a new offer where the browser allows. While the socket is down this
 * file polls instead: every 20 s it sends the same htmx "refresh" to the live panels (the
 * panels' hx-trigger is plain "refresh": htmx runs with allowEval false, so no trigger
 * filter expression is evaluated). */
(function () {
  "use strict";
  var body = document.body;
  var state = { connected: false, socket: null, attempts: 0, audio: null };
  window.meijiaLive = state;
  if (!body || !body.hasAttribute("data-user")) return;
  var me = body.getAttribute("data-user");

  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function refresh(selector) {
    all(selector).forEach(function (el) { if (window.htmx) window.htmx.trigger(el, "refresh"); });
  }
  function send(frame) {
    if (state.socket && state.connected) { state.socket.send(JSON.stringify(frame)); return true; }
    return false;
  }

  // --- chat ---------------------------------------------------------------------------------
  function chatLog(order) { return document.querySelector('[data-chat-order="' + order + '"]'); }
  function lastId(log) {
    var ids = all('[data-chat-order="' + log.getAttribute("data-chat-order") + '"] li[data-id]')
      .map(function (li) { return parseInt(li.getAttribute("data-id"), 10) || 0; });
    return ids.length ? Math.max.apply(null, ids) : 0;
  }
  function resyncAll() {
    all("[data-chat-order]").forEach(function (log) {
      send({ type: "resync", order: parseInt(log.getAttribute("data-chat-order"), 10), after: lastId(log) });
    });
  }
  function showMessage(frame) {
    var log = chatLog(frame.order);
    if (!log || log.querySelector('li[data-id="' + frame.id + '"]')) return;
    var li = frame.client_id && log.querySelector('li[data-client-id="' + frame.client_id + '"]');
    if (!li) {
      li = document.createElement("li");
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = frame.sender_name || "";
      var text = document.createElement("span");
      text.className = "body";
      text.textContent = frame.body;
      li.appendChild(who);
      li.appendChild(text);
      log.appendChild(li);
    }
    li.classList.remove("pending");
    li.setAttribute("data-id", frame.id);
    if (String(frame.sender) === me) li.classList.add("mine");
    var empty = log.querySelector(".empty");
    if (empty) empty.remove();
    log.scrollTop = log.scrollHeight;
    if (String(frame.sender) !== me && document.visibilityState === "visible") {
      send({ type: "chat.read", order: frame.order, up_to: frame.id });
    }
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-chat-form]") || !state.connected) return;
    var input = form.querySelector("textarea[name=body]");
    var text = input.value;
    // Capture phase: the socket send replaces htmx's POST fallback on the same form.
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!text.trim()) return;
    var order = parseInt(form.getAttribute("data-chat-form"), 10);
    var clientId = "w" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    var log = chatLog(order);
    if (log) {
      var li = document.createElement("li");
      li.className = "mine pending";
      li.setAttribute("data-client-id", clientId);
      var span = document.createElement("span");
      span.className = "body";
      span.textContent = text;
      li.appendChild(span);
      log.appendChild(li);
      log.scrollTop = log.scrollHeight;
    }
    send({ type: "chat.send", order: order, body: text, client_id: clientId });
    input.value = "";
  }, true);
  // The htmx fallback (no socket): clear the form once the message was stored. (Here rather
  // than in an hx-on attribute: the Content-Security-Policy allows no inline handlers.)
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target;
    if (form.matches && form.matches("[data-chat-form]") && event.detail.successful) form.reset();
  });

  // --- offers: sound and vibration ------------------------------------------------------------
  function unlockAudio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    try { state.audio = state.audio || new Ctx(); if (state.audio.state === "suspended") state.audio.resume(); } catch (e) { /* not allowed */ }
  }
  document.addEventListener("pointerdown", unlockAudio, { once: true });
  function alertOffer() {
    try {
      if (state.audio && state.audio.state === "running") {
        var ctx = state.audio, osc = ctx.createOscillator(), gain = ctx.createGain();
        osc.frequency.value = 880;
        gain.gain.value = 0.15;
        osc.connect(gain); gain.connect(ctx.destination);
        osc.start(); osc.stop(ctx.currentTime + 0.25);
      }
    } catch (e) { /* sound is a nicety */ }
    if (navigator.vibrate) { try { navigator.vibrate([200, 100, 200]); } catch (e) { /* not allowed */ } }
  }
  function toast(text, href) {
    var box = document.getElementById("toast");
    if (!box) return;
    box.textContent = "";
    var link = document.createElement(href ? "a" : "span");
    if (href) link.href = href;
    link.textContent = text;
    box.appendChild(link);
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.hidden = true; }, 8000);
  }

  // --- frames -------------------------------------------------------------------------------
  function handle(frame) {
    switch (frame.type) {
      case "chat.message": showMessage(frame); break;
      case "offer.created":
        alertOffer();
        if (window.meijiaOffers) window.meijiaOffers.created(frame);
        if (document.querySelector('[data-live="offers"]')) refresh('[data-live="offers"]');
        else if (!window.meijiaOffers) toast(body.getAttribute("data-text-new-offer") || "New offer", "/worker/offers/");
        break;
      case "offer.withdrawn":
        if (window.meijiaOffers) window.meijiaOffers.gone(frame);
        refresh('[data-live="offers"]');
        break;
      case "order.updated":
        refresh('[data-live-order="' + frame.order + '"]');
        refresh('[data-live-request="' + frame.request + '"]');
        refresh('[data-live="orders"]');
        break;
      case "notification":
        if (frame.order) refresh('[data-live-order="' + frame.order + '"]');
        if (frame.message && !document.querySelector('[data-live-order="' + frame.order + '"]')) {
          toast(frame.message, frame.order ? "/orders/" + frame.order + "/" : null);
        }
        break;
      case "safety.sos":
      case "safety.overdue":
        // A worker's SOS or a visit not checked out: staff must not miss it.
        alertOffer();
        toast(frame.message || "SOS", "/safety/alerts/");
        break;
      default: break;
    }
  }

  // --- connection -----------------------------------------------------------------------------
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    try { socket = new WebSocket(scheme + location.host + "/ws/"); } catch (e) { schedule(); return; }
    state.socket = socket;
    socket.onopen = function () {
      state.connected = true;
      state.attempts = 0;
      body.classList.add("live-on");
      resyncAll();
      // Catch up on what changed before this connect (page load or an outage); typed input in
      // the refreshed panels survives (hx-preserve on their forms).
      refresh("[data-live]");
      refresh("[data-live-order]");
      refresh("[data-live-request]");
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      handle(frame);
    };
    socket.onclose = function (event) {
      var wasConnected = state.connected;
      state.connected = false;
      state.socket = null;
      body.classList.remove("live-on");
      if (event.code === 4401) return; // signed out: polling carries on
      if (wasConnected) state.attempts = 0;
      schedule();
    };
  }
  function schedule() {
    var delay = Math.min(30000, 1000 * Math.pow(2, state.attempts)) * (0.5 + Math.random() / 2);
    state.attempts += 1;
    setTimeout(connect, delay);
  }

  // --- the polling fallback: only while the socket is down ------------------------------------
  function poll() {
    if (state.connected) return;
    refresh("[data-live]");
    refresh("[data-live-order]");
    refresh("[data-live-request]");
    // A chat log with messages still waiting to be sent is left alone (they would be lost).
    all("[data-chat-order]").forEach(function (log) {
      if (!log.querySelector("li.pending") && window.htmx) window.htmx.trigger(log, "refresh");
    });
  }
  setInterval(poll, window.meijiaPollMs || 20000);

  // --- "use my location" on the profile form -------------------------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-locate]");
    if (!button || !navigator.geolocation) return;
    event.preventDefault();
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("id_base_latitude").value = position.coords.latitude.toFixed(5);
      document.getElementById("id_base_longitude").value = position.coords.longitude.toFixed(5);
    });
  });

  connect();
})();
