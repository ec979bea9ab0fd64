"""The access log (inzagelog): who saw a teacher's data through WERKGEVER, DUO or BEROEPSGROEP.

One row per request and teacher, field names only. Read newest first per teacher (the index), pruned
by age (the index on tijdstip). No foreign key to leraar: a log write must never wait on, or be
refused by, the teacher rows it describes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inzagelog",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("leraar_id", sa.Integer(), nullable=False),
        sa.Column("tijdstip", sa.DateTime(timezone=True), nullable=False),
        sa.Column("doelgroep", sa.String(length=20), nullable=False),
        sa.Column("door", sa.String(length=300), nullable=False),
        sa.Column("sub", sa.String(length=300), nullable=True),
        sa.Column("velden", sa.JSON(), nullable=False),
        sa.Column("operatie", sa.String(length=200), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inzagelog")),
    )
    op.create_index("ix_inzagelog_leraar_tijdstip", "inzagelog", ["leraar_id", "tijdstip"], unique=False)
    op.create_index(op.f("ix_inzagelog_tijdstip"), "inzagelog", ["tijdstip"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_inzagelog_tijdstip"), table_name="inzagelog")
    op.drop_index("ix_inzagelog_leraar_tijdstip", table_name="inzagelog")
    op.drop_table("inzagelog")
