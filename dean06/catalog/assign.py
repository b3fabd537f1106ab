"""Give each service row its catalogue id, and each table its scheme.

The scheme of a table comes from its caption when it has one, checked against the
schemes its names match best (a vote); names are then matched inside that scheme.
Rows under an inter-agency ("liên thông") service are its components and sub-rows
("- …" under "…, cụ thể:") are parts of their parent: both carry the parent's id.
"""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from dean06.catalog.matcher import MATCH_THRESHOLD, Match, Matcher
from dean06.schemas import Finding, RowKind, ServiceRow, Severity

_NAME_TIE = 2.0  # points: two names that read as well as each other
_TIED_POINTS = 0.5  # points: a printed name that matches two catalogue names alike
_NOT_A_COMPONENT = 60.0  # a name further than this from every component of its parent
_PLAINLY = 90.0  # a match this close names the service beyond doubt


def assign_services(rows: list[ServiceRow], matcher: Matcher) -> list[Finding]:
    """Set ``scheme``, ``service_id`` and ``match_score`` on every row in place."""
    findings: list[Finding] = []
    for _, group in groupby(rows, key=lambda r: r.table_index):
        table_rows = list(group)
        findings.extend(_assign_table(table_rows, matcher))
    return findings


def _assign_table(rows: list[ServiceRow], matcher: Matcher) -> list[Finding]:
    findings: list[Finding] = []
    scheme = _table_scheme(rows, matcher, findings)
    by_position = {id(row): index for index, row in enumerate(rows)}
    children: dict[int, list[ServiceRow]] = {}  # rows under each row (components, sub-rows)
    for row in rows:
        if row.parent_index is not None:
            children.setdefault(row.parent_index, []).append(row)
    seen: dict[str, ServiceRow] = {}
    unmatched: list[ServiceRow] = []  # rows no catalogue name matches: warned of at the end
    lien_thong: ServiceRow | None = None  # the liên thông service whose components may follow
    for row in rows:
        row.scheme = scheme
        if lien_thong is not None and _lost_its_parent(row, lien_thong, matcher):
            row.parent_index = by_position[id(lien_thong)]  # under it, not the row it followed
        parent = rows[row.parent_index] if row.parent_index is not None else None
        if parent is not None:
            row.parent_item = parent.item_in_doc
        if parent is not None and parent.service_id:
            if _names_another_service(row, parent.service_id, scheme, matcher):
                row.parent_index = row.parent_item = None  # a service whose number was lost
            elif row.row_kind is RowKind.SUBROW and not _names_a_component(row, parent, matcher):
                row.service_id, row.match_score = parent.service_id, parent.match_score
                continue
            elif _is_lien_thong(parent, matcher):
                row.service_id = parent.service_id
                row.row_kind = RowKind.COMPONENT
                row.match_score = round(matcher.component_of(row.name_in_doc, parent.service_id), 1)
                continue
        row.row_kind = RowKind.SERVICE
        lien_thong = None
        match = matcher.best(row.name_in_doc, scheme)
        if match is not None:
            match = _tie_broken(match, row, scheme, seen, matcher)
        components = children.get(by_position[id(row)], [])
        if match is not None and components:
            match = _by_components(match, row, components, scheme, matcher)
        if match is None and scheme is not None:
            match = matcher.best(row.name_in_doc, None)
            if match is not None:
                row.scheme = match.service_id.split("-")[0]
                findings.append(
                    _finding(
                        row,
                        Severity.WARNING,
                        "service_other_scheme",
                        f"'{row.name_in_doc}' is listed under {scheme} "
                        f"but matches {match.service_id}",
                    )
                )
        if match is None:
            unmatched.append(row)
            continue
        row.service_id, row.match_score = match.service_id, match.score
        lien_thong = row if _is_lien_thong(row, matcher) else None
        if _is_catalogue_group(match.service_id, matcher):
            row.row_kind = RowKind.GROUP
        if match.score < 90:
            findings.append(
                _finding(
                    row,
                    Severity.INFO,
                    "fuzzy_match",
                    f"'{row.name_in_doc}' matched {match.service_id} at {match.score:.0f}",
                )
            )
        if match.service_id in seen and row.parent_index is None:
            first = seen[match.service_id]
            findings.append(
                _finding(
                    row,
                    Severity.WARNING,
                    "duplicate_service",
                    f"{match.service_id} appears twice in one table "
                    f"(rows {by_position[id(first)] + 1} and {by_position[id(row)] + 1})",
                )
            )
        seen.setdefault(match.service_id, row)
    if scheme is not None and (named := _named_by_elimination(rows, unmatched, scheme, matcher)):
        findings.append(named)
    findings.extend(_unmatched(row, scheme, matcher) for row in unmatched if not row.service_id)
    return findings


def _tie_broken(
    match: Match, row: ServiceRow, scheme: str | None, seen: dict[str, ServiceRow], matcher: Matcher
) -> Match:
    """Of catalogue names a printed one matches alike (OCR cut "… đất đai đối với doanh
    nghiệp" to "… đối với doai", which reads as QĐ 422 items 13.1 and 18 alike), the one
    whose catalogue number the row prints, else one the table has not matched yet."""
    tied = [
        candidate
        for candidate in matcher.candidates(row.name_in_doc, scheme)
        if candidate.score >= match.score - _TIED_POINTS
    ]
    if len(tied) < 2:
        return match
    item = (row.item_in_doc or "").rstrip(".")
    numbered = [c for c in tied if c.service_id.split("-", 1)[1] == item]
    fresh = [c for c in tied if c.service_id not in seen]
    return (numbered or fresh or [match])[0]


def _unmatched(row: ServiceRow, scheme: str | None, matcher: Matcher) -> Finding:
    """The warning of a row whose name matches no catalogue service, its best guess told."""
    best = matcher.candidates(row.name_in_doc, scheme, limit=1)
    row.match_score = best[0].score if best else None
    return _finding(
        row,
        Severity.WARNING,
        "unmatched_service",
        f"no catalogue service matches '{row.name_in_doc}'"
        + (f" (best {best[0].service_id} at {best[0].score:.0f})" if best else ""),
    )


def _named_by_elimination(
    rows: list[ServiceRow], unmatched: list[ServiceRow], scheme: str, matcher: Matcher
) -> Finding | None:
    """A numbered row whose name OCR could not read (a stamp over it), in a table that
    holds every other service of its scheme once: the one service left, named, and the
    warning that says so (in place of an unmatched one). Not when its name reads as
    another."""
    heads = (RowKind.SERVICE, RowKind.GROUP)  # components and sub-rows repeat their id
    named = [r.service_id for r in rows if r.service_id and r.row_kind in heads]
    left = {s.service_id for s in matcher.catalogue.in_scheme(scheme)} - set(named)
    if len(unmatched) != 1 or len(left) != 1 or len(named) != len(set(named)):
        return None
    (row,), (service_id,) = unmatched, left
    best = matcher.candidates(row.name_in_doc, scheme, limit=1) if row.name_in_doc else []
    if not row.item_in_doc or (best and best[0].service_id != service_id):
        return None
    row.service_id, row.match_score = service_id, best[0].score if best else None
    message = (
        f"item {row.item_in_doc} reads as no service ('{row.name_in_doc}'); the table holds "
        f"every other service of {scheme} once, and {service_id} is the one left"
    )
    return _finding(row, Severity.WARNING, "service_by_elimination", message)


def _by_components(
    match: Match,
    row: ServiceRow,
    components: list[ServiceRow],
    scheme: str | None,
    matcher: Matcher,
) -> Match:
    """A liên thông row whose name reads as well as two services' ("Thủ tục liên thông:
    Đăng ký khai" cut before "tử"): the one whose catalogue components its component
    rows name ("Xóa đăng ký thường trú", "Trợ cấp mai táng phí": khai tử's)."""
    close = [
        m
        for m in matcher.candidates(row.name_in_doc, scheme)
        if m.score >= match.score - _NAME_TIE and matcher.catalogue.get(m.service_id).components
    ]
    if len(close) < 2:
        return match

    def named(candidate: Match) -> float:
        return sum(matcher.component_of(c.name_in_doc, candidate.service_id) for c in components)

    best = max(close, key=named)
    return best if named(best) > named(match) else match


def _table_scheme(rows: list[ServiceRow], matcher: Matcher, findings: list[Finding]) -> str | None:
    votes: Counter[str] = Counter()
    for row in rows:
        if row.parent_index is not None:
            continue
        found = matcher.candidates(row.name_in_doc, None, limit=1)
        if found and found[0].score >= MATCH_THRESHOLD:
            votes[found[0].service_id.split("-")[0]] += 1
    caption_scheme = rows[0].scheme if rows else None
    if not votes:
        return caption_scheme
    voted, count = votes.most_common(1)[0]
    if caption_scheme and caption_scheme != voted and count > 2 * votes[caption_scheme]:
        findings.append(
            _finding(
                rows[0],
                Severity.WARNING,
                "scheme_mismatch",
                f"table titled {caption_scheme} lists {voted} services "
                f"({count} of {sum(votes.values())})",
            )
        )
        return voted
    return caption_scheme or voted


def _is_catalogue_group(service_id: str, matcher: Matcher) -> bool:
    """A catalogue group (QĐ 422 items 13 and 14): its sub-items carry the counts."""
    service = matcher.catalogue.get(service_id)
    return service is not None and service.kind == "group"


def _names_another_service(
    row: ServiceRow, parent_id: str, scheme: str | None, matcher: Matcher
) -> bool:
    """An unnumbered row under a service that names none of its components but plainly
    another service ("Cấp đổi, cấp lại giấy phép lái xe" under "Liên thông: Đăng ký khai
    sinh", "Đăng ký tạm trú" under "Đăng ký thường trú, cụ thể:"): a service of its own
    whose item number was lost (OCR, a cut cell)."""
    if matcher.component_of(row.name_in_doc, parent_id) >= _NOT_A_COMPONENT:
        return False
    match = matcher.best(row.name_in_doc, scheme)
    return match is not None and match.score >= _PLAINLY and match.service_id != parent_id


def _lost_its_parent(row: ServiceRow, lien_thong: ServiceRow, matcher: Matcher) -> bool:
    """An unnumbered row right under a liên thông service (or its components) that names
    one of its components plainly: a component whose parent lost its item number to OCR
    ("g: Thủ tục liên thông: …"), not the service its name contains ("Xóa đăng ký thường
    trú" is no "Đăng ký thường trú")."""
    return not row.item_in_doc and _names_a_component(row, lien_thong, matcher, _PLAINLY)


def _names_a_component(
    row: ServiceRow, parent: ServiceRow, matcher: Matcher, at_least: float = _NOT_A_COMPONENT
) -> bool:
    """A row under a liên thông service naming one of its components: a component, even
    printed (or read: a speck before it) as a "- …" sub-row."""
    return _is_lien_thong(parent, matcher) and (
        matcher.component_of(row.name_in_doc, parent.service_id or "") >= at_least
    )


def _is_lien_thong(parent: ServiceRow, matcher: Matcher) -> bool:
    service = matcher.catalogue.get(parent.service_id or "")
    return service is not None and service.kind == "lien_thong"


def _finding(row: ServiceRow, severity: Severity, code: str, message: str) -> Finding:
    return Finding(
        severity=severity, code=code, message=message, page=row.page, context=row.source_text[:300]
    )
