"""Spellings specific to the shared CRM export (Maven Analytics "CRM Sales Opportunities").

The importer :func:`goodwill.io.from_crm_opportunities` is generic: it reads
any opportunity table of that shape. What is written here is what one
dataset (``../shared/data/crm_sales_opportunities``) gets wrong and how it is
read: misspelt sectors and office locations in ``accounts.csv``, each mapped
to the spelling the importer writes. A repair made through one of these
tables names it (``goodwill.io.SECTOR_SPELLING``) in ``CrmImport.repairs``.

Spellings that are not one dataset's (deal stages as CRMs spell them,
``"Closed Won"``) stay with the importer (:data:`goodwill.io.DEAL_STAGES`);
names matched case- and space-insensitively (``GTXPro`` for ``GTX Pro``)
need no table.

Examples
--------
>>> from goodwill.io import SECTOR_SPELLING
>>> SECTOR_SPELLING["technolgy"]
'technology'
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["ACCOUNT_SPELLINGS", "LOCATION_SPELLING", "SECTOR_SPELLING"]

#: Misspellings repaired in ``accounts.sector`` (after trimming and lower-casing).
SECTOR_SPELLING: dict[str, str] = {
    "technolgy": "technology",
    "tecnology": "technology",
    "telecomunications": "telecommunications",
    "entertainmant": "entertainment",
}

#: Misspellings repaired in ``accounts.office_location``.
LOCATION_SPELLING: dict[str, str] = {
    "Philipines": "Philippines",
    "Phillipines": "Philippines",
    "Phillippines": "Philippines",
}

#: The respelt columns of ``accounts``: (column, spellings, their public name,
#: whether the value is lower-cased with inner spaces collapsed before lookup).
ACCOUNT_SPELLINGS: tuple[tuple[str, Mapping[str, str], str, bool], ...] = (
    ("sector", SECTOR_SPELLING, "goodwill.io.SECTOR_SPELLING", True),
    ("office_location", LOCATION_SPELLING, "goodwill.io.LOCATION_SPELLING", False),
)
