"""joint intake, shared plan of action, plan history and versioned PIP

Revision ID: 0002_plans
Revises: 0001
Create Date: 2026-11-23 10:45:03.811474
"""

from alembic import op
import sqlalchemy as sa


revision = '0002_plans'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('pips',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('term_start', sa.Date(), nullable=False),
    sa.Column('route', sa.String(length=20), nullable=False),
    sa.Column('language_level', sa.String(length=5), nullable=False),
    sa.Column('duration_months', sa.Integer(), nullable=False),
    sa.Column('preconditions', sa.Text(), nullable=False),
    sa.Column('guidance', sa.Text(), nullable=False),
    sa.Column('map_intensity', sa.String(length=100), nullable=False),
    sa.Column('pvt_intensity', sa.String(length=100), nullable=False),
    sa.Column('ontzorgen', sa.Text(), nullable=False),
    sa.Column('ontzorgen_months', sa.Integer(), nullable=False),
    sa.Column('monitoring', sa.Text(), nullable=False),
    sa.Column('vve', sa.Text(), nullable=False),
    sa.Column('lesson_hours', sa.Integer(), nullable=False),
    sa.Column('in_person_hours', sa.Integer(), nullable=False),
    sa.Column('linked_person_id', sa.Integer(), nullable=True),
    sa.Column('change_kind', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_pips_created_by_users')),
    sa.ForeignKeyConstraint(['linked_person_id'], ['persons.id'], name=op.f('fk_pips_linked_person_id_persons')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_pips_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pips')),
    sa.UniqueConstraint('person_id', 'version', name='uq_pips_person_version')
    )
    with op.batch_alter_table('pips', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pips_person_id'), ['person_id'], unique=False)

    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('intake_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('intake_location', sa.String(length=200), nullable=False),
    sa.Column('interpreter_present', sa.Boolean(), nullable=False),
    sa.Column('interpreter_language', sa.String(length=10), nullable=False),
    sa.Column('brp_date', sa.Date(), nullable=True),
    sa.Column('family_reunification', sa.Boolean(), nullable=False),
    sa.Column('private_notes', sa.Text(), nullable=False),
    sa.Column('private_held', sa.Boolean(), nullable=False),
    sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('agreed_by', sa.Integer(), nullable=True),
    sa.Column('agreement_note', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreed_by'], ['users.id'], name=op.f('fk_plans_agreed_by_users')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_plans_created_by_users')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_plans_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('person_id', name=op.f('uq_plans_person_id'))
    )
    op.create_table('domain_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=30), nullable=False),
    sa.Column('relevance', sa.Text(), nullable=False),
    sa.Column('situation', sa.Text(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('level', sa.String(length=2), nullable=False),
    sa.Column('level_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_domain_assessments_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_domain_assessments')),
    sa.UniqueConstraint('plan_id', 'domain', name='uq_domain_assessments_plan_domain')
    )
    with op.batch_alter_table('domain_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_domain_assessments_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=30), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=True),
    sa.Column('own_part', sa.Text(), nullable=False),
    sa.Column('milestone', sa.String(length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('norm_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('blocked_reason', sa.Text(), nullable=False),
    sa.Column('visible_to', sa.JSON(), nullable=False),
    sa.Column('template', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['organisations.id'], name=op.f('fk_plan_actions_owner_id_organisations')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_actions_plan_id_plans')),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_plan_actions_worker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_actions'))
    )
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_actions_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_actions_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('user_name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_history_plan_id_plans')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_plan_history_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_history'))
    )
    with op.batch_alter_table('plan_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_history_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_plan_participants_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_participants_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_participants')),
    sa.UniqueConstraint('plan_id', 'organisation_id', name='uq_plan_participants_plan_org')
    )
    with op.batch_alter_table('plan_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_participants_plan_id'), ['plan_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('plan_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_participants_plan_id'))

    op.drop_table('plan_participants')
    with op.batch_alter_table('plan_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_history_plan_id'))

    op.drop_table('plan_history')
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_actions_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_actions_owner_id'))

    op.drop_table('plan_actions')
    with op.batch_alter_table('domain_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_domain_assessments_plan_id'))

    op.drop_table('domain_assessments')
    op.drop_table('plans')
    with op.batch_alter_table('pips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pips_person_id'))

    op.drop_table('pips')

