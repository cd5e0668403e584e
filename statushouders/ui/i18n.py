"""The staff UI's words as Babel messages: Dutch is the source language, other catalogs translate it.

The catalog and its translation live in ``catalogs`` (``STAFF``, ``staff_text``), so the domain
modules translate their messages the same way; pages import ``_`` from here.
"""

from __future__ import annotations

from ..catalogs import staff_text

_ = staff_text
