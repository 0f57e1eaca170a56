"""Web security settings: session cookie flags and response headers (docs/security.md).

Pages get a strict Content-Security-Policy (no inline script or style: the app's pages have
none; assets come from this origin only). Responses that set their own policy (the sandboxed
diagram iframe, HTML/SVG exports) keep it, with ``frame-ancestors`` added when missing.
"""

from __future__ import annotations

from flask import Flask, Response, request

PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self'; "
            "base-uri 'none'; object-src 'none'; frame-ancestors 'none'")

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def configure(app: Flask) -> None:
    """Cookie flags (Secure when GRAPHAPP_HTTPS=1) and the headers on every response."""
    https = app.config.get("GRAPHAPP_HTTPS")
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(https),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=bool(https),
        PERMANENT_SESSION_LIFETIME=12 * 3600,
    )

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        own = response.headers.get("Content-Security-Policy")
        if own is None:
            response.headers["Content-Security-Policy"] = PAGE_CSP
        elif "frame-ancestors" not in own:
            # The diagram page is framed by the harm page (same origin), nothing else.
            response.headers["Content-Security-Policy"] = own + "; frame-ancestors 'self'"
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        if response.status_code == 401 and request.path.startswith("/api"):
            response.headers.setdefault("WWW-Authenticate", 'Bearer realm="graphapp"')
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")  # shared computers
        if https:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
