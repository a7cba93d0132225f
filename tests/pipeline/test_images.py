"""Tracking beacons go before anything copies or cleans the page; pictures declared 1x1 stay."""

from __future__ import annotations

import lxml.html

from readerly.pipeline.images import drop_beacons


def _beacons_dropped(fragment: str) -> lxml.html.HtmlElement:
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    drop_beacons(root)
    return root


def test_tracking_beacons_go_but_pictures_declared_one_pixel_stay_at_their_size() -> None:
    root = _beacons_dropped(
        "<p>Text.<img src='https://stats.example.net/b?id=9' width='1' height='1'> More text."
        "<img src='/thumb.jpg' srcset='/thumb-600.jpg 600w' width='1' height='1'>"
        "<picture><source srcset='/big.jpg 1000w'><img src='/placeholder.gif' width='1px' height='1'></picture>"
        "<img src='/icon.png' width='16' height='16'><img src='/pixel.gif' width='0' height='0'></p>"
    )
    images = list(root.iter("img"))
    assert [img.get("src") for img in images] == ["/thumb.jpg", "/placeholder.gif", "/icon.png"]
    assert [img.get("width") for img in images] == [None, None, "16"]
    assert "Text. More text." in root.text_content()
