"""A signed-in session ends after SESSION_IDLE_HOURS without a request (8 by default), not at a
fixed time after sign-in: a head of service working all day stays signed in, a laptop left
overnight does not. The session's expiry (SESSION_COOKIE_AGE from its last save) moves on when
the session is saved, at most once a minute, so most pages write nothing."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SEEN_AT = "seen_at"
REFRESH_SECONDS = 60


@receiver(user_logged_in)
def _seen_at_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_AT] = int(time.time())


def idle_session_expiry(get_response):
    def middleware(request):
        if request.user.is_authenticated:
            now = int(time.time())
            if abs(now - request.session.get(SEEN_AT, 0)) >= REFRESH_SECONDS:
                request.session[SEEN_AT] = now  # saved by SessionMiddleware, with a new expiry
        return get_response(request)

    return middleware
