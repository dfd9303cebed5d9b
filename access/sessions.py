"""A signed-in session ends after SESSION_IDLE_HOURS without a request (8 by default), not at a
fixed time after sign-in: a head of service working all day stays signed in, a laptop left
overnight does not. The session's expiry (SESSION_COOKIE_AGE from its last save) moves on when
the session is saved, at most once a minute, so most pages write nothing.

A session begun with a council account also ends COUNCIL_SESSION_HOURS after that sign-in (12 by
default), however busy: the next sign-in asks the directory again, so a leaver or someone taken
out of a group is out within the working day."""

import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver

from access.single_sign_on import COUNCIL_BACKEND

SEEN_AT = "seen_at"
SIGNED_IN_AT = "signed_in_at"
REFRESH_SECONDS = 60


@receiver(user_logged_in)
def _seen_at_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_AT] = request.session[SIGNED_IN_AT] = int(time.time())


def session_expiry(get_response):
    def middleware(request):
        if request.user.is_authenticated:
            now = int(time.time())
            if _council_session_over(request, now):
                logout(request)
                return redirect_to_login(request.get_full_path())
            if abs(now - request.session.get(SEEN_AT, 0)) >= REFRESH_SECONDS:
                request.session[SEEN_AT] = now  # saved by SessionMiddleware, with a new expiry
        return get_response(request)

    return middleware


def _council_session_over(request, now: int) -> bool:
    if request.session.get(BACKEND_SESSION_KEY) != COUNCIL_BACKEND:
        return False
    started = request.session.get(SIGNED_IN_AT, 0)
    return now - started >= settings.COUNCIL_SESSION_HOURS * 3600
