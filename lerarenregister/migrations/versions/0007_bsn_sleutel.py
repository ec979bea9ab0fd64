"""Which key made each teacher's BSN hash, so that the key can be rotated.

`leraar.bsn_sleutel` holds the key id (regels.bsn.sleutel_id: an HMAC of a fixed text under the
key, which tells nothing about the key). Rows hashed before this migration keep NULL until their
next delivery stamps them. The register never knows a BSN outside a delivery or a login, so no
migration can re-key: see README, "Rotating the BSN key".

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("leraar", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bsn_sleutel", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("leraar", schema=None) as batch_op:
        batch_op.drop_column("bsn_sleutel")
