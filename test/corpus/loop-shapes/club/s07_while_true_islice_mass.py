import itertools

from django.core.mail import send_mass_mail

from .models import Member


def mass_notice(subject, text):
    members = iter(Member.objects.filter(active=True).iterator())
    while True:
        group = list(itertools.islice(members, 100))
        if not group:
            break
        send_mass_mail([(subject, text, None, [m.email]) for m in group])  # expect: send
