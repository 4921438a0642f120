"""sales-point desk: receiving, hold period, handover, cash; stock leaves with the goods

Revision ID: 0006_sales_point_desk
Revises: 0005_producer_workspace
Create Date: 2026-11-29 22:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_sales_point_desk'
down_revision = '0005_producer_workspace'
branch_labels = None
depends_on = None

#: Parts whose goods had already left their source before this revision, which did not take them off on-hand.
_LEFT_PRODUCER = ("sent_to_point", "at_point", "ready", "collected", "unclaimed", "shipped", "delivered")


def upgrade():
    # Plain ADD COLUMN (no batch mode), as in 0005.
    for table, name in (("order", "hold_until"), ("order", "reminded_at"), ("order", "collected_at"),
                        ("fulfillment", "received_at"), ("fulfillment", "returned_at")):
        op.add_column(table, sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_order_hold_until'), 'order', ['hold_until'], unique=False)
    op.add_column('payment', sa.Column('tendered_vnd', sa.Integer(), nullable=True))

    # From now on units come off on-hand when they leave (sent, shipped, collected). Parts that left
    # earlier still sit in `allocated`: take them off now, so free stock stays what it was and the
    # books match the shelves.
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT l.variant_id, l.source_location_id, SUM(l.quantity) FROM order_line l"
        " JOIN fulfillment f ON f.id = l.part_id"
        " WHERE l.variant_id IS NOT NULL AND ("
        "  (f.route <> 'point_stock' AND f.status IN :left) OR (f.route = 'point_stock' AND f.status = 'collected'))"
        " GROUP BY l.variant_id, l.source_location_id"
    ).bindparams(sa.bindparam("left", expanding=True)), {"left": list(_LEFT_PRODUCER)}).all()
    for variant_id, location_id, quantity in rows:
        bind.execute(sa.text(
            "UPDATE stock SET quantity = quantity - :q, allocated = allocated - :q"
            " WHERE variant_id = :v AND location_id = :loc AND allocated >= :q"
        ), {"q": quantity, "v": variant_id, "loc": location_id})


def downgrade():
    # The stock correction is not undone: the shelves are what they are.
    op.drop_column('payment', 'tendered_vnd')
    op.drop_index(op.f('ix_order_hold_until'), table_name='order')
    for table, name in (("fulfillment", "returned_at"), ("fulfillment", "received_at"),
                        ("order", "collected_at"), ("order", "reminded_at"), ("order", "hold_until")):
        op.drop_column(table, name)
