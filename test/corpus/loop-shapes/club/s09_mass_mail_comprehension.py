from django.contrib import messages
from django.core.mail import send_mass_mail
from django.shortcuts import redirect

from .models import Member


def invite_all(request):
    subject = request.POST["subject"]
    text = request.POST["text"]
    datatuple = tuple((subject, text, None, [m.email]) for m in Member.objects.filter(active=True))
    send_mass_mail(datatuple)  # expect: send
    messages.info(request, "Invitations sent.")
    return redirect("home")
