"""Groupings across the COP's page types, built in views, never in templates. The queries of one
page type are its queryset's methods (axes/models/querysets.py)."""

from .models import AmbitionPage, AxisPage
from .tree import AMBITION_PATH_LENGTH, AXIS_PATH_LENGTH


def ancestors_of(projects, reader):
    """The readable ambitions and axes above `projects`, keyed by path, in two queries."""
    ambition_paths = {project.path[:AMBITION_PATH_LENGTH] for project in projects}
    axis_paths = {path[:AXIS_PATH_LENGTH] for path in ambition_paths}
    ambitions = {
        page.path: page for page in AmbitionPage.objects.filter(path__in=ambition_paths).readable_by(reader)
    }
    axes = {page.path: page for page in AxisPage.objects.filter(path__in=axis_paths).readable_by(reader)}
    return ambitions, axes
