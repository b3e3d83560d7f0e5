"""Date expressions found in a sentence and resolved against its dateline.

Every sentence here is made up for the test. Each case lists the exact mentions expected,
as ``(value, end_value, rule, text)``, in text order.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from kg.dates import iso_date, weekday_on_or_after, weekday_on_or_before
from kg.extract.dates import DateMention, find_dates

Expected = tuple[str | None, str | None, str, str]

WED = date(2023, 4, 19)  # a Wednesday
THU = date(2023, 4, 20)
SAT = date(2023, 2, 18)  # a Saturday
SUN = date(2023, 5, 7)  # a Sunday
NEW_YEAR = date(2023, 1, 2)  # a Monday
LATE_DECEMBER = date(2023, 12, 28)
MAY_2024 = date(2024, 5, 1)
END_OF_MAY_2024 = date(2024, 5, 30)


def found(sentence: str, anchor: date | None, language: str = "en") -> list[Expected]:
    return [(d.value, d.end_value, d.rule, d.text)
            for d in find_dates(sentence, anchor=anchor, language=language)]


def one(sentence: str, anchor: date | None, language: str = "en") -> DateMention:
    mentions = find_dates(sentence, anchor=anchor, language=language)
    assert len(mentions) == 1, mentions
    return mentions[0]


ENGLISH: list[tuple[str, date | None, list[Expected]]] = [
    # weekdays: on or before the dateline, the dateline itself included
    ("The two ministers met on Wednesday to discuss grain.", WED,
     [("2023-04-19", None, "weekday", "Wednesday")]),
    ("The envoys held talks on Saturday in a lakeside town.", SAT,
     [("2023-02-18", None, "weekday", "Saturday")]),
    ("Negotiators gathered on Sunday for a third round.", SUN,
     [("2023-05-07", None, "weekday", "Sunday")]),
    ("The delegation arrived on Monday.", WED, [("2023-04-17", None, "weekday", "Monday")]),
    ("The two sides talked by phone on Friday.", NEW_YEAR,
     [("2022-12-30", None, "weekday", "Friday")]),
    # weekdays: on or after the dateline in the future tense
    ("The ministers will sign the accord on Thursday.", WED,
     [("2023-04-20", None, "weekday", "Thursday")]),
    ("The ministers will meet again on Wednesday.", WED,
     [("2023-04-19", None, "weekday", "Wednesday")]),
    ("On Thursday, the two sides will exchange lists.", WED,
     [("2023-04-20", None, "weekday", "Thursday")]),
    ("He said they'll meet on Friday.", WED, [("2023-04-21", None, "weekday", "Friday")]),
    # the tense is the clause's, not the sentence's
    ("The spokesman said on Tuesday that the summit will open on Friday.", WED,
     [("2023-04-18", None, "weekday", "Tuesday"), ("2023-04-21", None, "weekday", "Friday")]),
    ("The talks, which began on Monday, will end on Friday.", WED,
     [("2023-04-17", None, "weekday", "Monday"), ("2023-04-21", None, "weekday", "Friday")]),
    # "next" and "last" exclude the dateline itself
    ("The council will vote next Thursday.", THU,
     [("2023-04-27", None, "next-weekday", "next Thursday")]),
    ("The envoy returned last Wednesday.", WED,
     [("2023-04-12", None, "last-weekday", "last Wednesday")]),
    # full dates
    ("The accord was initialled on April 19, 2023 in a border town.", WED,
     [("2023-04-19", None, "month-day-year", "April 19, 2023")]),
    ("Observers arrived on Sep 5, 2022.", WED,
     [("2022-09-05", None, "month-day-year", "Sep 5, 2022")]),
    ("The memorandum dates from 28 July 2022.", WED,
     [("2022-07-28", None, "day-month-year", "28 July 2022")]),
    ("The corridor was first discussed in June 2022.", WED,
     [("2022-06", None, "month-year", "June 2022")]),
    ("The figures (2023-04-18) were revised.", WED,
     [("2023-04-18", None, "iso-date", "2023-04-18")]),
    # yearless days and months: the dateline's year, shifted by the tense
    ("The visit is set for April 25.", WED, [("2023-04-25", None, "month-day", "April 25")]),
    ("The deadline is 28 July.", WED, [("2023-07-28", None, "day-month", "28 July")]),
    ("The forum opened on Feb. 18 and closed on Sept. 5.", WED,
     [("2023-02-18", None, "month-day", "Feb. 18"), ("2022-09-05", None, "month-day", "Sept. 5")]),
    ("The treaty was ratified on December 30.", NEW_YEAR,
     [("2022-12-30", None, "month-day", "December 30")]),
    ("Leaders will gather on January 5.", LATE_DECEMBER,
     [("2024-01-05", None, "month-day", "January 5")]),
    ("The meeting on the 5th of May was cancelled.", WED,
     [("2022-05-05", None, "day-month", "5th of May")]),
    ("A summit is planned in July.", WED, [("2023-07", None, "month", "July")]),
    ("The summit will be held in July.", WED, [("2023-07", None, "month", "July")]),
    ("The summit is scheduled for March.", WED, [("2024-03", None, "month", "March")]),
    ("The blockade was lifted in July.", WED, [("2022-07", None, "month", "July")]),
    ("Trade fell in March.", WED, [("2023-03", None, "month", "March")]),
    ("The fair ran in early May and again in late May.", MAY_2024,
     [("2024-05", None, "month", "early May"), ("2024-05", None, "month", "late May")]),
    # ranges
    ("The leaders met on May 4 and 5.", END_OF_MAY_2024,
     [("2024-05-04", "2024-05-05", "range", "May 4 and 5")]),
    ("The conference took place on May 04-05, 2023.", WED,
     [("2023-05-04", "2023-05-05", "range", "May 04-05, 2023")]),
    ("The fair runs from May 18 to 21.", MAY_2024,
     [("2024-05-18", "2024-05-21", "range", "May 18 to 21")]),
    ("The fair runs May 18-21.", MAY_2024, [("2024-05-18", "2024-05-21", "range", "May 18-21")]),
    ("The border stayed shut from December 30, 2022 to January 2, 2023.", WED,
     [("2022-12-30", "2023-01-02", "range", "December 30, 2022 to January 2, 2023")]),
    ("The forum sat between 30 May and 2 June 2024.", WED,
     [("2024-05-30", "2024-06-02", "range", "30 May and 2 June 2024")]),
    ("The envoys met on May 5 and June 6.", date(2024, 6, 30),
     [("2024-05-05", None, "month-day", "May 5"), ("2024-06-06", None, "month-day", "June 6")]),
    # relative words
    ("They first met on September 16 last year.", WED,
     [("2022-09-16", None, "month-day-last-year", "September 16 last year")]),
    ("Last year's harvest was poor, but this year's looks better.", WED,
     [("2022", None, "last-year", "Last year"), ("2023", None, "this-year", "this year")]),
    ("Trade will recover next year.", WED, [("2024", None, "next-year", "next year")]),
    ("Talks resume next week.", WED, [(None, None, "next-week", "next week")]),
    ("Exports rose last month.", WED, [("2023-03", None, "last-month", "last month")]),
    ("Exports rose last month.", NEW_YEAR, [("2022-12", None, "last-month", "last month")]),
    ("The envoy arrived yesterday.", WED, [("2023-04-18", None, "yesterday", "yesterday")]),
    ("Over the last year, trade grew.", WED, []),
    # years alone need a preposition or a modifier
    ("Trade grew in 2022 while 2,000 troops stayed.", WED, [("2022", None, "year", "2022")]),
    ("The plan runs until early 2025.", WED, [("2025", None, "year", "early 2025")]),
    ("A 2023 report was cited.", WED, []),
    # days that do not exist
    ("A deadline of February 30 was cited.", WED, [(None, None, "month-day", "February 30")]),
    ("The vote was held on February 29, 2023.", WED,
     [(None, None, "month-day-year", "February 29, 2023")]),
    ("The vote was held on February 29, 2024.", WED,
     [("2024-02-29", None, "month-day-year", "February 29, 2024")]),
]

MODAL_MAY: list[tuple[str, date | None, list[Expected]]] = [
    ("Talks may continue for weeks.", WED, []),
    ("May officials attend the summit?", WED, []),
    ("Jenny May spoke on Tuesday.", WED, [("2023-04-18", None, "weekday", "Tuesday")]),
    ("The ministers may meet in May.", WED, [("2023-05", None, "month", "May")]),
    ("In May, the talks resumed.", date(2023, 6, 1), [("2023-05", None, "month", "May")]),
    ("Talks may resume on May 5.", WED, [("2023-05-05", None, "month-day", "May 5")]),
    ("May 5 was a holiday.", date(2023, 6, 1), [("2023-05-05", None, "month-day", "May 5")]),
    ("Talks resumed in mid-May.", date(2023, 6, 1), [("2023-05", None, "month", "mid-May")]),
]

OVERLAPS: list[tuple[str, date | None, list[Expected]]] = [
    ("Signed on April 19, 2023.", WED, [("2023-04-19", None, "month-day-year", "April 19, 2023")]),
    ("They met on September 16 last year.", WED,
     [("2022-09-16", None, "month-day-last-year", "September 16 last year")]),
    ("Talks resumed in July 2021.", WED, [("2021-07", None, "month-year", "July 2021")]),
    ("Mid-May last year the talks stalled.", WED,
     [("2022-05", None, "month-last-year", "Mid-May last year")]),
    ("The leaders met on May 4 and 5.", END_OF_MAY_2024,
     [("2024-05-04", "2024-05-05", "range", "May 4 and 5")]),
    ("Officials met on Wednesday, April 19, in the capital.", WED,
     [("2023-04-19", None, "weekday", "Wednesday"), ("2023-04-19", None, "month-day", "April 19")]),
    ("The forum sat from 18-21 May 2024.", WED,
     [("2024-05-18", "2024-05-21", "range", "18-21 May 2024")]),
]

CHINESE: list[tuple[str, date | None, list[Expected]]] = [
    ("2023年4月19日，两国外长举行会谈。", WED,
     [("2023-04-19", None, "zh-year-month-day", "2023年4月19日")]),
    ("二〇二三年四月十九日，双方签署协议。", WED,
     [("2023-04-19", None, "zh-year-month-day", "二〇二三年四月十九日")]),
    ("两国外长4月19日在边境城市会晤。", WED,
     [("2023-04-19", None, "zh-month-day", "4月19日")]),
    ("６月１９日的会议推迟。", WED, [("2023-06-19", None, "zh-month-day", "６月１９日")]),
    ("发言人19日表示，双方将于25日签署协议。", WED,
     [("2023-04-19", None, "zh-day", "19日"), ("2023-04-25", None, "zh-day", "25日")]),
    ("双方30日举行了会谈。", date(2023, 4, 2), [("2023-03-30", None, "zh-day", "30日")]),
    ("去年双边贸易增长，今年有望继续增长，明年将更快。", WED,
     [("2022", None, "zh-last-year", "去年"), ("2023", None, "zh-this-year", "今年"),
      ("2024", None, "zh-next-year", "明年")]),
    ("他去年9月16日访问边境。", WED,
     [("2022-09-16", None, "zh-last-year-month-day", "去年9月16日")]),
    ("论坛将于6月举行。", WED, [("2023-06", None, "zh-month", "6月")]),
    ("论坛将于3月举行。", WED, [("2024-03", None, "zh-month", "3月")]),
    ("谈判6月底前完成。", WED, [("2023-06", None, "zh-month", "6月底")]),
    ("双方在2023年4月签署协议。", WED, [("2023-04", None, "zh-year-month", "2023年4月")]),
    ("这6个月里，双方在2022年签署协议。", WED, [("2022", None, "zh-year", "2022年")]),
    ("双方周三举行会谈。", WED, [("2023-04-19", None, "zh-weekday", "周三")]),
    ("双方星期五签署了协议。", WED, [("2023-04-14", None, "zh-weekday", "星期五")]),
    ("代表团礼拜一抵达。", WED, [("2023-04-17", None, "zh-weekday", "礼拜一")]),
    ("双方将于周四举行会谈。", WED, [("2023-04-20", None, "zh-weekday", "周四")]),
    ("上周三双方通话，下周三再次会面。", WED,
     [("2023-04-12", None, "zh-last-week-weekday", "上周三"),
      ("2023-04-26", None, "zh-next-week-weekday", "下周三")]),
    ("双方每周一举行一次会谈。", WED, []),
    ("论坛于5月18日至21日举行。", MAY_2024,
     [("2024-05-18", "2024-05-21", "zh-range", "5月18日至21日")]),
    ("上个月贸易增长，下周继续谈判。", WED,
     [("2023-03", None, "zh-last-month", "上个月"), (None, None, "zh-next-week", "下周")]),
    ("双方昨天通电话。", WED, [("2023-04-18", None, "zh-yesterday", "昨天")]),
    ("2月30日的会议取消。", WED, [(None, None, "zh-month-day", "2月30日")]),
]

GERMAN: list[tuple[str, date | None, list[Expected]]] = [
    ("Die Außenminister trafen sich am Freitag in einer Grenzstadt.", WED,
     [("2023-04-14", None, "de-weekday", "Freitag")]),
    ("Die Außenminister werden sich am Freitag treffen.", WED,
     [("2023-04-21", None, "de-weekday", "Freitag")]),
    ("Am Mittwoch unterzeichneten beide Seiten das Abkommen.", WED,
     [("2023-04-19", None, "de-weekday", "Mittwoch")]),
    ("Die Gespräche dauerten bis Freitagabend.", WED,
     [("2023-04-14", None, "de-weekday", "Freitagabend")]),
    ("Die Delegation reist nächsten Donnerstag ab.", WED,
     [("2023-04-20", None, "de-next-weekday", "nächsten Donnerstag")]),
    ("Am vergangenen Mittwoch wurde verhandelt.", WED,
     [("2023-04-12", None, "de-last-weekday", "vergangenen Mittwoch")]),
    ("Das Abkommen wurde am 19. April 2023 unterzeichnet.", WED,
     [("2023-04-19", None, "de-day-month-year", "19. April 2023")]),
    ("Das Treffen ist für den 25. April angesetzt.", WED,
     [("2023-04-25", None, "de-day-month", "25. April")]),
    ("Am 19.04.2023 wurde unterzeichnet.", WED,
     [("2023-04-19", None, "de-numeric-date", "19.04.2023")]),
    ("Im Juli soll ein Gipfel stattfinden.", WED, [("2023-07", None, "de-month", "Juli")]),
    ("Im Januar soll ein Gipfel stattfinden.", WED, [("2024-01", None, "de-month", "Januar")]),
    ("Die Gespräche begannen im April 2023.", WED,
     [("2023-04", None, "de-month-year", "April 2023")]),
    ("Im März, im Maerz und im Jänner.", WED,
     [("2023-03", None, "de-month", "März"), ("2023-03", None, "de-month", "Maerz"),
      ("2023-01", None, "de-month", "Jänner")]),
    ("Letztes Jahr wuchs der Handel, im vergangenen Jahr auch.", WED,
     [("2022", None, "de-last-year", "Letztes Jahr"),
      ("2022", None, "de-last-year", "vergangenen Jahr")]),
    ("Die Zahlen des letzten Jahres und des vergangenen Jahres.", WED,
     [("2022", None, "de-last-year", "letzten Jahres"),
      ("2022", None, "de-last-year", "vergangenen Jahres")]),
    ("Dieses Jahr und Anfang dieses Jahres.", WED,
     [("2023", None, "de-this-year", "Dieses Jahr"),
      ("2023", None, "de-this-year", "dieses Jahres")]),
    ("Mitte Mai letzten Jahres trafen sie sich.", WED,
     [("2022-05", None, "de-month-last-year", "Mitte Mai letzten Jahres")]),
    ("Der Gipfel fand vom 18. bis 21. Mai 2024 statt.", WED,
     [("2024-05-18", "2024-05-21", "de-range", "18. bis 21. Mai 2024")]),
    ("Mai sagte, dass sie im Mai reist.", WED, [("2023-05", None, "de-month", "Mai")]),
    ("Gestern sprachen die Minister.", WED, [("2023-04-18", None, "de-yesterday", "Gestern")]),
    ("Seit 2020 und bis Ende 2022.", WED,
     [("2020", None, "de-year", "2020"), ("2022", None, "de-year", "Ende 2022")]),
    ("Die Gespräche am 31. Februar.", WED, [(None, None, "de-day-month", "31. Februar")]),
]


@pytest.mark.parametrize(("sentence", "anchor", "expected"), ENGLISH)
def test_english(sentence: str, anchor: date | None, expected: list[Expected]) -> None:
    assert found(sentence, anchor) == expected


@pytest.mark.parametrize(("sentence", "anchor", "expected"), MODAL_MAY)
def test_the_modal_may_is_no_month(sentence: str, anchor: date | None,
                                   expected: list[Expected]) -> None:
    assert found(sentence, anchor) == expected


@pytest.mark.parametrize(("sentence", "anchor", "expected"), OVERLAPS)
def test_the_longest_expression_wins(sentence: str, anchor: date | None,
                                     expected: list[Expected]) -> None:
    assert found(sentence, anchor) == expected


@pytest.mark.parametrize(("sentence", "anchor", "expected"), CHINESE)
def test_chinese(sentence: str, anchor: date | None, expected: list[Expected]) -> None:
    assert found(sentence, anchor, "zh") == expected


@pytest.mark.parametrize(("sentence", "anchor", "expected"), GERMAN)
def test_german(sentence: str, anchor: date | None, expected: list[Expected]) -> None:
    assert found(sentence, anchor, "de") == expected


ALL_CASES = ([(s, a, "en") for s, a, _ in ENGLISH + MODAL_MAY + OVERLAPS]
             + [(s, a, "zh") for s, a, _ in CHINESE] + [(s, a, "de") for s, a, _ in GERMAN])


@pytest.mark.parametrize(("sentence", "anchor", "language"), ALL_CASES)
def test_offsets_point_into_the_sentence(sentence: str, anchor: date | None,
                                         language: str) -> None:
    mentions = find_dates(sentence, anchor=anchor, language=language)
    for mention in mentions:
        assert sentence[mention.start:mention.end] == mention.text
    for first, second in pairwise(mentions):
        assert first.end <= second.start


def test_chinese_offsets_count_characters() -> None:
    mention = one("发言人19日表示。", WED, "zh")
    assert (mention.start, mention.end) == (3, 6)


def test_german_mai_after_im_is_the_month_not_the_name() -> None:
    sentence = "Mai sagte, dass sie im Mai reist."
    assert one(sentence, WED, "de").start == sentence.rindex("Mai")


@pytest.mark.parametrize(("sentence", "language", "note"), [
    ("The envoys met on Monday.", "en", "no dateline to count the weekday from"),
    ("The visit ended on April 25.", "en", "no dateline to take the year from"),
    ("Talks resumed in July.", "en", "no dateline to take the year from"),
    ("Prices rose last year.", "en", "no dateline to count from"),
    ("They met on September 16 last year.", "en", "no dateline to count from"),
    ("The leaders met on May 4 and 5.", "en", "no dateline to take the year from"),
    ("双方19日举行会谈。", "zh", "no dateline to take the year and month from"),
    ("双方周三举行会谈。", "zh", "no dateline to count the weekday from"),
    ("上周三双方通话。", "zh", "no dateline to count the weekday from"),
    ("去年贸易增长。", "zh", "no dateline to count from"),
    ("Die Minister trafen sich am Freitag.", "de", "no dateline to count the weekday from"),
    ("Im Juli soll ein Gipfel stattfinden.", "de", "no dateline to take the year from"),
])
def test_without_a_dateline_nothing_is_guessed(sentence: str, language: str, note: str) -> None:
    mention = one(sentence, None, language)
    assert (mention.value, mention.end_value, mention.note) == (None, None, note)


@pytest.mark.parametrize(("sentence", "language", "value"), [
    ("Signed on April 19, 2023.", "en", "2023-04-19"),
    ("Signed in June 2022.", "en", "2022-06"),
    ("2023年4月19日签署。", "zh", "2023-04-19"),
    ("Am 19. April 2023 unterzeichnet.", "de", "2023-04-19"),
])
def test_a_written_date_needs_no_dateline(sentence: str, language: str, value: str) -> None:
    mention = one(sentence, None, language)
    assert (mention.value, mention.note) == (value, None)


@pytest.mark.parametrize(("sentence", "anchor", "language", "note"), [
    ("The visit is set for April 25.", WED, "en", "year taken from the dateline"),
    ("The treaty was ratified on December 30.", NEW_YEAR, "en",
     "year taken from the dateline: the year before, as the clause is in the past tense and "
     "the month comes after the dateline's"),
    ("The summit is scheduled for March.", WED, "en",
     "year taken from the dateline: the year after, as the clause is in the future tense and "
     "the month comes before the dateline's"),
    ("The two ministers met on Wednesday.", WED, "en",
     "the Wednesday on or before the dateline"),
    ("The ministers will sign on Thursday.", WED, "en",
     "the Thursday on or after the dateline (future tense)"),
    ("Talks resume next week.", WED, "en", "a week, not a date"),
    ("Prices rose last year.", WED, "en", "counted from the dateline"),
    ("Talks resumed in early May.", date(2023, 6, 1), "en",
     '"early" narrows it: the value is the whole month; year taken from the dateline'),
    ("A deadline of February 30 was cited.", WED, "en",
     "the day does not exist: February 30; year taken from the dateline"),
    ("The vote was held on February 29, 2023.", WED, "en",
     "the day does not exist: February 29, 2023"),
    ("双方30日举行了会谈。", date(2023, 4, 2), "zh",
     "year and month taken from the dateline: the month before, as the clause is in the past "
     "tense and the day comes after the dateline's"),
    ("上周三双方通话。", WED, "zh",
     "the Wednesday of the calendar week before the dateline's"),
])
def test_notes_say_what_was_assumed(sentence: str, anchor: date, language: str,
                                    note: str) -> None:
    assert one(sentence, anchor, language).note == note


@pytest.mark.parametrize(("anchor", "weekday", "expected"), [
    (WED, 2, date(2023, 4, 19)),
    (WED, 3, date(2023, 4, 13)),
    (WED, 1, date(2023, 4, 18)),
    (NEW_YEAR, 4, date(2022, 12, 30)),
    (NEW_YEAR, 0, date(2023, 1, 2)),
    (SAT, 5, date(2023, 2, 18)),
])
def test_weekday_on_or_before(anchor: date, weekday: int, expected: date) -> None:
    assert weekday_on_or_before(anchor, weekday) == expected


@pytest.mark.parametrize(("anchor", "weekday", "expected"), [
    (WED, 2, date(2023, 4, 19)),
    (WED, 3, date(2023, 4, 20)),
    (WED, 1, date(2023, 4, 25)),
    (LATE_DECEMBER, 0, date(2024, 1, 1)),
    (SUN, 6, date(2023, 5, 7)),
])
def test_weekday_on_or_after(anchor: date, weekday: int, expected: date) -> None:
    assert weekday_on_or_after(anchor, weekday) == expected


@pytest.mark.parametrize("weekday", [-1, 7])
def test_a_weekday_is_0_to_6(weekday: int) -> None:
    with pytest.raises(ValueError, match="weekday must be"):
        weekday_on_or_before(WED, weekday)
    with pytest.raises(ValueError, match="weekday must be"):
        weekday_on_or_after(WED, weekday)


@pytest.mark.parametrize(("value", "expected"), [
    ("2023-04-19", date(2023, 4, 19)),
    ("2024-02-29", date(2024, 2, 29)),
    ("2023-02-29", None),
    ("2023-04", None),
    ("2023", None),
    ("20230419", None),
    (" 2023-04-19", None),
    ("2023-04-19T10:00", None),
    ("", None),
])
def test_iso_date(value: str, expected: date | None) -> None:
    assert iso_date(value) == expected


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="language must be one of"):
        find_dates("Am Freitag.", anchor=WED, language="fr")


def test_a_sentence_without_dates() -> None:
    assert find_dates("The ministers discussed grain exports.", anchor=WED) == []
    assert find_dates("", anchor=None, language="zh") == []
