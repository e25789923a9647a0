"""The cache trusts nothing it finds on disk: a cache folder can come from anyone (SPEC §7).

Entries are data sealed with a key outside the work tree; whatever does not
verify, or is not of its shape, is a miss and is written again; a cache folder
that git tracks is not used. Nothing in it runs code, changes a page, or ends
a build with a traceback.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import cbor2
import pytest
from test_builds import differences
from test_cache import EN, build, from_cache

import briefs.core.cache
import briefs.core.memory
from briefs.core.cache import DiskCache, key_file, read_sealed, seal, secret_key, tracked_files, trusted_folder, write_sealed
from briefs.core.codec import Codec
from briefs.core.corpus import CHECKED, load_corpus
from briefs.core.settings import load_settings
from briefs.mkdocs.page_cache import PAGE
from briefs.mkdocs.previous import WRITTEN, PreviousOutput, Written
from briefs.search.slim import SlimStore
from conftest import REPO, SAMPLE, brief_fields, build_site, write_brief


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A key of this test's own, and no entries remembered from other tests' builds (same briefs, same keys)."""
    path = tmp_path / "user-cache" / "key"
    monkeypatch.setenv("BRIEFS_CACHE_KEY_FILE", str(path))
    monkeypatch.setattr(briefs.core.memory.MEMORY, "entries", {})
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A pair and a single brief."""
    root = tmp_path / "briefs"
    write_brief(root, "2026-01-23-rome", "en", brief_fields(), body="First body.\n")
    write_brief(root, "2026-01-23-rome", "de", brief_fields(title="Rom auf Deutsch"))
    write_brief(root, "2026-02-01-other", "en", brief_fields(title="Other", date="2026-02-01"))
    return root


class Bomb:
    """Unpickling this creates ``marker``: what a hostile pickle could do instead."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def bomb(tmp_path: Path) -> tuple[bytes, Path]:
    """A live pickle (proven on a control marker) and the marker it would create when read from the cache."""
    control = tmp_path / "control-marker"
    pickle.loads(pickle.dumps(Bomb(control)))
    assert control.exists()
    marker = tmp_path / "marker"
    return pickle.dumps(Bomb(marker)), marker


# The key


def test_a_key_is_made_once_outside_the_work_tree_for_its_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFS_CACHE_KEY_FILE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = key_file()
    assert path == tmp_path / "xdg" / "briefs" / "key"
    key = secret_key()
    assert len(key) == 32 and path.read_bytes() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(path.parent) == ["key"]  # no temporary file left
    monkeypatch.setattr(briefs.core.cache, "_KEYS", {})  # another process
    assert secret_key() == key
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert key_file() == tmp_path / "home" / ".cache" / "briefs" / "key"


@pytest.mark.parametrize("problem", ["too short", "in a file", "no home"])
def test_without_a_usable_key_a_process_caches_for_itself(
    problem: str, own_key: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    own_key.parent.mkdir(parents=True)
    if problem == "too short":
        own_key.write_bytes(b"short")
    elif problem == "in a file":
        own_key.parent.rmdir()
        own_key.parent.write_text("a file where the key's folder belongs")
    else:
        monkeypatch.setattr(briefs.core.cache, "key_file", lambda: None)
    with caplog.at_level(logging.INFO):
        store = DiskCache(tmp_path / "cache", "files", CHECKED)
    assert "no cache key at" in caplog.text
    store.put(KEY, SAMPLE)
    assert store.get(KEY) == SAMPLE
    if problem == "too short":
        assert own_key.read_bytes() == b"short"  # a file of the user's is never overwritten
    monkeypatch.setattr(briefs.core.cache, "_KEYS", {})  # the next process has another key of its own
    assert DiskCache(tmp_path / "cache", "files", CHECKED).get(KEY) is None


def test_a_key_that_git_tracks_is_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    repo = tmp_path / "repo"
    key = repo / ".cache" / "briefs" / "key"
    key.parent.mkdir(parents=True)
    key.write_bytes(b"k" * 32)  # known to whoever wrote the pull request
    git(repo, "init", "-q")
    git(repo, "add", "-f", ".cache/briefs/key")
    monkeypatch.setenv("BRIEFS_CACHE_KEY_FILE", str(key))
    with caplog.at_level(logging.WARNING):
        assert secret_key() != b"k" * 32
    assert f"git tracks the cache key {key}" in caplog.text


# Entries


KEY = "ab" + "0" * 62


def entry(folder: Path, key: str = KEY) -> Path:
    return folder / "files" / key[:2] / f"{key}.cbor"


def forged(payload: bytes, key: str = KEY) -> bytes:
    """``payload`` sealed as the entry of ``key``, with a key that is not the user's."""
    return seal(b"k" * 32, f"files/{key}", payload)


def other_checked() -> Any:
    return dataclasses.replace(SAMPLE, brief=dataclasses.replace(SAMPLE.brief, title="Forged title"))


def spoil(kind: str, path: Path, tmp_path: Path) -> None:
    """Put what ``kind`` names where the entry at ``path`` is."""
    real = secret_key()
    if kind not in ("folder instead of the shard", "symlink instead of the shard"):
        path.unlink()
    if kind == "truncated":
        path.write_bytes(seal(real, f"files/{KEY}", CHECKED.encode(SAMPLE))[:-9])
    elif kind == "forged with another key":
        path.write_bytes(forged(CHECKED.encode(other_checked())))
    elif kind == "another key's entry":
        path.write_bytes(seal(real, "files/" + "cd" * 32, CHECKED.encode(other_checked())))
    elif kind == "the user's seal on the wrong shape":
        path.write_bytes(seal(real, f"files/{KEY}", cbor2.dumps({"pages": {}, "shards": 5})))
    elif kind == "the user's seal on a list":
        path.write_bytes(seal(real, f"files/{KEY}", cbor2.dumps([[1, 2], {"a": []}])))
    elif kind == "a folder":
        path.mkdir()
        (path / "inside").write_text("x")
    elif kind == "a symlink to a sealed entry":
        target = tmp_path / "elsewhere.cbor"
        target.write_bytes(seal(real, f"files/{KEY}", CHECKED.encode(other_checked())))
        path.symlink_to(target)
    elif kind == "a FIFO":
        os.mkfifo(path)
    elif kind == "folder instead of the shard":
        shutil.rmtree(path.parent)
        path.parent.write_text("a file where the folder was")
    elif kind == "symlink instead of the shard":
        outside = tmp_path / "outside-shard"
        shutil.move(path.parent, outside)
        (outside / path.name).write_bytes(forged(CHECKED.encode(other_checked())))
        path.parent.symlink_to(outside)
    else:
        raise AssertionError(kind)


SPOILED = [
    "truncated",
    "forged with another key",
    "another key's entry",
    "the user's seal on the wrong shape",
    "the user's seal on a list",
    "a folder",
    "a symlink to a sealed entry",
    "a FIFO",
    "folder instead of the shard",
    "symlink instead of the shard",
]


@pytest.mark.parametrize("kind", SPOILED)
def test_a_spoiled_entry_is_a_miss_and_is_written_again(kind: str, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    store = DiskCache(folder, "files", CHECKED)
    store.put(KEY, SAMPLE)
    spoil(kind, entry(folder), tmp_path)
    outside = {p: p.read_bytes() for p in tmp_path.glob("elsewhere.cbor")} | {
        p: p.read_bytes() for p in tmp_path.glob("outside-shard/*")
    }
    assert store.get(KEY) is None
    store.put(KEY, SAMPLE)
    assert store.get(KEY) == SAMPLE
    assert not entry(folder).is_symlink() and not entry(folder).parent.is_symlink()
    assert {p: p.read_bytes() for p in outside} == outside  # nothing written through a symlink


def test_a_pickle_in_the_cache_never_runs(tmp_path: Path) -> None:
    payload, marker = bomb(tmp_path)
    folder = tmp_path / "cache"
    path = entry(folder)
    path.parent.mkdir(parents=True)
    for data in (payload, forged(payload), seal(secret_key(), f"files/{KEY}", payload)):  # even under the user's seal
        path.write_bytes(data)
        path.with_suffix(".pickle").write_bytes(data)  # where entries used to be
        assert DiskCache(folder, "files", CHECKED).get(KEY) is None
    assert not marker.exists()


def test_an_entry_that_cannot_be_opened_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = DiskCache(tmp_path / "cache", "files", CHECKED)
    store.put(KEY, SAMPLE)

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as patched:
        patched.setattr(os, "open", refuse)
        assert store.get(KEY) is None
    store.put(KEY, SAMPLE)  # and the next build writes it again
    assert store.get(KEY) == SAMPLE


def test_a_cache_folder_that_is_a_file_is_no_cache(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "cache"
    folder.write_text("not a folder")
    store = DiskCache(folder, "pages", PAGE)
    store.put(KEY, b"<html>")
    assert store.get(KEY) is None and folder.read_text() == "not a folder"
    with caplog.at_level(logging.WARNING):
        assert trusted_folder(folder) is None
    assert f"the cache folder {folder} is not a folder" in caplog.text


def test_a_value_the_codec_cannot_write_is_not_kept(tmp_path: Path) -> None:
    store: DiskCache[Any] = DiskCache(tmp_path / "cache", "fields", Codec(dict[str, Any]))
    store.put(KEY, {"a": {1, 2}})
    assert store.get(KEY) is None and not any((tmp_path / "cache").rglob("*.cbor"))


# The record of the last build's output, and the cut-down copies for search


@pytest.mark.parametrize("kind", ["wrong shape", "forged", "folder", "old JSON", "truncated"])
def test_a_spoiled_record_of_the_output_is_no_record(kind: str, tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    (site / "en").mkdir(parents=True)
    (site / "en" / "index.html").write_text("last build")
    previous = PreviousOutput.set_aside(site, cache)
    previous.finish({"en/index.html": "key"}, {})
    manifest = previous.manifest
    label = f"output/{manifest.name}"
    if kind == "wrong shape":
        manifest.write_bytes(seal(secret_key(), label, cbor2.dumps({"pages": {}, "shards": 5})))
    elif kind == "forged":
        record = Written(pages={"en/index.html": ("key", (1, 2, 3))})
        manifest.write_bytes(seal(b"k" * 32, label, WRITTEN.encode(record)))
    elif kind == "folder":
        manifest.unlink()
        manifest.mkdir()
    elif kind == "old JSON":
        manifest.with_suffix(".json").write_text('{"pages":{},"shards":5}')
        manifest.unlink()
    else:
        manifest.write_bytes(manifest.read_bytes()[:-3])
    again = PreviousOutput.set_aside(site, cache)
    assert again.aside is None and not again.has_page("en/index.html", "key")
    assert (site / "en" / "index.html").read_text() == "last build"  # left for MkDocs to clean
    assert not manifest.exists()


def test_a_record_of_the_output_is_read_back(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    (site / "en").mkdir(parents=True)
    previous = PreviousOutput.set_aside(site, cache)
    (site / "en" / "index.html").write_text("page")
    previous.finish({"en/index.html": "key"}, {})
    again = PreviousOutput.set_aside(site, cache)
    assert again.aside is not None and again.has_page("en/index.html", "key")
    again.discard()
    again.wait()


def slim_store(tmp_path: Path, record: bytes | None = None) -> tuple[Path, Path]:
    """A store's folder with one copy, and a file beside it that a record must never reach."""
    folder = tmp_path / "cache" / "slim"
    (folder / "en" / "a").mkdir(parents=True)
    (folder / "en" / "a" / "index.html").write_text("copy")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    if record is not None:
        (folder / SlimStore.RECORD).write_bytes(record)
    return folder, victim


def test_a_record_of_cut_down_copies_outside_the_folder_is_no_record(tmp_path: Path) -> None:
    codec = Codec(dict[str, str])
    record = seal(secret_key(), "slim/keys", codec.encode({"../../victim.txt": "k", "en/a/index.html": "k"}))
    folder, victim = slim_store(tmp_path, record)
    store = SlimStore(folder)
    assert store.keys == {} and not any(folder.iterdir())
    store.stale({"en/a/index.html": "k"})
    assert victim.read_text() == "keep me"


@pytest.mark.parametrize("record", [b"{}", b"BRC1" + b"\0" * 40, None])
def test_a_forged_or_missing_record_of_cut_down_copies_empties_the_folder(record: bytes | None, tmp_path: Path) -> None:
    folder, _ = slim_store(tmp_path, record)
    assert SlimStore(folder).stale({"en/a/index.html": "k"}) == {"en/a/index.html"}
    assert not any(folder.iterdir())


def test_cut_down_copies_are_never_read_or_written_through_symlinks(tmp_path: Path) -> None:
    folder, victim = slim_store(tmp_path)
    store = SlimStore(folder)
    (folder / "en" / "a").mkdir(parents=True)
    (folder / "en" / "a" / "index.html").write_text("copy")
    store.finish({"en/a/index.html": "k"})
    (folder / "en" / "a" / "index.html").unlink()
    (folder / "en" / "a" / "index.html").symlink_to(victim)
    store = SlimStore(folder)
    assert store.stale({"en/a/index.html": "k"}) == {"en/a/index.html"}
    assert not (folder / "en" / "a" / "index.html").exists() and victim.read_text() == "keep me"
    slim = tmp_path / "elsewhere"
    slim.mkdir()
    shutil.rmtree(folder)
    folder.symlink_to(slim)  # the whole folder a symlink: replaced by a folder of its own
    assert SlimStore(folder).folder.is_dir() and not folder.is_symlink()


def test_a_record_of_cut_down_copies_that_is_a_folder_is_no_record(tmp_path: Path) -> None:
    folder, _ = slim_store(tmp_path)
    (folder / SlimStore.RECORD).mkdir()
    assert SlimStore(folder).keys == {}


# Git


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def tracked_cache(tmp_path: Path) -> Path:
    """A repository whose cache folder holds a file that git tracks."""
    repo = tmp_path / "repo"
    cache = repo / ".briefs-cache"
    (cache / "files" / "ab").mkdir(parents=True)
    (cache / "files" / "ab" / f"{KEY}.cbor").write_bytes(forged(CHECKED.encode(other_checked())))
    git(repo, "init", "-q")
    git(repo, "add", "-f", ".briefs-cache")
    return cache


def test_git_tells_which_cache_files_came_with_the_checkout(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = tracked_cache(tmp_path)
    assert tracked_files(cache) == [f".briefs-cache/files/ab/{KEY}.cbor"]
    with caplog.at_level(logging.WARNING):
        assert trusted_folder(cache) is None
    assert f"git tracks 1 file(s) in the cache folder {cache}" in caplog.text
    untracked = tmp_path / "repo" / "other-cache"
    assert trusted_folder(untracked) == untracked
    assert trusted_folder(tmp_path / "not-a-repository") == tmp_path / "not-a-repository"


def test_without_git_the_cache_folder_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tracked_cache(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    assert trusted_folder(cache) == cache


# Whole builds


def fill_with_hostile_entries(cache: Path, tmp_path: Path) -> Path:
    """Replace what a build cached with what an attacker would commit; returns the marker a pickle would create.

    Every checked file becomes a live pickle, but the English Rome brief's: a symlink to its
    entry, changed and sealed with the user's own key (read through the link, it would show).
    Every page is changed and sealed with another key, but one, which becomes a folder.
    """
    payload, marker = bomb(tmp_path)
    checked = sorted((cache / "files").rglob("*.cbor"))
    pages = sorted((cache / "pages").rglob("*.cbor"))
    assert checked and pages
    for path in checked:
        label = f"files/{path.stem}"
        entry = read_sealed(path, label, CHECKED)
        assert entry is not None
        if entry.file.display.endswith("2026-01-23-rome/en.md"):
            brief = dataclasses.replace(entry.brief, title="Forged title")
            elsewhere = tmp_path / "elsewhere.cbor"
            elsewhere.write_bytes(seal(secret_key(), label, CHECKED.encode(dataclasses.replace(entry, brief=brief))))
            path.unlink()
            path.symlink_to(elsewhere)
        else:
            path.write_bytes(payload)
            path.with_suffix(".pickle").write_bytes(payload)
    for path in pages[1:]:
        html = read_sealed(path, f"pages/{path.stem}", PAGE)
        assert html is not None
        forged_html = html.replace(b"First body.", b"Forged body.").replace(b"Rom auf Deutsch", b"Forged title")
        path.write_bytes(seal(b"k" * 32, f"pages/{path.stem}", PAGE.encode(forged_html)))
    pages[0].unlink()
    pages[0].mkdir()
    for path in (cache / "output").glob("*.cbor"):  # a record of the right seal and the wrong shape
        path.write_bytes(seal(secret_key(), f"output/{path.name}", cbor2.dumps({"pages": {}, "shards": 5})))
    (cache / "slim" / SlimStore.RECORD).write_bytes(seal(b"k" * 32, "slim/keys", b"\xa0"))
    return marker


def test_a_build_over_a_hostile_cache_makes_the_true_site(tree: Path, tmp_path: Path) -> None:
    cache, site = tmp_path / "cache", tmp_path / "site"
    first = build(tree, site, cache)
    assert "Forged" not in first.page(EN).get_text()
    marker = fill_with_hostile_entries(cache, tmp_path)
    briefs.core.memory.MEMORY.entries.clear()
    again = build(tree, site, cache)  # in place, as the deploy workflow's next run
    assert not marker.exists()
    assert from_cache(again) == 0
    assert not [path for path in site.rglob("*.html") if b"Forged" in path.read_bytes()]
    assert differences(site, build(tree, tmp_path / "fresh", "false").site) == []
    briefs.core.memory.MEMORY.entries.clear()
    assert from_cache(build(tree, tmp_path / "third", cache)) > 5  # every entry was written again


def test_briefs_check_never_runs_a_pickle_from_the_cache(tree: Path, tmp_path: Path, own_key: Path) -> None:
    cache = tmp_path / "cache"
    settings = load_settings(REPO / "mkdocs.yml")
    settings.briefs_dir, settings.cache_dir = tree, cache
    load_corpus(settings)
    payload, marker = bomb(tmp_path)
    entries = sorted((cache / "files").rglob("*.cbor"))
    for path in entries:
        path.write_bytes(payload)
    env = {**os.environ, "BRIEFS_DIR": str(tree), "BRIEFS_CACHE_DIR": str(cache), "BRIEFS_CACHE_KEY_FILE": str(own_key)}
    checked = subprocess.run(
        [sys.executable, "-m", "briefs.cli", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not marker.exists()
    assert all(read_sealed(path, f"files/{path.stem}", CHECKED) is not None for path in entries)  # written again


def test_a_cache_folder_that_git_tracks_is_not_used(tree: Path, tmp_path: Path) -> None:
    cache = tracked_cache(tmp_path)
    before = sorted(cache.rglob("*"))
    result = build_site(tree, tmp_path / "site", strict=False, extra_env={"BRIEFS_CACHE_DIR": str(cache)})
    assert result.ok, result.log
    assert f"WARNING Briefs: git tracks 1 file(s) in the cache folder {cache}" in result.log
    assert sorted(cache.rglob("*")) == before  # neither read nor written
    assert differences(result.site, build(tree, tmp_path / "fresh", "false").site) == []
    strict = build_site(tree, tmp_path / "strict", extra_env={"BRIEFS_CACHE_DIR": str(cache)})
    assert not strict.ok  # a strict build stops at the warning


def test_write_sealed_and_read_sealed_agree(tmp_path: Path) -> None:
    codec = Codec(dict[str, str])
    path = tmp_path / "a" / "b.cbor"
    write_sealed(path, tmp_path, "label", codec, {"x": "y"})
    assert read_sealed(path, "label", codec) == {"x": "y"}
    assert read_sealed(path, "another label", codec) is None


def test_a_build_into_an_empty_folder_takes_each_e_mail_edition_from_the_cache(tree: Path, tmp_path: Path) -> None:
    """A deploy builds into an empty folder: an edition the cache holds is written from there, not rendered again."""
    cache = tmp_path / "cache"
    first = build(tree, tmp_path / "one", cache)
    editions = sorted(first.site.rglob("email.html"))
    assert editions
    edition = editions[0].read_bytes()
    entries = [path for path in (cache / "pages").rglob("*.cbor") if read_sealed(path, f"pages/{path.stem}", PAGE) == edition]
    assert len(entries) == 1
    marked = edition.replace(b"<body", b"<body data-from-the-cache", 1)
    entries[0].write_bytes(seal(secret_key(), f"pages/{entries[0].stem}", PAGE.encode(marked)))
    second = build(tree, tmp_path / "two", cache)
    assert (second.site / editions[0].relative_to(first.site)).read_bytes() == marked
    assert all((second.site / e.relative_to(first.site)).read_bytes() == e.read_bytes() for e in editions[1:])
