"""Sign-in, registration, sign-out (Django session) and the home page that routes by role."""

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from backend.exceptions import ValidationFailed
from backend.security import lockout_detail, lockout_retry_after
from marketplace.models import Role
from marketplace.serializers import RegisterSerializer
from marketplace.services.accounts import user_register
from web.forms import RegisterForm, apply_errors


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self):
        """The lock-out's reason instead of "wrong password" when the sign-in was refused
        before any password check (`backend.login_lockout`)."""
        try:
            return super().clean()
        except ValidationError:
            if is_locked_out(self.request):
                wait = self.request.login_retry_after
                raise ValidationError(lockout_detail(wait), code="locked_out") from None
            raise


def is_locked_out(request) -> bool:
    return bool(getattr(request, "login_locked_out", False))


class LoginView(auth_views.LoginView):
    template_name = "web/accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("web:home")  # home sends each role to its own first page

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if is_locked_out(self.request):
            response.status_code = 429
            lockout_retry_after(response, self.request.login_retry_after)
        return response


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
    if user.is_village_officer:
        return reverse("web:console-candidates")
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
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
                if user.role == Role.WORKER:
                    return redirect("web:worker-profile")
                return redirect(home_url_for(user))
    return render(request, "web/accounts/register.html", {"form": form})
