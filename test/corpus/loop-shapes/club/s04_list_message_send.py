from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_newsletter(newsletter, recipients):
    html = render_to_string("club/newsletter.html", {"n": newsletter})
    for address in recipients:
        msg = EmailMultiAlternatives(newsletter.subject, newsletter.body, None, [address])
        msg.attach_alternative(html, "text/html")
        msg.send()  # expect: send
    newsletter.sent = True
    newsletter.save()
