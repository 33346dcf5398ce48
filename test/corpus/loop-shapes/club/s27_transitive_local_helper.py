from django.core.mail import send_mail


def deliver(address, text):
    send_mail("Notice", text, None, [address])


def deliver_member(member):
    deliver(member.email, "Hello %s" % member.name)


def deliver_all(members):
    for member in members:
        deliver_member(member)  # expect: send
