-- Distributes GoalsDashboard's tables over a Citus cluster (docs/decisions/ADR-004-postgresql.md).
-- Run once on the coordinator, after the app created its tables (its migrations) and before data is loaded:
--   psql -h coordinator -d goals -v ON_ERROR_STOP=1 -f distribute.sql
-- The lists below are the ones PostgresDbContext declares; a test keeps this file and the model in step.
-- Table names with capitals are quoted inside the string (a regclass); column names are given as they are.

SELECT citus_set_coordinator_host('coordinator', 5432);
SELECT citus_add_node('worker1', 5432);
SELECT citus_add_node('worker2', 5432);

-- Per-profile tables, distributed by profile and co-located, so a profile's history, results and marks
-- live on one worker and join there. Each one's primary key and unique indexes include the profile.
SELECT create_distributed_table('profiles', 'Id');
SELECT create_distributed_table('events', 'ProfileId', colocate_with => 'profiles');
SELECT create_distributed_table('property_changes', 'ProfileId', colocate_with => 'profiles');
SELECT create_distributed_table('profile_properties', 'ProfileId', colocate_with => 'profiles');
SELECT create_distributed_table('completions', 'ProfileId', colocate_with => 'profiles');
SELECT create_distributed_table('conversions', 'ProfileId', colocate_with => 'profiles');
SELECT create_distributed_table('audience_entries', 'ProfileId', colocate_with => 'profiles');
SELECT create_distributed_table('pending_evaluations', 'ProfileId', colocate_with => 'profiles');

-- The two lookups that are unique across the workspace, distributed by their own key:
-- a client's profile id to the internal one, an event id to the event that claimed it.
SELECT create_distributed_table('profile_keys', 'ExternalId');
SELECT create_distributed_table('event_keys', 'EventId');

-- Small tables every worker joins with: copied to every node.
SELECT create_reference_table('goals');
SELECT create_reference_table('goal_campaigns');
SELECT create_reference_table('campaigns');
SELECT create_reference_table('segments');
SELECT create_reference_table('funnels');
SELECT create_reference_table('funnel_steps');
SELECT create_reference_table('sites');
SELECT create_reference_table('event_names');
SELECT create_reference_table('workspace_settings');
SELECT create_reference_table('api_tokens');
SELECT create_reference_table('history');
SELECT create_reference_table('counters');
SELECT create_reference_table('annotations');
SELECT create_reference_table('"AspNetUsers"');
SELECT create_reference_table('"AspNetRoles"');
SELECT create_reference_table('"AspNetUserRoles"');
SELECT create_reference_table('"AspNetUserClaims"');
SELECT create_reference_table('"AspNetRoleClaims"');
SELECT create_reference_table('"AspNetUserLogins"');
SELECT create_reference_table('"AspNetUserTokens"');

-- Left on the coordinator: the change log (one ordered sequence, read by every app instance) and EF Core's
-- migration history.
