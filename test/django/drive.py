"""Drives the copied Aquadémie app with Django's test Client: members, a logged-in user, then the POST of the
bulk-send form. Harness only: time.sleep is made a no-op IN THIS PROCESS so the 3 s pauses do not slow the
test; the view's code is not touched. Prints one JSON line with the outcome.

Usage (cwd = the app copy): python3 drive.py MEMBERS
Environment: DJANGO_DB_ENGINE/DJANGO_DB_NAME (sqlite), EMAIL_HOST/EMAIL_PORT/EMAIL_USE_SSL.
"""
import json
import os
import sys
import time
import traceback

time.sleep = lambda seconds: None  # harness only (see above)

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aquademie.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.messages import get_messages  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from gestion.models import Adherent  # noqa: E402


def main():
    members = int(sys.argv[1])
    call_command("migrate", run_syncdb=True, verbosity=0)
    Adherent.objects.all().delete()
    for k in range(members):
        Adherent.objects.create(nom=f"Membre{k:03d}", prenom="A", email=f"membre{k:03d}@example.org", actif=True)
    user, _ = get_user_model().objects.get_or_create(username="tresorier")
    client = Client()
    client.force_login(user)
    result = {"exception": None, "status": None, "messages": []}
    try:
        response = client.post("/adherents/communiquer/", {"sujet": "Assemblée générale", "message": "Bonjour à tous"})
        result["status"] = response.status_code
        result["messages"] = [{"level": m.level_tag, "text": str(m)} for m in get_messages(response.wsgi_request)]
    except Exception as e:  # the original view lets the SMTP error escape
        result["exception"] = f"{type(e).__module__}.{type(e).__name__}: {e}"
        result["traceback"] = traceback.format_exc()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
