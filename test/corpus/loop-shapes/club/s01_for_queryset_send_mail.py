from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.shortcuts import redirect

from .models import Member


def mail_everyone(request):
    subject = request.POST["subject"]
    body = request.POST["body"]
    for member in Member.objects.filter(active=True):
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email])  # expect: send
    messages.success(request, "Mail sent to every member.")
    return redirect("home")
