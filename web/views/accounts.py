"""Sign-in, registration, sign-out (Django session) and the home page that routes by role."""

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from backend.exceptions import ValidationFailed
from backend.security import api_lockout_response, lockout_detail, lockout_retry_after
from marketplace.models import Role
from marketplace.serializers import RegisterSerializer
from marketplace.services.accounts import user_register
from web.forms import RegisterForm, apply_errors


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer once a username or an address is locked: the API's JSON error
    under /api/ (backend), the sign-in page with the reason on the web."""
    path = getattr(request, "path", "") or ""
    if path.startswith("/api/"):
        return api_lockout_response(request, original_response, credentials)
    # An unbound form carrying the reason as its non-field error (binding it would run
    # authentication again).
    form = SignInForm(request)
    form.cleaned_data = {}
    form._errors = ErrorDict()
    form.add_error(None, lockout_detail())
    response = render(
        request,
        "web/accounts/login.html",
        {"form": form},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    return lockout_retry_after(response)


class LoginView(auth_views.LoginView):
    template_name = "web/accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("web:home")  # home sends each role to its own first page


class LogoutView(auth_views.LogoutView):
    next_page = "web:home"


def home_url_for(user) -> str:
    if user.is_household:
        return reverse("web:requests")
    if user.is_worker:
        return reverse("web:offers")
    if user.is_federation:
        return reverse("web:federation-dashboard")
    if user.is_agency_staff:
        return reverse("web:agency-home")
    return reverse("web:orders")


def home(request):
    if request.user.is_authenticated:
        return redirect(home_url_for(request.user))
    return render(request, "web/home.html")


@require_http_methods(["GET", "POST"])
def register(request):
    """Sign up as a household or a worker with the API's rules, then sign in."""
    if request.user.is_authenticated:
        return redirect(home_url_for(request.user))
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        serializer = RegisterSerializer(data=form.cleaned_data)
        if not serializer.is_valid():
            apply_errors(form, serializer.errors)
        else:
            data = serializer.validated_data
            try:
                with transaction.atomic():
                    user = user_register(
                        username=data["username"],
                        password=data["password"],
                        role=data["role"],
                        display_name=data["display_name"],
                        phone=data["phone"],
                    )
            except ValidationFailed as error:
                apply_errors(form, {error.field or "non_field_errors": [error.detail]})
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                if user.role == Role.WORKER:
                    return redirect("web:worker-profile")
                return redirect(home_url_for(user))
    return render(request, "web/accounts/register.html", {"form": form})
