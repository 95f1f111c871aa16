/* 家政美家 safety: forms marked data-locate-submit send the phone's position when it gives
 * one (check-in, SOS); forms with data-confirm ask first. Loaded from the order page's safety
 * partial, which htmx may swap in again: the listeners are registered once. */
(function () {
  "use strict";
  if (window.meijiaSafety) return;
  window.meijiaSafety = true;

  function fill(form, position) {
    var fields = { latitude: position.coords.latitude.toFixed(6), longitude: position.coords.longitude.toFixed(6),
      accuracy_m: Math.round(position.coords.accuracy || 0) };
    Object.keys(fields).forEach(function (name) {
      var input = form.querySelector('input[name="' + name + '"]');
      if (input) input.value = fields[name];
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); return; }
    if (!form.matches("[data-locate-submit]") || form.getAttribute("data-located") === "1") return;
    if (!navigator.geolocation) return;
    event.preventDefault();
    var done = false;
    function send() {
      if (done) return;
      done = true;
      form.setAttribute("data-located", "1");
      form.submit();
    }
    setTimeout(send, 6000); // never hold up a check-in or an SOS for a slow fix
    try {
      navigator.geolocation.getCurrentPosition(function (position) { fill(form, position); send(); }, send,
        { enableHighAccuracy: true, timeout: 5000, maximumAge: 60000 });
    } catch (e) { send(); }
  }, true);
})();
