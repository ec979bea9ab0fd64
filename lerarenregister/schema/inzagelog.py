"""The teacher's access log as the schema shows it (API.md, "Production", Access log)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from ..auth.policy import Doelgroep, Onderwerp
from ..resolvers import paginering
from ..resolvers.paginering import Pagina
from .relay import PageInfo, page_info
from .zichtbaarheid import structureel, zichtbaar

Z = Doelgroep.LERAAR_ZELF


@strawberry.type(description="One request that gave this teacher's data to someone else.")
class Inzagelogregel:
    onderwerp: strawberry.Private[Onderwerp]
    tijdstip: dt.datetime = zichtbaar(Z)
    doelgroep: Doelgroep = zichtbaar(Z, description="The audience that let the data through.")
    door: str = zichtbaar(Z, description="A board's name and number, 'DUO' or 'Beroepsgroep'.")
    velden: list[str] = zichtbaar(Z, description="The fields given (Type.veld), never their values.")
    operatie: str | None = zichtbaar(Z, description="The operation's name, when the client gave one.")

    @staticmethod
    def van(rij: Any, bestuursnaam: str | None, onderwerp: Onderwerp) -> Inzagelogregel:
        door = f"{bestuursnaam} ({rij.door})" if bestuursnaam else rij.door
        # SQLite keeps no offset; every moment is written in UTC.
        tijdstip = rij.tijdstip if rij.tijdstip.tzinfo else rij.tijdstip.replace(tzinfo=dt.UTC)
        return Inzagelogregel(
            onderwerp=onderwerp,
            tijdstip=tijdstip,
            doelgroep=Doelgroep(rij.doelgroep),
            door=door,
            velden=list(rij.velden),
            operatie=rij.operatie,
        )


@structureel
@strawberry.type
class InzagelogEdge:
    node: Inzagelogregel
    cursor: str


@structureel
@strawberry.type
class InzagelogConnection:
    edges: list[InzagelogEdge]
    page_info: PageInfo
    total_count: int

    @staticmethod
    def van(p: Pagina[Any], onderwerp: Onderwerp) -> InzagelogConnection:
        edges = [
            InzagelogEdge(node=Inzagelogregel.van(r, naam, onderwerp), cursor=paginering.cursor(p.offset + i))
            for i, (r, naam) in enumerate(p.items)
        ]
        return InzagelogConnection(edges=edges, page_info=page_info(p), total_count=p.totaal)
