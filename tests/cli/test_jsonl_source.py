"""A JSONL file read in blocks gives the lines a line-by-line reading gives: the same row numbers,
the byte-order mark dropped, blank lines skipped, the template's example line skipped with a note."""

from __future__ import annotations

import json

import pytest
from dangjian.scoring.pipeline import Lines, chunks
from dangjian_shell import sources
from dangjian_shell.sources import InputFile
from dangjian_shell.templates import EXAMPLE_ORG_ID, example_note, is_example_line


def line_by_line(path):
    """(row, line) pairs and notes as reading the file one line at a time gives them."""
    pairs, notes = [], []
    with open(path, "rb") as f:
        for number, line in enumerate(f, 1):
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line.strip():
                continue
            if is_example_line(line):
                notes.append(example_note(path, number))
                continue
            pairs.append((number, line))
    return pairs, notes


def record(org_id: str, name: str = "第一党支部") -> bytes:
    return json.dumps({"org_id": org_id, "org": {"name": name, "type": "branch"},
                       "inputs": {"a": 1}}, ensure_ascii=False).encode()


EXAMPLE = record(EXAMPLE_ORG_ID, "示例党支部")
NAMED_LIKE_THE_EXAMPLE = record("b7", "示例党支部")  # not the example: its org_id is real
FILES = {
    "plain": b"\n".join(record(f"b{i}") for i in range(40)) + b"\n",
    "no final newline": b"\n".join(record(f"b{i}") for i in range(5)),
    "bom": b"\xef\xbb\xbf" + record("b1") + b"\n" + record("b2") + b"\n",
    "bom alone": b"\xef\xbb\xbf\n" + record("b1") + b"\n",
    "bom only": b"\xef\xbb\xbf",
    "blank lines": b"\n\n" + record("b1") + b"\n \t\r\n\x0b\x0c\n" + record("b2") + b"\n  ",
    "crlf": record("b1") + b"\r\n\r\n" + record("b2") + b"\r\n",
    "lone cr": record("b1") + b"\r" + record("b2") + b"\n",
    "example": EXAMPLE + b"\n" + NAMED_LIKE_THE_EXAMPLE + b"\n" + record("b1") + b"\n" + EXAMPLE,
    "broken": b'{"org_id": "\xe7\xa4\xba\xe4\xbe\x8b", \n' + record("b1") + b"\nnot json\n",
    "empty": b"",
}


@pytest.mark.parametrize("block", [1, 7, 200, 1 << 20])
@pytest.mark.parametrize("name", sorted(FILES))
def test_blocks_read_as_lines(tmp_path, monkeypatch, name, block):
    path = tmp_path / "in.jsonl"
    path.write_bytes(FILES[name])
    monkeypatch.setattr(sources, "_BLOCK", block)
    source = InputFile(path, scheme=None)
    got = list(source.records())
    assert (got, source.notes) == line_by_line(path)


@pytest.mark.parametrize("block", [1, 200, 1 << 20])
@pytest.mark.parametrize("name", sorted(FILES))
def test_chunks_for_the_pipeline_hold_the_same_lines(tmp_path, monkeypatch, name, block):
    path = tmp_path / "in.jsonl"
    path.write_bytes(FILES[name] + b"\n".join(record(f"c{i}") for i in range(30)))
    monkeypatch.setattr(sources, "_BLOCK", block)
    source = InputFile(path, scheme=None)
    got = list(chunks(source.records(), 4))
    assert ([pair for chunk in got for pair in chunk], source.notes) == line_by_line(path)
    assert all(0 < len(chunk) <= 4 for chunk in got)
    clean = [chunk for chunk in got if chunk.__class__ is Lines]
    # The 30 lines at the end at least, in blocks of their own; at 1 MB one block holds the
    # whole file, clean only without blank lines or the example's id.
    assert bool(clean) == (block < 1 << 20 or name in (
        "bom", "bom only", "empty", "lone cr", "no final newline", "plain"))
    for chunk in clean:  # consecutive rows, the lines kept as read
        assert [row for row, _ in chunk] == list(range(chunk.first, chunk.first + len(chunk)))
        assert [line for _, line in chunk] == chunk.lines


def test_the_example_line_is_kept_when_asked_to(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(FILES["example"])
    source = InputFile(path, scheme=None, skip_example=False)
    assert [row for row, _ in source.records()] == [1, 2, 3, 4] and source.notes == []
    source = InputFile(path, scheme=None)
    assert [row for row, _ in source.records()] == [2, 3]
    assert [note.split("：")[1] for note in source.notes] == [
        "第 1 行是模板的示例行（组织编号“示例”），已跳过，未评分；填写真实数据时请改为真实的组织编号",
        "第 4 行是模板的示例行（组织编号“示例”），已跳过，未评分；填写真实数据时请改为真实的组织编号"]
