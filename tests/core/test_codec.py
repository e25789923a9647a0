"""The cache's codec: every cached value comes back exactly, and bytes of any other shape are an error."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import string
from pathlib import Path
from typing import Any, NamedTuple

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.core.codec import DATE_TAG, DATETIME_TAG, OBJECT_TAG, Codec, CodecError
from briefs.core.corpus import CHECKED, Checked
from briefs.core.findings import Finding, Severity
from briefs.core.loading import BriefFile, InvalidScalar, Mark, Positions
from briefs.core.model import Brief, Claim, Comparison, Source
from briefs.core.rendering import Heading, RenderedParts
from briefs.mkdocs.previous import WRITTEN, Written
from conftest import SAMPLE

TEXT = st.text(max_size=12)
DATES = st.dates()
# Offsets as ISO 8601 and YAML write them: whole minutes (validation refuses others).
OFFSETS = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(lambda minutes: dt.timedelta(minutes=minutes))
ZONES = st.none() | st.just(dt.UTC) | OFFSETS.map(dt.timezone)
DATETIMES = st.datetimes(timezones=ZONES).map(lambda value: value.replace(fold=0))
PATHS = st.lists(st.text(string.ascii_letters + "-_.ä", min_size=1, max_size=8), min_size=1, max_size=4).map(
    lambda parts: Path(*parts)
)
FIELD_PATHS = st.lists(TEXT | st.integers(0, 20), max_size=4).map(tuple)
MARKS = st.builds(Mark, st.integers(1, 10_000), st.integers(1, 500))
#: What YAML makes of a file's front-matter (a file that failed its checks keeps it).
YAML_DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT | st.binary(max_size=8) | DATES | DATETIMES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
FINDINGS = st.builds(Finding, TEXT, st.integers(1), st.integers(1), st.sampled_from(Severity), TEXT, TEXT, st.none() | TEXT)
SOURCES = st.builds(Source, TEXT, TEXT, st.none() | TEXT, st.none() | DATES | DATETIMES, TEXT)
CLAIMS = st.builds(Claim, TEXT, TEXT)
COMPARISONS = st.builds(Comparison, TEXT, TEXT, st.tuples(CLAIMS, CLAIMS), TEXT, st.booleans())
HEADINGS = st.recursive(
    st.builds(Heading, st.integers(1, 6), TEXT, TEXT, st.just(())),
    lambda inner: st.builds(Heading, st.integers(1, 6), TEXT, TEXT, st.lists(inner, max_size=3).map(tuple)),
    max_leaves=6,
)
BRIEFS = st.builds(
    Brief,
    id=TEXT,
    lang=TEXT,
    path=PATHS,
    display=TEXT,
    title=TEXT,
    summary=TEXT,
    date=DATES,
    published=DATES | DATETIMES,
    slug=TEXT,
    key_details=st.lists(TEXT, max_size=4).map(tuple),
    sources=st.lists(SOURCES, max_size=3).map(tuple),
    body=TEXT,
    body_line=st.integers(1),
    updated=st.none() | DATES | DATETIMES,
    topics=st.lists(TEXT, max_size=3).map(tuple),
    comparisons=st.lists(COMPARISONS, max_size=2).map(tuple),
    draft=st.booleans(),
    authors=st.lists(TEXT, max_size=2).map(tuple),
)
PARTS = st.builds(
    RenderedParts,
    st.lists(TEXT, min_size=1, max_size=3).map(tuple),
    st.lists(HEADINGS, max_size=3).map(tuple),
    st.lists(TEXT, max_size=3).map(tuple),
    st.lists(TEXT, max_size=3).map(tuple),
    TEXT,
)
FILES = st.builds(
    BriefFile,
    path=PATHS,
    display=TEXT,
    fields=st.none() | st.dictionaries(TEXT, YAML_DATA | st.builds(InvalidScalar, TEXT), max_size=4),
    positions=st.builds(
        Positions, st.dictionaries(FIELD_PATHS, MARKS, max_size=5), st.dictionaries(FIELD_PATHS, MARKS, max_size=5)
    ),
    body=TEXT,
    body_line=st.integers(1),
    findings=st.lists(FINDINGS, max_size=2),
    blocks=st.lists(st.none() | st.dictionaries(TEXT, YAML_DATA, max_size=3), max_size=2),
)
CHECKED_VALUES = st.builds(Checked, FILES, st.none() | BRIEFS, st.none() | PARTS)


def exactly(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down: tuples stay tuples, a datetime keeps its offset."""
    if type(a) is not type(b):
        return False
    if dataclasses.is_dataclass(a):
        return all(exactly(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(map(exactly, a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(exactly(x, y) and exactly(a[x], b[y]) for x, y in zip(a, b, strict=True))
    if isinstance(a, dt.datetime):
        return a == b and a.isoformat() == b.isoformat() and a.utcoffset() == b.utcoffset() and a.tzinfo == b.tzinfo
    return bool(a == b)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(CHECKED_VALUES)
def test_every_checked_file_comes_back_exactly(value: Checked) -> None:
    assert exactly(CHECKED.decode(CHECKED.encode(value)), value)


@settings(max_examples=50, deadline=None, derandomize=True)
@given(st.dictionaries(TEXT, st.tuples(TEXT, st.tuples(st.integers(), st.integers(), st.integers())), max_size=4))
def test_the_record_of_written_output_comes_back_exactly(pages: dict[str, Any]) -> None:
    record = Written(pages=pages, shards={"pagefind/en/2026-01": ("k", {"a": (1, 2, 3)})})
    assert exactly(WRITTEN.decode(WRITTEN.encode(record)), record)


def test_datetimes_keep_their_offsets_and_dates_stay_dates() -> None:
    codec: Codec[list[Any]] = Codec(list[dt.date | dt.datetime])
    values = [
        dt.date(2026, 1, 23),
        dt.datetime(2026, 1, 23, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=45))),
        dt.datetime(2026, 1, 23, 10, 0, tzinfo=dt.timezone(-dt.timedelta(minutes=30))),
        dt.datetime(2026, 1, 23, 10, 0, 0, 5, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 23, 10, 0),
    ]
    back = codec.decode(codec.encode(values))
    assert exactly(back, values)
    assert [v.isoformat() for v in back] == [v.isoformat() for v in values]


def test_values_that_would_not_come_back_exactly_are_not_written() -> None:
    zoned = dt.datetime(2026, 1, 23, tzinfo=dt.timezone(dt.timedelta(hours=1), "CET"))  # the name would be lost
    with pytest.raises(CodecError):
        Codec(dt.datetime).encode(zoned)
    with pytest.raises(CodecError):
        Codec(tuple[str, ...]).encode(["a list", "not a tuple"])  # type: ignore[arg-type]
    with pytest.raises(CodecError):
        Codec(dict[str, Any]).encode({"x": {1, 2}})  # a set is not what YAML makes


class Colour(enum.Enum):
    RED = 1
    BLUE = "blue"


class Pair(NamedTuple):
    first: int
    second: str | None


@dataclasses.dataclass
class Holder:
    colour: Colour
    pairs: list[Pair]
    tag: tuple[int, str]


def test_enums_named_tuples_and_fixed_tuples() -> None:
    codec = Codec(Holder, Holder, Pair)
    value = Holder(Colour.BLUE, [Pair(1, None), Pair(2, "b")], (3, "c"))
    back = codec.decode(codec.encode(value))
    assert exactly(back, value)
    assert exactly(codec.decode(codec.encode(Holder(Colour.RED, [], (0, "")))), Holder(Colour.RED, [], (0, "")))


def test_only_the_codecs_classes_are_accepted() -> None:
    with pytest.raises(TypeError, match="Claim is not one of the codec's classes"):
        Codec(Comparison, Comparison)
    with pytest.raises(TypeError, match="written alike"):
        Codec(str | Path)  # both are text: they could not be told apart
    encoded = Codec(Claim, Claim).encode(Claim("a", "b"))
    with pytest.raises(CodecError):
        Codec(Source, Source).decode(encoded)  # a Claim where a Source belongs


def raw(value: Checked) -> Any:
    """An encoded value as mutable data (cbor2 reads tags' contents as tuples and frozen maps)."""
    return thaw(cbor2.loads(CHECKED.encode(value)))


def thaw(value: Any) -> Any:
    if isinstance(value, cbor2.CBORTag):
        return cbor2.CBORTag(value.tag, thaw(value.value))
    if isinstance(value, tuple | list):
        return [thaw(item) for item in value]
    if isinstance(value, dict | cbor2.frozendict):
        return {key: thaw(item) for key, item in value.items()}
    return value


def fields_of(tagged: cbor2.CBORTag) -> dict[str, Any]:
    assert tagged.tag == OBJECT_TAG
    return tagged.value[1]  # type: ignore[no-any-return]


def hostile(change: Any) -> bytes:
    """SAMPLE encoded, with ``change`` applied to its mutable form (or replaced by what it returns)."""
    data = raw(SAMPLE)
    return cbor2.dumps(change(data) or data)


def brief(data: Any) -> dict[str, Any]:
    return fields_of(fields_of(data)["brief"])


def file(data: Any) -> dict[str, Any]:
    return fields_of(fields_of(data)["file"])


def positions(data: Any) -> dict[str, Any]:
    return fields_of(file(data)["positions"])


def nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


FINDING = {"path": "a", "line": 1, "column": 1, "severity": "fatal", "code": "BR101", "message": "m", "suggestion": None}
HOSTILE = {
    "empty": b"",
    "not CBOR": b"\xff\xfe\xfd",
    "truncated": CHECKED.encode(SAMPLE)[:-7],
    "bytes after the value": CHECKED.encode(SAMPLE) + b"\x00",
    "a pickle": b"\x80\x05\x95\x05\x00\x00\x00\x00\x00\x00\x00K\x01.",
    "the wrong shape": cbor2.dumps({"pages": {}, "shards": 5}),
    "a list": cbor2.dumps([1, 2, 3]),
    "an unknown class": hostile(lambda d: cbor2.CBORTag(OBJECT_TAG, ["os.system", {"command": "touch x"}])),
    "another class": hostile(lambda d: fields_of(d)["brief"]),
    "an extra field": hostile(lambda d: fields_of(d).update(extra=1)),
    "a missing field": hostile(lambda d: fields_of(d).pop("parts") and None),
    "a renamed field": hostile(lambda d: fields_of(d).update(partz=fields_of(d).pop("parts"))),
    "text as a number": hostile(lambda d: brief(d).update(body_line="1")),
    "a number as text": hostile(lambda d: brief(d).update(title=1)),
    "a boolean as a number": hostile(lambda d: brief(d).update(body_line=True)),
    "a map for a tuple": hostile(lambda d: brief(d).update(key_details={"a": 1})),
    "numbers for a tuple of text": hostile(lambda d: brief(d).update(key_details=[1, 2])),
    "text for a tuple": hostile(lambda d: brief(d).update(key_details="abc")),
    "text for a date": hostile(lambda d: brief(d).update(date="2026-01-23")),
    "a bad date": hostile(lambda d: brief(d).update(date=cbor2.CBORTag(DATE_TAG, "2026-02-30"))),
    "a datetime for a date": hostile(lambda d: brief(d).update(date=cbor2.CBORTag(DATETIME_TAG, "2026-01-23T10:00:00+01:00"))),
    "a number for a path": hostile(lambda d: brief(d).update(path=5)),
    "a set (a tag cbor2 reads itself)": hostile(lambda d: brief(d).update(title=cbor2.CBORTag(258, [1, 2]))),
    "a fraction (a tag cbor2 reads itself)": hostile(lambda d: brief(d).update(title=cbor2.CBORTag(30, [1, 2]))),
    "an unknown tag": hostile(lambda d: brief(d).update(title=cbor2.CBORTag(99999, "x"))),
    "a list where a map belongs": hostile(lambda d: file(d).update(positions=[])),
    "an unknown severity": hostile(lambda d: file(d).update(findings=[cbor2.CBORTag(OBJECT_TAG, ["Finding", FINDING])])),
    "a mark of three numbers": hostile(lambda d: positions(d).update(keys={("title",): [1, 2, 3]})),
    "a mark of text": hostile(lambda d: positions(d).update(keys={("title",): ["1", "2"]})),
    "text for a field path": hostile(lambda d: positions(d).update(keys={"title": [1, 2]})),
    "a field path of floats": hostile(lambda d: positions(d).update(keys={(1.5,): [1, 2]})),
    "a set in the fields": hostile(lambda d: file(d).update(fields={"a": cbor2.CBORTag(258, [1])})),
    "a number as a field name": hostile(lambda d: file(d).update(fields={1: "a"})),
    "a mark in the fields": hostile(lambda d: file(d).update(fields={"a": cbor2.CBORTag(OBJECT_TAG, ["Mark", {}])})),
    "deep nesting": hostile(lambda d: file(d).update(fields={"a": nested(1000)})),
}


def test_the_sample_is_valid_before_it_is_spoiled() -> None:
    assert exactly(CHECKED.decode(hostile(lambda d: None)), SAMPLE)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_bytes_of_any_other_shape_are_a_codec_error(name: str) -> None:
    with pytest.raises(CodecError):
        CHECKED.decode(HOSTILE[name])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.binary(max_size=64), st.integers(0, 400))
def test_spoiled_bytes_are_an_error_or_the_value_never_a_traceback(noise: bytes, at: int) -> None:
    data = CHECKED.encode(SAMPLE)
    spoiled = data[:at] + noise + data[at + len(noise) :]
    try:
        value = CHECKED.decode(spoiled)
    except CodecError:
        return
    assert type(value) is Checked
