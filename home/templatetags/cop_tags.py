from django import template

register = template.Library()


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """The trail from the COP's home to the current page (the site root excluded)."""
    page = context.get("page")
    ancestors = page.get_ancestors().filter(depth__gt=1).specific() if page else []
    return {"ancestors": ancestors, "page": page}
