"""product.changed_at, variant.pending_price_vnd: a producer's changes to a product in the shop, for the office

Revision ID: 0029_published_product_changes
Revises: 0028_payouts
Create Date: 2026-12-04 19:30:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0029_published_product_changes'
down_revision = '0028_payouts'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('product', sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('variant', sa.Column('pending_price_vnd', sa.Integer(), nullable=True))


def downgrade():
    op.drop_column('variant', 'pending_price_vnd')
    op.drop_column('product', 'changed_at')
