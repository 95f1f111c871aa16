"""The production layout says the same as the code: every daphne start caps frames and messages
(and none believes forwarded headers by itself), nginx forwards the caller's address the way
backend.client_address reads it and limits sockets, and the trial trusts only its own nginx."""

import re
from pathlib import Path

from django.conf import settings

from tests.deploy.test_layout import TEMPLATE, location

ROOT = Path(__file__).resolve().parents[2]
STARTERS = [ROOT / "scripts" / "run-dev.sh", ROOT / "deploy" / "trial.sh", ROOT / "README.md"]


def daphne_commands(text: str) -> list[str]:
    """Each daphne command line (backslash continuations joined), comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", text)
    return [
        line
        for line in joined.splitlines()
        if re.search(r"(bin/daphne|-m daphne|^\s*daphne) ", line)
        and not line.lstrip().startswith("#")
    ]


def test_every_daphne_start_caps_frames_and_messages():
    found = 0
    for path in STARTERS:
        for command in daphne_commands(path.read_text(encoding="utf-8")):
            found += 1
            assert "--websocket-max-frame-size" in command, (path.name, command)
            assert "--websocket-max-message-size" in command, (path.name, command)
            assert "--proxy-headers" not in command, (path.name, command)
            for default in re.findall(r"WEBSOCKET_MAX_\w+_BYTES:-(\d+)", command):
                assert int(default) == settings.DAPHNE_WEBSOCKET_MAX_FRAME_SIZE
    assert found >= 3  # run-dev.sh, trial.sh, the README's production command


def test_the_settings_caps_are_far_below_the_reported_attack():
    assert settings.DAPHNE_WEBSOCKET_MAX_FRAME_SIZE == 65536
    assert settings.DAPHNE_WEBSOCKET_MAX_MESSAGE_SIZE == 65536
    assert settings.SOCKETS_PER_USER == 10


def test_nginx_forwards_the_address_the_app_reads_and_limits_sockets():
    sockets, pages = location(TEMPLATE, "/ws/"), location(TEMPLATE, "/ {")
    for block in (sockets, pages):
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in block
        assert "proxy_set_header X-Real-IP $remote_addr;" in block
    assert "limit_conn_zone $binary_remote_addr zone=meijia_sockets" in TEMPLATE
    assert re.search(r"limit_conn meijia_sockets \d+;", sockets)
    assert "client_max_body_size 1k;" in sockets


def test_the_trial_trusts_only_its_own_nginx_and_gunicorn_agrees():
    trial = (ROOT / "deploy" / "trial.sh").read_text(encoding="utf-8")
    assert "export TRUSTED_PROXIES=127.0.0.1,::1" in trial
    assert "export NUM_PROXIES=1" in trial
    gunicorn = (ROOT / "deploy" / "gunicorn.conf.py").read_text(encoding="utf-8")
    assert 'forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1")' in gunicorn
