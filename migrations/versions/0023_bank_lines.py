"""bank lines (statement imports and bank notifications), remembered statement formats, refund bank details

Revision ID: 0023_bank_lines
Revises: 0022_point_hours_closures
Create Date: 2026-12-04 18:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0023_bank_lines'
down_revision = '0022_point_hours_closures'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'bank_statement_format',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_code', sa.String(length=20), nullable=False),
        sa.Column('date_column', sa.String(length=80), nullable=False),
        sa.Column('amount_column', sa.String(length=80), nullable=False),
        sa.Column('content_column', sa.String(length=80), nullable=False),
        sa.Column('transaction_id_column', sa.String(length=80), nullable=False),
        sa.Column('date_format', sa.String(length=20), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_statement_format')),
        sa.UniqueConstraint('bank_code', name=op.f('uq_bank_statement_format_bank_code')),
    )
    op.create_table(
        'bank_line',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_code', sa.String(length=20), nullable=False),
        sa.Column('transaction_id', sa.String(length=120), nullable=False),
        sa.Column('amount_vnd', sa.BigInteger(), nullable=False),
        sa.Column('content', sa.String(length=500), nullable=False),
        sa.Column('booked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('account', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=True),
        sa.Column('problem', sa.String(length=30), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('handled_by_id', sa.Integer(), nullable=True),
        sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.CheckConstraint('amount_vnd > 0', name=op.f('ck_bank_line_bank_line_amount_positive')),
        sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_bank_line_order_id_order'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['handled_by_id'], ['user.id'], name=op.f('fk_bank_line_handled_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_line')),
        sa.UniqueConstraint('bank_code', 'transaction_id', name='uq_bank_line_transaction'),
    )
    with op.batch_alter_table('bank_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_line_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_bank_line_order_id'), ['order_id'], unique=False)
    op.create_table(
        'refund_bank_details',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('bank_bin', sa.String(length=6), nullable=False),
        sa.Column('account_number', sa.String(length=19), nullable=False),
        sa.Column('holder', sa.String(length=80), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_refund_bank_details_order_id_order'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_refund_bank_details')),
        sa.UniqueConstraint('order_id', name=op.f('uq_refund_bank_details_order_id')),
    )


def downgrade():
    op.drop_table('refund_bank_details')
    with op.batch_alter_table('bank_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_line_order_id'))
        batch_op.drop_index(batch_op.f('ix_bank_line_status'))
    op.drop_table('bank_line')
    op.drop_table('bank_statement_format')
