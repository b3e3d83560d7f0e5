"""The date expressions :mod:`kg.extract.dates` reads, by language: month and weekday
names, the words that count from the dateline, and the regular expressions of each form
("April 19, 2023", "19. April", "4月19日", ranges, weekdays, "last year"), with the words
that mark a clause's tense.

Language, not rules: :func:`kg.extract.dates.find_dates` applies these patterns and
resolves what they find against the dateline.

>>> EN_MONTH_DAY.fullmatch("April 19, 2023").group("month", "day", "year")
('April', '19', '2023')
>>> MONTHS["Mär"], WEEKDAYS["Freitag"]
(3, 4)
"""

from __future__ import annotations

import re

# --- names --------------------------------------------------------------------------------

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
EN_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8,
                    "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
DE_MONTHS = {"Januar": 1, "Jänner": 1, "Jaenner": 1, "Februar": 2, "Feber": 2, "März": 3,
             "Maerz": 3, "April": 4, "Mai": 5, "Juni": 6, "Juli": 7, "August": 8,
             "September": 9, "Oktober": 10, "November": 11, "Dezember": 12}
DE_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mär": 3, "Mrz": 3, "Apr": 4, "Jun": 6, "Jul": 7,
                    "Aug": 8, "Sep": 9, "Sept": 9, "Okt": 10, "Nov": 11, "Dez": 12}
#: Month names written in full: the only ones that may stand alone ("in July").
FULL_MONTHS = {name: number for number, name in enumerate(EN_MONTHS, 1)} | DE_MONTHS
MONTHS = FULL_MONTHS | EN_ABBREVIATIONS | DE_ABBREVIATIONS
WEEKDAYS = {"Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4,
            "Saturday": 5, "Sunday": 6, "Montag": 0, "Dienstag": 1, "Mittwoch": 2,
            "Donnerstag": 3, "Freitag": 4, "Samstag": 5, "Sonnabend": 5, "Sonntag": 6,
            "一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                 "Sunday")
ZH_DIGITS = {"\u3007": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
#: Words that count a year, a week or a day from the dateline, by offset.
ZH_OFFSETS = {"去年": -1, "今年": 0, "明年": 1, "前年": -2, "上": -1, "本": 0, "这": 0,
              "這": 0, "下": 1, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1}
OFFSET_PREFIXES = ((-2, ("vorgestern",)),
                   (-1, ("last", "past", "yesterday", "letzt", "vergangen", "vorig",
                         "gestern")),
                   (0, ("this", "dies", "laufend")),
                   (1, ("next", "coming", "tomorrow", "nächst", "naechst", "kommend")))
FULLWIDTH_DIGITS = str.maketrans({0xFF10 + digit: str(digit) for digit in range(10)})

# --- pattern pieces -----------------------------------------------------------------------


def alternation(names: list[str], dotted: frozenset[str], dot: str) -> str:
    """Names longest first; the ``dotted`` ones followed by ``dot``."""
    return "|".join(re.escape(name) + (dot if name in dotted else "")
                    for name in sorted(names, key=len, reverse=True))


EN_MONTH_NAMES = alternation([*EN_MONTHS, *EN_ABBREVIATIONS],
                              frozenset(EN_ABBREVIATIONS), r"\.?")
DE_MONTH_NAMES = alternation([*DE_MONTHS, *DE_ABBREVIATIONS],
                              frozenset(DE_ABBREVIATIONS), r"\.")
YEAR_DIGITS = r"(?:1[89]|2[01])[0-9]{2}"
ZH_MONTH_DIGITS = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
ZH_DAY_DIGITS = r"3[01]|[12][0-9]|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
ZH_NUMERAL = "\u3007零一二三四五六七八九十"
EN_REL = r"(?P<rel>(?i:last|this|next))"
DE_REL = (r"(?i:letzte[nmrs]?|vergangene[nmrs]?|vorige[nmrs]?|diese[nmrs]?|laufende[nmrs]?"
          r"|nächste[nmrs]?|naechste[nmrs]?|kommende[nmrs]?)")
EN_SEP = r"(?P<sep>\s*[-\u2013\u2014]\s*|\s+(?:to|and|through|until|till|thru)\s+)"
DE_SEP = r"(?P<sep>\s*[-\u2013\u2014]\s*|\s+(?:bis(?:\s+zum)?|und)\s+)"
ZH_SEP = r"(?:至|到|[-\u2013\u2014~\uff5e])"


#: Regex pieces holding a named group, by kind: what must come before, the group's body,
#: what must come after (``named_group('en_day', 'day2')``).
GROUPS: dict[str, tuple[str, str, str]] = {
    "year": (r"(?<![0-9])", YEAR_DIGITS, r"(?![0-9])"),
    "en_month": (r"\b", EN_MONTH_NAMES, r"(?![A-Za-z])"),
    "en_day": ("", r"3[01]|[12][0-9]|0?[1-9]", r"(?:st|nd|rd|th)?(?![0-9]|,[0-9])"),
    "de_month": (r"\b", DE_MONTH_NAMES, r"(?![A-Za-zäöüß])"),
    "de_day": (r"(?<![0-9.])", r"3[01]|[12][0-9]|0?[1-9]", r"\."),
    "zh_month": ("", ZH_MONTH_DIGITS, "月"),
    "zh_day": ("", ZH_DAY_DIGITS, ""),
}


def named_group(kind: str, name: str) -> str:
    """The regex piece of ``kind`` with its group named ``name``."""
    before, body, after = GROUPS[kind]
    return f"{before}(?P<{name}>{body}){after}"


#: The pieces with their usual group names.
P_YEAR = named_group('year', 'year')
P_EN_MONTH = named_group('en_month', 'month')
P_EN_DAY = named_group('en_day', 'day')
P_DE_MONTH = named_group('de_month', 'month')
P_DE_DAY = named_group('de_day', 'day')
P_ZH_MONTH = named_group('zh_month', 'month')
P_ZH_DAY = named_group('zh_day', 'day')

EN_YEAR_TAIL = rf"(?:,?\s+(?:{P_YEAR}|(?:of\s+)?{EN_REL}\s+year\b))?"
DE_YEAR_TAIL = rf"(?:\s+(?:{P_YEAR}|(?P<rel>{DE_REL})\s+Jahres\b))?"
ZH_YEAR_HEAD = (r"(?:(?P<year>[0-9]{4}|[\u3007零一二三四五六七八九]{4})年"
                r"|(?P<rel>去年|今年|明年|前年))?")

# --- patterns -----------------------------------------------------------------------------

EN_RANGE = re.compile(rf"{P_EN_MONTH}\s+{P_EN_DAY}(?:,?\s+{named_group('year', 'year1')})?"
                      rf"{EN_SEP}(?:{named_group('en_month', 'month2')}\s+)?"
                      rf"{named_group('en_day', 'day2')}(?:,?\s+{P_YEAR})?")
EN_DAY_MONTH_RANGE = re.compile(
    rf"(?<![0-9.,])\b{P_EN_DAY}(?:\s+{P_EN_MONTH})?{EN_SEP}{named_group('en_day', 'day2')}\s+"
    rf"(?:of\s+)?{named_group('en_month', 'month2')}(?:,?\s+{P_YEAR})?")
EN_MONTH_DAY = re.compile(rf"{P_EN_MONTH}\s+{P_EN_DAY}{EN_YEAR_TAIL}")
EN_DAY_MONTH = re.compile(rf"(?<![0-9.,])\b{P_EN_DAY}\s+(?:of\s+)?{P_EN_MONTH}{EN_YEAR_TAIL}")
EN_MONTH = re.compile(rf"(?:\b(?P<mod>(?i:early|mid|late))(?:-|\s+))?{P_EN_MONTH}"
                      rf"(?:,?\s+(?:of\s+)?(?:{P_YEAR}|{EN_REL}\s+year\b))?")
EN_WEEKDAY = re.compile(r"(?:\b(?P<rel>(?i:last|next|this|past|coming))\s+)?"
                        r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
EN_RELATIVE = re.compile(r"(?<![Tt]he )\b(?P<rel>(?i:last|this|next))\s+"
                         r"(?P<unit>year|month|week)\b")
EN_DAY_WORD = re.compile(r"\b(?P<word>(?i:yesterday|tomorrow))\b")
EN_YEAR = re.compile(
    r"(?:\b(?P<ctx>(?i:in|since|until|till|by|during|before|after|through|throughout"
    r"|(?:the\s+)?(?:end|start|beginning|middle)\s+of|the\s+year))\s+)?"
    rf"(?P<t>(?:\b(?P<mod>(?i:early|mid|late))(?:-|\s+))?{P_YEAR})(?!s\b)(?P<poss>['’]s\b)?")
ISO_DATE = re.compile(r"(?<![0-9-])(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
                      r"(?![0-9-])")

DE_RANGE = re.compile(rf"{P_DE_DAY}\s*(?:{P_DE_MONTH}\s*)?{DE_SEP}"
                      rf"{named_group('de_day', 'day2')}\s*"
                      rf"{named_group('de_month', 'month2')}(?:\s+{P_YEAR})?")
DE_DAY_MONTH = re.compile(rf"{P_DE_DAY}\s*{P_DE_MONTH}{DE_YEAR_TAIL}")
DE_NUMERIC = re.compile(rf"{P_DE_DAY}(?P<month>1[0-2]|0?[1-9])\.{P_YEAR}")
DE_MONTH = re.compile(rf"(?:\b(?P<mod>Anfang|Mitte|Ende)\s+)?{P_DE_MONTH}{DE_YEAR_TAIL}")
DE_WEEKDAY = re.compile(
    r"(?:\b(?P<rel>(?i:letzten|vergangenen|vorigen|nächsten|naechsten|kommenden|diesen))\s+)?"
    r"\b(?P<wd>Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag)"
    r"(?:morgen|vormittag|mittag|nachmittag|abend|nacht)?\b")
DE_RELATIVE = re.compile(rf"\b(?P<rel>{DE_REL})\s+(?P<unit>Jahr(?:es)?|Monats?|Woche)\b"
                         r"|\b(?P<unit2>Vorjahr(?:es|s)?|Vormonats?)\b")
DE_DAY_WORD = re.compile(r"\b(?P<word>(?i:gestern|vorgestern))\b")
DE_YEAR = re.compile(r"(?:\b(?P<ctx>(?i:im\s+Jahre?|seit|bis|zum\s+Jahr))\s+)?"
                     rf"(?P<t>(?:\b(?P<mod>Anfang|Mitte|Ende)\s+)?{P_YEAR})")

ZH_RANGE = re.compile(
    rf"(?<![0-9{ZH_NUMERAL}])(?:(?P<year1>[0-9]{{4}})年)?{P_ZH_MONTH}{P_ZH_DAY}[日号]?"
    rf"{ZH_SEP}(?:{named_group('zh_month', 'month2')})?{named_group('zh_day', 'day2')}[日号]")
ZH_DATE = re.compile(rf"(?<![0-9{ZH_NUMERAL}]){ZH_YEAR_HEAD}{P_ZH_MONTH}份?"
                     rf"(?:{P_ZH_DAY}[日号]|(?P<part>上旬|中旬|下旬|初|底|末))?")
ZH_DAY = re.compile(r"(?<![0-9\u3007零一二三四五六七八九十月])(?P<day>3[01]|[12][0-9]|0?[1-9])日")
ZH_YEAR = re.compile(r"(?<![0-9])(?P<year>[0-9]{4})年(?!代)")
ZH_RELATIVE_YEAR = re.compile(r"(?P<rel>去年|今年|明年|前年)")
ZH_WEEKDAY = re.compile(r"(?<![每一两二三四五六七八九十几数])(?P<rel>[上下本这這])?(?:个|個)?"
                        r"(?:周|週|星期|礼拜|禮拜)(?P<wd>[一二三四五六日天])")
ZH_RELATIVE = re.compile(r"(?P<rel>[上下本这這])(?:个|個)?(?:(?P<week>周|週|星期|礼拜)"
                         r"(?![一二三四五六日天])|(?P<month>月)(?!份))")
ZH_DAY_WORD = re.compile(r"(?P<word>昨天|昨日|前天|明天)")

#: Two dates joined by "and" after these words are a range.
BETWEEN = re.compile(r"(?i)\b(?:between|zwischen)\s+$")
#: Where May and Mai, alone, are months: after these words (or with a modifier).
MONTH_CONTEXT = re.compile(
    r"(?i)(?:\b(?:in|since|until|till|by|before|after|during|through|throughout|from|of"
    r"|last|next|this|early|late|im|seit|bis|ab|vom|zum|Monat|Monats|des)\s+|mid-)$")

FUTURE = {
    # a participle after "will be", "to be" is no past ("will be held"); "may" only lowercase
    "en": re.compile(r"(?i:\b(?:will|won't|shall|would|to)\s+be\s+(?:[a-z]+ed|held|met|made|given"
                     r"|sent|taken|seen)\b|\b(?:will|won't|shall|would|next|upcoming|slated"
                     r"|scheduled|planned|planning|proposed|expected\s+to|set\s+to|going\s+to"
                     r"|plans\s+to|is\s+to|are\s+to|tomorrow)\b|['\u2019]ll\b)"
                     r"|\b(?:may|might)(?:\s+be\s+(?:[a-z]+ed|held|met|made|given|sent|taken))?\b"),
    "de": re.compile(r"(?i)\b(?:wird|werden|wirst|werde|soll|sollen|sollte|sollten|will|wollen"
                     r"|nächste[nmrs]?|naechste[nmrs]?|kommende[nmrs]?|geplant|geplante[nmrs]?"
                     r"|plant|planen|künftig|bevorstehende[nmrs]?|übermorgen)\b"),
    "zh": re.compile(r"即将|将要|将(?![军领近])|拟|计划|预计|打算|准备|届时|下周|下个?月"
                     r"|明年|明天"),
}
PAST = {
    "en": re.compile(r"\b(?i:was|were|had|did|said|met|held|took|told|made|gave|went|came|began"
                     r"|spoke|left|sent|saw|won|lost|fell|rose|led|brought|sought|thought|found"
                     r"|struck|wrote|ago|earlier|last|yesterday|already|previously)\b"
                     r"|\b(?!(?:indeed|need|speed|proceed|exceed|succeed|hundred|sacred|naked"
                     r"|wicked|kindred|shed|bred|breed|seed|feed|weed|creed|greed|deed|heed"
                     r"|steed)\b)[a-z]{2,}ed\b"),
    "de": re.compile(r"(?i)\b(?:war|waren|hatte|hatten|hat|haben|wurde|wurden|sagte|sagten"
                     r"|erklärte|erklärten|traf|trafen|fand|fanden|kam|kamen|gab|gaben|reiste"
                     r"|reisten|vergangene[nmrs]?|letzte[nmrs]?|vorige[nmrs]?|bereits|zuvor"
                     r"|damals|gestern|vorgestern)\b"),
    "zh": re.compile(r"(?<![为除])了(?!解)|已经|已|曾经|曾|此前|日前|先前|上周|上个?月|去年|前年"
                     r"|昨天|昨日|前天|刚刚"),
}
CLAUSE_BREAKS = {
    "en": re.compile(r"(?i)\b(?:that|but|while|whereas)\b|;|(?<![0-9]):(?![0-9])"
                     r"|\s[-\u2013\u2014]{1,2}\s|\u2014"),
    "de": re.compile(r"(?i)\b(?:dass|daß|aber|sondern)\b|;|(?<![0-9]):(?![0-9])"
                     r"|\s[-\u2013\u2014]\s|\u2014"),
    "zh": re.compile(r"[\uff1b;\uff1a:]"
                     r"|(?:表示|说|称|指出|强调|宣布|介绍|透露|认为|告诉记者)[\uff0c,]"),
}
