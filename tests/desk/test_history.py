"""The git history of originals, read from real repositories made for each test."""

from __future__ import annotations

import datetime as dt
import shutil
import stat
from pathlib import Path

import pytest
from desk_site import GitSite, git_site, isolate_git

from briefs.core.versions import version_of_text
from briefs.desk import history
from briefs.desk.history import (
    CommitLog,
    GitHistory,
    HistoryUnavailable,
    VersionFinder,
    behind,
    read_blobs,
    read_log,
    repository_root,
)
from conftest import brief_fields, brief_text

EN = "briefs/2026/2026-01-23-rome/en.md"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitSite:
    isolate_git(monkeypatch, tmp_path)
    return git_site(tmp_path / "site")


def three_versions(site: GitSite) -> list[str]:
    """An original committed three times: two edits of its wording. Returns the versions, oldest first."""
    texts = [
        brief_text(brief_fields(), "Merz met Meloni.\n"),
        brief_text(brief_fields(), "Merz met Meloni in Rome.\n"),
        brief_text(brief_fields(title="Merz and Meloni agree in Rome"), "Merz met Meloni in Rome.\n"),
    ]
    for day, text in enumerate(texts, start=1):
        site.write(EN, text)
        site.commit(f"edit {day}", when=f"2026-02-0{day}T12:00:00+00:00")
    return [version_of_text(text) or "" for text in texts]


def test_commits_of_a_file_newest_first_with_their_times(site: GitSite) -> None:
    three_versions(site)
    commits = read_log(site.root, site.briefs).history(EN)
    assert [c.when for c in commits] == [dt.datetime(2026, 2, d, 12, tzinfo=dt.UTC) for d in (3, 2, 1)]
    assert all(c.path == EN and c.blob for c in commits)
    assert [c.sha for c in commits] == site.git("log", "--format=%H").split()


def test_one_log_for_the_folder_gives_every_files_commits(site: GitSite) -> None:
    three_versions(site)
    site.write("briefs/2026/2026-01-23-rome/de.md", "x")
    site.commit("translation")
    log = read_log(site.root, site.briefs)
    assert [c.sha for c in log.history(EN)] == site.git("log", "--follow", "--format=%H", "--", EN).split()
    assert len(log.history(site.root / "briefs/2026/2026-01-23-rome/de.md")) == 1
    assert log.history("briefs/nothing/en.md") == []


def test_renames_are_followed_by_the_folder_log_and_by_follow(site: GitSite) -> None:
    three_versions(site)
    site.git("mv", "briefs/2026", "briefs/archive")
    site.commit("move", when="2026-02-04T12:00:00+00:00")
    moved = "briefs/archive/2026-01-23-rome/en.md"
    commits = read_log(site.root, site.briefs).history(moved)
    assert [c.path for c in commits] == [moved, EN, EN, EN]
    assert commits[0].blob == commits[1].blob  # a move keeps the content
    assert [c.sha for c in commits] == site.git("log", "--follow", "--format=%H", "--", moved).split()


def test_text_at_a_commit(site: GitSite) -> None:
    three_versions(site)
    first = read_log(site.root, site.briefs).history(EN)[-1]
    assert first.blob is not None
    old = read_blobs(site.root, [first.blob, "--output=/tmp/x", "0" * 40])
    assert list(old) == [first.blob] and b"Merz met Meloni.\n" in old[first.blob]


def test_newest_commit_with_a_version_and_how_far_behind(site: GitSite) -> None:
    versions = three_versions(site)
    commits = read_log(site.root, site.briefs).history(EN)
    finder = VersionFinder(site.root)
    assert finder.find([(commits, versions[2]), (commits, versions[0]), (commits, "0123456789ab")]) == [0, 2, None]
    result = behind(commits, 2)
    assert result.commits == 2 and result.matched == commits[2]
    assert result.since == dt.datetime(2026, 2, 2, 12, tzinfo=dt.UTC)  # the first change after that version
    assert behind(commits, 0).note == "the original changed after its last commit"
    assert behind(commits, None, "0123456789ab").commits is None
    assert behind([], None).note == "the original has no commits in git"


def test_a_reverted_wording_matches_its_newest_commit(site: GitSite) -> None:
    versions = three_versions(site)
    site.write(EN, brief_text(brief_fields(), "Merz met Meloni.\n"))  # back to the first wording
    site.commit("revert", when="2026-02-05T12:00:00+00:00")
    commits = read_log(site.root, site.briefs).history(EN)
    assert VersionFinder(site.root).find([(commits, versions[0])]) == [0]


def test_git_history_answers_many_lookups_with_a_few_git_processes(site: GitSite, monkeypatch: pytest.MonkeyPatch) -> None:
    originals = [f"briefs/2026/2026-01-{10 + k}-brief/en.md" for k in range(20)]
    for day in range(1, 4):
        for k, path in enumerate(originals):
            site.write(path, brief_text(brief_fields(), f"Brief {k}, edit {day}.\n"))
        site.commit(f"edit {day}", when=f"2026-02-0{day}T12:00:00+00:00")
    calls: list[str] = []
    real = history.run_git

    def counted(repo: Path, args: list[str], **kwargs: object) -> bytes:
        calls.append(args[0])
        return real(repo, args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(history, "run_git", counted)
    lookups = [
        (site.root / path, version_of_text(brief_text(brief_fields(), f"Brief {k}, edit {1 if k == 0 else 2}.\n")) or "")
        for k, path in enumerate(originals)
    ]
    found = GitHistory(site.root, site.briefs).behind(lookups)
    assert found[lookups[0]].commits == 2
    assert all(found[lookup].commits == 1 for lookup in lookups[1:])
    assert calls.count("log") == 1
    assert len(calls) <= 6, calls  # rev-parse twice, one log, one round of cat-file (check and batch)


def test_blobs_are_read_in_one_batch_and_large_ones_skipped(site: GitSite) -> None:
    three_versions(site)
    blobs = [c.blob or "" for c in read_log(site.root, site.briefs).history(EN)]
    assert set(read_blobs(site.root, blobs)) == set(blobs)
    assert read_blobs(site.root, blobs, max_bytes=10) == {}
    assert read_blobs(site.root, ["not-a-blob", "-p"]) == {}


def test_a_version_finder_reads_each_blob_once(site: GitSite, monkeypatch: pytest.MonkeyPatch) -> None:
    versions = three_versions(site)
    commits = read_log(site.root, site.briefs).history(EN)
    finder = VersionFinder(site.root)
    assert finder.find([(commits, versions[0]), (commits, versions[1])]) == [2, 1]
    monkeypatch.setattr(history, "read_blobs", lambda *a, **k: pytest.fail("read again"))
    assert finder.find([(commits, versions[0])]) == [2]


def test_the_next_run_reads_the_versions_from_one_cache_entry(site: GitSite, monkeypatch: pytest.MonkeyPatch) -> None:
    versions = three_versions(site)
    commits = read_log(site.root, site.briefs).history(EN)
    settings = site.settings()
    settings.cache_dir = site.root / ".briefs-cache"
    assert VersionFinder(site.root, settings).find([(commits, versions[0])]) == [2]
    assert len(list((settings.cache_dir / "versions").rglob("*.cbor"))) == 1  # one file, however many blobs
    monkeypatch.setattr(history, "read_blobs", lambda *a, **k: pytest.fail("read again"))
    assert VersionFinder(site.root, settings).find([(commits, versions[0]), (commits, versions[2])]) == [2, 0]
    # Other settings read their own versions: the entry made with these is not theirs.
    settings.languages = [*settings.languages, "fr"]
    with pytest.raises(pytest.fail.Exception, match="read again"):
        VersionFinder(site.root, settings).find([(commits, versions[0])])


HOSTILE = ["briefs/-x/en.md", "briefs/a*/en.md", "briefs/ab/en.md", "briefs/new\nline/en.md", "briefs/:colon/en.md"]


def test_file_names_are_data_not_options_or_patterns(site: GitSite) -> None:
    for path in HOSTILE:
        site.write(path, brief_text(brief_fields(), f"{path!r}\n"))
    site.commit("hostile names")
    site.write("briefs/ab/en.md", brief_text(brief_fields(), "changed\n"))
    site.commit("only ab")
    log = read_log(site.root, site.briefs)
    for path in HOSTILE:
        expected = 2 if path == "briefs/ab/en.md" else 1
        assert len(log.history(path)) == expected, path
        assert len(site.git("log", "--format=%H", "--", f":(literal){path}").split()) == expected, path
        blob = log.history(path)[0].blob  # `a*` is no pattern for `ab`
        data = read_blobs(site.root, [blob or ""]).get(blob or "")
        assert data is not None and (b"changed" if expected == 2 else repr(path).encode()) in data


def test_the_log_parser_reads_paths_by_position() -> None:
    # A path may start with what marks a commit (\x01) or a change (:) in the output.
    blob = "b" * 40
    newer, older = "a" * 40, "c" * 40
    output = (
        f"\x01{newer}\x001769000000\x00\n:100644 100644 {blob} {blob} R100\x00\x01odd\x00:weird\n\x00"
        f"\x01{older}\x001768000000\x00\n:000000 100644 {'0' * 40} {blob} A\x00\x01odd\x00"
    ).encode()
    log = CommitLog.parse(Path("/repo"), output)
    assert [c.path for c in log.history(":weird\n")] == [":weird\n", "\x01odd"]
    with pytest.raises(HistoryUnavailable):
        CommitLog.parse(Path("/repo"), b"garbage\x00")


def test_no_git_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(HistoryUnavailable) as caught:
        read_log(tmp_path)
    assert str(caught.value) == "git is not installed (or not on PATH)"


def test_no_repository_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch, tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "plain").mkdir()
    with pytest.raises(HistoryUnavailable) as caught:
        repository_root(tmp_path / "plain")
    assert "not a git repository" in str(caught.value) and "\n" not in str(caught.value)


def test_a_repository_without_commits_has_no_history(site: GitSite) -> None:
    site.write(EN, "x")
    assert read_log(site.root, site.briefs).history(EN) == []


def test_a_git_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\nexec {shutil.which('sleep')} 5\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(fake.parent))
    with pytest.raises(HistoryUnavailable) as caught:
        repository_root(tmp_path, timeout=0.2)
    assert str(caught.value) == "git rev-parse took longer than 0.2 seconds"


def test_content_at_a_recorded_version(site: GitSite) -> None:
    versions = three_versions(site)
    found = GitHistory(site.root, site.briefs).content_at(site.root / EN, versions[0])
    assert found is not None
    commit, content = found
    assert content.body == "Merz met Meloni.\n" and commit.when.day == 1
    assert GitHistory(site.root, site.briefs).content_at(site.root / EN, "0123456789ab") is None
