from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from axes.cops import cops_scope
from spreadsheets.exporter import export_file


class Command(BaseCommand):
    help = "Exporte les projets publiés du COP au format d'import (CSV ou XLSX, selon l'extension)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier .csv ou .xlsx à écrire")

    @cops_scope()
    def handle(self, *args, **options):
        path = Path(options["file"])
        kind = path.suffix.lower().lstrip(".")
        if kind not in ("csv", "xlsx"):
            raise CommandError("Le fichier exporté doit se terminer par .csv ou .xlsx.")
        path.write_bytes(export_file(kind))
        self.stdout.write(f"Projets exportés dans {path}.")
