"""A held-out check: pages none of the rules were written against, against raw readability-lxml.

    python3 bench/unseen.py             # summary, and every page where we trail readability-lxml
    python3 bench/unseen.py --per-page  # every page

The pages are the article fixtures of newspaper4k's own test suite (MIT licence; 23 news pages in ten
languages with the text its authors expect), fetched once from PyPI as the source distribution of a
pinned release and kept in bench/.cache/. Their truth is another extractor's expected output, so the
figures say little in the third decimal; what they are for is catching the gross failures (an empty
article, a page of related links) that the shared corpora did not show. Scored with the same
token-shingle metric as bench/quality.py.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))  # this checkout's readerly

from bench.corpora import Page, load_tool, raw_readability_extractor, readerly_extractor

RELEASE = "newspaper4k==0.9.6"
CACHE = Path(__file__).with_name(".cache") / RELEASE.replace("==", "-")
_DATA = "tests/data/"
_DEFAULT_URL = "https://example.com/article"


def fetch() -> Path:
    """The fixtures folder, downloading the pinned source distribution the first time."""
    if all((CACHE / folder).is_dir() for folder in ("html", "txt", "metadata")):
        return CACHE
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        "--dest", tmp, RELEASE], check=True)
        archive = next(Path(tmp).glob("*.tar.gz"))
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                inside = member.name.split("/", 1)[-1]
                if member.isfile() and inside.startswith(_DATA) and inside.count("/") == 3:
                    target = CACHE / inside[len(_DATA):]
                    if not target.resolve().is_relative_to(CACHE.resolve()):
                        continue  # "tests/data/../x": nothing outside the cache is written
                    target.parent.mkdir(parents=True, exist_ok=True)
                    source = tar.extractfile(member)
                    if source is not None:
                        target.write_bytes(source.read())
    return CACHE


def pages(folder: Path) -> list[Page]:
    """Every fixture with both its HTML and its expected text; the URL from its metadata when known."""
    found = []
    for truth in sorted((folder / "txt").glob("*.txt")):
        html = folder / "html" / f"{truth.stem}.html"
        if not html.exists():
            continue
        meta = folder / "metadata" / f"{truth.stem}.json"
        url = json.loads(meta.read_text(encoding="utf-8")).get("url") if meta.exists() else None
        found.append(Page("newspaper4k", truth.stem, html.read_text(encoding="utf-8", errors="replace"),
                          url or _DEFAULT_URL, truth.read_text(encoding="utf-8", errors="replace")))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-page", action="store_true", help="print every page's scores")
    args = parser.parse_args(argv)
    score_text = load_tool("score_text")
    corpus = pages(fetch())
    extractors = {"readerly": readerly_extractor(), "readability-lxml (raw)": raw_readability_extractor()}
    matches = {name: {p.name: score_text.match_page(p.truth_text, ex(p).text) for p in corpus}
               for name, ex in extractors.items()}
    print(f"# Held-out pages: {RELEASE} test fixtures ({len(corpus)} pages)\n")
    print("| extractor | precision | recall | F1 | pages F1 < 0.80 |\n|---|---:|---:|---:|---:|")
    for name, by_page in matches.items():
        summary = score_text.aggregate(list(by_page.values()))
        low = sum(1 for m in by_page.values() if (m.f1 or 0.0) < 0.80)
        print(f"| {name} | {summary['precision']:.3f} | {summary['recall']:.3f} | **{summary['f1']:.3f}** | {low} |")
    ours, raw = matches["readerly"], matches["readability-lxml (raw)"]
    shown = [p.name for p in corpus if args.per_page or (ours[p.name].f1 or 0.0) < (raw[p.name].f1 or 0.0) - 0.01]
    if shown:
        print("\n| page | readerly | readability-lxml (raw) |\n|---|---:|---:|")
        for name in shown:
            print(f"| {name} | {ours[name].f1 or 0.0:.3f} | {raw[name].f1 or 0.0:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
