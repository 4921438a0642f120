"""review: buyers' reviews from received order lines; product.rating_sum/rating_count

Revision ID: 0032_reviews
Revises: 0031_user_name_folded
Create Date: 2026-12-05 07:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0032_reviews'
down_revision = '0031_user_name_folded'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('order_line_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('author_name', sa.String(length=60), nullable=False),
        sa.Column('rating', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), server_default='', nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('photo_stem', sa.String(length=64), nullable=True),
        sa.Column('photo_width', sa.Integer(), nullable=True),
        sa.Column('photo_height', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('hidden_reason', sa.String(length=300), server_default='', nullable=False),
        sa.Column('answer', sa.Text(), server_default='', nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_review_rating_range')),
        sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_review_answered_by_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['order_line_id'], ['order_line.id'], name=op.f('fk_review_order_line_id_order_line'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_review_product_id_product'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_review_user_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
        sa.UniqueConstraint('order_line_id', name=op.f('uq_review_order_line_id')),
    )
    op.create_index('ix_review_product_status', 'review', ['product_id', 'status', 'id'], unique=False)
    op.create_index(op.f('ix_review_status'), 'review', ['status'], unique=False)
    op.create_index(op.f('ix_review_user_id'), 'review', ['user_id'], unique=False)
    op.add_column('product', sa.Column('rating_sum', sa.Integer(), server_default='0', nullable=False))
    op.add_column('product', sa.Column('rating_count', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    op.drop_column('product', 'rating_count')
    op.drop_column('product', 'rating_sum')
    op.drop_index(op.f('ix_review_user_id'), table_name='review')
    op.drop_index(op.f('ix_review_status'), table_name='review')
    op.drop_index('ix_review_product_status', table_name='review')
    op.drop_table('review')
