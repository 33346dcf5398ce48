"""A bulletin to every address, in groups of forty hidden in bcc, one HTML message per group."""
import itertools

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


def send_bulletin(subject, text, html, addresses):
    for group in itertools.batched(addresses, 40):
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, bcc=list(group))
        message.attach_alternative(html, "text/html")
        message.send(fail_silently=False)  # expect: send
