"""ledger: accounts, journal entries and journal lines, append-only

Revision ID: 0015_ledger
Revises: 0014_part_amounts
Create Date: 2026-12-04 16:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015_ledger'
down_revision = '0014_part_amounts'
branch_labels = None
depends_on = None

_TABLES = ("journal_entry", "journal_line")


def upgrade():
    op.create_table(
        'account',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=60), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('producer_id', sa.Integer(), nullable=True),
        sa.Column('sales_point_id', sa.Integer(), nullable=True),
        sa.Column('balance_vnd', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], name=op.f('fk_account_producer_id_producer')),
        sa.ForeignKeyConstraint(['sales_point_id'], ['sales_point.id'],
                                name=op.f('fk_account_sales_point_id_sales_point')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
        sa.UniqueConstraint('code', name=op.f('uq_account_code')),
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_producer_id'), ['producer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_sales_point_id'), ['sales_point_id'], unique=False)

    op.create_table(
        'journal_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('idempotency_key', sa.String(length=120), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=True),
        sa.Column('memo', sa.String(length=300), server_default='', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_journal_entry_order_id_order')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_entry')),
        sa.UniqueConstraint('idempotency_key', name=op.f('uq_journal_entry_idempotency_key')),
    )
    with op.batch_alter_table('journal_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_entry_order_id'), ['order_id'], unique=False)

    op.create_table(
        'journal_line',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('amount_vnd', sa.BigInteger(), nullable=False),
        sa.Column('part_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('amount_vnd <> 0', name=op.f('ck_journal_line_amount_not_zero')),
        sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_journal_line_account_id_account')),
        sa.ForeignKeyConstraint(['entry_id'], ['journal_entry.id'],
                                name=op.f('fk_journal_line_entry_id_journal_entry')),
        sa.ForeignKeyConstraint(['part_id'], ['fulfillment.id'], name=op.f('fk_journal_line_part_id_fulfillment')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_line')),
    )
    with op.batch_alter_table('journal_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_line_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_journal_line_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_journal_line_part_id'), ['part_id'], unique=False)

    # The books are append-only: a wrong entry is corrected by a new one, never edited or removed.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$")
        for table in _TABLES:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()")
    else:
        for table in _TABLES:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
            op.execute(f"CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")


def downgrade():
    op.drop_table('journal_line')
    op.drop_table('journal_entry')
    op.drop_table('account')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION ledger_append_only()")
