"""The assessment stamps the periods it judges instead of every teacher they belong to.

- `herregistratieperiode.beoordeeld_tijdstip`: when the assessment wrote the outcome. A board's
  `medewerkers(gewijzigdSinds:)` finds a teacher through it, so the assessment no longer rewrites the
  (wide, five times indexed) teacher row of everyone it judged: at national scale that update alone
  took as long as all the period writes together.
- `ix_periode_te_beoordelen` (uitkomst, periode_einde) goes: the assessment's aggregate never used
  it (it walks periods by bevoegdheid), and with uitkomst indexed no update of a period could be HOT.
- PostgreSQL fillfactor 50 on herregistratieperiode: a period row is written twice in its life
  (inserted, then assessed once), so half of each page is left for that second version and marking
  300,000 periods writes no index entries at all (HOT; at 70 four in ten still moved to another page
  and were indexed again). The table is small (a few rows per teacher). New pages get the room; old
  ones as they are rewritten. SQLite has no such setting.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("herregistratieperiode", schema=None) as batch_op:
        batch_op.add_column(sa.Column("beoordeeld_tijdstip", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_index("ix_periode_te_beoordelen")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE herregistratieperiode SET (fillfactor = 50)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE herregistratieperiode RESET (fillfactor)")
    with op.batch_alter_table("herregistratieperiode", schema=None) as batch_op:
        batch_op.create_index("ix_periode_te_beoordelen", ["uitkomst", "periode_einde"], unique=False)
        batch_op.drop_column("beoordeeld_tijdstip")
