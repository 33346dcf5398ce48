from django.http import JsonResponse

from .mailing import notify_member
from .models import Member


def notify_all(request):
    subject = request.POST["subject"]
    for member in Member.objects.filter(active=True):
        notify_member(member, subject, request.POST["text"])  # expect: send
    return JsonResponse({"ok": True})
