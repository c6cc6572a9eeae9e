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
    model.env.flush_query(locking)
    # A serialization failure is the expected answer when another worker committed these rows since this
    # transaction began: the caller handles it, so it is not logged as a bad query.
    model.env.cr.execute(locking, log_exceptions=False)
    return model.browse(row[0] for row in model.env.cr.fetchall())


def commit_if_allowed(env):
    """Make what was written so far durable (a finished batch, a marker before an HTTP call), releasing the
    rows it locked, where committing is allowed: never inside tests, where it is only flushed."""
    env.cr.flush()
    if env["account.move.send"]._can_commit():
        env.cr.commit()  # pylint: disable=invalid-commit
