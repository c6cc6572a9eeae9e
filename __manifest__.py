{
    "name": "France - Chorus Pro",
    "summary": "Send customer invoices to French public buyers through Chorus Pro and follow them until paid",
    "version": "18.0.1.0.0",
    "category": "Accounting/Localizations/EDI",
    "countries": ["fr"],
    "author": "l10n_fr_chorus_pro developers",
    "license": "LGPL-3",
    "depends": [
        "account",
        "mail",
        "l10n_fr_account",
        "l10n_fr_facturx_chorus_pro",
    ],
    "external_dependencies": {
        "python": ["factur-x", "saxonche", "pypdf", "lxml", "requests"],
    },
    "data": [
        "security/chorus_security.xml",
        "security/ir.model.access.csv",
        "views/chorus_service_views.xml",
        "views/chorus_flux_views.xml",
        "views/chorus_send_wizard_views.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "data/ir_cron.xml",
        "views/chorus_answer_wizard_views.xml",
    ],
    "demo": [
        "demo/chorus_demo.xml",
        "demo/chorus_demo_invoices.xml",
    ],
    "assets": {
        "web.assets_tests": ["l10n_fr_chorus_pro/static/tests/tours/*.js"],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
