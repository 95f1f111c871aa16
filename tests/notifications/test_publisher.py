"""Pushes outside the ASGI server go through one long-lived publisher thread per process: in
order, all recipients of a call in one batch, and a forked child starts its own."""

import os
import threading

from channels.layers import BaseChannelLayer, channel_layers

from notifications import publisher
from notifications.events import push_to_users

recorded: list[tuple[str, str, dict]] = []


class RecordingLayer(BaseChannelLayer):
    """A cross-process layer stand-in: records which thread sent what to which group."""

    extensions = ["groups"]

    async def group_send(self, group, message):
        recorded.append((threading.current_thread().name, group, message))


def test_pushes_from_a_worker_thread_go_out_in_order_on_one_publisher_thread(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.RecordingLayer"}}
    channel_layers.backends.clear()
    recorded.clear()
    push_to_users([3, 1, 2, 1], {"type": "order.updated", "n": 1})
    push_to_users([2], {"type": "order.updated", "n": 2})
    first = publisher.background_publisher()
    assert publisher.flush(5)
    assert [(group, m["frame"]["n"]) for _, group, m in recorded] == [
        ("user.1", 1),
        ("user.2", 1),
        ("user.3", 1),
        ("user.2", 2),
    ]
    assert {thread for thread, _, _ in recorded} == {"meijia-publisher"}
    assert all(m["type"] == "push.frame" for _, _, m in recorded)
    push_to_users([4], {"type": "order.updated", "n": 3})
    assert publisher.flush(5) and recorded[-1][1] == "user.4"
    assert publisher.background_publisher() is first and first.thread.is_alive()


def test_a_forked_child_forgets_the_parents_publisher_thread():
    parent = publisher.background_publisher()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the parent's thread does not exist here
        fresh = publisher._publisher is None
        child = publisher.background_publisher()
        ok = fresh and child is not parent and child.pid == os.getpid() and child.thread.is_alive()
        os.write(write, b"1" if ok else b"0")
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"
    assert publisher.background_publisher() is parent
