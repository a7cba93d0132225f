"""The rule files load, validate and compile; a malformed rule is refused at load time."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from readerly.rules import MODES, RULES, RULES_DIR, RuleError, load_rules, normalize_label

RULE_FILES = sorted(RULES_DIR.glob("*.toml"))


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.name for p in RULE_FILES])
def test_every_rule_file_is_valid_toml(path: Path) -> None:
    with path.open("rb") as handle:
        assert tomllib.load(handle)


def test_the_shipped_rules_compile() -> None:
    rules = load_rules()
    assert rules.kinds == RULES.kinds
    assert {"comments", "inline-related", "ads", "share", "consent"} <= rules.kinds
    assert all(kind in rules.kinds for kind, _entry in rules.class_rules.values())
    assert all(rules.labels[mode].pattern is not None for mode in MODES)


def test_every_vocabulary_and_label_group_says_why() -> None:
    """Each group of rules carries a comment: rules are data that must explain themselves."""
    for path in RULE_FILES:
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line.startswith(("[vocabulary.", "[[group]]")):
                following = lines[number + 1 : number + 6]
                assert any(item.lstrip().startswith("#") for item in following), f"{path.name}:{number + 1}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("READ MORE:", "read more"),
        ("- Advertisement -", "advertisement"),
        ("\u00bb See also", "see also"),
        ("Don\u2019t miss", "don't miss"),
        ("Comments (3)", "comments"),
        ("\u3010\u95a2\u9023\u8a18\u4e8b\u3011", "\u95a2\u9023\u8a18\u4e8b"),
        ("  Lesen   Sie\u00a0auch: ", "lesen sie auch"),
    ],
)
def test_labels_are_normalised_for_comparison(raw: str, expected: str) -> None:
    assert normalize_label(raw) == expected


def test_edges_are_trimmed_as_the_edge_regex_would() -> None:
    import random
    import re

    from readerly.rules import _without_edges

    edges = re.compile(r"^[\W_]+|[\W_]+$")
    rng = random.Random(7)
    alphabet = "ab1 _-\u00bb\u3010\u3011\u00e9\u0301()[]:.!?\u00a0\t\n\u65e5\u00df"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert _without_edges(text) == edges.sub("", text), repr(text)


@pytest.mark.parametrize(
    ("mode", "text", "kind"),
    [
        ("lead", "Read also:", "inline-related"),
        ("lead", "\u0627\u0642\u0631\u0623 \u0623\u064a\u0636\u0627", "inline-related"),
        ("alone", "ADVERTISEMENT", "ads"),
        ("alone", "2 thoughts on \u201cA title\u201d", "comments"),
        ("title", "Leave a Reply", "comment-form"),
        ("title", "Most Popular", "widgets"),
    ],
)
def test_label_matchers_name_the_kind(mode: str, text: str, kind: str) -> None:
    rule = RULES.labels[mode].match(normalize_label(text))
    assert rule is not None and rule.kind == kind and rule.rule.startswith("label:")


@pytest.mark.parametrize(
    "text", ["Further reading", "References", "Related reading", "Sources", "Bibliography", "Notes"]
)
def test_author_written_section_titles_are_in_no_group(text: str) -> None:
    assert all(RULES.labels[mode].match(normalize_label(text)) is None for mode in MODES)


def _copy_rules(tmp_path: Path) -> Path:
    for path in RULE_FILES:
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("classes.toml", '"disqus-thread",', '"disqus-thread-box-x",', "bad entry"),
        ("classes.toml", '"disqus-thread",', '"Disqus",', "bad entry"),
        ("classes.toml", "[vocabulary.toc]", "[vocabulary.tocs]", "unknown kind"),
        ("classes.toml", '"cookie", "cookies"', '"cookie", "comments"', "already in"),
        ("labels.toml", 'kind = "ads"', 'kind = "adverts"', "unknown kind"),
        ("labels.toml", 'modes = ["alone"]', 'modes = ["sometimes"]', "modes"),
        ("labels.toml", '"as an amazon associate', '"as an (amazon associate', "bad pattern"),
        ("labels.toml", 'name = "see-also"', 'name = "See Also"', "name"),
        ("structure.toml", 'nav = "nav-footer"', 'nav = "navigation"', "unknown kind"),
        ("structure.toml", "[kinds]", "[kinds", "structure.toml"),
    ],
)
def test_a_malformed_rule_is_refused(tmp_path: Path, name: str, old: str, new: str, message: str) -> None:
    directory = _copy_rules(tmp_path)
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleError, match=message):
        load_rules(directory)


def _whole_regex_rule(mode: str, text: str) -> object:
    matcher = RULES.labels[mode]
    assert matcher.pattern is not None
    found = matcher.pattern.fullmatch(text)
    return matcher.rules[found.lastgroup] if found and found.lastgroup else None


def test_the_first_character_dispatch_finds_what_the_whole_regex_finds() -> None:
    data = tomllib.loads((RULES_DIR / "labels.toml").read_text(encoding="utf-8"))
    phrases = [normalize_label(p) for group in data["group"] for items in group.get("phrases", {}).values()
               for p in items]
    texts = [*phrases, *(f"{p} extra" for p in phrases), *(f"x{p}" for p in phrases),
             "3 comments", "12 shares", "5 min read", "comments: 4", "one response to the flood story",
             "your email address will not be published. required fields are marked", "the flood walls held",
             "\u0645\u0642\u0627\u0644\u0627\u062a", "\u0661\u0662 comments", "_", "!"]
    found = 0
    for mode in MODES:
        for text in texts:
            expected = _whole_regex_rule(mode, text)
            assert RULES.labels[mode].match(text) == expected, (mode, text)
            found += expected is not None
    assert found > len(phrases)  # the texts do exercise matches, not only misses


@pytest.mark.parametrize(
    ("pattern", "first"),
    [("see also", {"s"}), ("(?:\\d+ |one )?comments", None), ("(?:related|more) (?:on|in) [a-z]+", {"r", "m"}),
     ("(?:a|b)?c", {"a", "b", "c"}), ("[x-z]+!", {"x", "y", "z"}), (".*", None),
     ("(?i:abc)", None), ("(?i)abc", None)],
)
def test_first_characters_of_a_label_pattern(pattern: str, first: set[str] | None) -> None:
    from readerly.rules import _first_chars

    assert _first_chars(pattern) == (frozenset(first) if first is not None else None)
