"""The end of another COP compared with this one: the projects carried over, the new ones and those
not carried over.

A COP that is no longer current is archived, read-only: what it publishes today is how it ended.
Each side is read as its reader may read it (axes.readers), live pages only. A project of this COP
is "carried over" when it continues a project of the other COP; any other is "new" to it (one that
continues a third COP included). A project of the other COP that no readable project of this COP
continues is "not carried over".
"""

from dataclasses import dataclass

from axes.models import ProjectPage
from axes.readers import Reader
from axes.tree import reference_sort_key
from utils.typography import VOWELS, spacing

from .publications import addresses


@dataclass
class ComparedProject:
    """A project as the comparison lists it (the shape of history/compared_projects.html)."""

    reference: str
    title: str
    url: str
    history_url: str
    continues: "ComparedProject | None" = None

    @classmethod
    def of(cls, page, request, continues=None):
        url, history_url = addresses(page, request)
        return cls(page.reference, page.title, url, history_url, continues)


@dataclass
class CopsCompared:
    earlier: object  # the other COP (a HomePage)
    later: object  # this one
    earlier_count: int
    later_count: int
    carried: list  # projects of `later`, each with the project of `earlier` it `continues`
    new: list
    dropped: list  # projects of `earlier`

    @property
    def words(self):
        """ "Projets repris", "Aucune nouvelle action."…: each COP's word for its projects, agreed (the
        projects not carried over are the other COP's)."""
        later, earlier = self.later.terminology.project, self.earlier.terminology.project
        return {
            "carried": f"{later.title_plural} {agreed(later, 'repris', 'reprises')}",
            "new": f"{later.title_plural} {agreed(later, 'nouveaux', 'nouvelles')}",
            "dropped": f"{earlier.title_plural} non {agreed(earlier, 'repris', 'reprises')}",
            "none_carried": f"{agreed(later, 'Aucun', 'Aucune')} {later.singular} "
            f"{agreed(later, 'repris', 'reprise')}.",
            "none_new": f"{agreed(later, 'Aucun', 'Aucune')} {new_before(later)} {later.singular}.",
            "none_dropped": f"{agreed(earlier, 'Tous', 'Toutes')} les {earlier.plural} ont été "
            f"{agreed(earlier, 'repris', 'reprises')}.",
            "caption": "Projets de chaque COP, repris, nouveaux et non repris",
        }

    @property
    def counts(self):
        """(what, how many), for the table at the top of the comparison."""
        words = self.words
        return [
            (spacing(f"{cop.terminology.project.title_plural} de « {cop.title} »"), how_many)
            for cop, how_many in ((self.earlier, self.earlier_count), (self.later, self.later_count))
        ] + [
            (words["carried"], len(self.carried)),
            (words["new"], len(self.new)),
            (words["dropped"], len(self.dropped)),
        ]


def agreed(level, masculine, feminine):
    return feminine if level.feminine else masculine


def new_before(level):
    """ "nouveau projet", "nouvel engagement", "nouvelle action"."""
    if level.feminine:
        return "nouvelle"
    return "nouvel" if level.singular[:1].lower() in VOWELS else "nouveau"


def compare_cops(earlier, later, request):
    """What became of `earlier`'s projects in `later`, and what `later` adds, as `request.user` reads
    both COPs."""
    earlier_projects = readable_projects(earlier, request.user)
    later_projects = readable_projects(later, request.user)
    by_pk = {project.pk: project for project in earlier_projects}
    carried = [project for project in later_projects if project.continues_id in by_pk]
    continued = {project.continues_id for project in carried}
    return CopsCompared(
        earlier=earlier,
        later=later,
        earlier_count=len(earlier_projects),
        later_count=len(later_projects),
        carried=[
            ComparedProject.of(project, request, ComparedProject.of(by_pk[project.continues_id], request))
            for project in carried
        ],
        new=[
            ComparedProject.of(project, request)
            for project in later_projects
            if project.continues_id not in by_pk
        ],
        dropped=[
            ComparedProject.of(project, request)
            for project in earlier_projects
            if project.pk not in continued
        ],
    )


def readable_projects(cop, user):
    """The live projects of `cop` that `user` may read, in reference order, in one query."""
    projects = ProjectPage.objects.readable_by(Reader.of(user, cop)).defer("body")
    return sorted(projects, key=lambda project: reference_sort_key(project.reference))
