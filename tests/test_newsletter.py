"""The newsletter (SPEC §10): the subscription form when configured, its policy, and the editions."""

from __future__ import annotations

import http.server
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs

import pytest

from conftest import REPO, Build, brief_fields, build_site, write_brief

ACTION = "https://mail.example/subscribe/briefs"
NEWSLETTER = """      newsletter:
        action: {action}
        email_field: EMAIL
        extra_fields: {{list: morning, tags: "a&b"}}
        unsubscribe: "*|UNSUB|*"
"""


def site_config(folder: Path, options: str = "") -> Path:
    """The project's mkdocs.yml in ``folder``, its own (placeholder) form taken out and ``options`` added to the plugin's."""
    text = re.sub(r"^      newsletter:\n(?:^        .*\n)*", "", (REPO / "mkdocs.yml").read_text(encoding="utf-8"), flags=re.M)
    config = folder / "mkdocs.yml"
    config.write_text(text.replace("      languages:", options + "      languages:", 1), encoding="utf-8")
    for name in ("docs", "overrides", "hooks"):
        (folder / name).symlink_to(REPO / name)
    return config


def briefs_tree(root: Path) -> Path:
    write_brief(root, "2026-01-23-letter", "en", brief_fields(title="Letter & <news>", date="2026-01-23"))
    fields = brief_fields(title="Brief für Leser", date="2026-01-23")
    fields["key_details"] = ["Acht [Abkommen](https://example.org/a) und *mehr*."]
    write_brief(root, "2026-01-23-letter", "de", fields)
    return root


def build(tmp_path: Path, options: str) -> Build:
    config = site_config(tmp_path, options)
    env = {"BRIEFS_OUTLETS_FILE": "none.yml", "BRIEFS_CACHE_DIR": "false"}
    result = build_site(briefs_tree(tmp_path / "briefs"), tmp_path / "site", strict=False, config_file=config, extra_env=env)
    assert result.ok, result.log
    return result


@pytest.fixture(scope="module")
def with_form(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build(tmp_path_factory.mktemp("letter"), NEWSLETTER.format(action=ACTION))


def policy(page: object) -> dict[str, list[str]]:
    content = page.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]  # type: ignore[attr-defined]
    return {d.split()[0]: d.split()[1:] for d in content.split("; ")}


FORM_PAGES = ["en/", "de/", "en/digest/2026-01-23/", "de/digest/2026-01-23/", "en/digest/", "de/digest/"]


def test_the_form_is_on_the_homes_and_digests_and_posts_where_configured(with_form: Build) -> None:
    for url in FORM_PAGES:
        page = with_form.page(url)
        form = page.select_one("form.brief-newsletter")
        assert form is not None, url
        assert form["action"] == ACTION and form["method"] == "post"
        email = form.select_one('input[type="email"]')
        assert email["name"] == "EMAIL" and email.has_attr("required")
        assert form.select_one(f'label[for="{email["id"]}"]') is not None
        hidden = {i["name"]: i["value"] for i in form.select('input[type="hidden"]')}
        assert hidden == {"list": "morning", "tags": "a&b"}
        assert policy(page)["form-action"] == [ACTION]
    for url in ("en/2026/01/23/letter-news/", "de/2026/01/23/brief-fuer-leser/", "en/topics/"):
        page = with_form.page(url)
        assert page.select_one("form.brief-newsletter") is None
        assert policy(page)["form-action"] == [ACTION]  # one policy for the site: no other page posts anywhere else


def test_the_german_form_speaks_german(with_form: Build) -> None:
    form = with_form.page("de/").select_one("form.brief-newsletter")
    text = form.get_text(" ", strip=True)
    assert "Newsletter am Morgen" in text and "E-Mail-Adresse" in text and "Abonnieren" in text
    assert "Subscribe" not in text and "Email address" not in text


def test_without_the_option_there_is_no_form_and_forms_post_nowhere_else(tmp_path: Path) -> None:
    site = build(tmp_path, "")
    for url in FORM_PAGES:
        page = site.page(url)
        assert page.select_one("form.brief-newsletter") is None
        assert policy(page)["form-action"] == ["'self'"]


@pytest.mark.parametrize(
    "action", ["javascript:alert(1)", "https://mail.example/x; script-src *", "mail.example/subscribe", "'self'"]
)
def test_an_action_that_is_not_a_plain_web_address_is_refused(tmp_path: Path, action: str) -> None:
    config = site_config(tmp_path, NEWSLETTER.format(action=f'"{action}"'))
    result = build_site(briefs_tree(tmp_path / "briefs"), tmp_path / "site", strict=False, config_file=config)
    assert not result.ok and "newsletter.action" in result.log
    cli = subprocess.run(
        [sys.executable, "-m", "briefs.cli", "--config", str(config), "newsletter", "2026-01-23"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert cli.returncode == 2 and "newsletter.action" in cli.stderr and "Traceback" not in cli.stderr


def newsletter(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "briefs.cli", "--config", str(config), "newsletter", *args]
    env = {"BRIEFS_DIR": str(config.parent / "briefs"), "BRIEFS_OUTLETS_FILE": "none.yml", "BRIEFS_CACHE_DIR": "false"}
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env={**os.environ, **env})


@pytest.fixture
def letter_config(tmp_path: Path) -> Path:
    briefs_tree(tmp_path / "briefs")
    return site_config(tmp_path, NEWSLETTER.format(action=ACTION))


def test_the_text_edition_has_every_brief_with_its_links_written_out(letter_config: Path) -> None:
    result = newsletter(letter_config, "2026-01-23", "--lang", "de", "--format", "text")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Brief für Leser" in text and "<news>" not in text
    assert "Acht Abkommen <https://example.org/a> und mehr." in text
    assert "https://x.test/de/2026/01/23/brief-fuer-leser/" in text or "/de/2026/01/23/brief-fuer-leser/" in text
    assert "Abbestellen: *|UNSUB|*" in text
    assert "<" not in text.replace("<https://", "")  # plain text: no markup


def test_the_html_edition_links_the_provider_s_unsubscribe_placeholder(letter_config: Path) -> None:
    from bs4 import BeautifulSoup

    result = newsletter(letter_config, "2026-01-23", "--format", "html")
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup(result.stdout, "lxml")
    assert page.html["lang"] == "en"
    titles = [a.get_text() for a in page.select("h2 a")]
    assert titles == ["Letter & <news>"]  # escaped in the markup, the text itself when read
    assert page.find("a", string="Unsubscribe")["href"] == "*|UNSUB|*"
    assert page.find("script") is None


def test_a_day_without_briefs_has_no_edition(letter_config: Path) -> None:
    result = newsletter(letter_config, "2026-01-22")
    assert result.returncode == 1 and result.stdout == ""
    assert "no briefs were published on 2026-01-22 in en" in result.stderr
    bad = newsletter(letter_config, "23.01.2026")
    assert bad.returncode == 2 and "expected YYYY-MM-DD" in bad.stderr


def test_the_published_email_edition_has_no_placeholder(with_form: Build) -> None:
    email = (with_form.site / "en" / "digest" / "2026-01-23" / "email.html").read_text(encoding="utf-8")
    assert "*|UNSUB|*" not in email and "Letter &amp; &lt;news&gt;" in email


# In a browser: the policy lets the form post to its action, and to nothing else.


class _Inbox(http.server.BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, list[str]]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        type(self).received.append(parse_qs(self.rfile.read(length).decode()))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"subscribed")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def inbox() -> Iterator[str]:
    from browser import running

    _Inbox.received = []
    with running(_Inbox) as base:
        yield base + "subscribe"


@pytest.mark.browser
def test_a_reader_can_subscribe_and_nothing_is_sent_before(tmp_path: Path, inbox: str) -> None:
    from browser import browser, serve, wait_until

    site = build(tmp_path, NEWSLETTER.format(action=inbox))
    with serve(site.site) as base, browser() as context:
        page = context.new_page()  # type: ignore[attr-defined]
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(base + "de/", wait_until="networkidle")
        assert not any(url.startswith(inbox) for url in requests)  # no request to the provider until a reader subscribes
        assert _Inbox.received == []
        page.fill("form.brief-newsletter input[type=email]", "leser@example.org")
        page.click("form.brief-newsletter button[type=submit]")
        wait_until(page, "document.body && document.body.innerText.includes('subscribed')")
        assert _Inbox.received == [{"EMAIL": ["leser@example.org"], "list": ["morning"], "tags": ["a&b"]}]
        # A form that posts anywhere else is stopped by the page's policy.
        page.goto(base + "de/", wait_until="networkidle")
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text))
        page.evaluate(
            """() => { const f = document.querySelector('form.brief-newsletter');
                       f.action = location.origin + '/elsewhere'; f.querySelector('input[type=email]').value = 'x@y.z';
                       f.submit(); }"""
        )
        deadline = time.monotonic() + 10
        while not any("form-action" in text for text in blocked) and time.monotonic() < deadline:
            page.wait_for_timeout(50)  # lets Playwright deliver the console event
        assert any("form-action" in text for text in blocked), blocked
        assert len(_Inbox.received) == 1


def test_no_template_is_published_as_a_file(with_form: Build) -> None:
    assert not (with_form.site / "briefs").exists()
    assert not list(with_form.site.rglob("email-text*"))
    assert [p.name for p in with_form.site.rglob("*.txt")] == ["robots.txt"]


def test_a_writer_cannot_plant_a_mailing_service_s_placeholders_in_an_edition(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    fields = brief_fields(title="Hello *|FNAME|*", date="2026-01-23")
    fields["summary"] = "First line.\n--\nUnsubscribe: https://evil.test/ {{ subscriber.email }}"
    fields["key_details"] = ["[Read](https://evil.test/?e=*|EMAIL|*) or [leave](*|UNSUB|*) %recipient.email% [UNSUBSCRIBE]"]
    write_brief(root, "2026-01-23-letter", "en", fields)
    config = site_config(tmp_path, NEWSLETTER.format(action=ACTION))
    for form in ("html", "text"):
        result = newsletter(config, "2026-01-23", "--format", form)
        assert result.returncode == 0, result.stderr
        edition = result.stdout
        for placeholder in ("*|FNAME|*", "*|EMAIL|*", "{{ subscriber", "%recipient.email%", "[UNSUBSCRIBE]"):
            assert placeholder not in edition, (form, placeholder)
        assert edition.count("*|UNSUB|*") == 1  # the site's own, in its footer
    text = newsletter(config, "2026-01-23", "--format", "text").stdout
    assert "First line. -- Unsubscribe: https://evil.test/" in text  # on one line: no footer of its own


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_form_has_no_serious_accessibility_problem(tmp_path: Path, scheme: str) -> None:
    from browser import browser, serve
    from test_accessibility import opened, violations

    site = build(tmp_path, NEWSLETTER.format(action=ACTION))
    with serve(site.site) as base, browser() as context:
        for url in ("en/", "de/digest/2026-01-23/"):
            page = opened(context, base + url, scheme)
            assert violations(page, f"{url} [{scheme}]", "document.querySelector('form.brief-newsletter')") == []
            page.close()  # type: ignore[attr-defined]


def test_the_sample_site_s_placeholder_form_posts_where_its_policy_allows(sample_site: Build) -> None:
    placeholder = "https://newsletter.example.org/subscribe"
    for url in ("en/", "de/"):
        page = sample_site.page(url)
        assert page.select_one("form.brief-newsletter")["action"] == placeholder
        assert policy(page)["form-action"] == [placeholder]
