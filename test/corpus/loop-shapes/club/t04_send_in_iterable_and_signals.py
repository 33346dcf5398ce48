from django.core.mail import EmailMessage


def contact(request, sock, signal):
    """A single send in a view, a socket and a signal in loops: none is a bulk e-mail send."""
    EmailMessage("Contact", request.POST["text"], to=["team@example.org"]).send()
    for chunk in request.POST["data"]:
        sock.send(chunk)
    for i in range(0, 10, 2):
        signal.send(sender=None)
