"""The site's URLs plus one view that fails, to see the 500 answers."""

from django.urls import path

from backend.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def _fails(request):
    raise RuntimeError("a view that fails")


urlpatterns = [
    path("api/v1/fails/", _fails),
    path("fails/", _fails),
    *urlpatterns,
]
