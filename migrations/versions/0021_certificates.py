"""certificate: every OCOP recognition decision of a product (history kept), its issuer and its scan;
product.ocop_reevaluation and product.sold_when_expired

Revision ID: 0021_certificates
Revises: 0020_producer_office
Create Date: 2026-12-04 18:45:00

"""
import datetime as dt

import sqlalchemy as sa
from alembic import op


revision = '0021_certificates'
down_revision = '0020_producer_office'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'certificate',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('stars', sa.Integer(), nullable=False),
        sa.Column('decision_no', sa.String(length=80), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=False),
        sa.Column('issuer', sa.String(length=200), server_default='', nullable=False),
        sa.Column('expires_on', sa.Date(), nullable=False),
        sa.Column('scan_name', sa.String(length=40), nullable=True),
        sa.Column('scan_bytes', sa.Integer(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.CheckConstraint('stars BETWEEN 3 AND 5', name=op.f('ck_certificate_stars_range')),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_certificate_product_id_product'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_certificate_recorded_by_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    )
    op.create_index(op.f('ix_certificate_product_id'), 'certificate', ['product_id'], unique=False)
    # Plain ADD COLUMN (see 0009): a batch copy of "product" would cascade-delete its variants on SQLite.
    op.add_column('product', sa.Column('ocop_reevaluation', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('product', sa.Column('sold_when_expired', sa.Boolean(), server_default=sa.false(), nullable=False))
    # Each product's certificate so far becomes its first history row. Nobody recorded who issued it:
    # the issuer stays empty ("not recorded") rather than being guessed from the stars.
    product = sa.table('product', sa.column('id', sa.Integer), sa.column('ocop_stars', sa.Integer),
                       sa.column('ocop_certificate_no', sa.String), sa.column('ocop_certified_on', sa.Date),
                       sa.column('ocop_expires_on', sa.Date))
    certificate = sa.table('certificate', sa.column('product_id', sa.Integer), sa.column('stars', sa.Integer),
                           sa.column('decision_no', sa.String), sa.column('decided_on', sa.Date),
                           sa.column('issuer', sa.String), sa.column('expires_on', sa.Date))
    op.get_bind().execute(certificate.insert().from_select(
        ['product_id', 'stars', 'decision_no', 'decided_on', 'issuer', 'expires_on'],
        sa.select(product.c.id, product.c.ocop_stars, product.c.ocop_certificate_no, product.c.ocop_certified_on,
                  sa.literal(''), product.c.ocop_expires_on)))


def downgrade():
    op.drop_column('product', 'sold_when_expired')
    op.drop_column('product', 'ocop_reevaluation')
    op.drop_index(op.f('ix_certificate_product_id'), table_name='certificate')
    op.drop_table('certificate')
