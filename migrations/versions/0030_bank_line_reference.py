"""bank_line.bank_reference and duplicate_of_id: a bank notification's own bank reference, and the line a
second report of the same money (notified, then on the statement, or the other way round) repeats

Revision ID: 0030_bank_line_reference
Revises: 0029_published_product_changes
Create Date: 2026-12-05 07:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0030_bank_line_reference'
down_revision = '0029_published_product_changes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bank_line') as batch:
        batch.add_column(sa.Column('bank_reference', sa.String(length=120), nullable=False, server_default=''))
        batch.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_bank_line_duplicate_of_id_bank_line', 'bank_line', ['duplicate_of_id'], ['id'],
                                 ondelete='SET NULL')
        batch.create_index('ix_bank_line_duplicate_of_id', ['duplicate_of_id'], unique=True)


def downgrade():
    with op.batch_alter_table('bank_line') as batch:
        batch.drop_index('ix_bank_line_duplicate_of_id')
        batch.drop_constraint('fk_bank_line_duplicate_of_id_bank_line', type_='foreignkey')
        batch.drop_column('duplicate_of_id')
        batch.drop_column('bank_reference')
