"""Celery tasks of the plans app: the emails of password resets (other apps have their own)."""

import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    dont_autoretry_for=(smtplib.SMTPRecipientsRefused,),  # a refused address stays refused
    # Waits of 1, 2, 4... minutes, up to 30: under Redis's hour before it hands an unfinished
    # task to another worker, which would send the email twice.
    retry_backoff=60, retry_backoff_max=1800, retry_jitter=False, max_retries=10,
)  # fmt: skip
def send_email_task(message: dict):
    """Send one email given as plain data (subject, body, from_email, to, and html if any);
    a mail server that is down or slow is tried again later."""
    email = EmailMultiAlternatives(
        message["subject"], message["body"], message["from_email"], message["to"]
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    email.send()
