"""Querysets and groupings that the COP's pages share, built in the view, never in a template."""

import re
from collections import defaultdict

from wagtail.models import Page


def reference_sort_key(reference):
    """Orders "16.2" before "16.10", as a reader expects."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[.-]", reference)]


def attach_children(parents, children, attribute):
    """Sets on each parent the list of its children found in `children`, in their order."""
    by_parent_path = defaultdict(list)
    for child in children:
        by_parent_path[child.path[: -Page.steplen]].append(child)
    for parent in parents:
        setattr(parent, attribute, by_parent_path[parent.path])
    return parents


def live_projects(queryset):
    """The live projects of `queryset`, with what a project list shows, in reference order."""
    projects = queryset.live().select_related("pilot_service")
    return sorted(projects, key=lambda project: reference_sort_key(project.reference))
