"""counter_sale, counter_sale_line, cash_closeout: money at the sales points' desks

Revision ID: 0025_counter_sales
Revises: 0024_privacy
Create Date: 2026-12-04 19:20:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0025_counter_sales'
down_revision = '0024_privacy'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'counter_sale',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=24), nullable=False),
        sa.Column('sales_point_id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('method', sa.String(length=20), nullable=False),
        sa.Column('total_vnd', sa.BigInteger(), nullable=False),
        sa.Column('tendered_vnd', sa.BigInteger(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.CheckConstraint('total_vnd > 0', name=op.f('ck_counter_sale_total_positive')),
        sa.ForeignKeyConstraint(['sales_point_id'], ['sales_point.id'], name=op.f('fk_counter_sale_sales_point_id_sales_point')),
        sa.ForeignKeyConstraint(['staff_id'], ['user.id'], name=op.f('fk_counter_sale_staff_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_counter_sale')),
        sa.UniqueConstraint('reference', name=op.f('uq_counter_sale_reference')),
    )
    with op.batch_alter_table('counter_sale', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counter_sale_sales_point_id'), ['sales_point_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_counter_sale_created_at'), ['created_at'], unique=False)
    op.create_table(
        'counter_sale_line',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sale_id', sa.Integer(), nullable=False),
        sa.Column('variant_id', sa.Integer(), nullable=False),
        sa.Column('producer_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('sku', sa.String(length=64), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('unit_price_vnd', sa.BigInteger(), nullable=False),
        sa.Column('line_total_vnd', sa.BigInteger(), nullable=False),
        sa.Column('commission_bps', sa.Integer(), nullable=False),
        sa.CheckConstraint('quantity > 0', name=op.f('ck_counter_sale_line_quantity_positive')),
        sa.ForeignKeyConstraint(['sale_id'], ['counter_sale.id'], name=op.f('fk_counter_sale_line_sale_id_counter_sale')),
        sa.ForeignKeyConstraint(['variant_id'], ['variant.id'], name=op.f('fk_counter_sale_line_variant_id_variant')),
        sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], name=op.f('fk_counter_sale_line_producer_id_producer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_counter_sale_line')),
    )
    with op.batch_alter_table('counter_sale_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counter_sale_line_sale_id'), ['sale_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_counter_sale_line_producer_id'), ['producer_id'], unique=False)
    op.create_table(
        'cash_closeout',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sales_point_id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('expected_vnd', sa.BigInteger(), nullable=False),
        sa.Column('counted_vnd', sa.BigInteger(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.ForeignKeyConstraint(['sales_point_id'], ['sales_point.id'], name=op.f('fk_cash_closeout_sales_point_id_sales_point')),
        sa.ForeignKeyConstraint(['staff_id'], ['user.id'], name=op.f('fk_cash_closeout_staff_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_closeout')),
    )
    with op.batch_alter_table('cash_closeout', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cash_closeout_sales_point_id'), ['sales_point_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cash_closeout_created_at'), ['created_at'], unique=False)


def downgrade():
    op.drop_table('cash_closeout')
    op.drop_table('counter_sale_line')
    op.drop_table('counter_sale')
