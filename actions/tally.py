"""The overview's totals, kept up to date by the database instead of counted over every action.

`ActionTally` holds, per school year, axis and state, the number of actions, pupils reached
and events held. Database triggers keep it as actions are added, changed, moved or removed
and as a plan changes school year, whatever path writes (forms, admin, bulk loads, COPY):
the overview of actions reads its totals, chart, axes and years from these few hundred rows
rather than from every action (make bench: 100,000 conventions, 380,000 actions).

On PostgreSQL the triggers are per statement, with transition tables, so that a bulk load
updates each tally row once; on SQLite, per row. `rebuild()` recounts everything (after a
restore, or to check: the tests compare it with a live count). Installed by migration 0007
and again after every `migrate` (`ActionsConfig.ready`), as on SQLite a later migration that
rebuilds a table drops its triggers.
"""

from django.db import connection as default_connection
from django.db import transaction

TALLY = "actions_actiontally"
COLUMNS = "school_year, axis, status, actions, pupils, events"
ADD = (
    "ON CONFLICT (school_year, axis, status) DO UPDATE SET "
    f"actions = {TALLY}.actions + excluded.actions, "
    f"pupils = {TALLY}.pupils + excluded.pupils, "
    f"events = {TALLY}.events + excluded.events"
)


def _sqlite_add(row: str) -> str:
    return (
        f"INSERT INTO {TALLY} ({COLUMNS}) "
        f"SELECT p.school_year, {row}.axis, {row}.status, 1, "
        f"COALESCE({row}.pupils_reached, 0), COALESCE({row}.events_held, 0) "
        f"FROM actions_actionplan p WHERE p.id = {row}.plan_id {ADD};"
    )


def _sqlite_remove(row: str) -> str:
    return (
        f"UPDATE {TALLY} SET actions = actions - 1, "
        f"pupils = pupils - COALESCE({row}.pupils_reached, 0), "
        f"events = events - COALESCE({row}.events_held, 0) "
        "WHERE school_year = "
        f"(SELECT school_year FROM actions_actionplan WHERE id = {row}.plan_id) "
        f"AND axis = {row}.axis AND status = {row}.status;"
    )


def _plan_sums(plan: str, sign: str, year: str) -> str:
    """Upsert of one plan's actions, grouped, with `sign` (+ or -) on `year`."""
    return (
        f"INSERT INTO {TALLY} ({COLUMNS}) "
        f"SELECT {year}, axis, status, {sign}COUNT(*), {sign}SUM(COALESCE(pupils_reached, 0)), "
        f"{sign}SUM(COALESCE(events_held, 0)) FROM actions_action WHERE plan_id = {plan} "
        f"GROUP BY axis, status {ADD};"
    )


SQLITE_TRIGGERS = {
    "actions_tally_insert": "AFTER INSERT ON actions_action BEGIN " + _sqlite_add("NEW") + " END",
    "actions_tally_delete": "AFTER DELETE ON actions_action BEGIN "
    + _sqlite_remove("OLD")
    + " END",
    "actions_tally_update": "AFTER UPDATE OF plan_id, axis, status, pupils_reached, events_held "
    "ON actions_action BEGIN " + _sqlite_remove("OLD") + " " + _sqlite_add("NEW") + " END",
    "actions_tally_plan_year": "AFTER UPDATE OF school_year ON actions_actionplan "
    "WHEN OLD.school_year <> NEW.school_year BEGIN "
    + _plan_sums("NEW.id", "-", "OLD.school_year")
    + " "
    + _plan_sums("NEW.id", "", "NEW.school_year")
    + " END",
}


def _pg_sums(rows: str, sign: str) -> str:
    """Upsert of the transition table `rows`, grouped by year, axis and state."""
    return (
        f"INSERT INTO {TALLY} ({COLUMNS}) "
        f"SELECT p.school_year, r.axis, r.status, {sign}COUNT(*), "
        f"{sign}SUM(COALESCE(r.pupils_reached, 0)), {sign}SUM(COALESCE(r.events_held, 0)) "
        f"FROM {rows} r JOIN actions_actionplan p ON p.id = r.plan_id "
        f"GROUP BY p.school_year, r.axis, r.status {ADD};"
    )


CHANGED = "{r}.plan_id, {r}.axis, {r}.status, {r}.pupils_reached, {r}.events_held"


def _changed(side: str, sign: str) -> str:
    """The `side` ("o": old, "n": new) of the updated rows whose counted columns changed."""
    return (
        f"SELECT p.school_year, {side}.axis, {side}.status, {sign}1 AS n, "
        f"{sign}COALESCE({side}.pupils_reached, 0) AS pupils, "
        f"{sign}COALESCE({side}.events_held, 0) AS events "
        "FROM old_rows o JOIN new_rows n ON n.id = o.id "
        f"JOIN actions_actionplan p ON p.id = {side}.plan_id "
        f"WHERE ({CHANGED.format(r='o')}) IS DISTINCT FROM ({CHANGED.format(r='n')})"
    )


POSTGRESQL_FUNCTIONS = {
    "actions_tally_inserted": _pg_sums("new_rows", ""),
    "actions_tally_deleted": _pg_sums("old_rows", "-"),
    # Only the rows whose counted columns changed: the others would add and take away the
    # same, and lock the tally rows for nothing.
    "actions_tally_updated": (
        f"INSERT INTO {TALLY} ({COLUMNS}) "
        "SELECT school_year, axis, status, SUM(n), SUM(pupils), SUM(events) FROM ("
        + _changed("o", "-")
        + " UNION ALL "
        + _changed("n", "")
        + f") d GROUP BY school_year, axis, status {ADD};"
    ),
    "actions_tally_plan_year": (
        "IF OLD.school_year <> NEW.school_year THEN "
        + _plan_sums("NEW.id", "-", "OLD.school_year")
        + _plan_sums("NEW.id", "", "NEW.school_year")
        + " END IF;"
    ),
}
POSTGRESQL_TRIGGERS = {
    "actions_tally_inserted": "AFTER INSERT ON actions_action REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT",
    "actions_tally_deleted": "AFTER DELETE ON actions_action REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT",
    "actions_tally_updated": "AFTER UPDATE ON actions_action "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT",
    "actions_tally_plan_year": "AFTER UPDATE OF school_year ON actions_actionplan FOR EACH ROW",
}
POSTGRESQL_TABLES = {
    "actions_tally_inserted": "actions_action",
    "actions_tally_deleted": "actions_action",
    "actions_tally_updated": "actions_action",
    "actions_tally_plan_year": "actions_actionplan",
}


def install(connection=default_connection):
    """(Re)create the triggers: idempotent. Not before the tally's table exists (a database
    migrated back to before it, as the upgrade tests do)."""
    if TALLY not in connection.introspection.table_names():
        return
    statements = []
    if connection.vendor == "sqlite":
        for name, body in SQLITE_TRIGGERS.items():
            statements += [f"DROP TRIGGER IF EXISTS {name}", f"CREATE TRIGGER {name} {body}"]
    elif connection.vendor == "postgresql":
        for name, body in POSTGRESQL_FUNCTIONS.items():
            statements += [
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {body} RETURN NULL; END $$",
                f"DROP TRIGGER IF EXISTS {name} ON {POSTGRESQL_TABLES[name]}",
                f"CREATE TRIGGER {name} {POSTGRESQL_TRIGGERS[name]} EXECUTE FUNCTION {name}()",
            ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection=default_connection):
    """Drop the triggers (migrating back to before the tally)."""
    if connection.vendor == "sqlite":
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
    elif connection.vendor == "postgresql":
        statements = [
            f"DROP TRIGGER IF EXISTS {name} ON {POSTGRESQL_TABLES[name]}"
            for name in POSTGRESQL_TRIGGERS
        ]
    else:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def rebuild(connection=default_connection):
    """Recount the tally from every action."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TALLY}")
        cursor.execute(
            f"INSERT INTO {TALLY} ({COLUMNS}) "
            "SELECT p.school_year, a.axis, a.status, COUNT(*), "
            "SUM(COALESCE(a.pupils_reached, 0)), SUM(COALESCE(a.events_held, 0)) "
            "FROM actions_action a JOIN actions_actionplan p ON p.id = a.plan_id "
            "GROUP BY p.school_year, a.axis, a.status"
        )
