import time

from django.conf import settings
from django.contrib import messages
from django.core.mail import EmailMessage
from django.shortcuts import redirect

from .models import Member


def communicate(request):
    addresses = list(Member.objects.filter(active=True).values_list("email", flat=True))
    size = 25
    for start in range(0, len(addresses), size):
        chunk = addresses[start:start + size]
        EmailMessage(request.POST["subject"], request.POST["body"], settings.DEFAULT_FROM_EMAIL, [], bcc=chunk).send()  # expect: send
        time.sleep(2)
    messages.success(request, "Sent.")
    return redirect("communicate")
