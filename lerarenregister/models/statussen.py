"""The status values the register stores (DOMAIN.md), one enum each: the models, the resolvers and the
schema (schema/enums.py publishes these same classes) name them from here. A StrEnum compares equal
to the text stored in the column, so a loaded row's plain string and a member are interchangeable."""

from __future__ import annotations

import enum


class Registratiestatus(enum.StrEnum):
    KLAARGEZET = "KLAARGEZET"  # delivered by DUO, not yet confirmed by the teacher
    GEREGISTREERD = "GEREGISTREERD"  # confirmed: in the public register


class AantekeningStatus(enum.StrEnum):
    STAAT = "STAAT"
    OPGEHEVEN = "OPGEHEVEN"  # the criteria were met again (FAQ 16)
    INGETROKKEN = "INGETROKKEN"  # withdrawn on a well-founded objection


class BezwaarStatus(enum.StrEnum):
    INGEDIEND = "INGEDIEND"
    GEGROND = "GEGROND"
    ONGEGROND = "ONGEGROND"
