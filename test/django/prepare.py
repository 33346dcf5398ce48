"""Prepares the copied Aquadémie app for a real server run: the sqlite database, MEMBERS members, a logged-in
user's session. Prints one JSON line: {"session": KEY}. Harness only (cwd = the app copy).

Usage: python3 prepare.py MEMBERS
"""
import json
import os
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aquademie.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402

from gestion.models import Adherent  # noqa: E402


def main():
    members = int(sys.argv[1])
    call_command("migrate", run_syncdb=True, verbosity=0)
    Adherent.objects.all().delete()
    for k in range(members):
        Adherent.objects.create(nom=f"Membre{k:03d}", prenom="A", email=f"membre{k:03d}@example.org", actif=True)
    user, _ = get_user_model().objects.get_or_create(username="tresorier")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print(json.dumps({"session": session.session_key}))


if __name__ == "__main__":
    main()
