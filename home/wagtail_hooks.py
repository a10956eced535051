from django.templatetags.static import static
from django.utils.html import format_html

from wagtail import hooks


@hooks.register("insert_global_admin_css")
def cop_admin_stylesheet():
    """The admin's own pieces: the services picker of the page editor."""
    return format_html('<link rel="stylesheet" href="{}">', static("admin/cop-admin.css"))


@hooks.register("insert_global_admin_js")
def rich_text_names():
    return format_html('<script src="{}"></script>', static("admin/rich_text_names.js"))
