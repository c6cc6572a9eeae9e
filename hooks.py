from odoo.tools import SQL


def uninstall_hook(env):
    """Forget the "by Chorus Pro" sending method before Odoo removes it.

    ``invoice_sending_method`` is company-dependent (one jsonb value per company): Odoo's clean-up of a
    removed selection value compares that column with text and fails, so the value is taken out of each
    partner's jsonb here and its selection record removed before Odoo looks for it.
    """
    env.cr.execute(
        SQL(
            """
            UPDATE res_partner
               SET invoice_sending_method = NULLIF(
                       (SELECT COALESCE(jsonb_object_agg(key, value), '{}'::jsonb)
                          FROM jsonb_each(invoice_sending_method)
                         WHERE value <> to_jsonb(%(value)s::text)),
                       '{}'::jsonb)
             WHERE invoice_sending_method IS NOT NULL
               AND EXISTS (SELECT 1 FROM jsonb_each(invoice_sending_method) WHERE value = to_jsonb(%(value)s::text))
            """,
            value="chorus_pro",
        )
    )
    env.cr.execute(
        SQL(
            """
            WITH removed AS (
                DELETE FROM ir_model_fields_selection
                 WHERE value = %(value)s
                   AND field_id IN (SELECT id FROM ir_model_fields
                                     WHERE model = 'res.partner' AND name = 'invoice_sending_method')
             RETURNING id
            )
            DELETE FROM ir_model_data
             WHERE model = 'ir.model.fields.selection' AND res_id IN (SELECT id FROM removed)
            """,
            value="chorus_pro",
        )
    )
    env.registry.clear_cache()
