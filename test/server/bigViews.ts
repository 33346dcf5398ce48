// Generates a long, realistic views.py (filler views + the runbook's batch loop near a given line) for the
// bench and the tests.
const FILLER = (k: number) => `@login_required
def liste_${k}(request):
    """Vue de liste n°${k} (filler)."""
    qs = Adherent.objects.filter(actif=True).order_by("nom")  # tri par nom
    lignes = []
    for a in qs:
        if a.email and "@" in a.email:
            lignes.append({"nom": a.nom, "prenom": a.prenom, "email": a.email.lower()})
        else:
            lignes.append({"nom": a.nom, "prenom": a.prenom, "email": None})
    total = len(lignes)
    context = {"lignes": lignes, "total": total, "page": request.GET.get("page", 1)}
    return render(request, "gestion/liste_${k}.html", context)


`;

const HEADER = `"""Views of the members' area (long file)."""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.mail import EmailMessage
from django.shortcuts import redirect, render

from .models import Adherent


`;

const LOOP_VIEW = `@login_required
def adherents_communiquer(request):
    """Écran « Communiquer avec les adhérents » : un message à tous les adhérents."""
    if request.method != "POST":
        return render(request, "gestion/communiquer.html")

    sujet = request.POST["sujet"]
    corps = request.POST["message"]
    destinataires = list(Adherent.objects.filter(actif=True).values_list("email", flat=True))

    # Envoi par lots de 10 avec pause
    batch_size = 10
    for i in range(0, len(destinataires), batch_size):
        batch = destinataires[i:i+batch_size]
        email = EmailMessage(
            subject=sujet,
            body=corps,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[settings.DEFAULT_FROM_EMAIL],
            bcc=batch,
        )
        email.send()
        if (i + batch_size) < len(destinataires):
            time.sleep(3)

    messages.success(request, f"Message envoyé à {len(destinataires)} adhérents.")
    return redirect("adherents_communiquer")


`;

/** A views.py of about `lines` lines whose `email.send()` sits near `sendLine`. Returns the text and the send's line. */
export function bigViews(lines = 5000, sendLine = 2870): { text: string; sendLine: number } {
  let text = HEADER;
  let k = 0;
  const count = (s: string) => s.split('\n').length - 1;
  const sendOffset = count(LOOP_VIEW.slice(0, LOOP_VIEW.indexOf('email.send()')));
  while (count(text) + sendOffset + count(FILLER(k)) < sendLine) text += FILLER(k++);
  const actual = count(text) + sendOffset + 1;
  text += LOOP_VIEW;
  while (count(text) + count(FILLER(k)) <= lines) text += FILLER(k++);
  return { text, sendLine: actual };
}
