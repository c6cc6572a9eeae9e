"""Claiming and committing work, so that several Odoo workers can run a job or a sending side by side.

A batch is claimed in one statement (``ORDER BY ... LIMIT ... FOR UPDATE SKIP LOCKED``): rows another
worker holds are passed over and the next free ones taken instead. The lock lasts until the
transaction ends, so the job commits once, after the whole batch, and reports its progress to
``ir.cron``, which runs it again at once while work remains (no trigger of its own on top).
"""

import contextlib
import logging

import psycopg2.errors

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def claim_batch(model, domain, batch_size, order="id"):
    """Up to ``batch_size`` records of ``model`` matching ``domain``, their rows locked for this transaction."""
    query = model._search(domain, order=order, limit=batch_size)
    locking = SQL("%s FOR UPDATE OF %s SKIP LOCKED", query.select(), SQL.identifier(model._table))
    model.env.flush_query(locking)
    # A serialization failure is the expected answer when another worker committed these rows since this
    # transaction began: the caller handles it, so it is not logged as a bad query.
    model.env.cr.execute(locking, log_exceptions=False)
    return model.browse(row[0] for row in model.env.cr.fetchall())


def claim_available(model, domain, limit, order="id"):
    """Like ``claim_batch``, but passes over the rows another transaction changed since this one began.

    Under Odoo's repeatable read, locking such a row fails the whole statement; the rows are then
    locked one by one and those that cannot be are left for the next run.
    """
    try:
        with model.env.cr.savepoint(flush=False):
            return claim_batch(model, domain, limit, order)
    except psycopg2.errors.SerializationFailure:
        pass
    return model.search(domain, order=order, limit=limit).filtered(try_lock_row)


def try_lock_row(record):
    """Lock ``record``'s row for the transaction; False when another transaction holds it, or changed it
    since ours began (Odoo's repeatable read): what that one did is not visible here."""
    try:
        with record.env.cr.savepoint(flush=False):
            # Failing here is the expected answer to a second worker, not a bad query to log.
            record.env.cr.execute(
                SQL("SELECT id FROM %s WHERE id = %s FOR UPDATE NOWAIT", SQL.identifier(record._table), record.id),
                log_exceptions=False,
            )
    except (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure):
        return False
    return True


@contextlib.contextmanager
def isolated(env, description):
    """One unit of a job (a company's share of it): a failure there is logged once and undoes only that unit.

    Where the job commits as it goes, the unit starts from a commit and a failure rolls back to it; in
    tests, which cannot commit, a savepoint does the same.
    """
    try:
        if env["account.move.send"]._can_commit():
            env.cr.commit()  # pylint: disable=invalid-commit
            try:
                yield
            except Exception:
                env.cr.rollback()
                raise
        else:
            with env.cr.savepoint():
                yield
    except Exception:
        _logger.exception("%s failed; the other companies go on", description)


def commit_if_allowed(env):
    """Make what was written so far durable (a finished batch, a marker before an HTTP call), releasing the
    rows it locked, where committing is allowed: never inside tests, where it is only flushed."""
    env.cr.flush()
    if env["account.move.send"]._can_commit():
        env.cr.commit()  # pylint: disable=invalid-commit
