from django.core.mail import get_connection
from django.core.management.base import BaseCommand
from django.utils import timezone

from axes.cops import cops_scope
from digests.digest import due_user_ids, send_due_digest
from utils.typography import plural

PROGRESS_EVERY = 100


class Command(BaseCommand):
    help = (
        "Envoie aux agents abonnés les résumés dus (hebdomadaires ou mensuels) des évolutions publiées "
        "du COP. À lancer chaque jour ; le relancer n'envoie rien deux fois."
    )

    @cops_scope()
    def handle(self, *args, **options):
        now = timezone.now()
        users = due_user_ids(now)
        self.stdout.write(f"{len(users)} {plural(len(users), 'agent')} dont un résumé est dû.")
        sent = quiet = 0
        with get_connection() as connection:
            for done, user_id in enumerate(users, start=1):
                digest = send_due_digest(user_id, now, connection)
                if digest is None:
                    continue  # another run got there first
                if digest.count:
                    sent += 1
                    if options["verbosity"] > 1:
                        self.stdout.write(f"  {digest.user.email} : {digest.subject}")
                else:
                    quiet += 1
                if done % PROGRESS_EVERY == 0:
                    self.stdout.write(f"{done} agents sur {len(users)} traités…")
        self.stdout.write(
            f"Terminé : {sent} {plural(sent, 'résumé')} {plural(sent, 'envoyé')} ; "
            f"{quiet} {plural(quiet, 'agent')} sans évolution depuis le dernier résumé."
        )
