"""The COP's roles as groups with their permissions, and the workflow that every change goes through.

Wagtail's own "Editors" and "Moderators" groups and its "Moderators approval" workflow are adopted
(renamed, then given exactly the COP's permissions) rather than deleted: accounts already in them keep
their role, and submissions already in moderation keep their workflow. Running this again changes
nothing. Nobody gets "delete" or "bulk_delete" on pages: only administrators (superusers) delete.
"""

from django.db import migrations

PAGE_PERMISSIONS = {
    "Éditeurs": ["add", "change"],
    "Modérateurs": ["add", "change", "publish", "lock", "unlock"],
}
ACCESS_ADMIN = ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
SEARCH_PROMOTIONS = [
    ("wagtailsearchpromotions", "searchpromotion", f"{action}_searchpromotion", f"Can {action} search promotion")
    for action in ("add", "change", "delete")
]
MODEL_PERMISSIONS = {
    "Agents": [],
    "Référents de service": [
        (
            "editorial",
            "editorialrights",
            "propose_update",
            "Peut proposer une mise à jour des projets de ses services",
        )
    ],
    "Éditeurs": [
        ACCESS_ADMIN,
        ("axes", "service", "add_service", "Can add service"),
        ("axes", "service", "change_service", "Can change service"),
        *SEARCH_PROMOTIONS,
    ],
    "Modérateurs": [ACCESS_ADMIN, *SEARCH_PROMOTIONS],
}
WAGTAIL_NAMES = {"Éditeurs": "Editors", "Modérateurs": "Moderators"}

WORKFLOW = "Validation du COP"
TASK = "Validation par les modérateurs"
WAGTAIL_WORKFLOW = WAGTAIL_TASK = "Moderators approval"


def adopt(model, name, wagtail_name=None, **create_fields):
    """The object called `name`; else Wagtail's default one (`wagtail_name`), renamed; else a new one."""
    instance = model.objects.filter(name=name).first()
    if instance is None and wagtail_name:
        instance = model.objects.filter(name=wagtail_name).first()
    if instance is None:
        return model.objects.create(name=name, **create_fields)
    instance.name = name
    instance.save(update_fields=["name"])
    return instance


def permission(apps, app_label, model, codename, name):
    """Permissions of apps migrated in the same run only exist once post_migrate has run: create them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    return Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )[0]


def create_groups(apps, home):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    groups = {}
    for name, model_permissions in MODEL_PERMISSIONS.items():
        group = groups[name] = adopt(Group, name, WAGTAIL_NAMES.get(name))
        group.permissions.set([permission(apps, *spec) for spec in model_permissions])
        # Wagtail's groups come with pages from the root and images and documents: the COP's roles do not.
        GroupCollectionPermission.objects.filter(group=group).delete()
        GroupPagePermission.objects.filter(group=group).delete()
        GroupPagePermission.objects.bulk_create(
            GroupPagePermission(
                group=group,
                page_id=home.pk,
                permission=permission(apps, "wagtailcore", "page", f"{action}_page", f"Can {action} page"),
            )
            for action in PAGE_PERMISSIONS.get(name, [])
        )
    return groups


def create_workflow(apps, home, moderators):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")

    task = adopt(GroupApprovalTask, TASK, WAGTAIL_TASK, content_type=task_type)
    task.groups.set([moderators])
    workflow = adopt(Workflow, WORKFLOW, WAGTAIL_WORKFLOW)
    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).delete()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # Wagtail's default workflow sits on the tree's root; the COP's sits on the COP.
    WorkflowPage.objects.filter(workflow=workflow).exclude(page_id=home.pk).delete()
    WorkflowPage.objects.update_or_create(page_id=home.pk, defaults={"workflow": workflow})


def create_roles_and_workflow(apps, schema_editor):
    # The COP root, the one page under the tree's root, whichever app its model belongs to (axes now).
    home = apps.get_model("wagtailcore", "Page").objects.get(depth=2)
    groups = create_groups(apps, home)
    create_workflow(apps, home, groups["Modérateurs"])


def give_wagtail_its_names_back(apps, schema_editor):
    """Undoes the adoption; the COP's permissions stay (Wagtail's original ones are not recreated)."""
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Task = apps.get_model("wagtailcore", "Task")

    Group.objects.filter(name__in=["Agents", "Référents de service"]).delete()
    for name, wagtail_name in WAGTAIL_NAMES.items():
        Group.objects.filter(name=name).update(name=wagtail_name)
    Task.objects.filter(name=TASK).update(name=WAGTAIL_TASK)
    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is not None:
        workflow.name = WAGTAIL_WORKFLOW
        workflow.save(update_fields=["name"])
        WorkflowPage.objects.filter(workflow=workflow).delete()
        WorkflowPage.objects.create(page=Page.objects.get(depth=1), workflow=workflow)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("axes", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]

    operations = [migrations.RunPython(create_roles_and_workflow, give_wagtail_its_names_back)]
