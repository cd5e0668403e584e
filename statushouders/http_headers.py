"""Security headers on every HTTP response of the app (pages, assets, uploads, the event socket's handshake).

A plain ASGI middleware, installed as the Reflex app's ``api_transformer``. In production
(``make serve``) the backend also serves the built frontend, so the pages get these headers too;
in dev mode the Vite server serves the pages and only the backend's answers carry them.
"""

from __future__ import annotations

from . import config

# Reflex's built pages carry inline scripts (the router's hydration data) and inline styles
# (Radix themes), so those need 'unsafe-inline'; everything else comes from this origin only.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "frame-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def security_headers(https: bool) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-content-type-options", b"nosniff"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]
    if https:
        headers.append((b"strict-transport-security", b"max-age=31536000"))
    return headers


def with_security_headers(app):
    """Wrap an ASGI app so every HTTP response carries the security headers (set, not duplicated)."""
    headers = security_headers(config.served_over_https())
    names = {name for name, _ in headers}

    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + headers}
            await send(message)

        return await app(scope, receive, send_with_headers)

    return wrapped
