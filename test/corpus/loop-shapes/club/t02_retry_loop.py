import time

from django.core.mail import send_mail


def send_receipt(address, text):
    """One message, retried: the loop stops once it went through."""
    for attempt in range(3):
        try:
            send_mail("Receipt", text, None, [address])
            break
        except OSError:
            time.sleep(2 ** attempt)
