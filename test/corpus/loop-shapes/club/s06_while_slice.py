from django.core.mail import send_mail


def remind(addresses, subject, text, step=50):
    while addresses:
        part = addresses[:step]
        addresses = addresses[step:]
        send_mail(subject, text, None, part)  # expect: send
