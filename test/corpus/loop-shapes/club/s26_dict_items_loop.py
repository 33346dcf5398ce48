from django.core.mail import EmailMessage


def send_reports(reports_by_address):
    for address, report in reports_by_address.items():
        message = EmailMessage("Monthly report", report, to=[address])
        message.send()  # expect: send
