"""The COP's roles (PRODUCT.md): the groups that the `0002_roles_and_workflow` migration creates."""

from axes.models import Service

from .archives import archived_cop

AGENTS = "Agents"
REFERENTS = "Référents de service"
EDITORS = "Éditeurs"
MODERATORS = "Modérateurs"


def can_propose_update(user, project):
    """A référent may propose an update for the projects that one of their services works on."""
    return (
        archived_cop(project) is None
        and user.has_perm("editorial.propose_update")
        and Service.objects.filter(project_links__content_object=project.pk, agents=user.pk).exists()
    )
