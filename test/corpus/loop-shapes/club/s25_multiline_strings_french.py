import time

from django.contrib import messages
from django.core.mail import send_mail
from django.shortcuts import redirect

from .models import Member


def relancer(request):
    lot = 20
    adresses = [m.email for m in Member.objects.filter(active=True)]
    for debut in range(0, len(adresses), lot):
        send_mail(  # expect: send
            "Relance de cotisation",
            """Bonjour,

la cotisation de l'année est à régler avant la fin du mois.
Merci !""",
            None,
            adresses[debut:debut + lot],
        )
        time.sleep(3)
    messages.success(request, "Relance envoyée à tous les adhérents.")
    return redirect("relancer")
