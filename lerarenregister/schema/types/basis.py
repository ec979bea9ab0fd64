"""What the object types share: the request as strawberry hands it to a resolver (`Ctx`), the
audiences' short names for the declarations, and whose data a teacher's object is."""

from __future__ import annotations

from strawberry.types import Info

from ...auth.policy import Doelgroep, Onderwerp
from ...resolvers.verzoek import Verzoek

P, Z, W, T = Doelgroep.PUBLIEK, Doelgroep.LERAAR_ZELF, Doelgroep.WERKGEVER, Doelgroep.MET_TOESTEMMING
SZ, AZ, DUO, BG = Doelgroep.SCHOOLBESTUUR_ZELF, Doelgroep.AANBIEDER_ZELF, Doelgroep.DUO, Doelgroep.BEROEPSGROEP
Ctx = Info[Verzoek, None]


def van_leraar(leraar_id: int) -> Onderwerp:
    return Onderwerp(leraar_id=leraar_id)
