"""Visible changes only: rows that one board sees carry their own moment of change.

A board's `medewerkers(gewijzigdSinds:)` used to compare the teacher's one `gewijzigd_op`, which
any change moved: a portfolio edit, a consent change, another board's appointment or objection. Now
`leraar.gewijzigd_op` moves only for what every current employer sees (naam, registratie,
bevoegdheden, herregistratie, warnings, aantekeningen), and a board's own rows say when they changed:
`benoeming`, `voorportaalinschrijving` and `bezwaar` get `gewijzigd_op`. Existing rows keep NULL
(changed before anyone could ask this way); new and changed rows are stamped by the register.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABELLEN = ("benoeming", "voorportaalinschrijving", "bezwaar")


def upgrade() -> None:
    for tabel in TABELLEN:
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            batch_op.add_column(sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for tabel in TABELLEN:
        with op.batch_alter_table(tabel, schema=None) as batch_op:
            batch_op.drop_column("gewijzigd_op")
