"""payout_batch and payout: the office pays producers what they are owed, frozen per batch

Revision ID: 0028_payouts
Revises: 0027_order_buyer_birth_date
Create Date: 2026-12-04 19:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0028_payouts'
down_revision = '0027_order_buyer_birth_date'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'payout_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.Column('bank_reference', sa.String(length=80), server_default='', nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_payout_batch_created_by_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_payout_batch_closed_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payout_batch')),
    )
    op.create_index(op.f('ix_payout_batch_status'), 'payout_batch', ['status'], unique=False)
    op.create_index('uq_payout_batch_one_open', 'payout_batch', ['status'], unique=True,
                    sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
    op.create_table(
        'payout',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('producer_id', sa.Integer(), nullable=False),
        sa.Column('owed_vnd', sa.BigInteger(), nullable=False),
        sa.Column('held_vnd', sa.BigInteger(), nullable=False),
        sa.Column('amount_vnd', sa.BigInteger(), nullable=False),
        sa.Column('producer_name', sa.String(length=200), nullable=False),
        sa.Column('bank_bin', sa.String(length=6), nullable=False),
        sa.Column('bank_account', sa.String(length=19), nullable=False),
        sa.Column('bank_account_name', sa.String(length=70), nullable=False),
        sa.CheckConstraint('amount_vnd > 0', name=op.f('ck_payout_amount_positive')),
        sa.CheckConstraint('held_vnd >= 0 AND owed_vnd = amount_vnd + held_vnd', name=op.f('ck_payout_amounts_add_up')),
        sa.ForeignKeyConstraint(['batch_id'], ['payout_batch.id'], name=op.f('fk_payout_batch_id_payout_batch')),
        sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], name=op.f('fk_payout_producer_id_producer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payout')),
        sa.UniqueConstraint('batch_id', 'producer_id', name=op.f('uq_payout_batch_id')),
    )
    op.create_index(op.f('ix_payout_batch_id'), 'payout', ['batch_id'], unique=False)
    op.create_index(op.f('ix_payout_producer_id'), 'payout', ['producer_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_payout_producer_id'), table_name='payout')
    op.drop_index(op.f('ix_payout_batch_id'), table_name='payout')
    op.drop_table('payout')
    op.drop_index('uq_payout_batch_one_open', table_name='payout_batch')
    op.drop_index(op.f('ix_payout_batch_status'), table_name='payout_batch')
    op.drop_table('payout_batch')
