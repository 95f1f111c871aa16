"""Receipts of paid orders: what was charged, received and refunded, for whom, and how.

A receipt exists once the order's payment is `paid` (captured by card, or received in full
offline) or `refunded` after that. Its number is derived from the order (one receipt per
order), so it is unique and never changes. `receipt_of` builds it from the ledger for one
viewer; `receipt_pdf` (orders.receipts.pdf) draws it.
"""
