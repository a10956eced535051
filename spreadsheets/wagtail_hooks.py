from django.contrib.auth.models import Permission
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import IMPORT_PERMISSION, VALUE_IMPORT_PERMISSION, ImportView, ValueImportView


class ImportersOnlyMenuItem(MenuItem):
    def __init__(self, *args, permission=IMPORT_PERMISSION, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("importer/", ImportView.as_view(), name="spreadsheets_import"),
        path("indicateurs/importer/", ValueImportView.as_view(), name="spreadsheets_import_values"),
    ]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    url = reverse("spreadsheets_import")
    return ImportersOnlyMenuItem("Importer un tableau", url, icon_name="upload", order=350)


@hooks.register("register_admin_menu_item")
def register_value_import_menu_item():
    url = reverse("spreadsheets_import_values")
    return ImportersOnlyMenuItem(
        "Importer des valeurs d'indicateurs",
        url,
        icon_name="upload",
        order=355,
        permission=VALUE_IMPORT_PERMISSION,
    )


@hooks.register("register_admin_menu_item")
def register_export_menu_item():
    return MenuItem(
        "Exporter les projets", reverse("export_projects", args=["xlsx"]), icon_name="download", order=360
    )


@hooks.register("register_permissions")
def register_import_permission():
    return Permission.objects.filter(content_type__app_label="spreadsheets", codename="import_projects")
