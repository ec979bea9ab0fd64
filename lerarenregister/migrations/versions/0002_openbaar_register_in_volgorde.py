"""Public search reads a page in index order: partial index on (sorteernaam, registernummer).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WAAR = sa.text("status = 'GEREGISTREERD'")


def upgrade() -> None:
    with op.batch_alter_table("leraar", schema=None) as batch_op:
        batch_op.drop_index("ix_leraar_zoeknaam_geregistreerd", postgresql_where=WAAR, sqlite_where=WAAR)
        batch_op.create_index("ix_leraar_openbaar_sorteernaam", ["sorteernaam", "registernummer"], unique=False,
                              postgresql_where=WAAR, sqlite_where=WAAR)


def downgrade() -> None:
    with op.batch_alter_table("leraar", schema=None) as batch_op:
        batch_op.drop_index("ix_leraar_openbaar_sorteernaam", postgresql_where=WAAR, sqlite_where=WAAR)
        batch_op.create_index("ix_leraar_zoeknaam_geregistreerd", ["zoeknaam", "sorteernaam"], unique=False,
                              postgresql_where=WAAR, sqlite_where=WAAR)
