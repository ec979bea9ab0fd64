"""Room on each page of leraar for updated rows (PostgreSQL fillfactor 85).

Teachers' rows are updated in bulk (a delivery, the assessment's gewijzigd_op), never on an indexed
column but for the few changes of name or status. With room left on the page PostgreSQL writes the
new version beside the old one and leaves the five indexes alone (a HOT update): at national scale the
assessment's update of 120,000 teachers took about a third of the time. New pages get the room; old
ones as they are rewritten. SQLite has no such setting. (Since 0004 the assessment no longer updates
teachers at all; a delivery still does.)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE leraar SET (fillfactor = 85)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE leraar RESET (fillfactor)")
