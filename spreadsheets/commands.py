"""What the import commands share: the file, read within an import's bounds, and the author named."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from .importer import size_problem


def author(username):
    """The user named `username` (None: the command's operator, nobody in particular)."""
    if username is None:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Aucun utilisateur « {username} ».")
    return user


def read_import_file(path):
    if not path.is_file():
        raise CommandError(f"Fichier introuvable : {path}")
    problem = size_problem(path.stat().st_size)
    if problem:
        raise CommandError(str(problem))
    return path.read_bytes()
