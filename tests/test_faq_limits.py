"""A FAQ file cannot stall the bot: no YAML aliases (a "billion laughs"), a size limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from intents import ContentError, load_content
from intents.checker import check_file
from intents.content import MAX_FILE_BYTES

from .conftest import FAQ_PATH


BILLION_LAUGHS = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_yaml_aliases_are_refused_with_a_clear_check_error(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text(BILLION_LAUGHS)
    problems = check_file(str(path))
    assert [str(p) for p in problems] == [f"{path}:2: yaml: alias '*a' is not allowed here; write the text out in full"]
    with pytest.raises(ContentError, match="alias"):
        load_content(path)


def test_an_oversized_faq_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_bytes(FAQ_PATH.read_bytes() + b"\n# " + b"x" * MAX_FILE_BYTES)
    assert [str(p) for p in check_file(str(path))] == [f"{path}: file: is larger than 1 MB; a FAQ file is far smaller"]


def test_the_quick_yaml_reader_reads_the_faq_as_the_python_one_does() -> None:
    """libyaml reads the FAQ when PyYAML has it; data and every line number are those of the Python reader."""
    from intents.content import _Loader, _load, parse_yaml

    text = FAQ_PATH.read_text(encoding="utf-8")
    slow = _Loader(text)
    assert parse_yaml(text, name="faq.yaml") == _load(slow, "faq.yaml")
