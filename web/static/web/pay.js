/* 家政美家: mounts Stripe's Payment Element on the card page (loaded only when Stripe is on). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("card-form");
    if (!form || !window.Stripe) return;
    var stripe = window.Stripe(form.dataset.stripeKey);
    var elements = stripe.elements({
      clientSecret: form.dataset.clientSecret,
      locale: document.documentElement.lang === "en" ? "en" : "zh",
    });
    elements.create("payment").mount("#card-element");
    var errors = document.getElementById("card-errors");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = { elements: elements, confirmParams: { return_url: form.dataset.returnUrl } };
      var done = form.dataset.mode === "saved_method"
        ? stripe.confirmSetup(params)
        : stripe.confirmPayment(params);
      done.then(function (result) {
        if (result.error) errors.textContent = result.error.message || form.dataset.textFailed;
      });
    });
  });
})();
