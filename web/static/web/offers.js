/* 家政美家 offers that are hard to miss: the 派单 tab badge and the page title count pending
 * offers; a new offer shows a sticky card with a countdown until it expires (until she opens
 * it or it is withdrawn); every [data-countdown] ticks; an optional read-aloud (speechSynthesis,
 * zh-CN) says the offer for workers who read slowly. live.js calls window.meijiaOffers. */
(function () {
  "use strict";
  var SPEAK_KEY = "meijia-speak-offers";
  var baseTitle = document.title;
  var badge = document.querySelector("[data-offer-badge]");
  var alertBox = document.getElementById("offer-alert");

  function count() { return badge ? parseInt(badge.getAttribute("data-offer-badge"), 10) || 0 : 0; }
  function setCount(n) {
    n = Math.max(0, n);
    if (badge) {
      badge.setAttribute("data-offer-badge", String(n));
      badge.firstChild.nodeValue = String(n);
      badge.hidden = n === 0;
    }
    document.title = n > 0 ? "(" + n + ") " + baseTitle : baseTitle;
  }
  function left(iso) {
    var ms = Date.parse(iso) - Date.now();
    if (!(ms > 0)) return null;
    var s = Math.floor(ms / 1000);
    var m = Math.floor(s / 60);
    s = s % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function tick() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-countdown]"), function (el) {
      var text = left(el.getAttribute("data-countdown"));
      el.textContent = text || "0:00";
      if (!text && el.closest("#offer-alert")) hideAlert();
    });
  }
  function hideAlert() { if (alertBox) { alertBox.hidden = true; alertBox.removeAttribute("data-alert-offer"); } }
  function text(key, fallback) { return (alertBox && alertBox.getAttribute("data-text-" + key)) || fallback; }
  function yuan(fen) { return (fen / 100).toFixed(fen % 100 ? 2 : 0); }
  function speakOn() { try { return localStorage.getItem(SPEAK_KEY) === "1"; } catch (e) { return false; } }
  function speak(frame) {
    if (!speakOn() || !window.speechSynthesis || !window.SpeechSynthesisUtterance) return;
    var minutes = Math.max(1, Math.round((Date.parse(frame.expires_at) - Date.now()) / 60000));
    var words = text("speak", "有新的派单，报酬%(yuan)s元，距您%(km)s公里，请在%(minutes)s分钟内回复。")
      .replace("%(yuan)s", yuan(frame.budget || 0))
      .replace("%(km)s", String(Math.round((frame.distance_km || 0) * 10) / 10))
      .replace("%(minutes)s", String(minutes));
    try {
      var utterance = new SpeechSynthesisUtterance(words);
      utterance.lang = /^zh/i.test(document.documentElement.lang || "zh") ? "zh-CN" : "en";
      window.speechSynthesis.speak(utterance);
    } catch (e) { /* reading aloud is a nicety */ }
  }
  function showAlert(frame) {
    // On the offers page the live list shows the new card itself, with its countdown.
    if (!alertBox || document.querySelector('[data-live="offers"]')) return;
    alertBox.textContent = "";
    alertBox.setAttribute("data-alert-offer", String(frame.offer));
    var link = document.createElement("a");
    link.href = "/worker/offers/";
    var title = document.createElement("strong");
    title.textContent = text("offer", "新派单") + " · " + yuan(frame.budget || 0) + text("yuan", "元") +
      " · " + (Math.round((frame.distance_km || 0) * 10) / 10) + text("km", "公里");
    var clock = document.createElement("span");
    clock.className = "countdown";
    clock.textContent = text("left", "剩余") + " ";
    var digits = document.createElement("span");
    digits.setAttribute("data-countdown", frame.expires_at);
    clock.appendChild(digits);
    link.appendChild(title);
    link.appendChild(document.createElement("br"));
    link.appendChild(clock);
    alertBox.appendChild(link);
    alertBox.hidden = false;
    tick();
  }

  window.meijiaOffers = {
    created: function (frame) { setCount(count() + 1); showAlert(frame); speak(frame); },
    gone: function (frame) {
      setCount(count() - 1);
      if (alertBox && alertBox.getAttribute("data-alert-offer") === String(frame.offer)) hideAlert();
    },
    speak: speak
  };

  // The read-aloud switch on the offers page (remembered on this phone).
  function drawToggle(button) { button.setAttribute("aria-pressed", speakOn() ? "true" : "false"); }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-speak-toggle]");
    if (!button) return;
    try { localStorage.setItem(SPEAK_KEY, speakOn() ? "0" : "1"); } catch (e) { /* private mode */ }
    drawToggle(button);
    if (speakOn() && window.speechSynthesis && window.SpeechSynthesisUtterance) {
      try { window.speechSynthesis.speak(Object.assign(new SpeechSynthesisUtterance(button.getAttribute("data-sample") || ""), { lang: /^zh/i.test(document.documentElement.lang || "zh") ? "zh-CN" : "en" })); } catch (e) { /* nicety */ }
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-speak-toggle]"), drawToggle);
  if (!window.speechSynthesis) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-speak-toggle]"), function (b) { b.hidden = true; });
  }
  setCount(count());
  tick();
  setInterval(tick, 1000);
})();
