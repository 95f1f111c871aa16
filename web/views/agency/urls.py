"""Routes of the agency console: each page at /agency/… (own agency) and /agency/<id>/…."""

from __future__ import annotations

from django.urls import path

from web.views.agency.countersign import (
    contract_countersign,
    countersign,
    countersign_grant,
    countersign_withdraw,
)
from web.views.agency.credentials import (
    certificate_revoke,
    credential_add,
    credential_verify,
    worker_detail,
    worker_identity,
)
from web.views.agency.dispatch import dispatch
from web.views.agency.home import home
from web.views.agency.invoices import invoice_issue, invoice_reject, invoices
from web.views.agency.orders import contracts, dispute_resolve, disputes, orders
from web.views.agency.roster import roster, roster_end, roster_invite
from web.views.agency.staff import staff, staff_remove, staff_role
from web.views.agency.statements import statement, statement_csv
from web.views.agency.substitutes import substitutes

CONSOLE_ROUTES = [
    ("", home, "home"),
    ("roster/", roster, "roster"),
    ("roster/invite/", roster_invite, "roster-invite"),
    ("roster/<int:entry_id>/end/", roster_end, "roster-end"),
    ("workers/<int:worker_id>/", worker_detail, "worker"),
    ("workers/<int:worker_id>/identity/", worker_identity, "worker-identity"),
    ("workers/<int:worker_id>/add/<str:kind>/", credential_add, "credential-add"),
    ("credentials/<str:kind>/<int:credential_id>/verify/", credential_verify, "credential-verify"),
    ("certificates/<int:credential_id>/revoke/", certificate_revoke, "certificate-revoke"),
    ("dispatch/", dispatch, "dispatch"),
    ("orders/", orders, "orders"),
    ("contracts/", contracts, "contracts"),
    ("contracts/<int:order_id>/sign/", contract_countersign, "contract-sign"),
    ("countersign/", countersign, "countersign"),
    ("countersign/grant/", countersign_grant, "countersign-grant"),
    ("countersign/revoke/", countersign_withdraw, "countersign-revoke"),
    ("disputes/", disputes, "disputes"),
    ("disputes/<int:order_id>/resolve/", dispute_resolve, "dispute-resolve"),
    ("staff/", staff, "staff"),
    ("staff/<int:staff_id>/role/", staff_role, "staff-role"),
    ("staff/<int:staff_id>/remove/", staff_remove, "staff-remove"),
    ("invoices/", invoices, "invoices"),
    ("invoices/<int:invoice_id>/issue/", invoice_issue, "invoice-issue"),
    ("invoices/<int:invoice_id>/reject/", invoice_reject, "invoice-reject"),
    ("statement/", statement, "statement"),
    ("statement.csv", statement_csv, "statement-csv"),
    ("substitutes/", substitutes, "substitutes"),
]


def routes() -> list:
    """Each console page at /agency/… (own agency) and /agency/<id>/… (operators)."""
    patterns = []
    for suffix, view, name in CONSOLE_ROUTES:
        patterns.append(path(f"agency/{suffix}", view, name=f"agency-{name}"))
        patterns.append(path(f"agency/<int:agency_id>/{suffix}", view, name=f"agency-id-{name}"))
    return patterns
