from .ambition import AmbitionPage
from .axis import AxisPage
from .project import ProjectPage, ProjectRelation, ProjectStatus
from .services import ProjectService, Service

__all__ = [
    "AmbitionPage",
    "AxisPage",
    "ProjectPage",
    "ProjectRelation",
    "ProjectService",
    "ProjectStatus",
    "Service",
]
