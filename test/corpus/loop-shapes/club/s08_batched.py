from itertools import batched

from django.core.mail import get_connection


def push_messages(messages_to_send):
    connection = get_connection()
    for group in batched(messages_to_send, 40):
        connection.send_messages(list(group))  # expect: send
