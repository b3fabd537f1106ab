"""Load the catalogue data file shipped with the package."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ValidationError

from dean06.errors import CatalogError

Scheme = Literal["QD06", "QD422"]
SCHEMES: tuple[Scheme, ...] = ("QD06", "QD422")


class Service(BaseModel):
    service_id: str
    scheme: Scheme
    item: str
    name: str
    agency: str | None = None
    kind: Literal["service", "group", "lien_thong"] = "service"
    aliases: list[str] = []
    components: list[str] = []


class SchemeInfo(BaseModel):
    decision: str
    title: str


class Catalogue(BaseModel):
    schemes: dict[Scheme, SchemeInfo]
    abbreviations: dict[str, str]
    services: list[Service]

    def get(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.service_id == service_id), None)

    def in_scheme(self, scheme: str | None) -> list[Service]:
        return [s for s in self.services if scheme is None or s.scheme == scheme]


@cache
def load_catalogue() -> Catalogue:
    """The catalogue in ``services.json`` beside this module, validated."""
    raw = resources.files("dean06.catalog").joinpath("services.json").read_text("utf-8")
    try:
        catalogue = Catalogue.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        raise CatalogError(f"services.json is invalid: {exc}") from exc
    ids = [s.service_id for s in catalogue.services]
    if len(ids) != len(set(ids)):
        raise CatalogError("services.json lists a service_id twice")
    return catalogue


@cache
def catalogue_wording() -> str:
    """Every name, alias and component of the catalogue, lower-case without diacritics,
    ``|`` between them: to ask whether a phrase is worded as a part of a service name."""
    from dean06.normalize.text import ascii_key

    texts = [t for s in load_catalogue().services for t in (s.name, *s.aliases, *s.components)]
    return " | ".join(" ".join(ascii_key(t).lower().split()) for t in texts)


def plain_key(text: str) -> str:
    """Lower case, no diacritics, words only: to compare a printed line with catalogue
    wording."""
    from dean06.normalize.text import ascii_key

    return " ".join(re.sub(r"[^\w ]", " ", ascii_key(text).lower()).split())


@cache
def _component_keys() -> frozenset[str]:
    return frozenset(plain_key(c) for s in load_catalogue().services for c in s.components)


def is_component_name(text: str) -> bool:
    """``text`` is worded as a component of one of the catalogue's liên thông services
    ("Đăng ký thường trú" of "Liên thông: Đăng ký khai sinh …")."""
    return plain_key(text) in _component_keys()
