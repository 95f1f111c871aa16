/* Subscribe this browser to Web Push (notification settings page): register /sw.js, ask for
   permission, subscribe with the server's VAPID key, hand the subscription to the API. */
(function () {
  "use strict";
  const card = document.getElementById("push-card");
  const button = document.getElementById("push-enable");
  if (!card || !button) return;
  const status = document.getElementById("push-status");
  const say = (key) => { status.textContent = card.dataset[key] || ""; };
  const csrf = () => (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  const keyBytes = (base64url) => {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  };
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) { say("textUnsupported"); button.disabled = true; return; }

  async function subscribe() {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") { say("textDenied"); return; }
    const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    await navigator.serviceWorker.ready;
    let subscription = await registration.pushManager.getSubscription();
    if (!subscription) {
      subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(card.dataset.vapidKey),
      });
    }
    const response = await fetch("/api/v1/push/subscriptions/", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(subscription.toJSON()),
    });
    if (response.ok) say("textOn");
  }
  button.addEventListener("click", () => { subscribe().catch(() => say("textUnsupported")); });
  if (Notification.permission === "granted") subscribe().catch(() => {});
})();
