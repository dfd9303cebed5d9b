import logging

import rules
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.template.loader import render_to_string
from kombu.exceptions import OperationalError

from plans.roles import DEMO_GROUP
from plans.tasks import send_email_task

logger = logging.getLogger(__name__)


class DemoAwareModelBackend(ModelBackend):
    """Django's backend, except that demo accounts cannot sign in outside demo mode."""

    def user_can_authenticate(self, user):
        # Through the rules' group names, read once a request and kept on the user: every page
        # then asks which roles they hold (access.directory_roles) without asking again.
        if not settings.DEMO_MODE and rules.is_group_member(DEMO_GROUP).test(user):
            return False
        return super().user_can_authenticate(user)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the email goes through the Celery worker: a mail server that is
    down or slow delays the email (it is retried) instead of failing the page."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email,
        html_email_template_name=None,
    ):  # fmt: skip
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        message = {
            "subject": subject,
            "body": render_to_string(email_template_name, context),
            "from_email": from_email,
            "to": [to_email],
        }
        if html_email_template_name:
            message["html"] = render_to_string(html_email_template_name, context)
        # After the commit, so the worker never runs ahead of the request's own writes.
        transaction.on_commit(lambda: _queue_email(message))


def _queue_email(message: dict):
    # The message holds a reset link, a secret: the task's logs show only who it is for.
    about = f"(an email to {', '.join(message['to'])})"
    try:
        send_email_task.apply_async(args=[message], argsrepr=about)
    except OperationalError:  # the broker is down: send it now rather than not at all
        try:
            send_email_task.run(message)
        except Exception:  # as Django's own reset form does: the page says the same either way
            logger.exception("Could not send the password-reset email %s", about)
