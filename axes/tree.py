"""The COP's tree as paths: where axes and ambitions sit, and pages grouped under their parents."""

import re
from collections import defaultdict

from wagtail.models import Page

# Depths in the tree: the site root is 1, the COP 2, so axes are 3 and ambitions 4.
AXIS_PATH_LENGTH = 3 * Page.steplen
AMBITION_PATH_LENGTH = 4 * Page.steplen

# A project reference: digits and letters, in parts separated by dots or hyphens (16.2, 3-B).
REFERENCE_PATTERN = r"[0-9A-Za-z]+([.-][0-9A-Za-z]+)*"


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
