from django.core.mail import EmailMultiAlternatives, get_connection


def html_mass_mail(subject, text, html, recipients):
    emails = []
    for recipient in recipients:
        email = EmailMultiAlternatives(subject, text, None, [recipient])
        email.attach_alternative(html, "text/html")
        emails.append(email)
    return get_connection().send_messages(emails)  # expect: send
