"""The site's settings for briefs, shared by the MkDocs plugin and the CLI.

The CLI must work without running MkDocs, so it reads the ``briefs`` plugin
block of ``mkdocs.yml`` itself, with the same ``!ENV`` rules MkDocs applies.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .findings import Finding, relative_path
from .outlets import Outlet, load_outlets

DEFAULT_TOPICS: dict[str, dict[str, str]] = {
    "politics": {"en": "Politics", "de": "Politik"},
    "defense": {"en": "Defense", "de": "Verteidigung"},
    "economy": {"en": "Economy", "de": "Wirtschaft"},
    "migration": {"en": "Migration", "de": "Migration"},
    "energy": {"en": "Energy", "de": "Energie"},
    "climate": {"en": "Climate", "de": "Klima"},
    "society": {"en": "Society", "de": "Gesellschaft"},
    "europe": {"en": "Europe", "de": "Europa"},
}

DEFAULT_MARKDOWN_EXTENSIONS = ["toc", "tables", "fenced_code"]
# The plugin's defaults, shared by its MkDocs config and by the CLI reading mkdocs.yml.
DEFAULT_BRIEFS_DIR = "briefs"
DEFAULT_LANGUAGES = ("en", "de")
DEFAULT_LANGUAGE = "en"
DEFAULT_CACHE_DIR = ".briefs-cache"
DEFAULT_OUTLETS_FILE = "outlets.yml"
DEFAULT_TIMEZONE = "Europe/Berlin"


@dataclass(frozen=True)
class Newsletter:
    """The morning newsletter's subscription form (SPEC §10): where it posts, and what."""

    #: The provider's subscription endpoint; the form posts there and the CSP allows exactly it.
    action: str
    #: The name of the e-mail address field the provider expects.
    email_field: str = "email"
    #: Hidden fields the provider asks for (a list id, a tag), sent as they are.
    extra_fields: tuple[tuple[str, str], ...] = ()
    #: What the provider replaces with each reader's unsubscribe link, in the editions it sends.
    unsubscribe: str = ""


_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:\[\]-]{0,63}$")
# A CSP source cannot hold these, and a form's action needs none of them.
_ACTION = re.compile(r"^https?://[^\s;,'\"<>\\]+$")


def build_now() -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the clock; always aware."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


@dataclass
class Settings:
    """What the core needs to know about the site."""

    briefs_dir: Path = Path(DEFAULT_BRIEFS_DIR)
    languages: list[str] = field(default_factory=lambda: list(DEFAULT_LANGUAGES))
    default_language: str = DEFAULT_LANGUAGE
    require_pairs: bool = False
    preview: bool = False
    topics: dict[str, dict[str, str]] = field(default_factory=lambda: dict(DEFAULT_TOPICS))
    site_url: str = "https://briefs.example.org/"
    site_name: str = "Briefs"
    markdown_extensions: list[Any] = field(default_factory=lambda: list(DEFAULT_MARKDOWN_EXTENSIONS))
    markdown_configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    root: Path = Path(".")
    #: Where checked and rendered briefs are cached between runs; None: no cache.
    cache_dir: Path | None = None
    #: The zone of a date without a time: a brief dated a day goes live at its midnight there.
    timezone: str = DEFAULT_TIMEZONE
    #: The build's *now* (SPEC §10): ``SOURCE_DATE_EPOCH`` when set, else the clock.
    now: dt.datetime = field(default_factory=lambda: build_now())
    #: The outlet registry by key (SPEC §9); None when the site has none.
    outlets: dict[str, Outlet] | None = None
    #: Problems with the registry itself, reported with the briefs'.
    outlet_findings: list[Finding] = field(default_factory=list)
    #: Whether brief pages get a generated social card (``og:image``, SPEC §10).
    social_cards: bool = True
    #: The newsletter's form; None: the site has no form.
    newsletter: Newsletter | None = None
    #: The theme's ``custom_dir``: templates there override the plugin's.
    custom_dir: Path | None = None

    def topic_label(self, key: str, lang: str) -> str:
        return self.topics.get(key, {}).get(lang, key)


def markdown_fingerprint(settings: Settings) -> str:
    """What decides how Markdown renders: the extensions and their options."""
    return repr((settings.markdown_extensions, sorted(settings.markdown_configs.items(), key=lambda kv: kv[0])))


def settings_fingerprint(settings: Settings) -> str:
    """Everything in the settings that a single file's checks and rendering depend on."""
    outlets = sorted(settings.outlets.values(), key=lambda o: o.key) if settings.outlets is not None else None
    return repr((settings.languages, sorted(settings.topics.items()), markdown_fingerprint(settings), outlets))


def as_bool(value: Any) -> bool:
    """Environment values arrive as text: ``BRIEFS_PREVIEW=1`` means true.

    >>> as_bool("1"), as_bool("false"), as_bool(None), as_bool(True)
    (True, False, False, True)
    """
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: resolves ``!ENV``, ignores Python tags it cannot need."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = items[:-1], items[-1]
    for name in names:
        if name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else ""
    return default


def _ignore(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore)
_ConfigLoader.add_multi_constructor("!", _ignore)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``mkdocs.yml`` at or above ``start``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder / "mkdocs.yml"
    return None


def load_settings(config_file: Path | None) -> Settings:
    """Settings from ``mkdocs.yml`` (defaults when there is none)."""
    if config_file is None:
        return Settings()
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    options: dict[str, Any] = {}
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and "briefs" in plugin:
            options = plugin["briefs"] or {}
    root = config_file.parent
    extensions, configs = _markdown(data.get("markdown_extensions") or [])
    theme = data.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    return settings_from_options(
        options,
        root=root,
        site_url=data.get("site_url") or "https://briefs.example.org/",
        site_name=data.get("site_name") or "Briefs",
        markdown_extensions=DEFAULT_MARKDOWN_EXTENSIONS + [e for e in extensions if e not in DEFAULT_MARKDOWN_EXTENSIONS],
        markdown_configs=configs,
        custom_dir=root / custom_dir if isinstance(custom_dir, str) and custom_dir else None,
    )


def cache_off(value: object) -> bool:
    """Whether a ``cache_dir`` value turns the cache off (``false``, ``off``, ``no``, ``0`` or empty).

    >>> [cache_off(v) for v in (False, "false", "", ".briefs-cache")]
    [True, True, True, False]
    """
    return value is False or (isinstance(value, str) and value.strip().lower() in {"", "false", "off", "no", "0"})


class OptionsError(ValueError):
    """The plugin's options break a rule of :func:`option_problems`."""


def option_problems(options: dict[str, Any]) -> list[tuple[str, str]]:
    """What is wrong with the plugin's options, as ``(option, message)``.

    One set of rules for MkDocs (config.py adds them to its own checks of each
    option's type) and for the command line, which reads mkdocs.yml itself.

    >>> option_problems({"languages": ["en", "de"], "default_language": "fr"})
    [('default_language', "'fr' is not one of languages ['en', 'de']")]
    """
    problems: list[tuple[str, str]] = []
    languages = options.get("languages") or list(DEFAULT_LANGUAGES)
    if not isinstance(languages, list) or not all(isinstance(code, str) for code in languages):
        return [("languages", "expected a list of language codes, e.g. [en, de]")]
    default = options.get("default_language") or DEFAULT_LANGUAGE
    if default not in languages:
        problems.append(("default_language", f"'{default}' is not one of languages {languages}"))
    topics = options.get("topics") or DEFAULT_TOPICS
    if not isinstance(topics, dict):
        return [*problems, ("topics", "expected a mapping of topic keys to their labels")]
    for key, labels in topics.items():
        if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
            problems.append(("topics", f"topic '{key}' needs a label per language, e.g. {{en: Economy, de: Wirtschaft}}"))
            continue
        missing = [lang for lang in languages if lang not in labels]
        if missing:
            problems.append(("topics", f"topic '{key}' has no label for {', '.join(missing)}"))
    zone = options.get("timezone")
    if zone is not None:
        try:
            ZoneInfo(str(zone))
        except (ValueError, ZoneInfoNotFoundError):
            problems.append(("timezone", f"unknown time zone {zone!r}, e.g. Europe/Berlin"))
    for name in ("briefs_dir",):
        if options.get(name) is not None and not isinstance(options[name], str):
            problems.append((name, "expected a folder name"))
    return problems + newsletter_problems(options.get("newsletter"))


def newsletter_problems(value: Any) -> list[tuple[str, str]]:
    """What is wrong with the ``newsletter`` option (nothing when it is absent).

    >>> newsletter_problems({"action": "https://mail.example/subscribe", "extra_fields": {"list": 7}})
    []
    >>> newsletter_problems({"action": "javascript:alert(1)"})
    [('newsletter.action', 'expected an http(s) URL without spaces, quotes or ;, found javascript:alert(1)')]
    """
    if value is None or value == {}:
        return []
    if not isinstance(value, dict):
        return [("newsletter", "expected {action: URL, email_field: name, extra_fields: {name: value}, unsubscribe: text}")]
    problems = []
    unknown = sorted(set(value) - {"action", "email_field", "extra_fields", "unsubscribe"})
    if unknown:
        problems.append(("newsletter", f"unknown key {unknown[0]!r}; expected action, email_field, extra_fields, unsubscribe"))
    action = value.get("action")
    if not isinstance(action, str) or not _ACTION.match(action):
        problems.append(("newsletter.action", f"expected an http(s) URL without spaces, quotes or ;, found {action}"))
    email = value.get("email_field", "email")
    if not isinstance(email, str) or not _FIELD_NAME.match(email):
        problems.append(("newsletter.email_field", f"expected a form field name such as email, found {email!r}"))
    extra = value.get("extra_fields") or {}
    if not isinstance(extra, dict) or not all(isinstance(k, str) and _FIELD_NAME.match(k) for k in extra):
        problems.append(("newsletter.extra_fields", "expected a mapping of form field names to values"))
    elif not all(isinstance(v, str | int | float | bool) for v in extra.values()):
        problems.append(("newsletter.extra_fields", "each value must be text or a number"))
    if not isinstance(value.get("unsubscribe", ""), str):
        problems.append(("newsletter.unsubscribe", "expected the provider's unsubscribe placeholder as text"))
    return problems


def newsletter_from(value: Any) -> Newsletter | None:
    """The checked ``newsletter`` option as settings (see :func:`newsletter_problems`)."""
    if not value:
        return None
    extra = value.get("extra_fields") or {}
    return Newsletter(
        action=value["action"],
        email_field=value.get("email_field") or "email",
        extra_fields=tuple((str(k), _field_text(v)) for k, v in extra.items()),
        unsubscribe=value.get("unsubscribe") or "",
    )


def _field_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def settings_from_options(options: dict[str, Any], *, root: Path, **site: Any) -> Settings:
    """Settings from the plugin's options (as MkDocs or mkdocs.yml give them); :class:`OptionsError` if they break a rule."""
    problems = option_problems(options)
    if problems:
        raise OptionsError("; ".join(f"{name}: {message}" for name, message in problems))
    briefs_dir = Path(options.get("briefs_dir") or DEFAULT_BRIEFS_DIR)
    # As in MkDocs, a null value (an empty !ENV variable) means the default.
    cache_dir = options.get("cache_dir")
    cache_dir = DEFAULT_CACHE_DIR if cache_dir is None else cache_dir
    outlets, outlet_findings = _registry(root / str(options.get("outlets_file") or DEFAULT_OUTLETS_FILE), root)
    return Settings(
        timezone=str(options.get("timezone") or DEFAULT_TIMEZONE),
        outlets=outlets,
        outlet_findings=outlet_findings,
        cache_dir=None if cache_off(cache_dir) else root / str(cache_dir),
        briefs_dir=briefs_dir if briefs_dir.is_absolute() else root / briefs_dir,
        languages=list(options.get("languages") or DEFAULT_LANGUAGES),
        default_language=options.get("default_language") or DEFAULT_LANGUAGE,
        require_pairs=as_bool(options.get("require_pairs", False)),
        preview=as_bool(options.get("preview", False)),
        social_cards=as_bool(options.get("social_cards", True)),
        newsletter=newsletter_from(options.get("newsletter")),
        topics=dict(options.get("topics") or DEFAULT_TOPICS),
        root=root,
        **site,
    )


def _registry(path: Path, root: Path) -> tuple[dict[str, Outlet] | None, list[Finding]]:
    """The outlet registry, if the site has one (a missing file means none)."""
    if not path.is_file() or path.is_symlink():
        return None, []
    return load_outlets(path, relative_path(path, root))


def _markdown(entries: list[Any]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    names: list[str] = []
    configs: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if isinstance(entry, str):
            names.append(entry)
        elif isinstance(entry, dict):
            for name, options in entry.items():
                names.append(name)
                configs[name] = options or {}
    return names, configs
