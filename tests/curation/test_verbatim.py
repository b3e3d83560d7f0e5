"""The summary check's index of names finds what trying every name finds."""

from __future__ import annotations

from random import Random

from kg.curation.verbatim import NameIndex, _names_pattern, copied_run

WORDS = ["Ann", "ann", "Lee", "LEE", "Bo", "Ma", "Straße", "STRASSE", "İzmir", "x", "",
         "Kestra", "of", "the", "SCO", "Council"]


def _brute(names: tuple[str, ...], text: str) -> set[str]:
    folded = text.casefold()
    return {n for n in names if " " in n and n.casefold() in folded}


def _phrase(rng: Random, most: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, most)))


def test_name_index_finds_what_trying_every_name_finds() -> None:
    rng = Random(11)
    for _ in range(400):
        names = tuple(_phrase(rng, 4) for _ in range(rng.randint(0, 30)))
        names += (" leading space", "trailing space ", "two  spaces")
        index = NameIndex(names)
        for _ in range(10):
            text = _phrase(rng, 25) + rng.choice(["", " ", ".", " leading space"])
            assert index.used_in(text) == _brute(names, text), (names, text)


def test_pattern_and_copied_run_alike_with_a_tuple_or_an_index() -> None:
    names = ("Ann Lee", "Bo Ma", "Kestra", "the SCO Council of Heads of State")
    text = ("The talks between Ann Lee and Bo Ma in Kestra went well for trade, and the "
            "SCO Council of Heads of State met in the old capital of the region that year to "
            "talk trade.")
    summary = ("Said the SCO Council of Heads of State met in the old capital of the region "
               "that year to talk trade; the talks between Ann Lee and Bo Ma went well.")
    index = NameIndex(names)
    first, second = _names_pattern(names, summary), _names_pattern(index, summary)
    assert first is not None and second is not None
    assert first.pattern == second.pattern
    assert copied_run(text, summary, names) == copied_run(text, summary, index)
    assert copied_run(text, summary, index) is not None
