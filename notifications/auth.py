"""Socket authentication (filled in by the real-time work): session cookie or access JWT."""

from channels.auth import AuthMiddlewareStack


def SocketAuthMiddleware(inner):  # noqa: N802 - reads like the middleware class it wraps
    return AuthMiddlewareStack(inner)
