"""recipient phone for deliveries abroad

Revision ID: 0011_recipient_phone
Revises: 0010_order_names_i18n
Create Date: 2026-11-30 00:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011_recipient_phone'
down_revision = '0010_order_names_i18n'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD/DROP COLUMN (see 0009). Orders abroad placed before kept the recipient's number as contact_phone.
    op.add_column('order', sa.Column('recipient_phone', sa.String(length=20), server_default='', nullable=False))


def downgrade():
    op.drop_column('order', 'recipient_phone')
