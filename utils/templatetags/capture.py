from django import template
from django.utils.safestring import mark_safe

register = template.Library()


class CaptureNode(template.Node):
    # Declared so that {% block %} tags inside a capture are still overridden by child templates.
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        output = self.nodelist.render(context)
        context[self.name] = mark_safe(output)  # already rendered, hence escaped
        return ""


@register.tag
def capture(parser, token):
    """{% capture as document_title %}…{% endcapture %} renders its content once, into a variable:
    base.html shows the document's title in <title> and hands it to the share link."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage : {% capture as nom %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
