"""Claiming and committing work, so that several Odoo workers can run a job or a sending side by side.

A batch is claimed in one statement (``ORDER BY ... LIMIT ... FOR UPDATE SKIP LOCKED``): rows another
worker holds are passed over and the next free ones taken instead. The lock lasts until the
transaction ends, so the job commits once, after the whole batch, and reports its progress to
``ir.cron``, which runs it again at once while work remains (no trigger of its own on top).
"""

from odoo.tools import SQL


def claim_batch(model, domain, batch_size, order="id"):
    """Up to ``batch_size`` records of ``model`` matching ``domain``, their rows locked for this transaction."""
    query = model._search(domain, order=order, limit=batch_size)
    locking = SQL("%s FOR UPDATE OF %s SKIP LOCKED", query.select(), SQL.identifier(model._table))
    rows = model.env.execute_query(locking)
    return model.browse(row[0] for row in rows)


def commit_if_allowed(env):
    """Make what was written so far durable (a finished batch, a marker before an HTTP call), releasing the
    rows it locked, where committing is allowed: never inside tests, where it is only flushed."""
    env.cr.flush()
    if env["account.move.send"]._can_commit():
        env.cr.commit()  # pylint: disable=invalid-commit
