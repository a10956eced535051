from django.contrib.auth.models import Permission
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import IMPORT_PERMISSION, ImportView


class ImportersOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(IMPORT_PERMISSION)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("importer/", ImportView.as_view(), name="spreadsheets_import")]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    url = reverse("spreadsheets_import")
    return ImportersOnlyMenuItem("Importer un tableau", url, icon_name="upload", order=350)


@hooks.register("register_admin_menu_item")
def register_export_menu_item():
    return MenuItem(
        "Exporter les projets", reverse("export_projects", args=["xlsx"]), icon_name="download", order=360
    )


@hooks.register("register_permissions")
def register_import_permission():
    return Permission.objects.filter(content_type__app_label="spreadsheets", codename="import_projects")
