"""The canonical service catalogue (QĐ 06 Appendix I, QĐ 422) and the name matcher."""

from dean06.catalog.catalogue import Catalogue, Service, load_catalogue
from dean06.catalog.matcher import Match, Matcher

__all__ = ["Catalogue", "Match", "Matcher", "Service", "load_catalogue"]
