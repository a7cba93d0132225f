"""Extraction quality on the shared corpora, against raw readability-lxml measured in the same run.

    python3 bench/quality.py                    # summary tables and regressions vs the baseline
    python3 bench/quality.py --per-page         # every page's scores too
    python3 bench/quality.py --update-baseline  # after an intended change: pin the new per-page scores

Text scores are the token-shingle metric of ../shared/tools/score_text.py (corpus precision, recall and
F1); boilerplate figures (must_contain recall, leaks, bag-of-tokens F1) come from
../shared/tools/score_boilerplate.py. Metadata agreement follows DESIGN.md: whitespace collapsed and
case folded, null == null agrees, lang by primary subtag, bylines cleaned on both sides.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))  # this checkout's readerly

from bench.corpora import (
    META_FIELDS,
    Extractor,
    Page,
    Prediction,
    boilerplate_pages,
    load_tool,
    mozilla_pages,
    raw_readability_extractor,
    readerly_extractor,
)

BASELINE = Path(__file__).with_name("baselines") / "quality.json"
# A page whose F1 moved by less than this is noise, not a regression.
REGRESSION_DELTA = 0.01


@dataclass
class Run:
    """One extractor over one corpus: its predictions by page name and the time it took."""

    name: str
    predictions: dict[str, Prediction]
    seconds: float


def run_extractor(name: str, extractor: Extractor, pages: list[Page]) -> Run:
    started = time.perf_counter()
    predictions = {page.name: extractor(page) for page in pages}
    return Run(name, predictions, time.perf_counter() - started)


def text_scores(pages: list[Page], run: Run) -> tuple[dict[str, float], dict[str, float]]:
    """Corpus P/R/F1 (shingles) and each page's F1."""
    score_text = load_tool("score_text")
    matches = {p.name: score_text.match_page(p.truth_text, run.predictions[p.name].text) for p in pages}
    summary = score_text.aggregate(list(matches.values()))
    per_page = {name: (m.f1 if m.f1 is not None else 0.0) for name, m in matches.items()}
    return summary, per_page


def _norm(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split()).casefold()
    return text or None


def metadata_agreement(pages: list[Page], run: Run) -> dict[str, float]:
    """Share of pages whose field agrees with expected-metadata.json."""
    from readerly.pipeline.metadata_byline import clean_byline

    agreed = dict.fromkeys(META_FIELDS, 0)
    for page in pages:
        ours = run.predictions[page.name].meta
        for key in META_FIELDS:
            expected, got = page.truth.get(key), ours.get(key)
            if key == "byline":
                expected = clean_byline(expected) if expected else None
            if key == "lang":
                expected = expected.split("-")[0] if expected else None
                got = got.split("-")[0] if got else None
            agreed[key] += _norm(expected) == _norm(got)
    return {key: count / len(pages) for key, count in agreed.items()}


def boilerplate_scores(pages: list[Page], run: Run) -> dict[str, Any]:
    """must_contain recall, leaks and bag-of-tokens F1, exactly as score_boilerplate.py counts them."""
    tool = load_tool("score_boilerplate")
    rows = []
    for page in pages:
        prediction = run.predictions[page.name]
        rows.append(tool.score_page({"id": page.name, "truth": page.truth},
                                    {"text": prediction.text, "error": prediction.error, "seconds": 0}))
    summary = tool.summarize(rows)
    return {"summary": summary, "rows": rows}


def _fmt(value: float) -> str:
    return f"{value:.3f}"


def report_mozilla(pages: list[Page], runs: list[Run], baseline: dict[str, Any], per_page: bool) -> dict[str, float]:
    print(f"\n## readability-test-pages ({len(pages)} pages; truth: expected.html of Readability.js)\n")
    print("| extractor | precision | recall | F1 | pages F1 < 0.80 | refused | seconds |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    ours_pages: dict[str, float] = {}
    all_pages: dict[str, dict[str, float]] = {}
    for run in runs:
        summary, pages_f1 = text_scores(pages, run)
        all_pages[run.name] = pages_f1
        low = sum(1 for f in pages_f1.values() if f < 0.80)
        refused = sum(1 for p in run.predictions.values() if p.error)
        print(f"| {run.name} | {_fmt(summary['precision'])} | {_fmt(summary['recall'])} | "
              f"**{_fmt(summary['f1'])}** | {low} | {refused} | {run.seconds:.1f} |")
        if run.name == "readerly":
            ours_pages = pages_f1
    ours = next(r for r in runs if r.name == "readerly")
    agreement = metadata_agreement(pages, ours)
    print("\nMetadata agreement (readerly): " + ", ".join(f"{k} {_fmt(v)}" for k, v in agreement.items()))
    low_pages = sorted((f, n) for n, f in ours_pages.items() if f < 0.80)
    if low_pages:
        print("Pages below 0.80 (readerly): " + ", ".join(f"{n} {_fmt(f)}" for f, n in low_pages))
    _print_regressions("readability-test-pages", ours_pages, baseline)
    if per_page:
        names = [r.name for r in runs]
        print("\n| page | " + " | ".join(names) + " |\n|---|" + "---:|" * len(names))
        for page in pages:
            print(f"| {page.name} | " + " | ".join(_fmt(all_pages[n][page.name]) for n in names) + " |")
    return ours_pages


def report_boilerplate(pages: list[Page], runs: list[Run], baseline: dict[str, Any], per_page: bool
                       ) -> dict[str, float]:
    total = sum(len(p.truth.get("must_not_contain", [])) for p in pages)
    print(f"\n## boilerplate-dev ({len(pages)} pages, {total} junk strings)\n")
    print("| extractor | shingle P | shingle R | shingle F1 | token F1 | must_contain recall | leaks | "
          "pages leaking |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    ours_pages: dict[str, float] = {}
    details: dict[str, dict[str, Any]] = {}
    for run in runs:
        summary, pages_f1 = text_scores(pages, run)
        scores = boilerplate_scores(pages, run)
        details[run.name] = scores
        s = scores["summary"]
        print(f"| {run.name} | {_fmt(summary['precision'])} | {_fmt(summary['recall'])} | "
              f"**{_fmt(summary['f1'])}** | {_fmt(s['f1'])} | {_fmt(s['recall'])} | {s['leaks']} / {total} | "
              f"{s['pages_with_leaks']} |")
        if run.name == "readerly":
            ours_pages = pages_f1
    for row in details["readerly"]["rows"]:
        for leak in row["leaked"]:
            print(f"LEAK     {row['page']}: {leak[:90]}")
        for missing in row["missing"]:
            print(f"MISSING  {row['page']}: {missing[:90]}")
    _print_regressions("boilerplate-dev", ours_pages, baseline)
    if per_page:
        print("\n| page | recall | leaks | token F1 |\n|---|---:|---:|---:|")
        for row in details["readerly"]["rows"]:
            print(f"| {row['page']} | {_fmt(row['recall'])} | {row['leaks']} | {_fmt(row['f1'])} |")
    return ours_pages


def _print_regressions(corpus: str, pages_f1: dict[str, float], baseline: dict[str, Any]) -> None:
    pinned = baseline.get(corpus, {})
    if not pinned:
        print(f"(no baseline for {corpus}: run with --update-baseline to pin one)")
        return
    worse = sorted((pages_f1[n] - f, n) for n, f in pinned.items() if n in pages_f1
                   and pages_f1[n] < f - REGRESSION_DELTA)
    better = sum(1 for n, f in pinned.items() if n in pages_f1 and pages_f1[n] > f + REGRESSION_DELTA)
    print(f"Against the baseline: {len(worse)} pages worse, {better} better (|ΔF1| > {REGRESSION_DELTA}).")
    for delta, name in worse:
        print(f"REGRESSION {corpus}/{name}: {pinned[name]:.3f} -> {pages_f1[name]:.3f} ({delta:+.3f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-page", action="store_true", help="print every page's scores")
    parser.add_argument("--update-baseline", action="store_true", help="pin this run's per-page F1")
    args = parser.parse_args(argv)
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    extractors = [("readerly", readerly_extractor()), ("readerly, strip off", readerly_extractor(strip=False)),
                  ("readability-lxml (raw)", raw_readability_extractor())]
    mozilla, boilerplate = list(mozilla_pages()), list(boilerplate_pages())
    print("# Readerly quality benchmark")
    moz_runs = [run_extractor(name, ex, mozilla) for name, ex in extractors]
    moz_pages = report_mozilla(mozilla, moz_runs, baseline, args.per_page)
    bp_runs = [run_extractor(name, ex, boilerplate) for name, ex in extractors]
    bp_pages = report_boilerplate(boilerplate, bp_runs, baseline, args.per_page)
    if args.update_baseline:
        BASELINE.parent.mkdir(exist_ok=True)
        pinned = {"readability-test-pages": {k: round(v, 4) for k, v in moz_pages.items()},
                  "boilerplate-dev": {k: round(v, 4) for k, v in bp_pages.items()}}
        BASELINE.write_text(json.dumps(pinned, indent=1, sort_keys=True) + "\n")
        print(f"\nbaseline written to {BASELINE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
