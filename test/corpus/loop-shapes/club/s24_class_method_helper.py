from django.core.mail import send_mail
from django.http import HttpResponse
from django.views import View

from .models import Member


class ReminderView(View):
    def remind(self, member):
        send_mail("Reminder", "Your fee is due.", None, [member.email])

    def post(self, request):
        for member in Member.objects.filter(active=True):
            self.remind(member)  # expect: send
        return HttpResponse("ok")
