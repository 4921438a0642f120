"""producer: name without marks, bank account; producer_contact: the people the office calls

Revision ID: 0020_producer_office
Revises: 0019_commission
Create Date: 2026-12-04 18:30:00

"""
import unicodedata

import sqlalchemy as sa
from alembic import op


revision = '0020_producer_office'
down_revision = '0019_commission'
branch_labels = None
depends_on = None


def _fold(text: str) -> str:
    # The same folding as shop.text.fold at the time of writing; a migration never imports the app.
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d").replace("Đ", "D").casefold()
    return unicodedata.normalize("NFC", " ".join(bare.split()))[:200]


def upgrade():
    # Plain ADD COLUMN: a batch copy of "producer" on SQLite would cascade to its contacts and products' rows.
    op.add_column('producer', sa.Column('name_folded', sa.String(length=200), server_default='', nullable=False))
    op.add_column('producer', sa.Column('bank_bin', sa.String(length=6), server_default='', nullable=False))
    op.add_column('producer', sa.Column('bank_account', sa.String(length=19), server_default='', nullable=False))
    op.add_column('producer', sa.Column('bank_account_name', sa.String(length=70), server_default='', nullable=False))
    op.create_index(op.f('ix_producer_name_folded'), 'producer', ['name_folded'], unique=False)
    op.create_table(
        'producer_contact',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('producer_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=False),
        sa.Column('email', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], name=op.f('fk_producer_contact_producer_id_producer'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_producer_contact')),
    )
    op.create_index(op.f('ix_producer_contact_producer_id'), 'producer_contact', ['producer_id'], unique=False)
    producer = sa.table('producer', sa.column('id', sa.Integer), sa.column('name', sa.String),
                        sa.column('name_folded', sa.String))
    connection = op.get_bind()
    for row in connection.execute(sa.select(producer.c.id, producer.c.name)).all():
        connection.execute(producer.update().where(producer.c.id == row.id).values(name_folded=_fold(row.name or "")))


def downgrade():
    op.drop_index(op.f('ix_producer_contact_producer_id'), table_name='producer_contact')
    op.drop_table('producer_contact')
    op.drop_index(op.f('ix_producer_name_folded'), table_name='producer')
    for column in ('bank_account_name', 'bank_account', 'bank_bin', 'name_folded'):
        op.drop_column('producer', column)
