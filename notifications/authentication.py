"""The API's JWT authentication: simplejwt's token checks, the user from the cached snapshot
(notifications.access) instead of a query per request, signed-out sessions refused."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication

from notifications.access import user_for_access_token


class CachedJWTAuthentication(JWTAuthentication):
    def get_user(self, validated_token):
        return user_for_access_token(validated_token)


class CachedJWTScheme(SimpleJWTScheme):
    """The same `jwtAuth` bearer scheme in the OpenAPI schema as simplejwt's own class."""

    target_class = "notifications.authentication.CachedJWTAuthentication"
