"""Generated pages rendered into frames: the theme runs once per kind of page.

Material wraps every page in a large amount of HTML (header, tabs, menus,
footer, scripts), and for a page outside the menu all of it is the same for
every page of one template, language, folder depth and section (see
``writing.groups``). A frame is that shared HTML, rendered once with the real
templates and the real context of a page of the group, with the page's own
parts cut out as slots. Each page then renders
only its slots (its head, title, header topic, language switch, table of
contents and contents) and is joined into the frame.

A frame is trusted only when two different pages of its group (its first and
its last) give the same frame; otherwise (a site whose templates show a page's data somewhere else)
the group's pages are rendered in full. Either way the HTML is the same as a
full render, which the tests check page by page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment, Template
from jinja2.runtime import Context

from ..site.csp import DEFAULT_POLICY, ContentPolicy, inline_script_hashes
from .internals import block_chains, render_block, render_root, set_block_chains

#: Blocks of main.html and the brief templates that depend on the page.
SLOT_BLOCKS = ("briefs_head", "htmltitle", "extrahead", "content")
#: Partials that depend on the page, wherever the theme includes them.
SLOT_INCLUDES = ("briefs/partials/header-topic.html", "briefs/partials/language-switch.html", "partials/toc.html")
#: Groups smaller than this are rendered in full: a frame costs two renders.
MIN_GROUP = 3

_MARK = "\x00briefs-slot-{}\x00"
_SPLIT = re.compile("\x00briefs-slot-(\\d+)\x00")


def _emit(text: str) -> Callable[[Context], Iterator[str]]:
    def block(context: Context) -> Iterator[str]:
        yield text

    return block


@dataclass
class Frame:
    """A group's shared HTML: ``parts[0] slot parts[1] slot … parts[n]``."""

    template: Template
    parts: list[str]
    slots: list[int]
    #: Block chains of the template (slot blocks call ``super()`` through them).
    blocks: dict[str, list[Callable[[Context], Iterator[str]]]]
    #: The frame's variables after rendering (``lang``, ``features`` …), under each page's own.
    variables: dict[str, Any]


class FrameRenderer:
    """Renders pages of one template, language and depth from a shared frame."""

    def __init__(self, env: Environment, policy: ContentPolicy = DEFAULT_POLICY) -> None:
        self.env = env
        self.policy = policy
        marks = {name: _MARK.format(len(SLOT_BLOCKS) + i) for i, name in enumerate(SLOT_INCLUDES)}
        assert env.loader is not None  # MkDocs' theme environment always has one
        # The frame's own environment: the same templates, with the slot partials as marks.
        self.overlay = env.overlay(loader=ChoiceLoader([DictLoader(marks), env.loader]), cache_size=400)
        #: Pages filled into a frame, and pages rendered in full.
        self.filled = 0
        self.full = 0

    def frame(self, template_name: str, context: Mapping[str, Any]) -> tuple[str, Frame]:
        """The frame text (with policy) and the frame rendered for ``context``."""
        template = self.overlay.get_template(template_name)
        ctx = template.new_context(dict(context))
        chains = block_chains(ctx)
        for i, name in enumerate(SLOT_BLOCKS):
            chains.setdefault(name, []).insert(0, _emit(_MARK.format(i)))
        text = self.policy.add(render_root(self.overlay, template, ctx))
        pieces = _SPLIT.split(text)
        blocks = {name: chain[1:] if name in SLOT_BLOCKS else chain for name, chain in chains.items()}
        frame = Frame(template, pieces[0::2], [int(i) for i in pieces[1::2]], blocks, ctx.get_all())
        return text, frame

    def fill(self, frame: Frame, context: Mapping[str, Any]) -> str | None:
        """The page for ``context``; None when a slot holds what the frame cannot take."""
        variables = {**frame.variables, **context}
        filled: list[str] = []
        for slot in frame.slots:
            html = self._slot(frame, slot, variables)
            # An inline script would change the page's policy; a mark means a slot inside a slot.
            if "\x00" in html or ("<script" in html and inline_script_hashes(html)):
                return None
            filled.append(html)
        self.filled += 1
        out = [frame.parts[0]]
        for html, part in zip(filled, frame.parts[1:], strict=True):
            out += [html, part]
        return "".join(out)

    def _slot(self, frame: Frame, slot: int, variables: dict[str, Any]) -> str:
        if slot < len(SLOT_BLOCKS):
            ctx = frame.template.new_context(variables, shared=True)
            chains = {name: list(chain) for name, chain in frame.blocks.items()}
            set_block_chains(ctx, chains)
            return render_block(self.overlay, chains[SLOT_BLOCKS[slot]][0], ctx)
        template = self.env.get_template(SLOT_INCLUDES[slot - len(SLOT_BLOCKS)])
        return render_root(self.env, template, template.new_context(variables, shared=True))

    def render_full(self, template_name: str, context: Mapping[str, Any]) -> str:
        """A page rendered the ordinary way, as MkDocs would, with its policy."""
        self.full += 1
        return self.policy.add(self.env.get_template(template_name).render(context))


def render_group(
    renderer: FrameRenderer, template_name: str, contexts: Sequence[Callable[[], Mapping[str, Any]]]
) -> Iterator[str]:
    """Each page of a group (same template, language, depth and section), in order.

    ``contexts`` make each page's template context when called, so that only
    one page's context is alive at a time.
    """
    if len(contexts) < MIN_GROUP:
        for make in contexts:
            yield renderer.render_full(template_name, make())
        return
    first, last = contexts[0](), contexts[-1]()
    text, frame = renderer.frame(template_name, first)
    other, _ = renderer.frame(template_name, last)
    trusted = text == other
    for i, make in enumerate(contexts):
        context = first if i == 0 else last if i == len(contexts) - 1 else make()
        html = renderer.fill(frame, context) if trusted else None
        yield html if html is not None else renderer.render_full(template_name, context)
