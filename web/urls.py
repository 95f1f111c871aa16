"""The web app at the site root: households, workers, orders, accounts, the manifest."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from web.views import (
    accounts,
    career,
    federation,
    household,
    my_data,
    open_board,
    order_safety,
    orders,
    payments,
    programme_competition_rounds,
    programme_competitions,
    programme_console,
    programme_console_claim,
    programme_console_courses,
    programme_console_exams,
    programme_console_import,
    programme_fairs,
    programme_health,
    programme_women,
    pwa,
    reach,
    rebooking,
    receipts,
    reliability,
    reviews,
    roster_invitations,
    safety_alerts,
    service_cards,
    time_off,
    worker,
)
from web.views.agency import urls as agency_urls

app_name = "web"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/register/", accounts.register, name="register"),
    path("accounts/forgot/", reach.forgot_password, name="forgot-password"),
    path("accounts/forgot/code/", reach.forgot_password_code, name="forgot-password-code"),
    path("accounts/reset/<str:token>/", reach.reset_by_link, name="reset-link"),
    path("settings/notifications/", reach.notification_settings, name="notification-settings"),
    path("settings/phone/", reach.phone_settings, name="phone-settings"),
    # household
    path("requests/", household.requests_list, name="requests"),
    path("requests/new/", household.request_new, name="request-new"),
    path("requests/<int:request_id>/", household.request_detail, name="request"),
    path("requests/<int:request_id>/invite/", household.request_invite, name="request-invite"),
    path("requests/<int:request_id>/cancel/", household.request_cancel_view, name="request-cancel"),
    # worker
    path("worker/offers/", worker.offers, name="offers"),
    path("worker/offers/<int:offer_id>/accept/", worker.offer_accept_view, name="offer-accept"),
    path("worker/offers/<int:offer_id>/decline/", worker.offer_decline_view, name="offer-decline"),
    path("worker/schedule/", worker.schedule, name="schedule"),
    path("worker/profile/", worker.profile, name="worker-profile"),
    path("worker/profile/edit/", worker.profile_edit, name="worker-profile-edit"),
    path("worker/reviews/", worker.reviews, name="worker-reviews"),
    path("worker/invitations/", roster_invitations.invitations, name="worker-invitations"),
    path(
        "worker/invitations/<int:entry_id>/accept/",
        roster_invitations.invitation_accept,
        name="worker-invitation-accept",
    ),
    path(
        "worker/invitations/<int:entry_id>/decline/",
        roster_invitations.invitation_decline,
        name="worker-invitation-decline",
    ),
    # orders, for every party
    path("orders/", login_required(orders.orders_list), name="orders"),
    path("orders/<int:order_id>/", login_required(orders.order_detail), name="order"),
    path("orders/<int:order_id>/contract/", login_required(orders.contract_page), name="contract"),
    path(
        "orders/<int:order_id>/contract/sign/",
        login_required(orders.contract_sign_view),
        name="contract-sign",
    ),
    path("orders/<int:order_id>/check-in/", login_required(orders.check_in), name="check-in"),
    path("orders/<int:order_id>/check-out/", login_required(orders.check_out), name="check-out"),
    path("orders/<int:order_id>/confirm/", login_required(orders.confirm), name="confirm"),
    path("orders/<int:order_id>/cancel/", login_required(orders.cancel), name="cancel"),
    path("orders/<int:order_id>/review/", login_required(orders.review), name="review"),
    path("orders/<int:order_id>/chat/", login_required(orders.chat), name="chat"),
]
# agency console, payments, federation dashboard
urlpatterns += agency_urls.routes() + payments.ROUTES + receipts.ROUTES + federation.ROUTES
# the programme console (officers and village officers) and claiming an account made for her
urlpatterns += (
    programme_console.ROUTES
    + programme_console_import.ROUTES
    + programme_console_courses.ROUTES
    + programme_console_exams.ROUTES
    + programme_console_claim.ROUTES
)
urlpatterns += rebooking.ROUTES + time_off.ROUTES + open_board.ROUTES + reviews.ROUTES
# the programme: women's courses, exams, health checks and jobs; fairs and health-check consoles
urlpatterns += programme_women.ROUTES + programme_fairs.ROUTES + programme_health.ROUTES
urlpatterns += programme_competitions.ROUTES + programme_competition_rounds.ROUTES
urlpatterns += my_data.ROUTES

# service cards, reliability and appeals, the career record, safety alerts, safety on the order
urlpatterns += [
    path("card/<str:token>/", service_cards.card_public, name="card"),
    path("card/<str:token>/photo/", service_cards.card_photo, name="card-photo"),
    path("worker/card/", service_cards.card_own, name="card-own"),
    path("worker/card/photo/", service_cards.card_photo_upload, name="card-photo-upload"),
    path("worker/reliability/", reliability.reliability, name="reliability"),
    path("worker/reliability/appeal/", reliability.appeal_create, name="appeal-create"),
    path("worker/career/", career.career_own, name="career"),
    path("worker/career.pdf", career.career_own_pdf, name="career-pdf"),
    path("career/shared/<str:token>/", career.career_shared, name="career-shared"),
    path("career/shared/<str:token>/pdf/", career.career_shared_pdf, name="career-shared-pdf"),
    path("safety/workers/<int:worker_id>/card/", service_cards.card_manage, name="card-manage"),
    path(
        "safety/workers/<int:worker_id>/card/revoke/",
        service_cards.card_revoke,
        name="card-revoke",
    ),
    path(
        "safety/workers/<int:worker_id>/card/reissue/",
        service_cards.card_reissue,
        name="card-reissue",
    ),
    path("safety/appeals/", reliability.appeals, name="appeals"),
    path("safety/appeals/<int:appeal_id>/decide/", reliability.appeal_decide, name="appeal-decide"),
    path("safety/alerts/", safety_alerts.alerts, name="safety-alerts"),
    path(
        "orders/<int:order_id>/start-code/regenerate/",
        order_safety.start_code_regenerate,
        name="start-code-regenerate",
    ),
    path("orders/<int:order_id>/sos/", order_safety.sos, name="sos"),
    path("orders/<int:order_id>/block/", order_safety.block_household, name="block-household"),
]
