"""Hostile curation input: one `Error: file:line: ...` line that says how to fix it, exit 1,
no traceback, nothing written, and nothing read outside the folder of source texts."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.curation.located_yaml import load_located
from kg.curation.reader import load_curation
from kg.curation.schema_check import PATTERN_FIXES, schema, schema_errors
from kg.curation.values import text_problem
from kg.errors import CurationError, CurationErrors, fix_hint

SOURCE = "sources/2023-04-20-xinhua-chinese-fm-meets-sco-chief.yaml"
REGISTRY = "entities.yaml"
TEXT = "text: 000_f693d5a72e5eb8f0.txt"
SHA = "0456b48da08f9496368724e0cee08df01998dc7c48f4eef80ade9e636bc1b0fd"
TITLE = "  title: Chinese FM meets SCO chief\n"
ZHANG = "label: {en: Zhang Ming, zh: 张明}"
DATE = "post: president-of-china\n    attested: 2023-04-19"
THANKS = "summary: Thanked China for supporting the work of the secretariat."

BOMB = "".join([
    'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n',
    *(f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)),
])

#: As the needle: the line of the replacement itself.
NEW = "<the replacement>"

# (id, file, text to replace, replacement, expected message part, text on the expected line)
CASES = [
    # 1. The text of a source: a plain file name inside the folder of source texts.
    ("text-climbs-out", SOURCE, TEXT, "text: ../../../../../../../../etc/passwd",
     "source.text: '../../../../../../../../etc/passwd' is not a plain file name: write the "
     "name of a file in the sources folder", "text: ../"),
    ("text-absolute", SOURCE, TEXT, "text: /etc/passwd",
     "source.text: '/etc/passwd' is not a plain file name", "text: /etc/passwd"),
    ("text-parent-folder", SOURCE, TEXT, "text: ..", "source.text: '..' is not a plain file name",
     "text: .."),
    ("text-backslashes", SOURCE, TEXT, "text: ..\\..\\etc\\passwd", "is not a plain file name",
     "text: ..\\"),
    ("text-in-a-subfolder", SOURCE, TEXT, "text: sub/000_f693d5a72e5eb8f0.txt",
     "is not a plain file name", "text: sub/"),
    # 2. YAML that would never end, or blow up.
    ("recursive-alias", SOURCE, "facts:\n", "loop: &loop [*loop]\nfacts:\n",
     "the alias *loop repeats what the anchor &loop holds, and curation files take no aliases: "
     "write the value out in full", "loop: &loop"),
    ("alias-bomb", SOURCE, "facts:\n", BOMB + "facts:\n", "the alias *a0 repeats",
     "lol1: &a1"),
    ("scalar-alias", SOURCE, "  website: People's Daily Online (en.people.cn)\n",
     "  website: &site People's Daily Online\n  rights: *site\n", "the alias *site repeats",
     "rights: *site"),
    ("nul-byte", SOURCE, TITLE, "  title: Chinese\0 FM meets SCO chief\n",
     "the character U+0000 (NUL) at column 17 cannot appear in a YAML file: remove it",
     "title: Chinese"),
    ("raw-escape-character", SOURCE, TITLE, "  title: Chinese\x1b[31m FM\n",
     "the character U+001B (a control character) at column 17", "title: Chinese"),
    ("deep-nesting", SOURCE, "facts:\n", "deep: " + "[" * 40 + "]" * 40 + "\nfacts:\n",
     "the YAML nests deeper than 32 levels", "deep: [[["),
    ("deeper-nesting", SOURCE, "facts:\n", "deep: " + "[" * 3000 + "]" * 3000 + "\nfacts:\n",
     "invalid YAML", None),
    ("key-not-a-word", SOURCE, TITLE, TITLE + "  1: x\n",
     "the key 1 must be a word (a string): quote it", "  1: x"),
    # 2. Spans that hold nothing.
    ("reversed-span", SOURCE, "evidence: [p9.s1]", "evidence: [chars:50-10]",
     "evidence chars:50-10: the span chars:50-10 ends before it starts: swap START and END",
     "evidence: [chars:50-10]"),
    ("empty-span", SOURCE, "evidence: [p9.s1]", "evidence: [chars:10-10]",
     "evidence chars:10-10: the span chars:10-10 is empty", "evidence: [chars:10-10]"),
    # 2. Values ending in a line break (YAML block scalars).
    ("fact-id-with-newline", SOURCE, "  - id: beijing-capital-of-china\n",
     "  - id: |\n      beijing-capital-of-china\n",
     "facts.1.id: U+000A (line feed) at character 25 breaks the line: write the value on one "
     "line", "- id: |\n      beijing"),
    ("entity-id-with-newline", REGISTRY, "  - id: zhang-ming\n", "  - id: |\n      zhang-ming\n",
     "entities.1.id: U+000A (line feed) at character 11 breaks the line", "- id: |\n      zhang"),
    ("wikidata-with-newline", REGISTRY, "wikidata: Q15031", "wikidata: |\n      Q15031",
     "entities.2.wikidata: U+000A (line feed) at character 7 breaks the line", "wikidata: |"),
    ("language-with-newline", SOURCE, "  language: en\n", "  language: |\n    en\n",
     "source.language: U+000A (line feed) at character 3 breaks the line", "language: |"),
    ("language-tag-with-newline", REGISTRY, ZHANG, 'label: {en: Zhang Ming, "zh\\n": 张明}',
     "entities.1.label: the key 'zh\\n': U+000A (line feed) at character 3 breaks the line",
     'label: {en: Zhang Ming, "zh'),
    ("date-with-newline", SOURCE, DATE,
     "post: president-of-china\n    attested: |\n      2023-04-19",
     "facts.5.attested: U+000A (line feed) at character 11 breaks the line", "attested: |"),
    ("published-with-newline", SOURCE, "published: 2023-04-20T10:34:00+08:00",
     "published: |\n    2023-04-20T10:34:00+08:00", "source.published: U+000A",
     "published: |"),
    ("url-with-newline", SOURCE, "url: http://en.people.cn/n3/2023/0420/c90000-20008483.html",
     "url: |\n    http://en.people.cn/n3/2023/0420/c90000-20008483.html", "source.url: U+000A",
     "url: |"),
    ("year-zero", SOURCE, DATE, 'post: president-of-china\n    attested: "0000"',
     "attested: '0000' is not a real date (year 0 is out of range): write YYYY-MM-DD",
     'attested: "0000"'),
    ("offset-beyond-14-hours", SOURCE, "published: 2023-04-20T10:34:00+08:00",
     "published: 2023-04-20T10:34:00+15:00", "source.published: the UTC offset of "
     "'2023-04-20T10:34:00+15:00' lies beyond 14 hours: write the offset", "published: 2023"),
    # 2. Numbers YAML reads specially.
    ("infinity", SOURCE, TITLE, "  title: .inf\n",
     "'.inf' is read by YAML as an infinite or not-a-number value, which no field takes: "
     "quote it if it is text", "title: .inf"),
    ("minus-infinity", SOURCE, DATE, "post: president-of-china\n    attested: -.Inf",
     "'-.Inf' is read by YAML as an infinite", "attested: -.Inf"),
    ("not-a-number", SOURCE, 'cameo: "040"', "cameo: .NaN", "'.NaN' is read by YAML as an "
     "infinite or not-a-number value", "cameo: .NaN"),
    ("overflowing-number", SOURCE, TITLE, "  title: 1.0e+999\n", "'1.0e+999' is read by YAML",
     "title: 1.0e+999"),
    ("base-60-cameo", SOURCE, 'cameo: "040"', "cameo: 1:20",
     "cameo: '1:20' is malformed: write a CAMEO code of two to four digits in quotes",
     "cameo: 1:20"),
    ("base-60-date", SOURCE, DATE, "post: president-of-china\n    attested: 20:23:04.19",
     "attested: '20:23:04.19' is malformed: write YYYY-MM-DD", "attested: 20:23"),
    ("number-for-text", SOURCE, TITLE, "  title: 1.5\n",
     "source.title: 1.5 should be a text: quote it", "title: 1.5"),
    ("unquoted-year", SOURCE, "    date: 2023-04-19\n    place: beijing",
     "    date: 2022\n    place: beijing", 'facts.0.date: 2022 should be a text, and YAML '
     'reads 2022 unquoted as a number: quote the value, e.g. "2022"', "date: 2022"),
    ("unquoted-year-in-a-holding", SOURCE, DATE, "post: president-of-china\n    attested: 2023",
     'attested: 2023 should be a text, and YAML reads 2023 unquoted as a number: quote the '
     'value, e.g. "2023"', "attested: 2023\n"),
    ("year-and-month-with-a-dot", SOURCE, DATE,
     "post: president-of-china\n    attested: 2023.04", 'attested: 2023.04 should be a text, '
     'and YAML reads 2023.04 unquoted as a number: quote the value', "attested: 2023.04\n"),
    ("year-for-a-title", SOURCE, TITLE, "  title: 2022\n", 'source.title: 2022 should be a '
     'text, and YAML reads 2022 unquoted as a number: quote the value, e.g. "2022"',
     "title: 2022"),
    ("tagged-float", SOURCE, TITLE, "  title: !!float abc\n", "'abc' is read by YAML",
     "title: !!float"),
    ("tagged-boolean", SOURCE, TITLE, "  title: !!bool maybe\n",
     "'maybe' is tagged as a boolean but is not one: write true or false, or quote it",
     "title: !!bool"),
    ("tagged-null", SOURCE, TITLE, "  title: !!null x\n",
     "'x' is tagged as null but is not empty: remove the tag", "title: !!null"),
    # 3. Characters that break exports, in one-line fields.
    ("label-carriage-return", REGISTRY, ZHANG, 'label: {en: "Zhang\\rMing", zh: 张明}',
     "entities.1.label.en: U+000D (carriage return) at character 6 breaks the line", NEW),
    ("label-next-line", REGISTRY, ZHANG, 'label: {en: "Zhang\\NMing", zh: 张明}',
     "entities.1.label.en: U+0085 (next line) at character 6 breaks the line", NEW),
    ("label-line-separator", REGISTRY, ZHANG, 'label: {en: "Zhang\\LMing", zh: 张明}',
     "entities.1.label.en: U+2028 (line separator) at character 6 breaks the line",
     NEW),
    ("label-paragraph-separator", REGISTRY, ZHANG, 'label: {en: Zhang Ming, zh: "张\\P明"}',
     "entities.1.label.zh: U+2029 (paragraph separator) at character 2 breaks the line",
     NEW),
    ("label-nul", REGISTRY, ZHANG, 'label: {en: "Zhang\\0Ming", zh: 张明}',
     "entities.1.label.en: U+0000 (NUL) at character 6 is a control character, which the "
     "graph does not take: remove it", NEW),
    ("label-escape", REGISTRY, ZHANG, 'label: {en: "Zhang\\e[2JMing", zh: 张明}',
     "U+001B (escape) at character 6 is a control character", NEW),
    ("label-tab", REGISTRY, ZHANG, 'label: {en: "Zhang\\tMing", zh: 张明}',
     "U+0009 (tab) at character 6 is not allowed in a one-line value: replace it with a space",
     NEW),
    ("label-leading-space", REGISTRY, ZHANG, 'label: {en: " Zhang Ming", zh: 张明}',
     "entities.1.label.en: ' Zhang Ming' starts with U+0020 (space): remove it", NEW),
    ("label-trailing-no-break-space", REGISTRY, ZHANG, 'label: {en: "Zhang Ming\\_", zh: 张明}',
     "'Zhang Ming\\xa0' ends with U+00A0 (no-break space): remove it", NEW),
    ("alias-c1-control", REGISTRY, "aliases: {en: [SCO, Shanghai Cooperation Organisation]",
     'aliases: {en: ["SCO\\x9b", Shanghai Cooperation Organisation]',
     "entities.7.aliases.en.0: U+009B (control character) at character 4", NEW),
    ("title-noncharacter", SOURCE, TITLE, '  title: "Chinese FM \\uFFFE meets"\n',
     "source.title: U+FFFE (noncharacter) at character 12 cannot be written in XML: remove it",
     "title: "),
    ("title-noncharacter-ffff", SOURCE, TITLE, '  title: "Chinese FM \\uFFFF"\n',
     "U+FFFF (noncharacter) at character 12 cannot be written in XML", "title: "),
    ("id-with-bell", SOURCE, "  - id: beijing-capital-of-china\n",
     '  - id: "beijing\\acapital"\n', "facts.1.id: U+0007 (control character) at character 8",
     "- id: \"beijing"),
    ("key-with-line-break", SOURCE, TITLE, TITLE + '  "web\\nsite": x\n',
     "source: the key 'web\\nsite': U+000A (line feed) at character 4 breaks the line",
     '  "web'),
    ("url-with-space", SOURCE, "url: http://en.people.cn/n3/2023/0420/c90000-20008483.html",
     'url: "http://en.people.cn/n3/2023/0420/c9 0000.html"',
     "source.url: 'http://en.people.cn/n3/2023/0420/c9 0000.html' is malformed: write the full "
     "address", "url: \"http"),
    ("language-subtag-too-long", REGISTRY, ZHANG, "label: {en: Zhang Ming, zh-verylongsubtag: x}",
     "entities.1.label: 'zh-verylongsubtag' is malformed: write a language tag such as en",
     NEW),
    ("language-tag-empty-extension", REGISTRY, ZHANG, "label: {en: Zhang Ming, en-x: x}",
     "'en-x' is malformed: write a language tag", NEW),
    # 3. Free text: line feeds and tabs only.
    ("summary-carriage-return", SOURCE, THANKS,
     'summary: "Thanked China\\r\\nfor supporting the work of the secretariat."',
     "summary: U+000D (carriage return) at character 14 is not allowed: remove it (free text "
     "breaks its lines with line feeds alone)", "summary: \"Thanked"),
    ("summary-line-separator", SOURCE, THANKS,
     'summary: "Thanked China\\Lfor supporting the work of the secretariat."',
     "summary: U+2028 (line separator) at character 14 is not allowed", "summary: \"Thanked"),
    ("description-escape", REGISTRY, "description: Photographer credited by Xinhua.",
     'description: "Photographer \\e credited"', "entities.3.description: U+001B (escape)",
     "description: \"Photographer"),
]


def line_number(text: str, needle: str) -> int:
    position = text.index(needle)
    return text.count("\n", 0, position) + 1


@pytest.fixture()
def out_dir(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "kg.ttl").write_text("OLD TURTLE")
    (out / "kg.trig").write_text("OLD TRIG")
    return out


@pytest.fixture()
def corpus_copy(tmp_path: Path, corpus: Path) -> Path:
    """A private copy of the source texts that a test may add to."""
    target = tmp_path / "corpus"
    shutil.copytree(corpus, target)
    return target


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def run_build(data: Path, corpus: Path, out: Path) -> tuple[int, str]:
    return run("build", "--data", str(data), "--sources", str(corpus), "--out", str(out))


def assert_one_error(code: int, output: str, file: Path | str, message: str,
                     line: int | None = None) -> str:
    """One `Error: file:line: message` line ending with its fix; return it."""
    assert code == 1, output
    assert "Traceback" not in output
    lines = output.splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith(f"Error: {file}:"), output
    if line is not None:
        assert lines[0].startswith(f"Error: {file}:{line}: "), output
    assert message in lines[0], output
    assert fix_hint(lines[0]) is not None, f"no fix in: {lines[0]}"
    return lines[0]


def assert_untouched(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == ["kg.trig", "kg.ttl"]
    assert (out / "kg.ttl").read_text() == "OLD TURTLE"
    assert (out / "kg.trig").read_text() == "OLD TRIG"


def never_read(output: str) -> None:
    """Nothing of /etc/passwd reached the output: not its lines, not its digest."""
    passwd = Path("/etc/passwd")
    if passwd.is_file():
        assert hashlib.sha256(passwd.read_bytes()).hexdigest() not in output
    assert "root:" not in output


def break_file(data: Path, file: str, old: str, new: str) -> tuple[Path, str]:
    path = data / file
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"the text to replace must occur once: {old!r}"
    broken = text.replace(old, new)
    path.write_text(broken, "utf-8")
    return path, broken


@pytest.mark.parametrize(("case", "file", "old", "new", "message", "needle"), CASES,
                         ids=[c[0] for c in CASES])
def test_hostile_file_gives_one_clear_error(case: str, file: str, old: str, new: str,
                                            message: str, needle: str | None, data_copy: Path,
                                            corpus: Path, out_dir: Path) -> None:
    path, broken = break_file(data_copy, file, old, new)
    code, output = run_build(data_copy, corpus, out_dir)
    line = line_number(broken, new if needle == NEW else needle) if needle is not None else None
    assert_one_error(code, output, path, message, line)
    never_read(output)
    assert_untouched(out_dir)


@pytest.mark.parametrize("name", ["../../../../etc/passwd", "/etc/passwd", "..", "a/b.txt"])
def test_text_name_is_refused_without_the_texts(name: str, data_copy: Path) -> None:
    break_file(data_copy, SOURCE, TEXT, f"text: {name}")
    with pytest.raises(CurationErrors) as raised:
        load_curation(data_copy, None)
    assert [e.message.split(":")[0] for e in raised.value.errors] == ["source.text"]


def test_validate_refuses_a_text_outside_the_folder(data_copy: Path, corpus: Path) -> None:
    path, _ = break_file(data_copy, SOURCE, TEXT, "text: ../../../../../../../../etc/passwd")
    code, output = run("validate", "--data", str(data_copy), "--sources", str(corpus))
    assert_one_error(code, output, path, "is not a plain file name", 17)
    never_read(output)


def test_symbolic_link_out_of_the_folder_is_refused(data_copy: Path, corpus_copy: Path,
                                                    out_dir: Path) -> None:
    (corpus_copy / "evil.txt").symlink_to("/etc/passwd")
    path, _ = break_file(data_copy, SOURCE, TEXT, "text: evil.txt")
    code, output = run_build(data_copy, corpus_copy, out_dir)
    assert_one_error(code, output, path, "source.text: 'evil.txt' is a symbolic link leading "
                     "out of the sources folder: copy the text into the folder", 17)
    never_read(output)
    assert_untouched(out_dir)


def test_symbolic_link_loop_is_refused(data_copy: Path, corpus_copy: Path,
                                       out_dir: Path) -> None:
    (corpus_copy / "a.txt").symlink_to("b.txt")
    (corpus_copy / "b.txt").symlink_to("a.txt")
    path, _ = break_file(data_copy, SOURCE, TEXT, "text: a.txt")
    code, output = run_build(data_copy, corpus_copy, out_dir)
    assert_one_error(code, output, path, "source.text: 'a.txt'", 17)
    assert_untouched(out_dir)


def test_symbolic_link_inside_the_folder_is_followed(data_copy: Path, corpus_copy: Path,
                                                     tmp_path: Path) -> None:
    (corpus_copy / "link.txt").symlink_to("000_f693d5a72e5eb8f0.txt")
    break_file(data_copy, SOURCE, TEXT, "text: link.txt")
    code, output = run_build(data_copy, corpus_copy, tmp_path / "built")
    assert code == 0, output


def test_text_that_is_not_utf8(data_copy: Path, corpus_copy: Path, out_dir: Path) -> None:
    raw = b"Qin met Zhang. \xff\xfe They talked.\n"
    (corpus_copy / "latin.txt").write_bytes(raw)
    path, _ = break_file(data_copy, SOURCE, TEXT, "text: latin.txt")
    path.write_text(path.read_text("utf-8").replace(SHA, hashlib.sha256(raw).hexdigest()),
                    "utf-8")
    code, output = run_build(data_copy, corpus_copy, out_dir)
    assert_one_error(code, output, path, "source.text: the text latin.txt is not UTF-8 "
                     "(invalid start byte at byte 15): save it as UTF-8, then update sha256", 17)
    assert_untouched(out_dir)


def test_folder_named_like_a_source_file(data_copy: Path, corpus: Path, out_dir: Path) -> None:
    (data_copy / "sources" / "x.yaml").mkdir()
    code, output = run_build(data_copy, corpus, out_dir)
    assert_one_error(code, output, data_copy / "sources" / "x.yaml",
                     "this is a folder, not a source file: rename it or move it out of sources/",
                     1)
    assert_untouched(out_dir)


def test_curation_files_linked_from_outside_are_not_read(data_copy: Path, corpus: Path,
                                                         out_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n", "utf-8")
    (data_copy / "sources" / "leak.yaml").symlink_to(secret)
    code, output = run_build(data_copy, corpus, out_dir)
    assert_one_error(code, output, data_copy / "sources" / "leak.yaml", "this is a symbolic "
                     "link leading out of the data folder: copy the file into sources/", 1)
    assert "hunter2" not in output and "password" not in output
    (data_copy / "sources" / "leak.yaml").unlink()
    (data_copy / REGISTRY).unlink()
    (data_copy / REGISTRY).symlink_to(secret)
    code, output = run_build(data_copy, corpus, out_dir)
    assert_one_error(code, output, data_copy / REGISTRY, "symbolic link leading out", 1)
    assert "hunter2" not in output and "password" not in output
    assert_untouched(out_dir)


def test_curation_files_linked_inside_the_folder_are_read(data_copy: Path, corpus: Path,
                                                          tmp_path: Path) -> None:
    source = data_copy / SOURCE
    source.rename(data_copy / "the-source.yaml")
    source.symlink_to(Path("..") / "the-source.yaml")
    code, output = run_build(data_copy, corpus, tmp_path / "built")
    assert code == 0, output


def test_folder_named_like_the_registry(data_copy: Path, corpus: Path, out_dir: Path) -> None:
    (data_copy / REGISTRY).unlink()
    (data_copy / REGISTRY).mkdir()
    code, output = run_build(data_copy, corpus, out_dir)
    assert_one_error(code, output, data_copy / REGISTRY,
                     "entities.yaml is a folder: replace it with the entity registry file", 1)
    assert_untouched(out_dir)


@pytest.mark.parametrize("content", ["", "just words\n", "- a\n- b\n"])
def test_file_that_is_not_a_mapping(content: str, data_copy: Path, corpus: Path,
                                    out_dir: Path) -> None:
    (data_copy / REGISTRY).write_text(content, "utf-8")
    code, output = run_build(data_copy, corpus, out_dir)
    assert_one_error(code, output, data_copy / REGISTRY, "the file must be a YAML mapping of "
                     "fields: write 'entities:' and the list of entities below it", 1)
    assert_untouched(out_dir)


def test_file_name_with_a_line_break_stays_on_one_line(data_copy: Path, corpus: Path,
                                                       out_dir: Path) -> None:
    (data_copy / "sources" / "bad\nname.yaml").write_text("facts: [\n", "utf-8")
    code, output = run_build(data_copy, corpus, out_dir)
    assert_one_error(code, output, data_copy / "sources" / "bad\\nname.yaml", "invalid YAML", 2)
    assert_untouched(out_dir)


def test_alias_bomb_is_refused_at_once(data_copy: Path, corpus: Path, out_dir: Path) -> None:
    break_file(data_copy, SOURCE, "facts:\n", BOMB + "facts:\n")
    started = time.monotonic()
    code, output = run_build(data_copy, corpus, out_dir)
    assert time.monotonic() - started < 5
    assert code == 1 and "the alias *a0" in output


def test_free_text_may_span_lines(data_copy: Path, corpus: Path, tmp_path: Path) -> None:
    break_file(data_copy, SOURCE, THANKS,
               'summary: "Thanked China\\nfor supporting the work\\tof the secretariat."')
    code, output = run_build(data_copy, corpus, tmp_path / "built")
    assert code == 0, output


def test_base_60_text_stays_as_written() -> None:
    assert load_located("a: 1:20\nb: 1:20.5\n", "f.yaml") == {"a": "1:20", "b": "1:20.5"}


def test_evidence_never_opens_a_text_outside_the_folder(built_dir: Path, tmp_path: Path,
                                                        corpus_copy: Path) -> None:
    trig = (built_dir / "kg.trig").read_text("utf-8")
    assert trig.count('"000_f693d5a72e5eb8f0.txt"') == 1 and '"p3.s1"' in trig
    trig = trig.replace('"p3.s1"', '"p1.s1"')  # the first lines of whatever file is opened
    for name in ("../../../../../../../../etc/passwd", "/etc/passwd", "evil.txt"):
        graph = tmp_path / "hostile.trig"
        graph.write_text(trig.replace('"000_f693d5a72e5eb8f0.txt"', f'"{name}"'), "utf-8")
        if not (corpus_copy / "evil.txt").is_symlink():
            (corpus_copy / "evil.txt").symlink_to("/etc/passwd")
        code, output = run("evidence", "qin-gang", "--graph", str(graph), "--sources",
                           str(corpus_copy))
        assert code == 0, output
        assert "qin-gang" in output or "Qin Gang" in output
        never_read(output)


# -- every message says how to fix it --------------------------------------------------

def _leaves(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))


def _replaced(document: Any, path: tuple[str | int, ...], value: Any) -> Any:
    """A plain copy of ``document`` with the value at ``path`` replaced (or, for the
    value ``_GONE``, its key removed)."""
    if not path:
        return _plain(value)
    plain = _plain(document)
    head, rest = path[0], path[1:]
    if not rest and value is _GONE:
        if isinstance(plain, dict):
            return {k: v for k, v in plain.items() if k != head}
        return [v for i, v in enumerate(plain) if i != head]
    plain[head] = _replaced(document[head], rest, value)
    return plain


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_GONE = object()

HOSTILE_VALUES: list[Any] = [_GONE, None, 1.5, True, [], {}, "", "Bad Value", "x" * 400, [1],
                             {"en": 1}]


def _sample(document: dict[str, Any]) -> dict[str, Any]:
    """The document with fewer list items: for each set of fields, its first item."""
    sampled = {}
    for key, value in document.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            kept: dict[tuple[str, ...], Any] = {}
            for item in value:
                kept.setdefault((item.get("kind", ""), *sorted(item)), item)
            value = list(kept.values())
        sampled[key] = value
    return sampled


@pytest.mark.parametrize(("name", "file"), [("source", SOURCE), ("entities", REGISTRY)])
def test_every_schema_message_says_how_to_fix(name: str, file: str) -> None:
    """Every field of the curated files, replaced by each hostile value or removed: every
    message the schema check gives ends with its fix."""
    document = _sample(_plain(load_located((Path("data") / file).read_text("utf-8"), file)))
    messages: set[str] = set()
    for path in _leaves(document):
        if not path:
            continue
        for value in HOSTILE_VALUES:
            for error in schema_errors(_replaced(document, path, value), name, file):
                assert fix_hint(error.message) is not None, error.message
                messages.add(error.message)
    assert len(messages) > 20


def _patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from _patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from _patterns(item)


def test_every_pattern_has_its_fix() -> None:
    patterns = set(_patterns(schema("source"))) | set(_patterns(schema("entities")))
    assert patterns - set(PATTERN_FIXES) == set()
    assert all(fix_hint(f"x: {fix}") for fix in PATTERN_FIXES.values())


@pytest.mark.parametrize("value", [
    "Zhang\rMing", "Zhang\x85Ming", "Zhang\u2028Ming", "Zhang\u2029Ming", "Zhang\x00Ming",
    "Zhang\x1bMing", "Zhang\x7fMing", "Zhang\x9bMing", "Zhang\ufffeMing", "Zhang\uffffMing",
    "Zhang\ud800Ming", "Zhang\tMing", "Zhang\nMing", " Zhang", "Zhang ", "Zhang\u00a0",
    "\u3000Zhang",
])
def test_one_line_values_refused(value: str) -> None:
    problem = text_problem(value)
    assert problem is not None and fix_hint(f"x: {problem}") is not None
    assert "U+" in problem


@pytest.mark.parametrize("value", [
    "Zhang\rMing", "Zhang\x85Ming", "Zhang\u2028Ming", "Zhang\x00Ming", "Zhang\x1bMing",
    "Zhang\ufffeMing", "Zhang\ud800Ming",
])
def test_free_text_refused(value: str) -> None:
    problem = text_problem(value, multiline=True)
    assert problem is not None and fix_hint(f"x: {problem}") is not None


@pytest.mark.parametrize("value", ["Qin Gang", "秦刚", "Zhang Ming (SCO)", "a\u200db", "é"])
def test_ordinary_values_pass(value: str) -> None:
    assert text_problem(value) is None
    assert text_problem(f"{value}\n{value}\twith a tab", multiline=True) is None


def test_curation_errors_print_on_one_line() -> None:
    error = CurationError("the key 'a\nb' is odd\u2028: fix it", file="x\ny.yaml", line=2)
    assert "\n" not in str(error) and "\u2028" not in str(error)
    assert str(error) == "x\\ny.yaml:2: the key 'a\\nb' is odd\\u2028: fix it"
