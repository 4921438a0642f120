"""order.contact_name_folded: the contact's name without marks, so the office finds orders by name

Revision ID: 0016_order_contact_name_folded
Revises: 0015_ledger
Create Date: 2026-12-04 16:40:00

"""
import unicodedata

import sqlalchemy as sa
from alembic import op


revision = '0016_order_contact_name_folded'
down_revision = '0015_ledger'
branch_labels = None
depends_on = None


def _fold(text: str) -> str:
    # The same folding as shop.text.fold at the time of writing; a migration never imports the app.
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d").replace("Đ", "D").casefold()
    return unicodedata.normalize("NFC", " ".join(bare.split()))[:120]


def upgrade():
    # Plain ADD/DROP COLUMN (see 0009): a batch copy of "order" would cascade-delete its lines on SQLite.
    op.add_column('order', sa.Column('contact_name_folded', sa.String(length=120), server_default='', nullable=False))
    op.create_index(op.f('ix_order_contact_name_folded'), 'order', ['contact_name_folded'], unique=False)
    order = sa.table('order', sa.column('id', sa.Integer), sa.column('contact_name', sa.String),
                     sa.column('contact_name_folded', sa.String))
    connection = op.get_bind()
    for row in connection.execute(sa.select(order.c.id, order.c.contact_name)).all():
        connection.execute(order.update().where(order.c.id == row.id)
                           .values(contact_name_folded=_fold(row.contact_name or "")))


def downgrade():
    op.drop_index(op.f('ix_order_contact_name_folded'), table_name='order')
    op.drop_column('order', 'contact_name_folded')
