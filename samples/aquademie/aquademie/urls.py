from django.urls import include, path

urlpatterns = [
    path("adherents/", include("gestion.urls")),
]
