from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from plans.demo import DEMO_GROUP


class DemoAwareModelBackend(ModelBackend):
    """Django's backend, except that demo accounts cannot sign in outside demo mode."""

    def user_can_authenticate(self, user):
        if not settings.DEMO_MODE and user.groups.filter(name=DEMO_GROUP).exists():
            return False
        return super().user_can_authenticate(user)
