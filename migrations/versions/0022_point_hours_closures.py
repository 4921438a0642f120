"""sales_point: short name, opening hours per weekday (read from the old text where possible), closures

Revision ID: 0022_point_hours_closures
Revises: 0021_certificates
Create Date: 2026-12-04 18:40:00

"""
import re

import sqlalchemy as sa
from alembic import op


revision = '0022_point_hours_closures'
down_revision = '0021_certificates'
branch_labels = None
depends_on = None

_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _parse(text):
    # The same reading as shop.sales_points.models.parse_opening_hours when written; a migration never
    # imports the app. Text it cannot read stays as it is, with no weekly hours.
    week = [None] * 7
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return None
    for line in lines:
        days, _, times = line.partition(" ")
        opens, _, closes = times.strip().partition("-")
        if not (_TIME.match(opens) and _TIME.match(closes) and opens < closes):
            return None
        for chunk in days.split(","):
            first, _, last = chunk.partition("-")
            if first not in _DAYS or (last and last not in _DAYS):
                return None
            start, end = _DAYS.index(first), _DAYS.index(last or first)
            if end < start:
                return None
            for day in range(start, end + 1):
                week[day] = [opens, closes]
    return week


def upgrade():
    # Plain ADD COLUMN: a batch copy of sales_point would trip the foreign keys pointing at it on SQLite.
    op.add_column('sales_point', sa.Column('short_name', sa.String(length=60), server_default='', nullable=False))
    op.add_column('sales_point', sa.Column('weekly_hours', sa.JSON(), nullable=True))
    point = sa.table('sales_point', sa.column('id', sa.Integer), sa.column('opening_hours', sa.String),
                     sa.column('weekly_hours', sa.JSON))
    connection = op.get_bind()
    for row in connection.execute(sa.select(point.c.id, point.c.opening_hours)).all():
        week = _parse(row.opening_hours)
        if week is not None:
            connection.execute(point.update().where(point.c.id == row.id).values(weekly_hours=week))
    op.create_table(
        'sales_point_closure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sales_point_id', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_sales_point_closure_closure_ends_after_start')),
        sa.ForeignKeyConstraint(['sales_point_id'], ['sales_point.id'],
                                name=op.f('fk_sales_point_closure_sales_point_id_sales_point'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_point_closure')),
    )
    op.create_index(op.f('ix_sales_point_closure_sales_point_id'), 'sales_point_closure', ['sales_point_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_sales_point_closure_sales_point_id'), table_name='sales_point_closure')
    op.drop_table('sales_point_closure')
    op.drop_column('sales_point', 'weekly_hours')
    op.drop_column('sales_point', 'short_name')
