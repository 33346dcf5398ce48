from django.core.mail import EmailMultiAlternatives, get_connection


def send_alerts(alerts):
    sent = 0
    with get_connection() as connection:
        for alert in alerts:
            msg = EmailMultiAlternatives(alert.subject, alert.body, to=[alert.recipient.email], connection=connection)
            sent += msg.send()  # expect: send
    return sent
