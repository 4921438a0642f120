"""privacy: consents per purpose with the notice version; checkout answers on the cart; order.erased_at

Revision ID: 0024_privacy
Revises: 0023_bank_lines
Create Date: 2026-12-04 18:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0024_privacy'
down_revision = '0023_bank_lines'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'consent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('order_id', sa.Integer(), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('purpose', sa.String(length=30), nullable=False),
        sa.Column('granted', sa.Boolean(), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('notice_version', sa.String(length=20), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_consent_user_id_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_consent_order_id_order'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consent')),
    )
    op.create_index(op.f('ix_consent_user_id'), 'consent', ['user_id'], unique=False)
    op.create_index(op.f('ix_consent_order_id'), 'consent', ['order_id'], unique=False)
    op.create_index(op.f('ix_consent_email'), 'consent', ['email'], unique=False)
    # Plain ADD COLUMN (see 0009): a batch copy of "cart" would cascade-delete its lines on SQLite.
    op.add_column('cart', sa.Column('checkout', sa.JSON(), nullable=True))
    op.add_column('order', sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    # Consents given before this table existed: the orders' (Order.data_consent_at, marketing_consent) and the
    # accounts' marketing answer are written as rows of the notice version "before-2026-12-04".
    consent = sa.table('consent', sa.column('user_id', sa.Integer), sa.column('order_id', sa.Integer),
                       sa.column('email', sa.String), sa.column('purpose', sa.String),
                       sa.column('granted', sa.Boolean), sa.column('source', sa.String),
                       sa.column('notice_version', sa.String), sa.column('recorded_at', sa.DateTime(timezone=True)))
    order = sa.table('order', sa.column('id', sa.Integer), sa.column('user_id', sa.Integer),
                     sa.column('contact_email', sa.String), sa.column('data_consent_at', sa.DateTime(timezone=True)),
                     sa.column('marketing_consent', sa.Boolean))
    connection = op.get_bind()
    rows = []
    for row in connection.execute(sa.select(order)).all():
        for purpose, granted in (('personal_data', True), ('marketing_email', bool(row.marketing_consent))):
            rows.append({'user_id': row.user_id, 'order_id': row.id, 'email': row.contact_email, 'purpose': purpose,
                         'granted': granted, 'source': 'checkout', 'notice_version': 'before-2026-12-04',
                         'recorded_at': row.data_consent_at})
    if rows:
        connection.execute(consent.insert(), rows)


def downgrade():
    op.drop_column('order', 'erased_at')
    op.drop_column('cart', 'checkout')
    op.drop_index(op.f('ix_consent_email'), table_name='consent')
    op.drop_index(op.f('ix_consent_order_id'), table_name='consent')
    op.drop_index(op.f('ix_consent_user_id'), table_name='consent')
    op.drop_table('consent')
