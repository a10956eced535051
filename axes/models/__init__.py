from .ambition import AmbitionPage
from .axis import AxisPage
from .cop import HomePage
from .milestones import Milestone
from .project import ProjectPage, ProjectRelation
from .services import ProjectService, Service
from .status import ProjectStatus

__all__ = [
    "AmbitionPage",
    "AxisPage",
    "HomePage",
    "Milestone",
    "ProjectPage",
    "ProjectRelation",
    "ProjectService",
    "ProjectStatus",
    "Service",
]
