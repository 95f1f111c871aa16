import datetime as dt

import pytest
from django.test import override_settings

from demo.county import id_card_number_for
from marketplace import idcard
from tests import factories


@pytest.mark.parametrize(
    "number",
    ["11010519491231002X", "11010519491231002x", " 110105199003070025 ", "440524198001010013"],
)
def test_valid_numbers(number):
    assert idcard.is_valid(number)


@pytest.mark.parametrize(
    "number",
    [
        "",
        "110105194912310021",  # wrong check character
        "11010519491331002X",  # month 13
        "11010519490230002X",  # 30 February
        "1101051949123100",  # too short
        "11010519491231002XX",  # too long
        "A1010519491231002X",  # letter in the body
        "110105180001010010",  # born before 1900
    ],
)
def test_invalid_numbers(number):
    assert not idcard.is_valid(number)


def test_future_birth_date_is_invalid():
    born = dt.date.today() + dt.timedelta(days=400)
    first17 = f"110105{born:%Y%m%d}002"
    assert not idcard.is_valid(first17 + idcard.check_character(first17))


def test_encryption_round_trip_and_digest_is_keyed():
    ciphertext = idcard.encrypt("11010519491231002x")
    assert "11010519491231002X" not in ciphertext
    assert idcard.decrypt(ciphertext) == "11010519491231002X"
    assert idcard.digest("11010519491231002x") == idcard.digest("11010519491231002X")
    with override_settings(FIELD_ENCRYPTION_KEY="another-key"):
        assert idcard.decrypt(ciphertext) == ""  # a wrong key reads nothing, never garbage


def test_digest_changes_with_the_key():
    first = idcard.digest("11010519491231002X")
    with override_settings(FIELD_ENCRYPTION_KEY="another-key"):
        assert idcard.digest("11010519491231002X") != first


def test_masked_shows_only_last_four():
    assert idcard.masked("002X") == "**************002X"
    assert idcard.masked("") == ""


@pytest.mark.django_db
def test_worker_stores_only_ciphertext_digest_and_last_four():
    worker = factories.WorkerFactory(credentials=False)
    worker.set_id_card_number("11010519491231002x")
    worker.save()
    worker.refresh_from_db()
    assert worker.id_card_number == "11010519491231002X"
    assert worker.id_card_last4 == "002X"
    assert worker.id_card_masked.endswith("002X")
    assert "1101051949" not in worker.id_card_ciphertext


def test_demo_numbers_are_valid_female_and_unique():
    numbers = [id_card_number_for(n) for n in range(0, 200_000, 7)]
    assert len(set(numbers)) == len(numbers)
    for number in numbers[:2000]:
        assert idcard.is_valid(number)
        assert int(number[16]) % 2 == 0
