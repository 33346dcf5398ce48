from django.core.mail import EmailMessage
from django.http import HttpResponse


def send_invoices(request):
    addresses = request.POST.getlist("email")
    amounts = request.POST.getlist("amount")
    for address, amount in zip(addresses, amounts):
        EmailMessage("Your invoice", "Amount due: %s" % amount, to=[address]).send()  # expect: send
    return HttpResponse("ok")
