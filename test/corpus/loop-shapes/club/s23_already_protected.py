import logging

from django.core import mail

logger = logging.getLogger(__name__)


def send_multiple(subject, body, to_list):
    connection = mail.get_connection()
    connection.open()
    for to in to_list:
        try:
            email = mail.EmailMessage(subject, body, "noreply@example.org", [to], connection=connection)
            email.send()  # expect: send protected
        except Exception:
            logger.exception("could not send to %s", to)
    connection.close()
