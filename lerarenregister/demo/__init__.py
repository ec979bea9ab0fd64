"""Demo data and the demo banner: six school boards and 300 teachers to try the register with.

Everything is made through the register's own operations: GraphQL documents run against the real
schema with a real viewer and a `Verzoek`, one session and one commit per operation, as the server
does; never raw SQL. DUO delivers (klaarzetten), providers publish catalogue activities, teachers
confirm, correct their name, report an error, keep a portfolio and give consent, the beroepsgroep
runs the end-of-period assessment and a teacher objects to an aantekening. History is made by
running an operation with a Verzoek whose "today" lies in the past, in date order.

All dates are offsets from the register's today, so the demo shows the same situations whenever it
is loaded; the people come from one seeded random generator, so every load makes the same register
(and the banner can name a demo teacher without asking the database who it is).
"""

from .banner import toon_demo, voorbeelden
from .gegevens import BESTUREN
from .laden import laad_demodata
from .plan import demo_plan

__all__ = ["BESTUREN", "demo_plan", "laad_demodata", "toon_demo", "voorbeelden"]
