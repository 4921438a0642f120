"""order.buyer_birth_date: the buyer's date of birth, asked at checkout for orders with alcohol (18+)

Revision ID: 0027_order_buyer_birth_date
Revises: 0026_product_facts_checked
Create Date: 2026-12-04 19:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0027_order_buyer_birth_date'
down_revision = '0026_product_facts_checked'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD/DROP COLUMN (see 0009): a batch copy of "order" would cascade-delete its lines on SQLite.
    op.add_column('order', sa.Column('buyer_birth_date', sa.Date(), nullable=True))


def downgrade():
    op.drop_column('order', 'buyer_birth_date')
