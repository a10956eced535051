from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from axes.cops import cops_scope
from spreadsheets.commands import author, read_import_file
from spreadsheets.importer import Mode
from spreadsheets.value_importer import apply_value_import, plan_value_import
from utils.typography import count


class Command(BaseCommand):
    help = (
        "Importe les valeurs des indicateurs du COP en cours (CSV ou XLSX : indicateur, date, valeur) "
        "et les publie : tout ou rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier .csv ou .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="montre ce qui changerait, sans écrire")
        parser.add_argument("--user", help="identifiant de l'auteur des révisions et des valeurs")
        parser.add_argument(
            "--skip-drafts",
            action="store_true",
            help="laisse de côté les indicateurs qui ont un brouillon ou une validation en cours",
        )

    @cops_scope()
    def handle(self, *args, **options):
        path = Path(options["file"])
        user = author(options["user"])
        plan = plan_value_import(path.name, read_import_file(path), skip_drafts=options["skip_drafts"])
        if not plan.is_valid:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Import refusé : {count(plan.problem_count, 'erreur')}, rien n'a été écrit.")
        if not options["dry_run"]:
            apply_value_import(plan, user, Mode.PUBLISH, write=self.stdout.write)
        for line in plan.summary_lines() + plan.skipped_lines():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("Essai à blanc : rien n'a été écrit.")
