"""commission_rule (per producer or product set) and order_line.commission_bps frozen at sale

Revision ID: 0019_commission
Revises: 0018_search_cjk_pieces
Create Date: 2026-12-04 18:30:00

"""
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from alembic import op
from flask import current_app


revision = '0019_commission'
down_revision = '0018_search_cjk_pieces'
branch_labels = None
depends_on = None


def _configured_bps() -> int:
    # Lines sold before rules existed keep the one rate the shop had then: COMMISSION_PERCENT of the app that
    # runs the upgrade (env.py runs inside it), as hundredths of a percent.
    percent = Decimal(str(current_app.config.get("COMMISSION_PERCENT", 0) or 0))
    bps = int((percent * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if not 0 <= bps <= 10000:
        raise RuntimeError(f"COMMISSION_PERCENT must be between 0 and 100, got {percent}")
    return bps


def upgrade():
    op.create_table(
        'commission_rule',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('producer_id', sa.Integer(), nullable=True),
        sa.Column('category_id', sa.Integer(), nullable=True),
        sa.Column('percent_bps', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.CheckConstraint('percent_bps >= 0 AND percent_bps <= 10000',
                           name=op.f('ck_commission_rule_percent_in_range')),
        sa.CheckConstraint('(producer_id IS NULL) <> (category_id IS NULL)', name=op.f('ck_commission_rule_one_owner')),
        sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_commission_rule_category_id_category')),
        sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], name=op.f('fk_commission_rule_producer_id_producer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_commission_rule')),
        sa.UniqueConstraint('category_id', name=op.f('uq_commission_rule_category_id')),
        sa.UniqueConstraint('producer_id', name=op.f('uq_commission_rule_producer_id')),
    )
    # Plain ADD COLUMN (see 0009): a batch copy of a table others point at is not worth the risk.
    op.add_column('order_line', sa.Column('commission_bps', sa.Integer(), server_default='0', nullable=False))
    bps = _configured_bps()
    if bps:
        order_line = sa.table('order_line', sa.column('commission_bps', sa.Integer))
        op.get_bind().execute(order_line.update().values(commission_bps=bps))


def downgrade():
    op.drop_column('order_line', 'commission_bps')
    op.drop_table('commission_rule')
