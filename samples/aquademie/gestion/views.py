"""Views of the members' area (gestion des adhérents)."""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.mail import EmailMessage
from django.shortcuts import redirect, render

from .models import Adherent


@login_required
def adherents_liste(request):
    adherents = Adherent.objects.filter(actif=True).order_by("nom", "prenom")
    return render(request, "gestion/liste.html", {"adherents": adherents})


def destinataires_actifs():
    """E-mail addresses of every active member."""
    return list(
        Adherent.objects.filter(actif=True)
        .exclude(email="")
        .order_by("nom")
        .values_list("email", flat=True)
    )


@login_required
def adherents_communiquer(request):
    """Écran « Communiquer avec les adhérents » : un message à tous les adhérents."""
    if request.method != "POST":
        return render(request, "gestion/communiquer.html")

    sujet = request.POST["sujet"]
    corps = request.POST["message"]
    destinataires = destinataires_actifs()

    # Envoi par lots de 10 avec pause
    batch_size = 10
    for i in range(0, len(destinataires), batch_size):
        batch = destinataires[i:i+batch_size]
        email = EmailMessage(
            subject=sujet,
            body=corps,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[settings.DEFAULT_FROM_EMAIL],
            bcc=batch,
        )
        email.send()
        if (i + batch_size) < len(destinataires):
            time.sleep(3)

    messages.success(request, f"Message envoyé à {len(destinataires)} adhérents.")
    return redirect("adherents_communiquer")
