"""product.facts_checked_at: when the OCOP office set a product's legal facts (ABV, cold chain, online, abroad)

Revision ID: 0026_product_facts_checked
Revises: 0025_counter_sales
Create Date: 2026-12-04 18:40:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0026_product_facts_checked'
down_revision = '0025_counter_sales'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable, no backfill: products already published keep selling as before, except alcohol of unknown
    # strength, which the code now keeps off online sale until the office sets its ABV.
    op.add_column('product', sa.Column('facts_checked_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('product', 'facts_checked_at')
