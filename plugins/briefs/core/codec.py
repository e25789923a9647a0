"""Cached values as data: a small typed codec between dataclasses and CBOR.

A cache folder can hold anything (SPEC §7), so what is read back from it must
be data that can only ever become a value of the expected type, never code to
run (as a pickle is). A :class:`Codec` is made for one type hint and the
classes its values may hold; it writes:

- ``None``, booleans, integers, floats, text and bytes as themselves;
- tuples and lists as arrays, mappings as maps (the hint says which comes back);
- a ``Path`` as its text, an enum member as its value, a NamedTuple as an array
  of its fields;
- a date or datetime as tagged ISO text (a datetime keeps its offset exactly);
- a dataclass as a tagged map of its fields, named by the class: found with
  ``dataclasses.fields``, so a new field needs no change here;
- where the hint is ``Any`` (the front-matter fields of a file that failed its
  checks), the plain data YAML makes: the values above except tuples, Paths and
  enums, with lists and maps of text keys.

Reading accepts only the codec's classes, each with exactly its fields, and
checks every value against its field's type hint: bytes that are not a value
of the type raise :class:`CodecError`, which a cache takes for a miss.

Reading is on the path of every warm build (20,000 entries for 10,000 pairs),
so the items of arrays and maps of plain values (a file's YAML positions, most
of an entry) are checked in passes that run in C, over the set of their types,
rather than with a call per item.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import io
import types
import typing
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import chain
from operator import call, itemgetter
from pathlib import Path
from typing import Any, Generic, TypeVar

import cbor2

T = TypeVar("T")

#: This format's tags ("brf" and a number): cbor2 decodes none of them itself.
OBJECT_TAG = 0x62726600
DATE_TAG = 0x62726601
DATETIME_TAG = 0x62726602

_NONE = type(None)
#: How a value read from CBOR looks (cbor2 gives tuples and frozen maps inside tags and keys).
_KINDS: dict[type, str] = {
    _NONE: "null",
    bool: "bool",
    int: "int",
    float: "float",
    str: "str",
    bytes: "bytes",
    list: "array",
    tuple: "array",
    dict: "map",
    cbor2.frozendict: "map",
}
_PLAIN = frozenset({_NONE, bool, int, float, str, bytes})
_TEXT = frozenset({str})
_ARRAYS = (list, tuple)
_ARRAY_TYPES = frozenset(_ARRAYS)
_MAPS = (dict, cbor2.frozendict)


class CodecError(ValueError):
    """A value the codec cannot write, or bytes that are not a value of the expected type."""


def _kind(raw: Any) -> str:
    """The form of a value read from CBOR: what tells the members of a union apart."""
    if type(raw) is not cbor2.CBORTag:
        return _KINDS.get(type(raw), "unknown")
    if raw.tag == DATE_TAG:
        return "date"
    if raw.tag == DATETIME_TAG:
        return "datetime"
    if raw.tag == OBJECT_TAG and type(raw.value) in _ARRAYS and len(raw.value) == 2 and type(raw.value[0]) is str:
        return f"object {raw.value[0]}"
    return "unknown"


def _wrong(expected: str, value: Any) -> CodecError:
    return CodecError(f"expected {expected}, found {type(value).__name__}")


@dataclass(frozen=True)
class _Type:
    """How the values of one type hint are written and read."""

    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]
    #: Whether a Python value is of this type: picks the member of a union that writes it.
    accepts: Callable[[Any], bool]
    #: The forms it is written in (see :func:`_kind`): a union reads each with the member that writes it.
    kinds: frozenset[str]
    #: For plain values (and unions of them): the Python types read back as they are.
    plain: frozenset[type] | None = None
    #: Reads many values at once (the items of an array or a map): for plain data, each check is
    #: one pass in C over all of them, not a call per item. Given a collection, returns an iterable.
    many: Callable[[Collection[Any]], Iterable[Any]] | None = None

    def read_many(self, raws: Collection[Any]) -> Iterable[Any]:
        return map(self.decode, raws) if self.many is None else self.many(raws)


def _only(raws: Iterable[Any], allowed: frozenset[type], what: str) -> None:
    """Check the types of many values in one pass."""
    found = set(map(type, raws))
    if not found <= allowed:
        raise CodecError(f"expected {what}, found {', '.join(sorted(t.__name__ for t in found - allowed))}")


def _plain(cls: type) -> _Type:
    def check(value: Any) -> Any:
        if type(value) is not cls:
            raise _wrong(cls.__name__, value)
        return value

    def many(raws: Collection[Any]) -> Collection[Any]:
        _only(raws, frozenset({cls}), cls.__name__)
        return raws

    return _Type(check, check, lambda value: type(value) is cls, frozenset({_KINDS[cls]}), frozenset({cls}), many)


#: Paths are immutable: a value that holds one path twice (a brief and its file) holds one object, as it did.
_shared_path = lru_cache(maxsize=1024)(Path)


def _path() -> _Type:
    def encode(value: Any) -> str:
        if not isinstance(value, Path):
            raise _wrong("a Path", value)
        return str(value)

    def decode(raw: Any) -> Path:
        if type(raw) is not str:
            raise _wrong("a path's text", raw)
        return _shared_path(raw)

    return _Type(encode, decode, lambda value: isinstance(value, Path), frozenset({"str"}))


def _tagged_text(raw: Any, tag: int, what: str) -> str:
    if type(raw) is not cbor2.CBORTag or raw.tag != tag or type(raw.value) is not str:
        raise _wrong(what, raw)
    return raw.value


def _date() -> _Type:
    def encode(value: Any) -> cbor2.CBORTag:
        if type(value) is not dt.date:
            raise _wrong("a date", value)
        return cbor2.CBORTag(DATE_TAG, value.isoformat())

    def decode(raw: Any) -> dt.date:
        return dt.date.fromisoformat(_tagged_text(raw, DATE_TAG, "a date"))

    return _Type(encode, decode, lambda value: type(value) is dt.date, frozenset({"date"}))


def _exact_offset(value: dt.datetime) -> bool:
    """Whether ISO text gives ``value`` back exactly: no zone but a fixed offset (as YAML makes), no fold."""
    zone = value.tzinfo
    if value.fold or (zone is not None and type(zone) is not dt.timezone):
        return False
    return zone is None or zone.tzname(None) == dt.timezone(zone.utcoffset(None)).tzname(None)


def _datetime() -> _Type:
    def encode(value: Any) -> cbor2.CBORTag:
        if type(value) is not dt.datetime:
            raise _wrong("a datetime", value)
        if not _exact_offset(value):
            raise CodecError(f"only a fixed UTC offset round-trips, not {value.tzinfo!r} (fold {value.fold})")
        return cbor2.CBORTag(DATETIME_TAG, value.isoformat())

    def decode(raw: Any) -> dt.datetime:
        return dt.datetime.fromisoformat(_tagged_text(raw, DATETIME_TAG, "a datetime"))

    return _Type(encode, decode, lambda value: type(value) is dt.datetime, frozenset({"datetime"}))


#: Types written as text or as tagged text, the same in every codec.
_SCALARS: dict[Any, _Type] = {Path: _path(), dt.date: _date(), dt.datetime: _datetime()}


def _enum(cls: type[enum.Enum]) -> _Type:
    members = {(type(member.value), member.value): member for member in cls}

    def encode(value: Any) -> Any:
        if type(value) is not cls:
            raise _wrong(cls.__name__, value)
        return value.value

    def decode(raw: Any) -> enum.Enum:
        try:
            return members[(type(raw), raw)]
        except (KeyError, TypeError):
            raise CodecError(f"{raw!r} is not a {cls.__name__}") from None

    kinds = frozenset(_KINDS[kind] for kind, _ in members)
    return _Type(encode, decode, lambda value: type(value) is cls, kinds)


def _sequence(item: _Type, make: type[tuple[Any, ...]] | type[list[Any]]) -> _Type:
    """``tuple[X, ...]`` or ``list[X]``: an array (written as a tuple, so that it can be a map key)."""
    plain = item.plain
    what = f"items of a {make.__name__}"

    def encode(value: Any) -> tuple[Any, ...]:
        if type(value) is not make:
            raise _wrong(make.__name__, value)
        if plain is not None:
            _only(value, plain, what)
            return tuple(value)
        return tuple(map(item.encode, value))

    def decode(raw: Any) -> Any:
        if type(raw) not in _ARRAYS:
            raise _wrong(f"an array for a {make.__name__}", raw)
        return make(item.read_many(raw))

    def many(raws: Collection[Any]) -> Iterable[Any]:
        _only(raws, _ARRAY_TYPES, f"arrays for {make.__name__}s")
        _only(chain.from_iterable(raws), plain, what)  # type: ignore[arg-type]
        return map(make, raws)

    accepts = lambda value: type(value) is make  # noqa: E731
    return _Type(encode, decode, accepts, frozenset({"array"}), many=many if plain is not None else None)


def _fixed(items: list[_Type], cls: type[tuple[Any, ...]]) -> _Type:
    """A fixed number of typed items: ``tuple[A, B]``, or a NamedTuple's fields (``cls``).

    Read into ``cls`` with ``tuple.__new__``: a NamedTuple's own ``__new__`` (Python code) is not called.
    """
    count = len(items)
    name = cls.__qualname__
    new = partial(tuple.__new__, cls)
    encoders = [item.encode for item in items]
    all_plain = all(item.plain is not None for item in items)
    kinds = {item.plain for item in items}
    uniform = kinds.pop() if len(kinds) == 1 else None  # the same plain types in every place (a Mark's two ints)

    def encode(value: Any) -> tuple[Any, ...]:
        if type(value) is not cls or len(value) != count:
            raise _wrong(f"{name} of {count}", value)
        # A plain tuple: cbor2 writes it at once, where a NamedTuple has it look for an encoder.
        return tuple(map(call, encoders, value))

    def decode(raw: Any) -> tuple[Any, ...]:
        if type(raw) not in _ARRAYS or len(raw) != count:
            raise _wrong(f"{count} items for {name}", raw)
        if not all_plain:
            return new(item.decode(part) for item, part in zip(items, raw, strict=True))
        for part, item in zip(raw, items, strict=True):
            if type(part) not in item.plain:  # type: ignore[operator]
                raise _wrong(f"an item of {name}", part)
        return new(raw)

    def many(raws: Collection[Any]) -> Iterable[Any]:
        _only(raws, _ARRAY_TYPES, f"arrays for {name}")
        if set(map(len, raws)) - {count}:
            raise CodecError(f"expected {count} items for {name}")
        if uniform is not None:  # one pass over every item of every array
            _only(chain.from_iterable(raws), uniform, f"items of {name}")
        else:
            for index, item in enumerate(items):
                _only(map(itemgetter(index), raws), item.plain, f"item {index} of {name}")  # type: ignore[arg-type]
        return map(new, raws)

    accepts = lambda value: type(value) is cls and len(value) == count  # noqa: E731
    return _Type(encode, decode, accepts, frozenset({"array"}), many=many if all_plain else None)


def _mapping(key: _Type, value: _Type) -> _Type:
    def encode(data: Any) -> dict[Any, Any]:
        if type(data) is not dict:
            raise _wrong("a dict", data)
        return {key.encode(k): value.encode(v) for k, v in data.items()}

    def decode(raw: Any) -> dict[Any, Any]:
        if type(raw) not in _MAPS:
            raise _wrong("a map", raw)
        return dict(zip(key.read_many(raw.keys()), value.read_many(raw.values()), strict=True))

    return _Type(encode, decode, lambda data: type(data) is dict, frozenset({"map"}))


def _union(members: list[_Type], hint: Any) -> _Type:
    by_kind: dict[str, _Type] = {}
    for member in members:
        for kind in member.kinds:
            if kind in by_kind:
                raise TypeError(f"{hint}: two members are written alike ({kind}), so they could not be told apart")
            by_kind[kind] = member

    def encode(value: Any) -> Any:
        for member in members:
            if member.accepts(value):
                return member.encode(value)
        raise _wrong(str(hint), value)

    def decode(raw: Any) -> Any:
        member = by_kind.get(_kind(raw))
        if member is None:
            raise _wrong(str(hint), raw)
        return member.decode(raw)

    accepts = lambda value: any(m.accepts(value) for m in members)  # noqa: E731
    if not all(member.plain is not None for member in members):
        return _Type(encode, decode, accepts, frozenset(by_kind))
    plain = frozenset().union(*(member.plain for member in members))  # type: ignore[arg-type]

    def many(raws: Collection[Any]) -> Collection[Any]:
        _only(raws, plain, str(hint))
        return raws

    return _Type(encode, decode, accepts, frozenset(by_kind), plain, many)


class _Object:
    """A dataclass: a tagged map of its fields, read only with exactly those fields.

    It is read as pickle does, by filling in a new object's ``__dict__``: no
    ``__init__`` runs, so a class that needs one (``__post_init__``) or has no
    ``__dict__`` (``__slots__``) is refused.
    """

    def __init__(self, cls: type) -> None:
        if not dataclasses.is_dataclass(cls) or "__slots__" in vars(cls) or hasattr(cls, "__post_init__"):
            raise TypeError(f"{cls.__qualname__}: the codec takes dataclasses without __slots__ or __post_init__")
        self.cls = cls
        self.name = cls.__qualname__
        self.fields: list[tuple[str, _Type]] = []
        self.decode: Callable[[Any], Any] = lambda raw: None

    def type(self) -> _Type:
        # Through lambdas: ``fill`` sets the decoder once the fields' types are known.
        accepts = lambda value: type(value) is self.cls  # noqa: E731
        return _Type(self.encode, lambda raw: self.decode(raw), accepts, frozenset({f"object {self.name}"}))

    def encode(self, value: Any) -> cbor2.CBORTag:
        if type(value) is not self.cls:
            raise _wrong(self.name, value)
        return cbor2.CBORTag(OBJECT_TAG, (self.name, {field: kind.encode(getattr(value, field)) for field, kind in self.fields}))

    def fill(self, fields: list[tuple[str, _Type]]) -> None:
        """Set the fields' types (known once every class of the codec is: a class may hold itself), and the decoder."""
        self.fields = fields
        cls, name, count = self.cls, self.name, len(fields)
        # A plain field is checked here, without a call: most fields are text.
        plan = [(field, kind.plain, kind.decode) for field, kind in fields]
        new = object.__new__

        def decode(raw: Any) -> Any:
            if type(raw) is not cbor2.CBORTag or raw.tag != OBJECT_TAG:
                raise _wrong(name, raw)
            body = raw.value
            if type(body) not in _ARRAYS or len(body) != 2 or body[0] != name:
                raise _wrong(name, body)
            values = body[1]
            if type(values) not in _MAPS or len(values) != count:
                raise CodecError(f"{name}: expected the fields {', '.join(field for field, _ in fields)}")
            value = new(cls)
            state = value.__dict__
            try:
                for field, plain, decode_field in plan:
                    item = values[field]
                    if plain is None:
                        state[field] = decode_field(item)
                    elif type(item) in plain:
                        state[field] = item
                    else:
                        raise _wrong(f"{name}.{field} of {', '.join(sorted(t.__name__ for t in plain))}", item)
            except KeyError as missing:
                raise CodecError(f"{name}: no field {missing}") from None
            return value

        self.decode = decode


def _one_value(data: bytes) -> Any:
    """The CBOR value that ``data`` is, all of it: bytes after the value are an error too."""
    stream = io.BytesIO(data)
    value = cbor2.CBORDecoder(stream).decode()
    if stream.tell() != len(data):
        raise CodecError(f"{len(data) - stream.tell()} bytes after the value")
    return value


def _fields(cls: type) -> list[tuple[str, Any]]:
    """A dataclass's or NamedTuple's fields with their type hints, in order."""
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)] if dataclasses.is_dataclass(cls) else list(cls._fields)  # type: ignore[attr-defined]
    return [(name, hints[name]) for name in names]


def _is_named_tuple(cls: type) -> bool:
    return issubclass(cls, tuple) and hasattr(cls, "_fields")


class Codec(Generic[T]):
    """Writes values of one type hint as CBOR and reads back only such values.

    ``classes`` are the dataclasses and NamedTuples the values may hold: a type
    hint naming any other class is an error when the codec is made.
    """

    def __init__(self, hint: Any, *classes: type) -> None:
        self._allowed = {cls.__qualname__: cls for cls in classes}
        if len(self._allowed) != len(classes):
            raise TypeError("two of the classes have one name")
        self._types: dict[type, _Type] = {}
        self._any = _Type(self._encode_any, self._decode_any, lambda value: True, frozenset())
        objects = [_Object(cls) for cls in classes if not _is_named_tuple(cls)]
        for known in objects:
            self._types[known.cls] = known.type()
        for known in objects:  # once every dataclass is known: a class may hold itself (a heading's children)
            known.fill([(name, self._compile(field_hint)) for name, field_hint in _fields(known.cls)])
        self._root = self._compile(hint)

    def encode(self, value: T) -> bytes:
        try:
            return cbor2.dumps(self._root.encode(value))
        except (cbor2.CBORError, RecursionError) as error:
            raise CodecError(str(error)) from None

    def decode(self, data: bytes) -> T:
        try:
            return self._root.decode(_one_value(data))
        except CodecError:
            raise
        except (cbor2.CBORError, ValueError, TypeError, KeyError, IndexError, RecursionError, OverflowError, EOFError) as error:
            # cbor2's errors for bad bytes, and those of constructors given bad text (a date's)
            raise CodecError(f"{type(error).__name__}: {error}") from None

    def _compile(self, hint: Any) -> _Type:
        """How values of ``hint`` are written and read."""
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if hint is Any:
            return self._any
        if hint is None or hint in _PLAIN:
            return _plain(_NONE if hint is None else hint)
        if hint in self._types:
            return self._types[hint]
        if isinstance(hint, type) and self._allowed.get(hint.__qualname__) is hint:  # a NamedTuple
            self._types[hint] = _fixed([self._compile(field_hint) for _, field_hint in _fields(hint)], hint)
            return self._types[hint]
        if hint in _SCALARS:
            return _SCALARS[hint]
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return _enum(hint)
        if origin in (types.UnionType, typing.Union):
            return _union([self._compile(arg) for arg in args], hint)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return _sequence(self._compile(args[0]), tuple)
        if origin is tuple:
            return _fixed([self._compile(arg) for arg in args], tuple)
        if origin is list:
            return _sequence(self._compile(args[0]), list)
        if origin is dict:
            return _mapping(self._compile(args[0]), self._compile(args[1]))
        if isinstance(hint, type) and (dataclasses.is_dataclass(hint) or _is_named_tuple(hint)):
            raise TypeError(f"{hint.__qualname__} is not one of the codec's classes")
        raise TypeError(f"the codec cannot write {hint!r}")

    # ``Any``: plain data, described by itself.
    def _encode_any(self, value: Any) -> Any:
        kind = type(value)
        if kind in _PLAIN:
            return value
        if kind is list:
            return [self._encode_any(item) for item in value]
        if kind is dict:
            _only(value, _TEXT, "text keys")
            return {key: self._encode_any(item) for key, item in value.items()}
        if kind in (dt.date, dt.datetime):
            return _SCALARS[kind].encode(value)
        if kind in self._types and not _is_named_tuple(kind):
            return self._types[kind].encode(value)
        raise CodecError(f"{kind.__name__} is not plain data")

    def _decode_any(self, raw: Any) -> Any:
        kind = type(raw)
        if kind in _PLAIN:
            return raw
        if kind in _ARRAYS:
            return [self._decode_any(item) for item in raw]
        if kind in _MAPS:
            _only(raw, _TEXT, "text keys")
            return {key: self._decode_any(item) for key, item in raw.items()}
        form = _kind(raw)
        if form in ("date", "datetime"):
            return _SCALARS[dt.date if form == "date" else dt.datetime].decode(raw)
        cls = self._allowed.get(form.removeprefix("object ")) if form.startswith("object ") else None
        if cls is None or _is_named_tuple(cls):
            raise CodecError(f"{form if cls else type(raw).__name__} is not plain data")
        return self._types[cls].decode(raw)
