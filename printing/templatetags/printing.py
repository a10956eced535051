import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

NBSP = "\u00a0"
SPACE_BEFORE = re.compile(r" +([:;!?»])")
SPACE_AFTER = re.compile(r"(«) +")


@register.filter
def french(text):
    """French typography for print: the space before « : ; ! ? » » and after « « » cannot break."""
    escaped = str(conditional_escape(text))
    escaped = SPACE_BEFORE.sub(NBSP + r"\1", escaped)
    return mark_safe(SPACE_AFTER.sub(r"\1" + NBSP, escaped))
