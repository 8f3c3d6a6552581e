"""research: studies with versioned consent texts, invitations, participations with study
codes and their consent records, and the programme of daily prompts

New tables only; posts withdrawn from a study use the new status value "withdrawn" in the
existing ``status`` columns of stories and replies (plain strings, no schema change).

Revision ID: 0dc07bddd242
Revises: 47f7c1168907
Create Date: 2026-11-23 18:18:22.481325

"""
from alembic import op
import sqlalchemy as sa

import app.database


# revision identifiers, used by Alembic.
revision = '0dc07bddd242'
down_revision = '47f7c1168907'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('research_studies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('consent_version', sa.Integer(), nullable=False),
    sa.Column('last_code', sa.Integer(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_research_studies_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_research_studies')),
    sa.UniqueConstraint('group_id', name=op.f('uq_research_studies_group_id'))
    )
    op.create_table('research_consent_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('created_by_name', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['study_id'], ['research_studies.id'], name=op.f('fk_research_consent_texts_study_id_research_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_research_consent_texts')),
    sa.UniqueConstraint('study_id', 'version', name='uq_research_consent_texts_version')
    )
    op.create_table('research_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('expires_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('max_uses', sa.Integer(), nullable=False),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.Column('revoked_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('created_by_name', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['study_id'], ['research_studies.id'], name=op.f('fk_research_invitations_study_id_research_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_research_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_research_invitations_token_hash'))
    )
    with op.batch_alter_table('research_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_research_invitations_study_id'), ['study_id'], unique=False)

    op.create_table('research_prompts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('video_url', sa.String(length=500), nullable=False),
    sa.Column('opens_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=True),
    sa.Column('reflection_story_id', sa.Integer(), nullable=True),
    sa.Column('announced_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('reminded_at', app.database.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_research_prompts_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reflection_story_id'], ['stories.id'], name=op.f('fk_research_prompts_reflection_story_id_stories'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_research_prompts_story_id_stories'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['study_id'], ['research_studies.id'], name=op.f('fk_research_prompts_study_id_research_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_research_prompts')),
    sa.UniqueConstraint('study_id', 'day', name='uq_research_prompts_day')
    )
    with op.batch_alter_table('research_prompts', schema=None) as batch_op:
        batch_op.create_index('ix_research_prompts_opens', ['opens_at'], unique=False)

    op.create_table('research_participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('joined_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('consent_version', sa.Integer(), nullable=False),
    sa.Column('consented_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('withdrawn_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['invitation_id'], ['research_invitations.id'], name=op.f('fk_research_participations_invitation_id_research_invitations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['study_id'], ['research_studies.id'], name=op.f('fk_research_participations_study_id_research_studies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_research_participations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_research_participations')),
    sa.UniqueConstraint('study_id', 'code', name='uq_research_participations_code'),
    sa.UniqueConstraint('study_id', 'user_id', name='uq_research_participations_user')
    )
    with op.batch_alter_table('research_participations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_research_participations_user_id'), ['user_id'], unique=False)

    op.create_table('research_consent_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['participation_id'], ['research_participations.id'], name=op.f('fk_research_consent_records_participation_id_research_participations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_research_consent_records'))
    )
    with op.batch_alter_table('research_consent_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_research_consent_records_participation_id'), ['participation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('research_consent_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_research_consent_records_participation_id'))

    op.drop_table('research_consent_records')
    with op.batch_alter_table('research_participations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_research_participations_user_id'))

    op.drop_table('research_participations')
    with op.batch_alter_table('research_prompts', schema=None) as batch_op:
        batch_op.drop_index('ix_research_prompts_opens')

    op.drop_table('research_prompts')
    with op.batch_alter_table('research_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_research_invitations_study_id'))

    op.drop_table('research_invitations')
    op.drop_table('research_consent_texts')
    op.drop_table('research_studies')
