"""sales_point.town: the town the points list and checkout group a point under, filled from the point's code

Revision ID: 0037_point_towns
Revises: 0036_outbox_channels
Create Date: 2026-12-05 07:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0037_point_towns'
down_revision = '0036_outbox_channels'
branch_labels = None
depends_on = None

# The province's points are coded by town (HL01 is in Hạ Long); a migration never imports the app, so the
# table is copied here. A point whose code starts otherwise keeps an empty town until the office sets it.
_TOWNS = {
    "HL": "Hạ Long", "CP": "Cẩm Phả", "UB": "Uông Bí", "MC": "Móng Cái", "DT": "Đông Triều", "QY": "Quảng Yên",
    "VD": "Vân Đồn", "CT": "Cô Tô", "BL": "Bình Liêu", "TY": "Tiên Yên", "BC": "Ba Chẽ", "DH": "Đầm Hà",
    "HH": "Hải Hà",
}


def upgrade():
    # Plain ADD COLUMN: a batch copy of sales_point would trip the foreign keys pointing at it on SQLite.
    op.add_column('sales_point', sa.Column('town', sa.String(length=60), server_default='', nullable=False))
    point = sa.table('sales_point', sa.column('id', sa.Integer), sa.column('code', sa.String),
                     sa.column('town', sa.String))
    connection = op.get_bind()
    for row in connection.execute(sa.select(point.c.id, point.c.code)).all():
        town = _TOWNS.get((row.code or "")[:2].upper())
        if town:
            connection.execute(point.update().where(point.c.id == row.id).values(town=town))


def downgrade():
    op.drop_column('sales_point', 'town')
