"""A board's `medewerkers(gewijzigdSinds:)` finds what changed by index.

The filter asks, per teacher of the board's staff, whether a period of theirs was assessed since
the moment given, or this board's benoeming, voorportaal entry or objection changed since then. With
no index on those moments PostgreSQL asks each teacher's rows in turn (four subplans per teacher:
38–46 ms for a board of 2,309 at 100,000 teachers); with these four it reads the changed rows of
each source once, as hashed subplans over index ranges: 10–11 ms, whether `sinds` lies an hour or
years back (bench/RESULTS.md). `leraar.gewijzigd_op` gets none: it is read from the teacher's row,
fetched by key anyway, and an index on it would cost every teacher update its HOT path.
`voorportaalinschrijving`'s index on `schoolbestuur_id` alone goes: the new one starts with that
column and serves every lookup it served (the same plans, measured).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXEN = (
    ("ix_herregistratieperiode_beoordeeld_tijdstip", "herregistratieperiode", ["beoordeeld_tijdstip"]),
    ("ix_benoeming_bestuur_gewijzigd", "benoeming", ["schoolbestuur_id", "gewijzigd_op"]),
    ("ix_voorportaal_bestuur_gewijzigd", "voorportaalinschrijving", ["schoolbestuur_id", "gewijzigd_op"]),
    ("ix_bezwaar_bestuur_gewijzigd", "bezwaar", ["schoolbestuur_id", "gewijzigd_op"]),
)


# Its columns are the first of ix_voorportaal_bestuur_gewijzigd's.
VERVANGEN = ("ix_voorportaalinschrijving_schoolbestuur_id", "voorportaalinschrijving", ["schoolbestuur_id"])


def upgrade() -> None:
    for naam, tabel, kolommen in INDEXEN:
        op.create_index(naam, tabel, kolommen)
    op.drop_index(VERVANGEN[0], table_name=VERVANGEN[1])


def downgrade() -> None:
    op.create_index(*VERVANGEN)
    for naam, tabel, _ in INDEXEN:
        op.drop_index(naam, table_name=tabel)
