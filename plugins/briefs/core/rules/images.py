"""Rules of the lead image (SPEC §11): its fields and its file's name."""

from __future__ import annotations

import re
from typing import Any

from ..loading import FieldPath, field_path
from ..model import LeadImage
from ..schema import IMAGE_FIELDS, IMAGE_NAME, Field
from .checker import Checker


class ImageRules(Checker):
    """The lead image's fields and file name; the file itself is judged with the folder's files."""

    def kind_image(self, value: Any, path: FieldPath, spec: Field) -> LeadImage | None:
        data = self.mapping(value, IMAGE_FIELDS, path, "an image")
        if not data or any(data.get(name) is None for name in ("src", "alt", "credit")):
            return None
        return LeadImage(data["src"], data["alt"], data["credit"], data.get("caption"))

    def kind_image_src(self, value: Any, path: FieldPath, spec: Field) -> str | None:
        """A file name of the brief's folder: whether the file is there and an image is seen when loading."""
        if not self._type(value, path, "text", isinstance(value, str)):
            return None
        where = f"`{field_path(path)}`"
        if "://" in value or value.startswith(("//", "data:")):
            hint = "put the image in the brief's folder and name its file"
            self.fail("BR119", f"{where}: `{value[:80]}` is an address; a lead image is a file beside the brief", path, hint)
            return None
        if "/" in value or "\\" in value or value in {".", ".."}:
            self.fail("BR119", f"{where}: `{value[:80]}` leaves the brief's folder; name a file beside the brief", path)
            return None
        if not re.match(IMAGE_NAME, value):
            allowed = "png, jpg, jpeg, gif, webp, avif, svg"
            self.fail("BR119", f"{where}: `{value[:80]}` is not the name of an image file ({allowed})", path)
            return None
        return value
