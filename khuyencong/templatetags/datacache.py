"""`{% cachedfragment "name" vary_on… %}…{% endcachedfragment %}`: a piece of a page kept until
the data changes (khuyencong.datacache), per version of the data, language and `vary_on`.

Unlike Django's `{% cache %}`, no timeout decides when a figure is stale: a committed change
does. Vary on everything the piece shows besides the data: the viewer's scope, the query string.
"""

from django import template

from khuyencong import datacache

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        parts = [self.name.resolve(context), *(v.resolve(context) for v in self.vary_on)]
        return datacache.cached("fragment", parts, lambda: self.nodelist.render(context))


@register.tag
def cachedfragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("cachedfragment needs a name")
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
