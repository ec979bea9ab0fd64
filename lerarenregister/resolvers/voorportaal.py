"""The voorportaal term: two years from the appointment, extended once by a current employer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ..auth.policy import Doelgroep, Onderwerp
from ..models import Schoolbestuur, Voorportaalinschrijving
from ..regels import datums
from .fouten import Conflict, NietGevonden, Onbevoegd
from .ids import id_getal
from .schrijven import leg_vast

if TYPE_CHECKING:
    from .verzoek import Verzoek


async def verleng(v: Verzoek, ruw_id: Any) -> tuple[Voorportaalinschrijving, Schoolbestuur]:
    """Extend a term once, to four years from the appointment's begindatum; own board's entries only."""
    inschrijving_id = id_getal(ruw_id, "inschrijving")
    res = await v.db.execute(
        select(Voorportaalinschrijving, Schoolbestuur)
        .join(Schoolbestuur, Schoolbestuur.id == Voorportaalinschrijving.schoolbestuur_id)
        .where(Voorportaalinschrijving.id == inschrijving_id)
    )
    rij = res.first()
    if rij is None:
        raise NietGevonden("no such voorportaal entry", "inschrijving")
    inschrijving, bestuur = rij
    groepen = await v.inzage.van(Onderwerp(leraar_id=inschrijving.leraar_id))
    if Doelgroep.WERKGEVER not in groepen or bestuur.id != await v.inzage.eigen_bestuur_id():
        raise Onbevoegd("only a current employer can extend its own voorportaal entry", "inschrijving")
    if inschrijving.afgesloten:
        raise Conflict("this voorportaal entry is closed", "inschrijving")
    if inschrijving.verlengd:
        raise Conflict("the term can be extended once only, and it has been", "inschrijving")
    if v.vandaag > inschrijving.termijn_einde:
        raise Conflict("the term has already ended", "inschrijving")
    inschrijving.verlengd = True
    inschrijving.termijn_einde = datums.voorportaal_termijn_einde(inschrijving.begindatum, verlengd=True)
    await leg_vast(v, gewijzigd=[inschrijving])  # this board's row: other boards see nothing change
    return inschrijving, bestuur
