"""addresses abroad

Revision ID: 0009_addresses_abroad
Revises: 0008_display_rates
Create Date: 2026-11-29 23:15:36.748516

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_addresses_abroad'
down_revision = '0008_display_rates'
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN, never batch mode: on SQLite a batch rebuild drops and recreates "order",
# and with foreign keys on that deletes every order line, part and payment by cascade.
def _columns():
    return (
    sa.Column('country_code', sa.String(length=2), server_default='VN', nullable=False),
    sa.Column('address_line2', sa.String(length=255), server_default='', nullable=False),
    sa.Column('city', sa.String(length=120), server_default='', nullable=False),
    sa.Column('region', sa.String(length=120), server_default='', nullable=False),
    sa.Column('postal_code', sa.String(length=20), server_default='', nullable=False),
    )


def upgrade():
    for column in _columns():
        op.add_column('order', column)


def downgrade():
    for column in reversed(_columns()):
        op.drop_column('order', column.name)
