"""search: the outbox of index changes, and the documents for PostgreSQL full-text search

On PostgreSQL this also makes the ``lotgenoten_nl`` text search configuration: Dutch
stemming and stop words, with accents folded by ``unaccent`` first. ``unaccent`` is a trusted
extension (PostgreSQL 13+), so the database owner may create it.

Revision ID: 47f7c1168907
Revises: 9f8a749dd221
Create Date: 2026-11-23 14:43:05.219283

"""
from alembic import op
import sqlalchemy as sa

import app.database
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '47f7c1168907'
down_revision = '9f8a749dd221'
branch_labels = None
depends_on = None


_CONFIG = "lotgenoten_nl"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION {_CONFIG} (COPY = pg_catalog.dutch)")
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {_CONFIG} ALTER MAPPING FOR hword, hword_part, "
            "word, asciiword, asciihword, hword_asciipart WITH unaccent, dutch_stem"
        )
    op.create_table('search_documents',
    sa.Column('key', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('reply_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=40), nullable=False),
    sa.Column('visibility', sa.String(length=20), nullable=False),
    sa.Column('published_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('warnings', sa.String(length=300), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('indexed_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('terms', postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite'), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_search_documents'))
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index('ix_search_documents_group_published', ['group_id', 'published_at'], unique=False)
        batch_op.create_index('ix_search_documents_published', ['published_at'], unique=False)
        batch_op.create_index('ix_search_documents_terms', ['terms'], unique=False, postgresql_using='gin')

    op.create_table('search_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('applied_at', app.database.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox'))
    )
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_search_outbox_applied_id', ['applied_at', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_search_outbox_applied_id')

    op.drop_table('search_outbox')
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_terms', postgresql_using='gin')
        batch_op.drop_index('ix_search_documents_published')
        batch_op.drop_index('ix_search_documents_group_published')

    op.drop_table('search_documents')
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {_CONFIG}")
