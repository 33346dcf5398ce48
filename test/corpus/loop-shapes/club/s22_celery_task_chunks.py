from celery import shared_task
from django.core.mail import send_mail
from more_itertools import chunked

from .models import Member


@shared_task
def mass_mail_async(subject, message):
    emails = list(Member.objects.filter(active=True).values_list("email", flat=True))
    for chunk in chunked(emails, 100):
        send_mail(subject, message, None, chunk)  # expect: send
