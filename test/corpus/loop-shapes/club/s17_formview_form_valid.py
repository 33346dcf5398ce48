from django.contrib import messages
from django.core.mail import EmailMessage
from django.urls import reverse_lazy
from django.views.generic import FormView

from .forms import MailForm


class MailMembersView(FormView):
    form_class = MailForm
    template_name = "club/mail.html"
    success_url = reverse_lazy("mail")

    def form_valid(self, form):
        for member in form.cleaned_data["members"]:
            EmailMessage(form.cleaned_data["subject"], form.cleaned_data["body"], to=[member.email]).send()  # expect: send
        messages.success(self.request, "Emails are sent successfully")
        return super().form_valid(form)
