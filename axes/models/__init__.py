from .ambition import AmbitionPage
from .axis import AxisPage
from .cop import HomePage
from .project import ProjectPage, ProjectRelation
from .services import ProjectService, Service
from .status import ProjectStatus

__all__ = [
    "AmbitionPage",
    "AxisPage",
    "HomePage",
    "ProjectPage",
    "ProjectRelation",
    "ProjectService",
    "ProjectStatus",
    "Service",
]
