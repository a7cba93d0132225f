"""Stage 6: nothing that runs survives, whatever the page or the extractor let through."""

from __future__ import annotations

import pytest

from readerly.pipeline.sanitize import sanitize_fragment

XSS_VECTORS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="behavior:url(x.htc)">x</p>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<style>@import "https://evil.example/x.css";</style>',
    '<details open ontoggle="alert(1)">x</details>',
    '<video><source onerror="alert(1)"></video>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<template><script>alert(1)</script></template>',
    '<img src="x" srcset="javascript:alert(1) 1x">',
    '<a href="https://ok.example/" target="_blank" onclick="alert(1)">ok</a>',
    '<input autofocus onfocus="alert(1)">',
    '<!--<img src=x onerror=alert(1)>-->',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
]
_FORBIDDEN = ("<script", "javascript:", "vbscript:", "onerror", "onload", "onclick", "ontoggle", "onfocus",
              "<iframe", "<object", "<embed", "<form", "<style", "style=", "<meta", "<base", "<link",
              "srcdoc", "data:text/html", "<svg", "<mglyph", "<input", "<template", "alert(1)")


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vectors_are_neutralised(vector: str) -> None:
    cleaned = sanitize_fragment(f"<div><p>before</p>{vector}<p>after</p></div>").lower()
    leaked = [token for token in _FORBIDDEN if token in cleaned]
    assert not leaked, cleaned
    assert "before" in cleaned and "after" in cleaned


def test_links_open_without_an_opener() -> None:
    cleaned = sanitize_fragment('<a href="https://example.com/" target="_blank">x</a>')
    assert 'rel="noopener noreferrer"' in cleaned
    assert "target" not in cleaned


@pytest.mark.parametrize(
    "markup",
    [
        '<figure><img src="https://example.com/a.jpg" alt="A"><figcaption>Cap</figcaption></figure>',
        '<table><thead><tr><th scope="col">H</th></tr></thead><tbody><tr><td colspan="2">1</td></tr></tbody></table>',
        '<pre><code class="language-python">def f():\n    return 1</code></pre>',
        '<blockquote cite="https://example.com/q"><p>Quote</p></blockquote>',
        '<ol start="3"><li>three</li></ol>',
        '<p lang="ar" dir="rtl">مرحبا</p>',
        '<p>x<sup id="fnref1"><a href="#fn1">1</a></sup></p>',
        '<p><time datetime="2024-05-01">May 1</time></p>',
        '<p><math display="block"><mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math></p>',
    ],
    ids=["figure", "table", "code", "blockquote", "ol-start", "lang-dir", "footnote", "time", "mathml"],
)
def test_reading_structure_survives(markup: str) -> None:
    cleaned = sanitize_fragment(markup)
    for attr in ("alt=", "scope=", "colspan=", 'class="language-python"', "cite=", 'start="3"', 'dir="rtl"',
                 'id="fnref1"', "datetime=", 'display="block"', "<msup><mi>x</mi><mn>2</mn></msup>"):
        if attr in markup:
            assert attr in cleaned, cleaned
    assert "    return 1" in cleaned or "<pre>" not in markup
