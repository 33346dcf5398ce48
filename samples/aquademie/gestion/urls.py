from django.urls import path

from . import views

urlpatterns = [
    path("", views.adherents_liste, name="adherents_liste"),
    path("communiquer/", views.adherents_communiquer, name="adherents_communiquer"),
]
