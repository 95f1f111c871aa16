"""Who may call each object endpoint of the API (every path with a path parameter, every method).

tests/security/test_ownership.py reads the OpenAPI schema the server serves and fails for any
operation missing here, so a new endpoint cannot ship without saying who may call it.

Each value lists the callers allowed, separated by spaces:
- a role (`household`, `worker`, `agency`, `federation`, `operator`, `anonymous`): ANY user of
  that role may call it (e.g. any worker may read a course);
- `owner:<role>`: only side A's own user of that role — the household, worker or agency staff
  member who owns the object in the path (tests/security/world.py builds it).
Every other caller — anonymous, and a household, worker, agency staff member, federation officer
and operator who are no party to the object — must get 401/403/404 and change nothing.
"""

ACCESS: dict[str, dict[str, str]] = {
    "/api/v1/agencies/{agency_id}/": {
        "get": "operator owner:agency",
        "patch": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/certificates/{credential_id}/revoke/": {
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/certificates/{credential_id}/unverify/": {
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/certificates/{credential_id}/verify/": {
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/contracts/": {
        "get": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/countersign/": {
        "get": "operator owner:agency",
        "post": "operator owner:agency",
        "delete": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/dispatch/": {
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/disputes/": {
        "get": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/health-checks/{credential_id}/unverify/": {
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/health-checks/{credential_id}/verify/": {
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/invoice-requests/": {
        "get": "operator owner:agency",
    },
    "/api/v1/invoice-requests/{invoice_request_id}/issue/": {
        "post": "owner:agency",
    },
    "/api/v1/invoice-requests/{invoice_request_id}/reject/": {
        "post": "owner:agency",
    },
    "/api/v1/agencies/{agency_id}/open-requests/": {
        "get": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/orders/": {
        "get": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/roster/": {
        "get": "operator owner:agency",
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/roster/{entry_id}/end/": {
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/staff/": {
        "get": "operator owner:agency",
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/staff/{staff_id}/": {
        "patch": "operator owner:agency",
        "delete": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/training-records/{credential_id}/unverify/": {
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/training-records/{credential_id}/verify/": {
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/workers/{worker_id}/certificates/": {
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/workers/{worker_id}/credentials/": {
        "get": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/workers/{worker_id}/health-checks/": {
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/workers/{worker_id}/training-records/": {
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/{agency_id}/workers/{worker_id}/verify-identity/": {
        "post": "operator owner:agency",
    },
    "/api/v1/agencies/me/certificates/{credential_id}/revoke/": {
        "post": "owner:agency",
    },
    "/api/v1/agencies/me/certificates/{credential_id}/unverify/": {
        "post": "owner:agency",
    },
    "/api/v1/agencies/me/certificates/{credential_id}/verify/": {
        "post": "owner:agency",
    },
    "/api/v1/agencies/me/health-checks/{credential_id}/unverify/": {
        "post": "owner:agency",
    },
    "/api/v1/agencies/me/health-checks/{credential_id}/verify/": {
        "post": "owner:agency",
    },
    "/api/v1/agencies/me/roster/{entry_id}/end/": {
        "post": "owner:agency",
    },
    "/api/v1/agencies/me/staff/{staff_id}/": {
        "patch": "owner:agency",
        "delete": "owner:agency",
    },
    "/api/v1/agencies/me/training-records/{credential_id}/unverify/": {
        "post": "owner:agency",
    },
    "/api/v1/agencies/me/training-records/{credential_id}/verify/": {
        "post": "owner:agency",
    },
    "/api/v1/agencies/me/workers/{worker_id}/certificates/": {
        "post": "owner:agency",
    },
    "/api/v1/agencies/me/workers/{worker_id}/credentials/": {
        "get": "owner:agency",
    },
    "/api/v1/agencies/me/workers/{worker_id}/health-checks/": {
        "post": "owner:agency",
    },
    "/api/v1/agencies/me/workers/{worker_id}/training-records/": {
        "post": "owner:agency",
    },
    "/api/v1/agencies/me/workers/{worker_id}/verify-identity/": {
        "post": "owner:agency",
    },
    "/api/v1/me/consents/{consent_id}/withdraw/": {
        "post": "owner:worker",
    },
    "/api/v1/notifications/{notification_id}/read/": {
        "post": "owner:worker",
    },
    "/api/v1/occurrences/{occurrence_id}/cancel/": {
        "post": "owner:household owner:agency",
    },
    "/api/v1/occurrences/{occurrence_id}/move/": {
        "post": "owner:household owner:agency",
    },
    "/api/v1/offers/{offer_id}/accept/": {
        "post": "owner:worker",
    },
    "/api/v1/offers/{offer_id}/decline/": {
        "post": "owner:worker",
    },
    "/api/v1/orders/{order_id}/": {
        "get": "owner:household owner:worker owner:agency",
    },
    "/api/v1/orders/{order_id}/rebook/": {
        "post": "owner:household",
    },
    "/api/v1/open-requests/{request_id}/take/": {
        "post": "worker",
    },
    "/api/v1/requests/{request_id}/applications/": {
        "get": "owner:household",
    },
    "/api/v1/requests/{request_id}/applications/{request_application_id}/accept/": {
        "post": "owner:household",
    },
    "/api/v1/requests/{request_id}/instant-accept/": {
        "post": "owner:household",
    },
    "/api/v1/workers/me/time-off/{time_off_id}/": {
        "delete": "owner:worker",
    },
    "/api/v1/agencies/{agency_id}/substitutes-needed/": {
        "get": "operator owner:agency",
    },
    "/api/v1/favourites/{worker_id}/": {
        "delete": "owner:household",
    },
    "/api/v1/orders/{order_id}/cancel/": {
        "post": "owner:household owner:worker owner:agency",
    },
    "/api/v1/orders/{order_id}/check-in/": {
        "post": "owner:worker",
    },
    "/api/v1/orders/{order_id}/complete/": {
        "post": "owner:worker",
    },
    "/api/v1/orders/{order_id}/confirm/": {
        "post": "owner:household",
    },
    "/api/v1/orders/{order_id}/contract/": {
        "get": "owner:household owner:worker owner:agency",
    },
    "/api/v1/orders/{order_id}/contract/amend/": {
        "post": "owner:household owner:agency",
    },
    "/api/v1/orders/{order_id}/contract/print/": {
        "get": "owner:household owner:worker owner:agency",
    },
    "/api/v1/orders/{order_id}/contract/sign/": {
        "post": "owner:household owner:worker owner:agency",
    },
    "/api/v1/orders/{order_id}/dispute/": {
        "post": "owner:household owner:worker owner:agency",
    },
    "/api/v1/orders/{order_id}/dispute/resolve/": {
        "post": "operator owner:agency",
    },
    "/api/v1/orders/{order_id}/messages/": {
        "get": "owner:household owner:worker owner:agency",
        "post": "owner:household owner:worker owner:agency",
    },
    "/api/v1/orders/{order_id}/messages/read/": {
        "post": "owner:household owner:worker owner:agency",
    },
    "/api/v1/orders/{order_id}/no-show/": {
        "post": "owner:household owner:agency",
    },
    "/api/v1/orders/{order_id}/invoice-requests/": {
        "get": "operator owner:household owner:agency",
        "post": "owner:household",
    },
    "/api/v1/orders/{order_id}/receipt/": {
        "get": "operator owner:household owner:worker owner:agency",
    },
    "/api/v1/orders/{order_id}/receipt.pdf": {
        "get": "operator owner:household owner:worker owner:agency",
    },
    "/api/v1/orders/{order_id}/payments/": {
        "get": "operator owner:household owner:worker owner:agency",
    },
    "/api/v1/orders/{order_id}/payments/authorize/": {
        "post": "owner:household",
    },
    "/api/v1/orders/{order_id}/payments/offline/": {
        "post": "operator owner:agency",
    },
    "/api/v1/orders/{order_id}/replace/": {
        "post": "owner:household",
    },
    "/api/v1/orders/{order_id}/reviews/": {
        "get": "owner:household owner:worker owner:agency",
        "post": "owner:household owner:worker",
    },
    "/api/v1/programme/applications/{application_id}/accept/": {
        "post": "owner:worker",
    },
    "/api/v1/programme/applications/{application_id}/decline/": {
        "post": "owner:worker",
    },
    "/api/v1/programme/applications/{application_id}/hire/": {
        "post": "owner:agency",
    },
    "/api/v1/programme/applications/{application_id}/interview/": {
        "post": "owner:agency",
    },
    "/api/v1/programme/applications/{application_id}/shortlist/": {
        "post": "owner:agency",
    },
    "/api/v1/programme/applications/{application_id}/reject/": {
        "post": "owner:agency",
    },
    "/api/v1/programme/applications/{application_id}/withdraw/": {
        "post": "owner:worker",
    },
    "/api/v1/programme/candidates/{candidate_id}/": {
        "get": "federation operator",
    },
    "/api/v1/programme/candidates/{candidate_id}/account/": {
        "post": "federation operator",
    },
    "/api/v1/programme/candidates/{candidate_id}/link/": {
        "post": "federation operator",
    },
    "/api/v1/programme/competition-entries/{entry_id}/round-scores/": {
        "get": "federation operator owner:worker",
        "post": "owner:federation",  # only the competition's judges (side A's officer)
    },
    "/api/v1/programme/competition-entries/{entry_id}/score/": {
        "post": "federation operator",
    },
    "/api/v1/programme/competitions/{competition_id}/": {
        "get": "worker federation operator",
        "patch": "federation operator",
    },
    "/api/v1/programme/competitions/{competition_id}/award/": {
        "post": "federation operator",
    },
    "/api/v1/programme/competitions/{competition_id}/judges/": {
        "get": "federation operator",
        "post": "federation operator",
    },
    "/api/v1/programme/competitions/{competition_id}/rounds/": {
        "get": "worker federation operator",
        "post": "federation operator",
    },
    "/api/v1/programme/competitions/{competition_id}/entries/": {
        "get": "worker federation operator",
        "post": "federation operator",
    },
    "/api/v1/programme/courses/{course_id}/": {
        "get": "worker federation operator",
        "patch": "federation operator",
    },
    "/api/v1/programme/courses/{course_id}/attendance/": {
        "get": "federation operator",
        "post": "federation operator",
    },
    "/api/v1/programme/courses/{course_id}/enrol/": {
        "post": "worker federation operator",
    },
    "/api/v1/programme/courses/{course_id}/transition/": {
        "post": "federation operator",
    },
    "/api/v1/programme/enrolments/{enrolment_id}/complete/": {
        "post": "federation operator",
    },
    "/api/v1/programme/enrolments/{enrolment_id}/withdraw/": {
        "post": "federation operator owner:worker",
    },
    "/api/v1/programme/exam-registrations/{registration_id}/result/": {
        "post": "federation operator",
    },
    "/api/v1/programme/exams/{exam_id}/": {
        "get": "worker federation operator",
        "patch": "federation operator",
    },
    "/api/v1/programme/exams/{exam_id}/register/": {
        "post": "worker federation operator",
    },
    "/api/v1/programme/fairs/{fair_id}/": {
        "get": "worker agency federation operator",
        "patch": "federation operator",
    },
    "/api/v1/programme/health-check-bookings/{booking_id}/cancel/": {
        "post": "owner:worker",
    },
    "/api/v1/programme/health-check-bookings/{booking_id}/result/": {
        "post": "federation operator",
    },
    "/api/v1/programme/health-check-sessions/{session_id}/book/": {
        "post": "worker",
    },
    "/api/v1/programme/openings/{opening_id}/": {
        "get": "worker federation operator owner:agency",
        "patch": "owner:agency",
    },
    "/api/v1/programme/openings/{opening_id}/apply/": {
        "post": "worker",
    },
    "/api/v1/requests/{request_id}/": {
        "get": "owner:household",
    },
    "/api/v1/requests/{request_id}/cancel/": {
        "post": "owner:household",
    },
    "/api/v1/requests/{request_id}/invite/": {
        "post": "owner:household",
    },
    "/api/v1/requests/{request_id}/matches/": {
        "get": "owner:household",
    },
    "/api/v1/requests/{request_id}/occurrences/": {
        "get": "owner:household",
    },
    "/api/v1/roster-invitations/{entry_id}/accept/": {
        "post": "owner:worker",
    },
    "/api/v1/roster-invitations/{entry_id}/decline/": {
        "post": "owner:worker",
    },
    "/api/v1/users/{user_id}/reset-link/": {
        "post": "operator federation owner:agency",
    },
    "/api/v1/workers/{worker_id}/": {
        "get": "household worker agency federation operator",
    },
    "/api/v1/workers/{worker_id}/reviews/": {
        "get": "household worker agency federation operator",
    },
    "/api/v1/workers/{worker_id}/review-tags/": {
        "get": "household worker agency federation operator",
    },
    # reviews: the reviewed side replies, either side reports, the operator decides a report
    "/api/v1/reviews/{review_id}/reply/": {"post": "owner:worker"},
    "/api/v1/reviews/{review_id}/reports/": {"post": "owner:household owner:worker"},
    "/api/v1/review-reports/{report_id}/hide/": {"post": "operator"},
    "/api/v1/review-reports/{report_id}/dismiss/": {"post": "operator"},
    "/api/v1/workers/me/roster/{entry_id}/end/": {
        "post": "owner:worker",
    },
    # safety: service cards (public QR check), blocks, appeals, start codes, SOS, career links
    "/api/v1/appeals/{appeal_id}/decide/": {"post": "operator owner:agency"},
    "/api/v1/cards/{token}/": {"get": "anonymous household worker agency federation operator"},
    "/api/v1/career/shared/{token}/": {"get": "agency operator"},
    "/api/v1/orders/{order_id}/block-household/": {"post": "owner:worker"},
    "/api/v1/orders/{order_id}/sos/": {"post": "owner:worker"},
    "/api/v1/orders/{order_id}/start-code/": {"get": "owner:household"},
    "/api/v1/orders/{order_id}/start-code/regenerate/": {"post": "owner:household"},
    "/api/v1/workers/me/blocks/{block_id}/": {"delete": "owner:worker"},
    "/api/v1/workers/{worker_id}/card/reissue/": {"post": "operator owner:agency"},
    "/api/v1/workers/{worker_id}/card/revoke/": {"post": "operator owner:agency"},
}

# Request bodies where the one generated from the request schema would not pass validation (the
# test sends valid input, so a refusal is about the caller, not about the body).
BODIES: dict[tuple[str, str], dict] = {
    # a generated tag code is no tag of the order's trade
    ("/api/v1/orders/{order_id}/reviews/", "post"): {"rating": 5, "comment": "好"},
}
