from django.core.mail import send_mail


def send_emails_users(users):
	asunto = "Mensaje de prueba"
	mensaje = "Bienvenido"
	for user in users:
		send_mail(asunto, mensaje, None, [user.email], fail_silently=False)  # expect: send
	return "ok"
