"""revocable sessions: a session version per user, and one login row per device

Revision ID: 0013_revocable_sessions
Revises: 0012_product_review_states
Create Date: 2026-12-04 16:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013_revocable_sessions'
down_revision = '0012_product_review_states'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (see 0009). Sessions made before this hold only the user id: the loader refuses them,
    # so everyone logs in once more.
    op.add_column('user', sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))
    op.create_table(
        'login',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('remember', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_login_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login')),
    )
    op.create_index(op.f('ix_login_user_id'), 'login', ['user_id'], unique=False)
    op.create_index(op.f('ix_login_expires_at'), 'login', ['expires_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_login_expires_at'), table_name='login')
    op.drop_index(op.f('ix_login_user_id'), table_name='login')
    op.drop_table('login')
    op.drop_column('user', 'session_version')
