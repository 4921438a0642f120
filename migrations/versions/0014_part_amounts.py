"""part amounts: each order part's goods and share of the delivery fee, and the cash it collected on delivery

Revision ID: 0014_part_amounts
Revises: 0013_revocable_sessions
Create Date: 2026-12-04 16:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014_part_amounts'
down_revision = '0013_revocable_sessions'
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN, never batch mode (see 0009): on SQLite a batch rebuild of "fulfillment" would
# recreate it, and order lines and events point at it.
def _columns():
    return (
        sa.Column('goods_vnd', sa.Integer(), server_default='0', nullable=False),
        sa.Column('delivery_fee_vnd', sa.Integer(), server_default='0', nullable=False),
        sa.Column('collected_vnd', sa.Integer(), nullable=True),
    )


def upgrade():
    for column in _columns():
        op.add_column('fulfillment', column)
    # Existing parts get their amounts by the rule of shop/orders/amounts.py: the goods at their purchase
    # prices; the whole delivery fee on the first part by id, or, when that part is gone, on the first live
    # one (no cash was ever recorded per part before, so every live part could take it over).
    op.execute("UPDATE fulfillment SET goods_vnd = (SELECT COALESCE(SUM(l.line_total_vnd), 0) FROM order_line l "
               "WHERE l.part_id = fulfillment.id)")
    op.execute("UPDATE fulfillment SET delivery_fee_vnd = (SELECT o.shipping_vnd FROM \"order\" o "
               "WHERE o.id = fulfillment.order_id) "
               "WHERE fulfillment.id = COALESCE("
               "(SELECT MIN(f.id) FROM fulfillment f WHERE f.order_id = fulfillment.order_id "
               "AND f.status NOT IN ('cancelled', 'unclaimed')), "
               "(SELECT MIN(f.id) FROM fulfillment f WHERE f.order_id = fulfillment.order_id))")
    # Cash on delivery was recorded on the order's one payment; a paid payment stays paid, so no part
    # asks for its cash again and no per-part amount is made up here.


def downgrade():
    for column in reversed(_columns()):
        op.drop_column('fulfillment', column.name)
