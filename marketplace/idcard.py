"""Resident ID-card numbers (GB 11643-1999): checksum validation and storage at rest.

The number is personal data: it is stored encrypted (Fernet, key from settings), with a keyed
digest for uniqueness and the last four characters for display. Only the worker herself, her
agency and operators may read it (marketplace.permissions decides who).
"""

import base64
import hashlib
import hmac
import re
from datetime import date

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def normalize(number: str) -> str:
    return (number or "").strip().upper()


def check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def is_valid(number: str) -> bool:
    """True when the number has 18 characters, a real birth date and the right check character."""
    number = normalize(number)
    if not ID_PATTERN.match(number):
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > date.today():
        return False
    return check_character(number[:17]) == number[17]


def _key_material() -> bytes:
    secret = settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY
    return hashlib.sha256(("meijia.idcard:" + secret).encode()).digest()


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key_material()))


def encrypt(number: str) -> str:
    return _fernet().encrypt(normalize(number).encode()).decode()


def decrypt(ciphertext: str) -> str:
    if not ciphertext:
        return ""
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        return ""


def digest(number: str) -> str:
    return hmac.new(_key_material(), normalize(number).encode(), hashlib.sha256).hexdigest()


def masked(last4: str) -> str:
    return f"**************{last4}" if last4 else ""
