import base64
import hashlib
import re
from pathlib import Path

import drf_spectacular
from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from backend import observability
from programme import urls as programme_urls


def _swagger_style_hashes() -> list[str]:
    """CSP hashes of drf-spectacular's inline <style> block, so the docs page needs no
    'unsafe-inline' (its script is served separately by the split view)."""
    template = Path(drf_spectacular.__file__).parent / "templates/drf_spectacular/swagger_ui.html"
    try:
        text = template.read_text(encoding="utf-8")
    except OSError:
        return []
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()}'"
        for block in re.findall(r"<style>(.*?)</style>", text, flags=re.S)
    ]


# Swagger UI is served from our own static files (drf-spectacular-sidecar); the docs page only
# adds the hash of its one inline <style> block.
api_docs = csp_update({"style-src": _swagger_style_hashes()})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

api_v1 = [
    path("", include("marketplace.urls")),
    path("", include("orders.urls")),
    path("", include("chat.urls")),
    path("", include("notifications.urls")),
    path("programme/", include("programme.urls")),
    path("", include(programme_urls.career_urlpatterns)),
    path("metrics/", include("metrics.urls")),
    path("", include("personal_data.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("healthz", observability.healthz, name="healthz"),
    path("readyz", observability.readyz, name="readyz"),
    path("metrics", observability.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("web.urls")),
]
if settings.BENCH_BARE_VIEW:
    urlpatterns.insert(0, path("bench/bare/", observability.bench_bare, name="bench-bare"))
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Errors answer in the site's own shape: JSON under /api/, a page of the web app elsewhere.
handler400 = "web.views.errors.bad_request"
handler403 = "web.views.errors.permission_denied"
handler404 = "web.views.errors.page_not_found"
handler500 = "web.views.errors.server_error"
