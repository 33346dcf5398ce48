import time

from django.core.mail import EmailMessage
from django.template import loader


def send_one(subject, template, context, emails):
    html = loader.get_template(template).render(context)
    message = EmailMessage(subject, html, "Club <club@example.org>", emails)
    message.content_subtype = "html"
    message.send(fail_silently=False)


def send_several(mail, users):
    n = 13
    chunks = [users[i:i + n] for i in range(0, len(users), n)]
    for chunk in chunks:
        for user in chunk:
            send_one(mail.subject, "club/mail.html", {"html": mail.html}, [user.email])  # expect: send
        time.sleep(1)
