"""Settings of the corpus project (never run; read for LANGUAGE_CODE and the project layout)."""
INSTALLED_APPS = ["django.contrib.messages", "club"]
ROOT_URLCONF = "clubsite.urls"
LANGUAGE_CODE = "en-us"
DEFAULT_FROM_EMAIL = "club@example.org"
