from django.core.mail import EmailMultiAlternatives, get_connection


def recompile(emails):
    i = 0
    n = 1
    content = ""
    for address in emails:
        if i > 10:
            backend = get_connection(fail_silently=False)
            msg = EmailMultiAlternatives(subject="Digest %d" % n, body=content, to=["archive@example.org"], connection=backend)
            msg.send(fail_silently=False)  # expect: send
            n += 1
            content = ""
            i = 0
        else:
            i += 1
        content += "%s, " % address
