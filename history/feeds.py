from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.templatetags.static import static
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, RssFeed, Stylesheet
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.xmlutils import SimplerXMLGenerator

from axes.cops import cop_reverse
from axes.readers import Reader
from home.models import CityIdentity

from .publications import Publication, filtered_log, publications, with_urls
from .views import journal_filters

FEED_SIZE = 30


class StyledAtom1Feed(Atom1Feed):
    """Atom with its xml-stylesheet instructions, which Django 5.2 writes for RSS only: a browser
    that opens the feed shows it as a French page (static/history/feed.xsl), not as raw XML."""

    add_stylesheets = RssFeed.add_stylesheets

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        self.add_stylesheets(handler)  # after the XML declaration, before the root element
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


@dataclass(frozen=True)
class FeedItem:
    line: Publication
    link: str
    guid: str


@dataclass(frozen=True)
class FeedJournal:
    """A feed's entries, and the city whose COP they come from (the feed object is shared by requests)."""

    items: list
    city: CityIdentity
    url: str


class JournalFeed(Feed):
    """The journal as an Atom feed, with the same filters (du, au, axe, service)."""

    feed_type = StyledAtom1Feed
    subtitle = (
        "Les publications et les retraits de pages du cahier d'objectifs partagés, les plus récents d'abord."
    )
    item_guid_is_permalink = False

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # Chromium shows application/atom+xml as plain text: to a browser, the feed goes as XML,
        # which it renders through the stylesheet; feed readers still get Atom's own type.
        if request.get_preferred_type(["application/atom+xml", "text/html"]) == "text/html":
            response["Content-Type"] = "application/xml; charset=utf-8"
        patch_vary_headers(response, ["Accept"])
        return response

    def get_object(self, request):
        criteria = journal_filters(request).criteria()
        entries = filtered_log(criteria, Reader.of(request.user, request.cop))
        lines = with_urls(publications(entries[:FEED_SIZE]), request)
        journal = cop_reverse(request.cop, "evolutions")
        items = [
            FeedItem(
                line,
                link=f"{line.history_url or journal}#{line.anchor}",
                guid=request.build_absolute_uri(f"{journal}#{line.anchor}"),
            )
            for line in lines
        ]
        return FeedJournal(items, CityIdentity.for_request(request), journal)

    def stylesheets(self):
        return [Stylesheet(static("history/feed.xsl"), mimetype="text/xsl", media=None)]

    def title(self, journal):
        return f"Évolutions du {journal.city.cop_name}"

    def link(self, journal):
        return journal.url

    def items(self, journal):
        return journal.items

    def item_title(self, item):
        return f"{item.line.label} : {item.line.title} ({item.line.action_label.lower()})"

    def item_description(self, item):
        # Atom carries the summary as HTML: what an editor typed must reach the reader as text.
        return escape(
            f"{capfirst(item.line.summary)}. {item.line.action_label} par {item.line.validated_by}."
        )

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return item.guid

    def item_pubdate(self, item):
        return item.line.timestamp

    def item_updateddate(self, item):
        return item.line.timestamp

    def item_author_name(self, item):
        return item.line.validated_by
