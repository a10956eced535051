"""The COP's roles (PRODUCT.md): the groups that the `0002_roles_and_workflow` migration creates."""

from wagtail.models import GroupPagePermission, WorkflowPage

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


def can_propose_value(user, indicator):
    """A référent may propose a value of the indicators that one of their services is responsible for."""
    return (
        user.has_perm("editorial.propose_update")
        and Service.objects.filter(pk=indicator.service_id, agents=user.pk).exists()
        and not indicator.cop.archived
    )


def open_to_the_roles(cop):
    """A new COP gets the page permissions and the workflow that the COPs before it have (the roles'
    migration gave them to the first one): its editors edit it, its moderators validate it."""
    model = type(cop)
    previous = model.objects.exclude(pk=cop.pk)
    permissions = GroupPagePermission.objects.filter(page__in=previous).values_list("group", "permission")
    for group_id, permission_id in set(permissions):
        GroupPagePermission.objects.get_or_create(page=cop, group_id=group_id, permission_id=permission_id)
    workflow = WorkflowPage.objects.filter(page__in=previous).values_list("workflow", flat=True).first()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page=cop, defaults={"workflow_id": workflow})
