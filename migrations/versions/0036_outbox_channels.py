"""outbox_message.channel: e-mail, SMS or Zalo ZNS; existing rows are e-mails

Revision ID: 0036_outbox_channels
Revises: 0035_product_image_alt
Create Date: 2026-12-05 07:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0036_outbox_channels'
down_revision = '0035_product_image_alt'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message') as batch:
        batch.add_column(sa.Column('channel', sa.String(length=10), nullable=False, server_default='email'))


def downgrade():
    with op.batch_alter_table('outbox_message') as batch:
        batch.drop_column('channel')
