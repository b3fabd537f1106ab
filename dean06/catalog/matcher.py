"""Fuzzy matching of printed service names to catalogue entries (rapidfuzz).

Both sides go through the same key: NFC, one tone style, casefold, punctuation dropped,
abbreviations expanded (CMND, CCCD, BHYT...). A diacritics-free key is the fallback for
names typed without accents. Names that start with "liên thông" are matched against the
inter-agency services only, by their components.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz

from dean06.catalog.catalogue import Catalogue, Service, load_catalogue
from dean06.normalize.text import ascii_key, vn_key

MATCH_THRESHOLD = 80.0
_CACHE_SIZE = 20_000  # printed names scored; a batch repeats the same few hundred
# on the ascii key: OCR and typists lose the accents of "liên thông" ("liên thống")
_LIEN_THONG = re.compile(
    r"^(?:\S{1,3} )?(?:thu tuc |nhom thu tuc )?lien thong (?:nhom |cac )?(?:thu tuc )?"
)  # after an item number or a speck OCR left before the name ("16", "g:")


@dataclass(frozen=True)
class Match:
    service_id: str
    score: float
    name: str


class Matcher:
    """Scores a printed name against every catalogue entry of a scheme."""

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        self.catalogue = catalogue or load_catalogue()
        self._abbrev = [
            (re.compile(rf"(?<!\w){re.escape(vn_key(short))}(?!\w)"), vn_key(long))
            for short, long in sorted(
                self.catalogue.abbreviations.items(), key=lambda kv: -len(kv[0])
            )
        ]
        self._scored: dict[tuple[str, str | None], list[Match]] = {}

    def key(self, text: str) -> str:
        key = vn_key(text)
        for pattern, long in self._abbrev:
            key = pattern.sub(long, key)
        return key

    @cached_property
    def _forms(self) -> dict[str, list[str]]:
        return {
            s.service_id: [self.key(form) for form in (s.name, *s.aliases)]
            for s in self.catalogue.services
        }

    @cached_property
    def _ascii_forms(self) -> dict[str, list[str]]:
        return {sid: [ascii_key(form) for form in forms] for sid, forms in self._forms.items()}

    def candidates(self, text: str, scheme: str | None = None, limit: int = 5) -> list[Match]:
        """Best catalogue entries for ``text``, highest score first. Scores are kept:
        the same printed names come back row after row and report after report."""
        scored = self._scored.get((text, scheme))
        if scored is None:
            scored = self._score_all(text, scheme)
            if len(self._scored) >= _CACHE_SIZE:
                self._scored.clear()
            self._scored[(text, scheme)] = scored
        return scored[:limit]

    def _score_all(self, text: str, scheme: str | None) -> list[Match]:
        query = self.key(text)
        if len(query) < 4:
            return []
        services = self.catalogue.in_scheme(scheme)
        ascii_query = ascii_key(query)
        # the ascii key keeps the query's length, so the match's end applies to both
        lien_thong = _LIEN_THONG.match(ascii_query) if len(ascii_query) == len(query) else None
        if lien_thong:
            services = [s for s in services if s.kind == "lien_thong"] or services
        scored = [
            Match(s.service_id, round(self._score(query, ascii_query, s, lien_thong), 1), s.name)
            for s in services
        ]
        scored.sort(key=lambda m: -m.score)
        return scored

    def best(self, text: str, scheme: str | None = None) -> Match | None:
        """The best entry when it clears the threshold, else None."""
        found = self.candidates(text, scheme, limit=1)
        return found[0] if found and found[0].score >= MATCH_THRESHOLD else None

    def name_score(self, text: str, scheme: str | None = None) -> float:
        """How well ``text`` reads as some catalogue service (0–100), of ``scheme`` when
        one is given."""
        found = self.candidates(text, scheme, limit=1)
        return found[0].score if found else 0.0

    def best_whole_name(self, text: str, threshold: float = 90.0) -> Match | None:
        """The entry whose whole name (or alias) reads like ``text``; for free prose,
        where a phrase that merely contains a service name must not match it."""
        query = self.key(text)
        scored = (
            Match(
                s.service_id,
                round(max(fuzz.ratio(query, f) for f in self._forms[s.service_id]), 1),
                s.name,
            )
            for s in self.catalogue.services
        )
        best = max(scored, key=lambda m: m.score)
        return best if best.score >= threshold else None

    def component_of(self, text: str, parent_id: str) -> float:
        """How well ``text`` names one component of an inter-agency service."""
        parent = self.catalogue.get(parent_id)
        if parent is None or not parent.components:
            return 0.0
        query = self.key(text)
        return max(fuzz.ratio(query, self.key(c)) for c in parent.components)

    def _score(
        self, query: str, ascii_query: str, service: Service, lien_thong: re.Match[str] | None
    ) -> float:
        ascii_forms = self._ascii_forms[service.service_id]
        # typed without diacritics: compare on ascii keys
        forms = ascii_forms if query == ascii_query else self._forms[service.service_id]
        score = max(_pair_score(query, form) for form in forms)
        if lien_thong:
            rest = query[lien_thong.end() :]
            if len(rest) >= 8:
                partial = max(fuzz.partial_ratio(rest, form) for form in forms)
                score = max(score, partial)
        if score < MATCH_THRESHOLD:  # accents garbled or dropped in print
            score = max(score, *(0.97 * _pair_score(ascii_query, f) for f in ascii_forms))
        return score


def _pair_score(query: str, form: str) -> float:
    """Whole-name similarity, with a slightly discounted token-set score so that an
    extra suffix ("(Thí điểm ...)") or a shortened name still matches, while an exact
    name always beats a longer name that merely contains it."""
    ratio = fuzz.ratio(query, form)
    query_words, form_words = len(query.split()), len(form.split())
    if min(query_words, form_words) < 3:
        return ratio
    if form_words > query_words and query_words < 0.5 * form_words:
        return ratio  # a few common words must not stand for a long official name
    return max(ratio, 0.95 * fuzz.token_set_ratio(query, form))
