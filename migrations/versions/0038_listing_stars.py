"""product.listing_stars: the stars listings rank by (0 once a certificate has ended), and indexes in each listing
order's own directions, so a page of 24 reads 24 rows instead of sorting every published product

Revision ID: 0038_listing_stars
Revises: 0037_point_towns
Create Date: 2026-12-05 09:30:00

"""
import datetime as dt

import sqlalchemy as sa
from alembic import op


revision = '0038_listing_stars'
down_revision = '0037_point_towns'
branch_labels = None
depends_on = None

#: Vietnam's clock (UTC+7, no daylight saving); a migration never imports the app, so it is copied here.
_VIETNAM = dt.timezone(dt.timedelta(hours=7))


def _ranked(day: dt.date):
    product = sa.table('product', sa.column('ocop_stars', sa.Integer), sa.column('ocop_certified_on', sa.Date),
                       sa.column('ocop_expires_on', sa.Date), sa.column('listing_stars', sa.Integer))
    valid = sa.and_(product.c.ocop_certified_on <= day, product.c.ocop_expires_on >= day)
    return product.update().values(listing_stars=sa.case((valid, product.c.ocop_stars), else_=0))


def upgrade():
    # Plain ADD COLUMN and CREATE INDEX, not batch mode: recreating product on SQLite would drop the search triggers.
    op.add_column('product', sa.Column('listing_stars', sa.Integer(), server_default='0', nullable=False))
    op.get_bind().execute(_ranked(dt.datetime.now(_VIETNAM).date()))
    op.drop_index('ix_product_listing', 'product')
    op.drop_index('ix_product_producer_listing', 'product')
    op.drop_index('ix_product_status_ward', 'product')
    op.create_index('ix_product_listing', 'product', ['status', sa.text('listing_stars DESC'), 'id'])
    op.create_index('ix_product_status_stars_expiry', 'product',
                    ['status', sa.text('listing_stars DESC'), sa.text('ocop_expires_on DESC'), 'id'])
    op.create_index('ix_product_status_newest', 'product', ['status', 'created_at', 'id'])
    op.create_index('ix_product_status_ward', 'product', ['status', 'origin_ward_code', 'producer_id'])
    op.create_index('ix_product_producer_listing', 'product', ['producer_id', 'status', sa.text('listing_stars DESC'), 'id'])
    op.create_index('ix_product_status_stars_certified', 'product',
                    ['status', 'listing_stars', sa.text('ocop_certified_on DESC'), 'id'])


def downgrade():
    for name in ('ix_product_status_stars_certified', 'ix_product_producer_listing', 'ix_product_status_ward',
                 'ix_product_status_newest', 'ix_product_status_stars_expiry', 'ix_product_listing'):
        op.drop_index(name, 'product')
    op.create_index('ix_product_listing', 'product', ['status', 'ocop_stars', 'id'])
    op.create_index('ix_product_producer_listing', 'product', ['producer_id', 'status', 'ocop_stars', 'id'])
    op.create_index('ix_product_status_ward', 'product', ['status', 'origin_ward_code'])
    op.drop_column('product', 'listing_stars')
