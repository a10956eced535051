from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from axes.cops import cops_scope
from spreadsheets.commands import author, read_import_file
from spreadsheets.importer import Mode, apply_import, plan_import
from utils.typography import count


class Command(BaseCommand):
    help = "Importe un tableau de projets (CSV ou XLSX, format du COP) : tout ou rien, par référence."

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier .csv ou .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="montre ce qui changerait, sans écrire")
        parser.add_argument("--draft", action="store_true", help="enregistre des brouillons sans publier")
        parser.add_argument("--create-services", action="store_true", help="crée les services inconnus")
        parser.add_argument(
            "--skip-drafts",
            action="store_true",
            help="laisse de côté les projets qui ont un brouillon ou une validation en cours "
            "(sinon, une ligne qui modifierait un tel projet refuse le fichier)",
        )
        parser.add_argument("--user", help="identifiant de l'auteur des révisions")

    @cops_scope()
    def handle(self, *args, **options):
        path = Path(options["file"])
        user = author(options["user"])
        content = read_import_file(path)
        mode = Mode.DRAFT if options["draft"] else Mode.PUBLISH
        plan = plan_import(
            path.name,
            content,
            mode,
            create_services=options["create_services"],
            skip_drafts=options["skip_drafts"],
            user=user,
        )
        if not plan.is_valid:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Import refusé : {count(plan.problem_count, 'erreur')}, rien n'a été écrit.")
        if not options["dry_run"]:
            apply_import(plan, user, mode, write=self.stdout.write)
        for line in plan.summary_lines() + plan.skipped_lines():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("Essai à blanc : rien n'a été écrit.")
