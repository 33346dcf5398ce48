from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail


@shared_task(bind=True)
def mail_all_users(self):
    for user in get_user_model().objects.all():
        send_mail(  # expect: send silent
            subject="News",
            message="Something new on the site.",
            from_email=settings.EMAIL_HOST_USER,
            recipient_list=[user.email],
            fail_silently=True,
        )
    return "done"
