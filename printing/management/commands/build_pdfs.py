"""Renders every PDF of the COP ahead of time, counts the chapters' lengths, removes outdated files."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from axes.models import AxisPage
from printing import content
from printing.documents import FILE_PREFIX, cache_dir, every_document
from printing.lengths import IN_NEXT_EDITION, MAX_PAGES, chapter_length

# Half-written files of a rendering that died; one that is still being written is younger.
STALE_TEMPORARY_SECONDS = 3600


class Command(BaseCommand):
    help = (
        "Génère à l'avance les PDF du COP (le COP complet, l'affiche, chaque chapitre, chaque fiche de "
        "service) et la longueur de chaque chapitre, puis supprime les fichiers périmés."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        directory = cache_dir()
        self.stdout.write(f"PDF du COP dans {directory}")
        kept = set()
        documents = every_document()
        for position, document in enumerate(documents, start=1):
            kept.add(self.build(document, position, len(documents)).name)
        for axis in AxisPage.objects.child_of(content.cop_home()).filter(IN_NEXT_EDITION).order_by("number"):
            length = chapter_length(axis)
            flag = "" if length <= MAX_PAGES else " : TROP LONG, deux pages au plus"
            self.stdout.write(
                f"Longueur du chapitre {axis.label} : {length} page{'s' if length > 1 else ''}{flag}"
            )
            kept.update(path.name for path in directory.glob(f"longueur-page-{axis.pk}-*.txt"))
        removed = self.remove_outdated(directory, kept)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(documents)} PDF à jour, {removed} fichier{'s' if removed > 1 else ''} "
                f"périmé{'s' if removed > 1 else ''} supprimé{'s' if removed > 1 else ''}, "
                f"en {time.perf_counter() - started:.1f} s."
            )
        )

    def build(self, document, position, total):
        fingerprint = document.fingerprint()
        path = document.path(fingerprint)
        prefix = f"[{position}/{total}] {document.title}"
        if path.exists():
            # Written before the database recorded its versions: agents get it during the next build.
            document.record_written(fingerprint)
            self.stdout.write(f"{prefix} : déjà à jour")
            return path
        started = time.perf_counter()
        document.cached_path(fingerprint)
        self.stdout.write(f"{prefix} : généré en {time.perf_counter() - started:.1f} s")
        return path

    def remove_outdated(self, directory, kept):
        removed = 0
        for path in directory.iterdir():
            if path.name in kept or not self.is_ours(path):
                continue
            path.unlink(missing_ok=True)
            removed += 1
        return removed

    @staticmethod
    def is_ours(path: Path):
        if path.suffix == ".tmp":
            return time.time() - path.stat().st_mtime > STALE_TEMPORARY_SECONDS
        return (path.name.startswith(FILE_PREFIX) and path.suffix == ".pdf") or (
            path.name.startswith("longueur-page-") and path.suffix == ".txt"
        )
