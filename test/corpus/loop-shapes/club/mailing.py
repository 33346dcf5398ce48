"""Mail helpers shared by the club's views and commands."""
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, send_mail


def notify_member(member, subject, text):
    send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [member.email])


def send_html(subject, text, html, recipients):
    msg = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, recipients)
    msg.attach_alternative(html, "text/html")
    msg.send()


def announce(member, subject, text):
    # goes through notify_member: sends too
    notify_member(member, subject, text)
