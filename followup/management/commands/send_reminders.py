from django.core.mail import get_connection
from django.core.management.base import BaseCommand
from django.utils import timezone

from axes.cops import cops_scope, current_cop
from followup.reminders import referents, send_reminder
from utils.typography import plural

PROGRESS_EVERY = 50


class Command(BaseCommand):
    help = (
        "Envoie à chaque référent de service le rappel de ce que ses services doivent mettre à jour "
        "dans le COP en cours (aucun courriel quand rien n'est attendu). À lancer chaque semaine ; "
        "un référent reçoit au plus un rappel par semaine."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche qui recevrait quoi, sans rien envoyer ni enregistrer.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Envoie même aux référents qui ont déjà reçu un rappel cette semaine.",
        )

    @cops_scope()
    def handle(self, *args, dry_run=False, force=False, **options):
        cop = current_cop()
        if cop is None or cop.archived:
            self.stdout.write("Aucun COP en cours ouvert aux mises à jour : aucun rappel envoyé.")
            return
        now = timezone.now()
        users = list(referents().values_list("pk", flat=True))
        self.stdout.write(f"{len(users)} {plural(len(users), 'référent')} de service dans « {cop.title} ».")
        sent = quiet = already = 0
        with get_connection() as connection:
            for done, user_id in enumerate(users, start=1):
                reminder = send_reminder(user_id, cop, now, force, dry_run, connection)
                if reminder is None:
                    already += 1
                elif reminder.count:
                    sent += 1
                    if dry_run or options["verbosity"] > 1:
                        self.describe(reminder)
                else:
                    quiet += 1
                if done % PROGRESS_EVERY == 0:
                    self.stdout.write(f"{done} référents sur {len(users)} traités…")
        verb = "à envoyer" if dry_run else plural(sent, "envoyé")
        self.stdout.write(
            f"Terminé : {sent} {plural(sent, 'rappel')} {verb} ; {quiet} {plural(quiet, 'référent')} "
            f"sans rien d'attendu ; {already} déjà {plural(already, 'rappelé')} cette semaine."
        )

    def describe(self, reminder):
        self.stdout.write(f"  {reminder.user.email} ({reminder.service_names}) : {reminder.subject}")
        for section in reminder.sections:
            self.stdout.write(f"    {section.heading} :")
            for item in section.items:
                self.stdout.write(f"      - {item.title} ({item.detail})")
