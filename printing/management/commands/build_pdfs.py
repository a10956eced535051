"""Renders every PDF of the COP ahead of time, counts the chapters' lengths, removes outdated files."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from axes.cops import cops_scope
from axes.models import AxisPage
from printing import content
from printing.documents import FILE_PREFIX, cache_dir, every_document
from printing.lengths import IN_NEXT_EDITION, MAX_PAGES, count_chapter_length
from utils.typography import count, plural

# Half-written files of a rendering that died; one that is still being written is younger.
STALE_TEMPORARY_SECONDS = 3600


class Command(BaseCommand):
    help = (
        "Génère à l'avance les PDF du COP (le COP complet, l'affiche, chaque chapitre, chaque fiche de "
        "service) et la longueur de chaque chapitre, puis supprime les fichiers périmés."
    )

    @cops_scope()
    def handle(self, *args, **options):
        started = time.perf_counter()
        directory = cache_dir()
        self.stdout.write(f"PDF du COP dans {directory}")
        kept = set()
        documents = every_document()
        for position, document in enumerate(documents, start=1):
            kept.add(self.build(document, position, len(documents)).name)
        for axis in AxisPage.objects.child_of(content.cop_home()).filter(IN_NEXT_EDITION).order_by("number"):
            length = count_chapter_length(axis).page_count
            flag = "" if length <= MAX_PAGES else " : TROP LONG, deux pages au plus"
            self.stdout.write(f"Longueur du chapitre {axis.label} : {count(length, 'page')}{flag}")
        removed = self.remove_outdated(directory, kept)
        outdated = f"{count(removed, 'fichier')} {plural(removed, 'périmé')} {plural(removed, 'supprimé')}"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(documents)} PDF à jour, {outdated}, en {time.perf_counter() - started:.1f} s."
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
        # Chapter lengths were kept as files before the database kept them (printing.ChapterLength).
        return (path.name.startswith(FILE_PREFIX) and path.suffix == ".pdf") or (
            path.name.startswith("longueur-page-") and path.suffix == ".txt"
        )
