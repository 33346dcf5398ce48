from django.db import models


class Member(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    active = models.BooleanField(default=True)


class Newsletter(models.Model):
    subject = models.CharField(max_length=200)
    body = models.TextField()
    sent = models.BooleanField(default=False)
