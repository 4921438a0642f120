"""names in other languages

Revision ID: 0010_order_names_i18n
Revises: 0009_addresses_abroad
Create Date: 2026-11-29 23:25:17.745578

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_order_names_i18n'
down_revision = '0009_addresses_abroad'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD/DROP COLUMN (see 0009). Orders placed before keep their Vietnamese names only.
    op.add_column('order', sa.Column('sales_point_name_i18n', sa.JSON(), nullable=True))
    op.add_column('order_line', sa.Column('product_name_i18n', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('order_line', 'product_name_i18n')
    op.drop_column('order', 'sales_point_name_i18n')
