from django.views import View
from django.http import HttpResponse

from . import mailing
from .models import Member


class AnnounceView(View):
    def post(self, request):
        for member in Member.objects.filter(active=True):
            mailing.announce(member, "Annual meeting", "See you on Friday.")  # expect: send
        return HttpResponse("queued")
