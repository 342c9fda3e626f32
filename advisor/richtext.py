"""Editor-written Markdown, turned into safe HTML once, when it is saved.

Pages render the stored HTML as it is, so the sanitiser is the only gate:
nh3 keeps a short list of formatting tags and drops everything else,
including scripts, event-handler attributes and ``javascript:`` URLs.
"""

import markdown
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "a", "blockquote", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    """Return sanitised HTML for editor-written Markdown."""
    html = markdown.markdown(text or "", extensions=["sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def web_url(url):
    """``url`` when it is an absolute http(s) address, else "".

    URL fields are validated in forms, but a row written another way (a
    script, an import) could hold ``javascript:`` or ``data:``: a link is only
    ever made from an address that can do nothing but navigate.
    """
    url = (url or "").strip()
    if any(ord(char) < 0x21 for char in url):
        return ""
    scheme, _, rest = url.partition(":")
    if scheme.lower() not in ("http", "https") or not rest.startswith("//"):
        return ""
    return url
