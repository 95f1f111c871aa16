"""The product's URLs plus bench_api.py's DRF baseline: a bare DRF view behind simplejwt's own
JWT authentication (one user query), no throttle, no serializer, no database work of its own."""

from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTAuthentication

from backend.urls import urlpatterns as product_urlpatterns


class BareJwtApi(APIView):
    authentication_classes = [JWTAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes: list = []

    def get(self, request):
        return Response({"ok": True, "user": request.user.pk})


urlpatterns = [path("bench/bare-drf/", BareJwtApi.as_view()), *product_urlpatterns]
