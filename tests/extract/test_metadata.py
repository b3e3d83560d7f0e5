"""kg.extract.metadata: a source's metadata read from its captured text.

Hand-made articles with invented people cover each pattern (capture line, headline,
agency line, datelines of three kinds, captions, repeated paragraphs, editor lines, a text
with none of them); then each text of the corpus, read as the curator read it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.curation.text import SourceText, numbered
from kg.extract.metadata import Caption, Dateline, Metadata, paragraph_rule, read_metadata

NO_HEADLINE = "the text has no headline: write the title the page gives"
NO_DATE = "the text states no publication date: pass --published or write it"
NO_PUBLISHER = "the text names no agency: name the publisher"
NO_URL = "the text gives no URL: write the address the text was captured from"


def undated(locator: str) -> str:
    return (f"the dateline ({locator}) gives no year and the text no publication date: "
            "write the dateline's date (or pass --published to resolve it)")


CAPTION = ("Foreign Minister Ana Tavora meets Secretary-General Bo Lindqvist in Lisbon, "
           "March 1, 2021. (Xinhua/Chen Liwen)")
AGENCY_ARTICLE = "\n\n".join([
    " date 2021-03-02 Envoys meet in Lisbon",
    "Xinhua) 09:15, March 2, 2021",
    CAPTION,
    "LISBON, March 1 (Xinhua) -- Foreign Minister Ana Tavora met Secretary-General "
    "Bo Lindqvist in Lisbon on Monday.",
    "Tavora said the talks were useful. Lindqvist agreed.",
    CAPTION,
    "(Web editor: Mei Lanfang, Olu Adeyemi)",
]) + "\n"


def test_agency_article_whole() -> None:
    assert read_metadata(AGENCY_ARTICLE) == Metadata(
        paragraphs="blank-line", language="en",
        headline="Envoys meet in Lisbon", headline_locator="p1.s1",
        capture_date="2021-03-02",
        published="2021-03-02T09:15:00", published_locator="p2.s1", agency="Xinhua",
        dateline=Dateline("p4.s1", "LISBON", None, "2021-03-01", "Xinhua",
                          len("LISBON, March 1 (Xinhua) -- ")),
        captions=(Caption("p3.s1", "p3.s2", "Xinhua", "Chen Liwen"),),
        repeated=frozenset({6}),
        editors=("Mei Lanfang", "Olu Adeyemi"), editors_locator="p7.s1",
        todo=(NO_URL,))


def test_locators_come_from_the_split_the_build_uses() -> None:
    meta = read_metadata(AGENCY_ARTICLE)
    sentences = {item.locator: item.text
                 for item in numbered(SourceText(AGENCY_ARTICLE, meta.paragraphs))}
    assert meta.dateline is not None
    assert sentences[meta.dateline.locator][meta.dateline.body_start:].startswith("Foreign")
    assert sentences[meta.captions[0].locator].endswith("March 1, 2021.")
    assert sentences[str(meta.editors_locator)] == "(Web editor: Mei Lanfang, Olu Adeyemi)"


def test_headline_without_capture_line_and_agency_line_with_parenthesis() -> None:
    text = ("Ministers agree on fisheries talks\n\n(Xinhua) 08:05, Jan. 3, 2022\n\n"
            "OSLO, Norway, Jan. 2 (Xinhua) -- Ida Brekke and Tomas Varga agreed to talk.\n\n"
            "(Editor: Lise Holm)")
    assert read_metadata(text) == Metadata(
        paragraphs="blank-line", language="en",
        headline="Ministers agree on fisheries talks", headline_locator="p1.s1",
        capture_date=None, published="2022-01-03T08:05:00", published_locator="p2.s1",
        agency="Xinhua",
        dateline=Dateline("p3.s1", "OSLO", "Norway", "2022-01-02", "Xinhua",
                          len("OSLO, Norway, Jan. 2 (Xinhua) -- ")),
        captions=(), repeated=frozenset(), editors=("Lise Holm",), editors_locator="p4.s1",
        todo=(NO_URL,))


def test_dateline_after_the_publication_day_is_from_the_year_before() -> None:
    text = ("Xinhua) 07:00, January 1, 2022\n\n"
            "OSLO, Dec. 31 (Xinhua) -- Ida Brekke met Tomas Varga.")
    dateline = read_metadata(text).dateline
    assert dateline is not None and dateline.date == "2021-12-31"


def test_dateline_with_its_own_year_and_a_dash() -> None:
    meta = read_metadata("HAVANA, May 2, 2020 (Reuters) - Rosa Marin met Ivan Petrov.")
    assert meta.dateline == Dateline("p1.s1", "HAVANA", None, "2020-05-02", "Reuters",
                                     len("HAVANA, May 2, 2020 (Reuters) - "))
    assert (meta.agency, meta.published) == ("Reuters", None)
    assert meta.todo == (NO_HEADLINE, NO_DATE, NO_URL)


def test_dateline_without_a_date_asks_for_no_dateline_year() -> None:
    meta = read_metadata("HAVANA (Reuters) \u2014 Rosa Marin met Ivan Petrov.")
    assert meta.dateline == Dateline("p1.s1", "HAVANA", None, None, "Reuters",
                                     len("HAVANA (Reuters) \u2014 "))
    assert meta.todo == (NO_HEADLINE, NO_DATE, NO_URL)


def test_tass_dateline_after_the_capture_line() -> None:
    text = (" date 2022-06-09 VALLETTA /Malta/, June 9. /TASS/. Foreign Minister Karl Borg "
            "is meeting his counterpart Nina Falk. They met before.\n\nTalks went on.")
    assert read_metadata(text) == Metadata(
        paragraphs="blank-line", language="en", headline=None, headline_locator=None,
        capture_date="2022-06-09", published="2022-06-09", published_locator="p1.s1",
        agency="TASS",
        dateline=Dateline("p1.s1", "VALLETTA", "Malta", "2022-06-09", "TASS",
                          len("date 2022-06-09 VALLETTA /Malta/, June 9. /TASS/.")),
        captions=(), repeated=frozenset(), editors=(), editors_locator=None,
        todo=(NO_HEADLINE, NO_URL))


def test_tass_dateline_without_country_dated_by_the_published_option() -> None:
    meta = read_metadata("MOSCOW, June 8. /TASS/. Karl Borg met Nina Falk.",
                         published="2022-06-09")
    # "/TASS/." ends the sentence: the body begins in the next one
    assert meta.dateline == Dateline("p1.s1", "MOSCOW", None, "2022-06-08", "TASS",
                                     len("MOSCOW, June 8. /TASS/."))
    # the option's day is not the dateline's: the text does not state it
    assert (meta.published, meta.published_locator) == ("2022-06-09", None)


CHINESE = ("新华社里斯本3月1日电（记者 林小雨）外长安娜·塔沃拉1日会见了博·林德奎斯特。\n"
           "双方交换了意见。")


def test_chinese_dateline_without_year() -> None:
    assert read_metadata(CHINESE) == Metadata(
        paragraphs="line", language="zh", headline=None, headline_locator=None,
        capture_date=None, published=None, published_locator=None, agency="Xinhua",
        dateline=Dateline("p1.s1", "里斯本", None, None, "Xinhua",
                          len("新华社里斯本3月1日电（记者 林小雨）")),
        captions=(), repeated=frozenset(), editors=(), editors_locator=None,
        todo=(NO_HEADLINE, NO_DATE, undated("p1.s1"), NO_URL))


def test_chinese_dateline_dated_by_the_published_option() -> None:
    meta = read_metadata(CHINESE, published="2021-03-01")
    assert meta.dateline is not None and meta.dateline.date == "2021-03-01"
    # the dateline states the same day: it is the evidence a curator cites
    assert (meta.published, meta.published_locator) == ("2021-03-01", "p1.s1")
    assert meta.todo == (NO_HEADLINE, NO_URL)
    across_new_year = read_metadata(CHINESE.replace("3月1日", "12月30日"), published="2022-01-05")
    assert across_new_year.dateline is not None
    assert across_new_year.dateline.date == "2021-12-30"


def test_german_text_with_single_newlines() -> None:
    text = ("Ministerin trifft Gesandten aus Lima\n"
            "Ministerin Anke Vogt hat sich am Montag mit dem Gesandten Luis Paredes getroffen.\n"
            "Die beiden sprachen über den Handel und die Fischerei.\n")
    assert read_metadata(text) == Metadata(
        paragraphs="line", language="de",
        headline="Ministerin trifft Gesandten aus Lima", headline_locator="p1.s1",
        capture_date=None, published=None, published_locator=None, agency=None,
        dateline=None, captions=(), repeated=frozenset(), editors=(), editors_locator=None,
        todo=(NO_DATE, NO_PUBLISHER, NO_URL))


PLAIN = "Ana Tavora met Bo Lindqvist on Monday. They talked.\n\nLindqvist left on Tuesday."


def test_text_without_metadata() -> None:
    assert read_metadata(PLAIN) == Metadata(
        paragraphs="blank-line", language="en", headline=None, headline_locator=None,
        capture_date=None, published=None, published_locator=None, agency=None,
        dateline=None, captions=(), repeated=frozenset(), editors=(), editors_locator=None,
        todo=(NO_HEADLINE, NO_DATE, NO_PUBLISHER, NO_URL))


def test_given_publisher_and_date_fill_what_the_text_lacks() -> None:
    meta = read_metadata(PLAIN, published="2021-03-02", publisher="lisbon-daily")
    assert (meta.published, meta.published_locator) == ("2021-03-02", None)
    assert meta.todo == (NO_HEADLINE, NO_URL)


def test_published_option_against_the_text() -> None:
    agreeing = read_metadata(AGENCY_ARTICLE, published="2021-03-02T09:15:00+01:00")
    assert (agreeing.published, agreeing.todo) == ("2021-03-02T09:15:00", (NO_URL,))
    differing = read_metadata(AGENCY_ARTICLE, published="2021-03-03")
    assert differing.published == "2021-03-02T09:15:00"
    assert differing.todo == (
        "--published 2021-03-03 differs from what the text states (2021-03-02T09:15:00, "
        "p2.s1): the text's is kept; check which is right", NO_URL)


def test_published_option_must_be_a_date() -> None:
    with pytest.raises(ValueError, match="is not a date"):
        read_metadata(PLAIN, published="March 2")


def test_capture_date_when_no_agency_line() -> None:
    meta = read_metadata(" date 2021-03-02 Envoys meet in Lisbon\n\nAna Tavora met Bo.")
    assert (meta.capture_date, meta.published, meta.published_locator) == (
        "2021-03-02", "2021-03-02", "p1.s1")
    assert (meta.headline, meta.agency) == ("Envoys meet in Lisbon", None)


def test_capture_line_followed_by_body_text_is_no_headline() -> None:
    meta = read_metadata(" date 2021-03-02 Ana Tavora met Bo Lindqvist in Lisbon on Monday."
                         "\n\nThey talked.")
    assert (meta.headline, meta.headline_locator, meta.capture_date) == (
        None, None, "2021-03-02")


@pytest.mark.parametrize("first", [
    "Ana Tavora met Bo Lindqvist in Lisbon.",  # a full stop: a sentence of the body
    "Xinhua) 10:00, May 1, 2021",  # the agency line
    "(Web editor: Mei Lanfang)",
    " ".join(["word"] * 21),  # too long
])
def test_what_is_no_headline(first: str) -> None:
    assert read_metadata(f"{first}\n\nAna Tavora met Bo Lindqvist.").headline is None


def test_credit_on_its_own_line_and_two_different_photos() -> None:
    text = ("Talks in Lima\n"
            "Minister Anke Vogt meets envoy Luis Paredes in Lima, May 5, 2021.\n"
            "(Xinhua/Rosa Quispe)\n"
            "LIMA, May 5 (Xinhua) -- Anke Vogt met Luis Paredes.\n"
            "Anke Vogt and Luis Paredes in Lima, May 5, 2021. (Xinhua/Juan Soto)\n")
    meta = read_metadata(text)
    assert meta.captions == (Caption("p2.s1", "p3.s1", "Xinhua", "Rosa Quispe"),
                             Caption("p5.s1", "p5.s2", "Xinhua", "Juan Soto"))
    assert meta.dateline is not None and meta.dateline.date is None
    assert (meta.headline, meta.agency) == ("Talks in Lima", "Xinhua")
    assert meta.todo == (NO_DATE, undated("p4.s1"), NO_URL)


def test_uncredited_caption_printed_twice() -> None:
    text = ("Ana Tavora met Bo Lindqvist on Monday.\nAna Tavora and Bo Lindqvist\n"
            "Ana Tavora and  Bo Lindqvist\nThey talked.")
    meta = read_metadata(text)
    assert meta.captions == (Caption("p2.s1", None, None, None),)
    assert meta.repeated == frozenset({3})


def test_repeated_body_paragraph_is_no_caption() -> None:
    meta = read_metadata("Ana met Bo.\n\nThey talked.\n\nThey talked.")
    assert (meta.repeated, meta.captions) == (frozenset({3}), ())


def test_editor_lines() -> None:
    assert read_metadata(f"{PLAIN}\n\n(Web editor: Mei Lanfang, Olu Adeyemi and Ken Ito)"
                         ).editors == ("Mei Lanfang", "Olu Adeyemi", "Ken Ito")
    single = read_metadata(f"{PLAIN}\n\nEditor: Lise Holm")
    assert (single.editors, single.editors_locator) == (("Lise Holm",), "p3.s1")


@pytest.mark.parametrize(("text", "rule"), [
    ("Head\nOne.\nTwo.", "line"),
    ("Head\nOne.\nTwo.\n\n", "line"),  # blank lines only at the end
    ("Head\n\nOne.\nTwo.", "blank-line"),
    ("One line only.", "blank-line"),
    ("", "blank-line"),
])
def test_paragraph_rule(text: str, rule: str) -> None:
    assert paragraph_rule(text) == rule


@pytest.mark.parametrize(("text", "language"), [
    ("安娜会见了博。双方交换了意见。Ana Tavora", "zh"),
    ("Die Ministerin hat sich mit dem Gesandten getroffen und über den Handel gesprochen.",
     "de"),
    ("The minister met the envoy and talked about trade in Berlin.", "en"),
    ("", "en"),
])
def test_language(text: str, language: str) -> None:
    assert read_metadata(text).language == language


# The corpus: each text as its curator read it (data/sources). Per file: paragraph rule,
# language, headline, published and its locator, dateline (locator, place, date),
# captions (locator, credit locator, photographer), repeated paragraphs, editors and
# their locator, and the todo (by name: H headline, D date, Y dateline year, P publisher).
Corpus = tuple[str, str, str | None, str | None, str | None,
               tuple[str, str, str | None] | None, tuple[tuple[str, str | None, str | None], ...],
               frozenset[int], tuple[str, ...], str | None, str]
CORPUS: dict[str, Corpus] = {
    "000_f693d5a72e5eb8f0.txt": (
        "blank-line", "en", "Chinese FM meets SCO chief", "2023-04-20T10:34:00", "p2.s1",
        ("p4.s1", "BEIJING", "2023-04-19"), (("p3.s1", "p3.s2", "Zhai Jianlan"),),
        frozenset({11}), ("Zhang Kaiwei", "Wu Chaolan"), "p12.s1", ""),
    "2022-08-05-sectsco-zhang-ming-tileuberdi.txt": (
        "line", "en", None, None, None, None, (("p6.s1", None, None),),
        frozenset({7}), (), None, "HDP"),
    "2023-02-20-xinhua-wang-yi-gsi-concept-paper.txt": (
        "blank-line", "en",
        "China to publish Global Security Initiative concept paper: senior diplomat",
        "2023-02-20T11:03:00", "p2.s1", ("p3.s1", "MUNICH", "2023-02-18"), (),
        frozenset(), ("Zhang Kaiwei", "Hongyu"), "p11.s1", ""),
    "2023-03-16-xinhua-xi-global-civilization-initiative.txt": (
        "blank-line", "en",
        "Xi attends CPC-world political parties dialogue, proposes Global Civilization "
        "Initiative", "2023-03-16T08:50:00", "p2.s1", ("p3.s1", "BEIJING", "2023-03-15"), (),
        frozenset(), ("Zhang Kaiwei", "Liang Jun"), "p11.s1", ""),
    "2023-04-19-xinhua-qin-gang-zhang-ming-zh.txt": (
        "line", "zh", None, None, None, ("p1.s1", "北京", None), (), frozenset(), (), None,
        "HDY"),
    "2023-05-04-tass-lavrov-qin-gang-goa.txt": (
        "blank-line", "en", None, "2023-05-04", "p1.s1", ("p1.s1", "PANAJI", "2023-05-04"), (),
        frozenset(), (), None, "H"),
    "2023-05-07-republicworld-sco-fm-goa-delegates.txt": (
        "blank-line", "en", None, "2023-05-07", "p1.s1", None, (), frozenset(), (), None,
        "HP"),
    "2023-06-19-xinhua-xi-meets-blinken.txt": (
        "blank-line", "en", "Xi meets Blinken in Beijing", "2023-06-19T16:40:00", "p2.s1",
        ("p4.s1", "BEIJING", "2023-06-19"),
        (("p3.s1", "p3.s2", "Li Xueren"), ("p8.s1", "p8.s2", "Wang Ye")),
        frozenset(), ("Zhang Kaiwei", "Hongyu"), "p9.s1", ""),
    "2023-06-30-thestatesman-xi-virtual-sco-summit.txt": (
        "blank-line", "en", None, "2023-06-30", "p1.s1", None, (), frozenset(), (), None,
        "HP"),
    "2023-07-03-sectsco-zhang-ming-sabry-zh.txt": (
        "line", "zh", None, None, None, None, (("p2.s1", None, None),), frozenset({3}), (),
        None, "HDP"),
    "2024-05-16-xinhua-wang-yi-sco-fm-astana.txt": (
        "blank-line", "en",
        "Chinese FM to attend SCO FMs council meeting, visit Kazakhstan, Tajikistan",
        "2024-05-16T14:59:00", "p2.s1", ("p3.s1", "BEIJING", "2024-05-16"), (), frozenset(),
        (), None, ""),
    "2024-05-21-kazinform-zhang-ming-astana-cfm.txt": (
        "blank-line", "en", None, "2024-05-21", "p1.s1", None, (), frozenset(), (), None,
        "HP"),
    "2024-12-14-chinaorg-wang-yi-zhang-ming-yermekbayev-de.txt": (
        "line", "de", "Wang Yi trifft SCO-Generalsekretär und dessen Nachfolger", None, None,
        None, (), frozenset(), (), None, "DP"),
}


def _summary(meta: Metadata) -> Corpus:
    dateline = meta.dateline
    names = {NO_HEADLINE: "H", NO_DATE: "D", NO_PUBLISHER: "P", NO_URL: ""}
    todo = "".join(names.get(item, "Y" if item.startswith("the dateline") else "?")
                   for item in meta.todo)
    return (meta.paragraphs, meta.language, meta.headline, meta.published,
            meta.published_locator,
            (dateline.locator, str(dateline.place), dateline.date) if dateline else None,
            tuple((c.locator, c.credit_locator, c.photographer) for c in meta.captions),
            meta.repeated, meta.editors, meta.editors_locator, todo)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_text(corpus: Path, name: str) -> None:
    meta = read_metadata((corpus / name).read_text("utf-8"))
    assert _summary(meta) == CORPUS[name]
    assert meta.todo[-1] == NO_URL


def test_corpus_agencies(corpus: Path) -> None:
    agencies = {name: read_metadata((corpus / name).read_text("utf-8")).agency
                for name in sorted(CORPUS)}
    assert {name for name, agency in agencies.items() if agency == "Xinhua"} == {
        "000_f693d5a72e5eb8f0.txt", "2023-02-20-xinhua-wang-yi-gsi-concept-paper.txt",
        "2023-03-16-xinhua-xi-global-civilization-initiative.txt",
        "2023-04-19-xinhua-qin-gang-zhang-ming-zh.txt", "2023-06-19-xinhua-xi-meets-blinken.txt",
        "2024-05-16-xinhua-wang-yi-sco-fm-astana.txt"}
    assert agencies["2023-05-04-tass-lavrov-qin-gang-goa.txt"] == "TASS"
    # the Statesman only quotes Xinhua in its body: no agency credit
    assert agencies["2023-06-30-thestatesman-xi-virtual-sco-summit.txt"] is None


def test_corpus_chinese_dispatch_dated_by_the_option(corpus: Path) -> None:
    text = (corpus / "2023-04-19-xinhua-qin-gang-zhang-ming-zh.txt").read_text("utf-8")
    meta = read_metadata(text, published="2023-04-19")
    assert meta.dateline is not None and meta.dateline.date == "2023-04-19"
    # as the curated file has it: published_evidence [p1.s1]
    assert (meta.published, meta.published_locator) == ("2023-04-19", "p1.s1")
    assert meta.todo == (NO_HEADLINE, NO_URL)


def test_corpus_locators_match_the_build_split(corpus: Path) -> None:
    for name in sorted(CORPUS):
        text = (corpus / name).read_text("utf-8")
        meta = read_metadata(text)
        known = {item.locator for item in numbered(SourceText(text, meta.paragraphs))}
        cited = {meta.headline_locator, meta.published_locator, meta.editors_locator,
                 meta.dateline.locator if meta.dateline else None}
        cited |= {c.locator for c in meta.captions} | {c.credit_locator for c in meta.captions}
        assert cited - {None} <= known, name
