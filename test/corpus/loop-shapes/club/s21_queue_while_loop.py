import time

from django.core.management.base import BaseCommand

from .models import Newsletter


class Command(BaseCommand):
    help = "Sends queued e-mails"

    def handle(self, *args, **options):
        while True:
            time.sleep(3)
            for letter in Newsletter.objects.filter(sent=False):
                letter.send_mail()  # trap: a model method, not known to send
            self.stdout.write("tick")
