"""listing indexes

Revision ID: 0004_listing_indexes
Revises: 0003_orders
Create Date: 2026-11-29 20:14:14.725201

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_listing_indexes'
down_revision = '0003_orders'
branch_labels = None
depends_on = None


def upgrade():
    # Plain CREATE INDEX, not batch mode: recreating product on SQLite would drop the search triggers.
    op.create_index('ix_product_producer_listing', 'product', ['producer_id', 'status', 'ocop_stars', 'id'])
    op.create_index('ix_product_status_price', 'product', ['status', 'price_from_vnd', 'id'])
    op.create_index('ix_product_status_ward', 'product', ['status', 'origin_ward_code'])


def downgrade():
    op.drop_index('ix_product_status_ward', 'product')
    op.drop_index('ix_product_status_price', 'product')
    op.drop_index('ix_product_producer_listing', 'product')
