"""The reader rule (PRODUCT.md), in one place: every reader surface shows the live version of the
pages that its reader may see, Wagtail's privacy restrictions included, never a draft.

A `Reader` is what one user may read of one COP (its `scope`, the COP's tree path): that COP minus
the subtrees of the view restrictions that this user does not pass; never another COP. Listings,
roll-ups, search, the journal, exports, PDFs and digests filter their pages through it; Wagtail
itself guards each restricted page's own URL. Readers who pass the same restrictions in the same COP
share a `key`, which cached fragments vary on.
"""

import hashlib
from dataclasses import dataclass

from django.db.models import Q

from wagtail.models import PageViewRestriction

from .cops import cops, current_cop

EVERYONE = "tous"


@dataclass(frozen=True)
class Reader:
    hidden_paths: tuple[str, ...] = ()
    scope: str = ""
    archives: tuple[str, ...] = ()  # the archived COPs read too, by choice (the search)

    @classmethod
    def of(cls, user=None, cop=None, with_archives=False):
        """What `user` may read of `cop` (the current COP by default), and of the archived COPs if
        asked; no user stands for any signed-in agent (shared PDFs and their builds). Without a COP
        (no current one), nothing.

        The restrictions are memoised on the user object: a request asks once, in one query, two
        when a restriction names groups.
        """
        cop = cop or current_cop()
        scope = cop.path if cop is not None else ""
        archives = archived_paths(scope) if with_archives and scope else ()
        if user is None:
            paths = hidden_paths(None)
        else:
            if not hasattr(user, "_cop_hidden_paths"):
                user._cop_hidden_paths = hidden_paths(user)
            paths = user._cop_hidden_paths
        return cls(within(paths, (scope, *archives)), scope, archives)

    @property
    def scopes(self):
        return (self.scope, *self.archives)

    @property
    def restrictions_key(self):
        if not self.hidden_paths:
            return EVERYONE
        return hashlib.sha256("\n".join(self.hidden_paths).encode()).hexdigest()[:16]

    @property
    def key(self):
        """What cached fragments vary on: the COP, and the restrictions that the reader does not pass."""
        return f"{'+'.join(self.scopes)}-{self.restrictions_key}"

    def visible_q(self, prefix=""):
        """The pages (or, with `prefix`, the rows related to pages) of the COP outside every hidden
        subtree."""
        if not self.scope:
            return Q(**{f"{prefix}pk__in": []})
        condition = Q()
        for scope in self.scopes:
            condition |= Q(**{f"{prefix}path__startswith": scope})
        for path in self.hidden_paths:
            condition &= ~Q(**{f"{prefix}path__startswith": path})
        return condition

    def readable_q(self, prefix=""):
        """Live and visible: what a reader surface may show."""
        return Q(**{f"{prefix}live": True}) & self.visible_q(prefix)

    def pages(self, queryset):
        return queryset.filter(self.readable_q())

    def sees(self, page):
        return (
            page is not None
            and page.live
            and bool(self.scope)
            and page.path.startswith(self.scopes)
            and not page.path.startswith(self.hidden_paths)
        )


def archived_paths(but):
    return tuple(cop.path for cop in cops().all if cop.archived and cop.path != but)


def within(paths, scopes):
    """The hidden paths that matter in the COPs at `scopes` (a restriction above one hides it whole)."""
    return tuple(
        path for path in paths if any(path.startswith(scope) or scope.startswith(path) for scope in scopes)
    )


def hidden_paths(user):
    """The paths of the restricted pages that `user` does not pass, outermost only, sorted."""
    restrictions = {}
    rows = PageViewRestriction.objects.values_list("pk", "page__path", "restriction_type", "groups")
    for pk, path, kind, group_id in rows:
        restriction = restrictions.setdefault(pk, (path, kind, set()))
        if group_id is not None:
            restriction[2].add(group_id)
    if not restrictions:
        return ()
    user_groups = group_ids(user, restrictions.values())
    hidden = sorted(
        path for path, kind, groups in restrictions.values() if not passes(user, kind, groups, user_groups)
    )
    return tuple(
        path for path in hidden if not any(path.startswith(other) for other in hidden if other < path)
    )


def group_ids(user, restrictions):
    needs_groups = any(kind == PageViewRestriction.GROUPS for _, kind, _ in restrictions)
    if user is None or not user.is_authenticated or user.is_superuser or not needs_groups:
        return set()
    return set(user.groups.values_list("pk", flat=True))


def passes(user, kind, groups, user_groups):
    """As Wagtail's `PageViewRestriction.accept_request`, without a session: a password opens a
    page at its own URL, never a listing."""
    signed_in = user is None or user.is_authenticated
    if kind == PageViewRestriction.LOGIN:
        return signed_in
    if kind == PageViewRestriction.GROUPS:
        return signed_in and (user is not None and user.is_superuser or bool(groups & user_groups))
    return kind == PageViewRestriction.NONE
