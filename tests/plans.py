"""PostgreSQL's plan for a queryset as it would be at scale: on a few test rows a sequential scan
is always cheapest, so it is turned off for the one statement explained."""
from django.db import connection


def plan_at_scale(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
