"""Money as people read it: amounts are integer fen (分) everywhere, shown as yuan (元)."""

from __future__ import annotations


def yuan_number(fen: int) -> str:
    """Yuan with two decimals and a sign, no symbol or grouping (CSV): -15050 → "-150.50"."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def yuan(fen: int) -> str:
    """Yuan for a person to read, with the ¥ sign and thousands grouped: 150050 → "¥1,500.50"."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}¥{fen // 100:,}.{fen % 100:02d}"
