import time

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Send the big announcement to every active user"

    def handle(self, *args, **options):
        users = User.objects.filter(is_active=True)
        for index, user in enumerate(users):
            if not user.email.strip():
                continue
            send_mail(  # expect: send
                subject=settings.ANNOUNCE_SUBJECT,
                message=settings.ANNOUNCE_BODY,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
            )
            self.stdout.write("sent to %d %s" % (index, user.email))
            time.sleep(1)
