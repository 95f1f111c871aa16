/* Meijia service worker: shows Web Push notifications (notifications.kinds.push_message) and
   opens the page they name; "接受" (action "accept") opens the offer. */
self.addEventListener("push", (event) => {
  let message = {};
  try { message = event.data ? event.data.json() : {}; } catch (e) { message = { title: "家政美家", body: event.data && event.data.text() }; }
  const options = {
    body: message.body || "",
    tag: message.tag || undefined,
    icon: "/static/web/icons/icon-192.png",
    data: { url: message.url || "/", offer: message.offer || null },
    actions: (message.actions || []).slice(0, 2),
    requireInteraction: message.type === "offer.created",
  };
  event.waitUntil(self.registration.showNotification(message.title || "家政美家", options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  let url = data.url || "/";
  if (event.action === "accept" && data.offer) url = `/worker/offers/?accept=${data.offer}#offer-${data.offer}`;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const client of windows) {
      if ("focus" in client) { await client.navigate(url); return client.focus(); }
    }
    return self.clients.openWindow(url);
  })());
});

self.addEventListener("pushsubscriptionchange", (event) => {
  // The browser renewed the subscription: the page re-subscribes on its next visit.
});
