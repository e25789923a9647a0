"""The desk from start to finish, over a real git repository: translate, fall behind, see the diff, catch up."""

from __future__ import annotations

from pathlib import Path

import pytest
from desk_site import GitSite, git_site, isolate_git, load

from briefs.core.versions import content_version
from briefs.desk.fielddiff import changes_text, field_changes
from briefs.desk.history import GitHistory
from briefs.desk.status import DeskStatus, LanguageStatus, State, desk_status
from briefs.desk.translate import record_done, write_translation
from conftest import brief_fields, brief_text

ID = "2026-01-23-rome"
EN = f"briefs/2026/{ID}/en.md"
DE = f"briefs/2026/{ID}/de.md"
BODY = "Merz travelled to Rome.\nHe met Meloni.\n\nBoth want fewer rules.\n"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitSite:
    isolate_git(monkeypatch, tmp_path)
    site = git_site(tmp_path / "site")
    site.write(EN, brief_text(brief_fields(), BODY))
    site.commit("the original", when="2026-01-23T10:00:00+00:00")
    return site


def status(site: GitSite) -> DeskStatus:
    settings = site.settings()
    corpus, recorded = load(settings)
    assert corpus.errors == []
    return desk_status(corpus.pairs, settings.languages, recorded, history=GitHistory(site.root, site.briefs).behind)


def german(site: GitSite) -> LanguageStatus:
    return status(site).briefs[0].languages["de"]


def translate(site: GitSite) -> None:
    corpus, _ = load(site.settings())
    english = corpus.pairs[0].versions["en"]
    path = write_translation(english, "de", content_version(english))
    # The translator translates, and publishes.
    text = path.read_text(encoding="utf-8").replace("draft: true\n", "")
    path.write_text(
        text.replace("title: Merz and Meloni sign agreements in Rome", "title: Merz und Meloni in Rom"), encoding="utf-8"
    )
    site.commit("the translation", when="2026-01-24T10:00:00+00:00")


def test_a_new_scaffold_is_a_draft_and_the_missing_language_says_so(site: GitSite) -> None:
    first = status(site).briefs[0]
    assert first.original == "en" and first.languages["de"].state is State.MISSING
    corpus, _ = load(site.settings())
    write_translation(corpus.pairs[0].versions["en"], "de", content_version(corpus.pairs[0].versions["en"]))
    assert german(site).state is State.DRAFT


def test_translate_fall_behind_see_the_change_catch_up(site: GitSite) -> None:
    translate(site)
    assert german(site).state is State.OK

    # The original changes its wording in a later commit.
    site.write(EN, brief_text(brief_fields(), BODY.replace("He met Meloni.", "He met Giorgia Meloni.")))
    site.commit("edit the original", when="2026-02-03T09:00:00+00:00")
    de = german(site)
    assert de.state is State.OUTDATED and de.behind == 1
    assert de.since is not None and de.since.isoformat() == "2026-02-03T09:00:00+00:00"

    # What changed since the version the translation records.
    corpus, recorded = load(site.settings())
    english = corpus.pairs[0].versions["en"]
    found = GitHistory(site.root, site.briefs).content_at(english.path, recorded[(ID, "de")].version)
    assert found is not None
    commit, before = found
    assert commit.when.isoformat() == "2026-01-23T10:00:00+00:00"
    assert changes_text(field_changes(before, english)) == (
        "body.paragraphs[0] (changed)\n    Merz travelled to Rome. He met {+Giorgia+} Meloni.\n"
    )

    # The translator catches up and records it.
    path = site.root / DE
    path.write_text(record_done(path.read_text(encoding="utf-8"), "en", content_version(english)), encoding="utf-8")
    assert german(site).state is State.OK
    site.commit("catch up", when="2026-02-04T09:00:00+00:00")

    # `updated` alone, or re-wrapped lines, are no change of wording.
    rewrapped = BODY.replace("He met Meloni.", "He met Giorgia\nMeloni.   ").replace("\n\n", "\n\n\n")
    site.write(EN, brief_text(brief_fields(updated="2026-02-05"), rewrapped))
    site.commit("touch the original", when="2026-02-05T09:00:00+00:00")
    assert german(site).state is State.OK


def test_two_edits_are_two_commits_behind_and_uncommitted_ones_are_said_so(site: GitSite) -> None:
    translate(site)
    for day, words in ((3, "He met Giorgia Meloni."), (4, "He met the prime minister.")):
        site.write(EN, brief_text(brief_fields(), BODY.replace("He met Meloni.", words)))
        site.commit(f"edit {day}", when=f"2026-02-0{day}T09:00:00+00:00")
    de = german(site)
    assert (de.behind, de.since and de.since.day) == (2, 3)
    site.write(EN, brief_text(brief_fields(), BODY.replace("Rome", "Roma")))
    site.write(DE, record_done((site.root / DE).read_text(encoding="utf-8"), "en", "0123456789ab"))
    site.commit("a version no commit of the original has")
    assert german(site).note and "no commit of" in (german(site).note or "")


def test_an_edit_not_yet_committed_is_outdated_with_no_commit_behind(site: GitSite) -> None:
    translate(site)
    site.write(EN, brief_text(brief_fields(), BODY + "\nOne more paragraph.\n"))
    de = german(site)
    assert de.state is State.OUTDATED and de.behind == 0 and de.note == "the original changed after its last commit"


def test_without_git_the_desk_still_knows_what_is_outdated(site: GitSite, monkeypatch: pytest.MonkeyPatch) -> None:
    translate(site)
    site.write(EN, brief_text(brief_fields(title="Merz and Meloni agree in Rome"), BODY))
    monkeypatch.setenv("PATH", str(site.root / "no-git-here"))
    result = status(site)
    assert result.briefs[0].languages["de"].state is State.OUTDATED
    assert result.briefs[0].languages["de"].behind is None
    assert result.note == "commit counts unavailable: git is not installed (or not on PATH)"


def test_outside_a_repository_the_desk_says_so_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch, tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    plain = GitSite(tmp_path / "plain")
    plain.write(EN, brief_text(brief_fields(), BODY))
    translate_without_git = load(plain.settings())[0].pairs[0].versions["en"]
    write_translation(translate_without_git, "de", "0123456789ab")
    settings = plain.settings()
    corpus, recorded = load(settings)
    result = desk_status(corpus.pairs, settings.languages, recorded, history=GitHistory(plain.root, plain.briefs).behind)
    assert result.briefs[0].languages["de"].state is State.OUTDATED
    assert result.note is not None and result.note.startswith("commit counts unavailable: fatal: not a git repository")
    assert "\n" not in result.note
