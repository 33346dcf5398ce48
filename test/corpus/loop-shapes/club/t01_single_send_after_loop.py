from django.conf import settings
from django.core.mail import send_mail


def email_users(users, title, body):
    """One message to every address: a single send, after the loop that collects them."""
    addresses = []
    for u in users:
        if u.email:
            addresses.append(u.email)
    send_mail(title, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True)
