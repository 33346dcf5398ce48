from django.core.mail import send_mass_mail


def two_notices():
    first = ("Subject", "Here is the message", "from@example.org", ["first@example.org"])
    second = ("Another subject", "Here is another message", "from@example.org", ["second@example.org"])
    send_mass_mail((first, second), fail_silently=False)
