"""counter_sale: voided_at, void_reason, voided_by_id (a sale voided the same day at the desk), and bank_line_id
(the bank's line of a VietQR counter sale's transfer, once seen on the account)

Revision ID: 0034_counter_sale_void
Revises: 0033_variant_label_i18n
Create Date: 2026-12-05 07:10:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0034_counter_sale_void'
down_revision = '0033_variant_label_i18n'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('counter_sale') as batch:
        batch.add_column(sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('void_reason', sa.Text(), nullable=False, server_default=''))
        batch.add_column(sa.Column('voided_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('bank_line_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_counter_sale_voided_by_id_user', 'user', ['voided_by_id'], ['id'])
        batch.create_foreign_key('fk_counter_sale_bank_line_id_bank_line', 'bank_line', ['bank_line_id'], ['id'],
                                 ondelete='SET NULL')
        batch.create_index('ix_counter_sale_bank_line_id', ['bank_line_id'], unique=True)


def downgrade():
    with op.batch_alter_table('counter_sale') as batch:
        batch.drop_index('ix_counter_sale_bank_line_id')
        batch.drop_constraint('fk_counter_sale_bank_line_id_bank_line', type_='foreignkey')
        batch.drop_constraint('fk_counter_sale_voided_by_id_user', type_='foreignkey')
        batch.drop_column('bank_line_id')
        batch.drop_column('voided_by_id')
        batch.drop_column('void_reason')
        batch.drop_column('voided_at')
