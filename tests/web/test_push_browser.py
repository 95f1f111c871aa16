"""In Chromium: the service worker at /sw.js shows a pushed offer with its 接受 action.

The push is delivered to the registered service worker through the DevTools protocol
(ServiceWorker.deliverPushMessage), which runs the worker's real `push` handler, as a push
service's message would; the page then reads the shown notification back.
"""

import json

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = {
    "notification_id": 1,
    "type": "offer.created",
    "title": "新邀约",
    "body": "您有一个新的服务邀约，请尽快查看。",
    "url": "/worker/offers/#offer-7",
    "tag": "offer.created:7",
    "actions": [{"action": "accept", "title": "接受"}],
    "offer": 7,
}


def test_service_worker_shows_the_pushed_offer_with_accept(phone, live_url):
    context = phone()
    context.grant_permissions(["notifications"], origin=live_url)
    page = context.new_page()
    page.goto(f"{live_url}/accounts/login/")
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.evaluate(
        """async () => {
            await navigator.serviceWorker.register('/sw.js', {scope: '/'});
            await navigator.serviceWorker.ready;
        }"""
    )
    page.wait_for_function("navigator.serviceWorker.controller !== null || true")
    page.wait_for_timeout(300)
    ours = [r for r in registrations if r["scopeURL"].startswith(live_url) and not r["isDeleted"]]
    assert ours, registrations
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_url,
            "registrationId": ours[-1]["registrationId"],
            "data": json.dumps(MESSAGE, ensure_ascii=False),
        },
    )
    shown = page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            for (let i = 0; i < 50; i++) {
                const list = await registration.getNotifications();
                if (list.length) return list.map(n => ({
                    title: n.title, body: n.body, tag: n.tag, data: n.data,
                    actions: (n.actions || []).map(a => [a.action, a.title]),
                }));
                await new Promise(r => setTimeout(r, 100));
            }
            return [];
        }"""
    )
    assert len(shown) == 1, shown
    notification = shown[0]
    assert notification["title"] == "新邀约"
    assert notification["tag"] == "offer.created:7"
    assert notification["data"] == {"url": "/worker/offers/#offer-7", "offer": 7}
    assert notification["actions"] == [["accept", "接受"]]
