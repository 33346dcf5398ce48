from django.core.mail import send_mail


def first(users):
    for u in users:
        send_mail("a", "b", None, [u.email])  # expect: send


def second(users):
	for u in users:
		send_mail("a", "b", None, [u.email])  # expect: send
