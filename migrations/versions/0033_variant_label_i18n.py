"""variant.i18n, order_line.variant_label_i18n: a variant's label in en/zh/ko, and as the order kept it

Revision ID: 0033_variant_label_i18n
Revises: 0032_reviews
Create Date: 2026-12-05 07:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0033_variant_label_i18n'
down_revision = '0032_reviews'
branch_labels = None
depends_on = None


def upgrade():
    # Existing variants have no translation yet: an empty object, so the column can be NOT NULL like product.i18n.
    op.add_column('variant', sa.Column('i18n', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    op.add_column('order_line', sa.Column('variant_label_i18n', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('order_line', 'variant_label_i18n')
    op.drop_column('variant', 'i18n')
