"""audit_entry: the office's audit log, append-only

Revision ID: 0017_audit_log
Revises: 0016_order_contact_name_folded
Create Date: 2026-12-04 18:30:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0017_audit_log'
down_revision = '0016_order_contact_name_folded'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_label', sa.String(length=254), nullable=False),
        sa.Column('action', sa.String(length=80), nullable=False),
        sa.Column('target_kind', sa.String(length=40), nullable=False),
        sa.Column('target_id', sa.String(length=40), nullable=False),
        sa.Column('target_label', sa.String(length=200), nullable=False),
        sa.Column('before', sa.JSON(), nullable=False),
        sa.Column('after', sa.JSON(), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry')),
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_target_kind'), ['target_kind'], unique=False)

    # What the office did stays as it was written: no edit, no removal (the ledger's rule, 0015).
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
                   "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()")
    else:
        op.execute("CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_entry "
                   "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END")
        op.execute("CREATE TRIGGER audit_entry_append_only_delete BEFORE DELETE ON audit_entry "
                   "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END")


def downgrade():
    op.drop_table('audit_entry')
