import time

from django.contrib import messages
from django.core.mail import send_mass_mail
from django.shortcuts import redirect
from django.views import View

from .models import Member


class BulkMailView(View):
    batch_size = 30

    def batches(self, items):
        items = list(items)
        for i in range(0, len(items), self.batch_size):
            yield items[i:i + self.batch_size]

    def post(self, request):
        subject = request.POST["subject"]
        for group in self.batches(Member.objects.filter(active=True)):
            send_mass_mail([(subject, request.POST["body"], None, [m.email]) for m in group])  # expect: send
            time.sleep(5)
        messages.success(request, "Done.")
        return redirect("bulk")
