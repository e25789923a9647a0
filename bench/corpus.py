"""A synthetic newsroom archive: N realistic brief pairs, reproducible from a seed."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import yaml

TOPICS = ["politics", "defense", "economy", "migration", "energy", "climate", "society", "europe"]
OUTLETS = [
    "tagesschau.de",
    "spiegel.de",
    "zeit.de",
    "faz.net",
    "sueddeutsche.de",
    "br.de",
    "taz.de",
    "welt.de",
    "handelsblatt.com",
]
EN = [
    "government",
    "coalition",
    "minister",
    "parliament",
    "budget",
    "energy",
    "prices",
    "border",
    "agreement",
    "industry",
    "workers",
    "union",
    "election",
    "chancellor",
    "state",
    "court",
    "ruling",
    "climate",
    "target",
    "emissions",
    "heating",
    "pension",
    "tax",
    "reform",
    "defense",
    "spending",
    "army",
    "drones",
    "report",
    "outlet",
    "figures",
    "percent",
    "billion",
    "euros",
    "talks",
    "summit",
    "europe",
    "partners",
    "negotiation",
    "vote",
    "majority",
    "opposition",
    "policy",
    "plan",
    "law",
    "proposal",
    "critics",
    "support",
    "region",
    "city",
    "transport",
    "railway",
    "ticket",
    "hospital",
    "schools",
    "digital",
    "network",
]
DE = [
    "Regierung",
    "Koalition",
    "Ministerin",
    "Bundestag",
    "Haushalt",
    "Energiepreise",
    "Grenzschutz",
    "Abkommen",
    "Industrie",
    "Beschäftigte",
    "Gewerkschaft",
    "Wahl",
    "Bundeskanzler",
    "Länder",
    "Gericht",
    "Urteil",
    "Klimaziel",
    "Emissionen",
    "Heizung",
    "Rente",
    "Steuerreform",
    "Verteidigungsausgaben",
    "Bundeswehr",
    "Drohnen",
    "Bericht",
    "Zahlen",
    "Prozent",
    "Milliarden",
    "Gespräche",
    "Gipfel",
    "Europa",
    "Partner",
    "Verhandlung",
    "Abstimmung",
    "Mehrheit",
    "Opposition",
    "Politik",
    "Gesetz",
    "Vorschlag",
    "Kritiker",
    "Unterstützung",
    "Region",
    "Stadt",
    "Verkehr",
    "Bahn",
    "Fahrkarte",
    "Krankenhaus",
    "Schulen",
    "Digitalisierung",
    "übernehmen",
    "Außengrenzen",
    "Grenzschutzkonzept",
    "Wärmepumpe",
]


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(n))
    return text[0].upper() + text[1:] + "."


def _paragraphs(rng: random.Random, words: list[str], total: int) -> str:
    out, count = [], 0
    while count < total:
        size = rng.randint(40, 80)
        sentences = [_sentence(rng, words, rng.randint(8, 16)) for _ in range(size // 12)]
        out.append(" ".join(sentences))
        count += size
        if rng.random() < 0.2:
            out.append(f"## {_sentence(rng, words, 3)[:-1]}")
    return "\n\n".join(out)


def _brief(
    rng: random.Random, lang: str, date: dt.date, topics: list[str], sources: list[dict], index: int, count: int, image: bool
) -> str:
    words = EN if lang == "en" else DE
    comparisons = []
    for _ in range(count):
        a, b = rng.sample(sources, 2)
        comparisons.append(
            {
                "topic": _sentence(rng, words, 4)[:-1],
                "summary": _sentence(rng, words, 10),
                "claims": [
                    {"source": a["name"], "quote": _sentence(rng, words, 9)},
                    {"source": b["name"], "quote": _sentence(rng, words, 9)},
                ],
                "why": _sentence(rng, words, 18),
            }
        )
    # The oldest brief alone names a mountain: a search for it must read every year.
    rare = f" {RARE_WORD}" if index == 0 else ""
    fields = {
        "title": f"{_sentence(rng, words, 7)[:-1]} {index}{rare}",
        "summary": _sentence(rng, words, 25),
        "date": date.isoformat(),
        "topics": topics,
        "key_details": [_sentence(rng, words, 10) for _ in range(5)],
        "sources": sources,
        "comparisons": comparisons,
    }
    if image:
        fields["image"] = {
            "src": LEAD_IMAGE,
            "alt": _sentence(rng, words, 8)[:-1],
            "caption": _sentence(rng, words, 12),
            "credit": "Photo: Briefs desk, CC0",
        }
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False).replace(f"date: '{date}'", f"date: {date}")
    return f"---\n{front}---\n\n{_paragraphs(rng, words, rng.randint(500, 700))}\n"


BRIEFS_PER_DAY = 5
#: A lead image on every fifth pair, of the size news agencies deliver for the web.
IMAGE_EVERY, IMAGE_SIZE, LEAD_IMAGE = 5, (1600, 900), "lead.jpg"
#: A word in one brief only, the oldest.
RARE_WORD = "Zugspitze"


def generate(root: Path, pairs: int, seed: int = 7) -> Path:
    """Write ``pairs`` brief folders (en + de) under ``root``; returns ``root``."""
    rng = random.Random(seed)
    start = dt.date(2020, 1, 1)
    for i in range(pairs):
        # Five briefs a day, as a small newsroom publishes: days (and digests) grow with the archive.
        date = start + dt.timedelta(days=i // BRIEFS_PER_DAY)
        topics = rng.sample(TOPICS, rng.randint(1, 3))
        sources = [
            {"name": name, "url": f"https://www.{name}/artikel/{i}-{k}.html", "title": f"Artikel {i}"}
            for k, name in enumerate(rng.sample(OUTLETS, rng.randint(2, 4)))
        ]
        folder = root / f"{date:%Y}" / f"{date.isoformat()}-brief-{i}"
        folder.mkdir(parents=True, exist_ok=True)
        count = rng.randint(1, 2)  # both languages compare the same points, as a real pair does
        image = i % IMAGE_EVERY == 0
        if image:
            _photo(folder / LEAD_IMAGE, i)
        for lang in ("en", "de"):
            (folder / f"{lang}.md").write_text(_brief(rng, lang, date, topics, sources, i, count, image), encoding="utf-8")
    return root


def _photo(path: Path, index: int) -> None:
    """A JPEG unlike every other (content-addressed caches share nothing), with a camera's EXIF as phones write it."""
    from PIL import Image, ImageDraw

    rng = random.Random(index)
    width, height = IMAGE_SIZE
    # A gradient under a few shapes and fine noise: compresses like a photo, not like a flat colour.
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    tint = Image.new("RGB", (width, height), tuple(rng.randrange(256) for _ in range(3)))
    picture = Image.blend(base, tint, 0.5)
    draw = ImageDraw.Draw(picture)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(40, 260)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    picture = Image.blend(picture, noise, 0.15)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Camera maker", "Model 1"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, float(index % 60)), 3: "E", 4: (13.0, 24.0, 36.0)}
    picture.save(path, "JPEG", quality=82, exif=exif.tobytes())


def write_plain_docs(briefs: Path, docs: Path, *, english_only: bool = False) -> int:
    """The same briefs as ordinary Markdown pages, for the peers' builds."""
    count = 0
    for path in sorted(briefs.rglob("*.md")):
        if english_only and path.stem != "en":
            continue
        fields, body = read_brief(path)
        lines = [f"# {fields['title']}", *plain_markdown(fields, body)]
        target = docs / path.stem / path.parent.name / "index.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        if "image" in fields:
            # The plain theme publishes the same photo, as it is: copied, not resized.
            (target.parent / LEAD_IMAGE).write_bytes((path.parent / LEAD_IMAGE).read_bytes())
            lines[1:1] = ["", f"![{fields['image']['alt']}]({LEAD_IMAGE})"]
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        count += 1
    return count


def read_brief(path: Path) -> tuple[dict, str]:
    """A generated brief's fields and body."""
    _, front, body = path.read_text(encoding="utf-8").split("---", 2)
    return yaml.safe_load(front), body


def plain_markdown(fields: dict, body: str) -> list[str]:
    """A brief's text as ordinary Markdown below its title: what every peer converts."""
    lines = ["", fields["summary"], "", "## Key details", ""]
    lines += [f"- {d}" for d in fields["key_details"]]
    lines += ["", body.strip(), "", "## Source comparison", ""]
    for c in fields["comparisons"]:
        lines += [f"### {c['topic']}", "", c["summary"], ""]
        lines += [f"> {claim['quote']}\n>\n> — {claim['source']}\n" for claim in c["claims"]]
        lines += ["", f"**Why this matters:** {c['why']}", ""]
    lines += ["## Sources", ""] + [f"- [{s['name']}]({s['url']})" for s in fields["sources"]]
    return lines
