"""Where a page keeps its pictures' real sources, and which images are not pictures at all.

Shared by the extract stage, which drops tracking beacons from the page before anything copies or
cleans it (readability-lxml strips the width and height a beacon is known by) and replaces empty
image slots, the strip stage, which tells a lightbox picture from a dialog, and the tidy stage, which
resolves lazy sources on the article.
"""

from __future__ import annotations

import re

import lxml.html

# Attributes lazy-loading scripts use for the real image, in order of preference.
LAZY_SRC_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-lazy", "data-url", "data-hi-res-src")
LAZY_SRCSET_ATTRS = ("data-srcset", "data-lazy-srcset")
# Attributes that give an <img> something to show; one with none is a slot a script fills in.
_IMAGE_SOURCES = ("src", "srcset", "data-src", "data-srcset")
# A width or height attribute in pixels ("1", "1px").
_PIXELS = re.compile(r"\s*(\d+)\s*(?:px)?\s*", re.IGNORECASE)


def drop_beacons(root: lxml.html.HtmlElement) -> None:
    """A 1x1 image with nothing else to show is a tracking beacon: a reader view must not load it.

    Some pages declare 1x1 on real pictures and size them with CSS and a srcset (or <source>s around
    them); those stay, without the declared size, which would otherwise draw them one pixel wide.
    """
    for image in list(root.iter("img")):
        width, height = _declared_pixels(image.get("width")), _declared_pixels(image.get("height"))
        if width is None or height is None or width > 1 or height > 1:
            continue
        if has_other_source(image):
            image.attrib.pop("width", None)
            image.attrib.pop("height", None)
        else:
            image.drop_tree()


def has_image_source(image: lxml.html.HtmlElement) -> bool:
    """Whether the <img> has something to show rather than being an empty slot a script fills in."""
    return any(image.get(name) for name in _IMAGE_SOURCES)


def has_other_source(image: lxml.html.HtmlElement) -> bool:
    """Whether something besides the src offers the picture: a srcset, a lazy attribute, a <source>."""
    if any(image.get(name) for name in ("srcset", *LAZY_SRC_ATTRS, *LAZY_SRCSET_ATTRS)):
        return True
    picture = next(image.iterancestors("picture"), None)
    return picture is not None and any(
        source.get("srcset") or source.get("data-srcset") for source in picture.iter("source")
    )


def _declared_pixels(value: str | None) -> int | None:
    match = _PIXELS.fullmatch(value or "")
    return int(match.group(1)) if match else None
