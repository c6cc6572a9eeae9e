/** @odoo-module */

import { registry } from "@web/core/registry";

// The accountant opens the Chorus Pro follow-up and keeps only the invoices waiting for them.
registry.category("web_tour.tours").add("chorus_dashboard_to_act", {
    steps: () => [
        {
            content: "Both invoices sent are followed",
            trigger: ".o_list_view .o_data_row:nth-child(2)",
        },
        {
            content: "Open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Keep those to act on",
            trigger: ".o_filter_menu .o-dropdown-item:contains(To act on)",
            run: "click",
        },
        {
            content: "Only the suspended invoice is left, with its badge",
            trigger: ".o_list_view .o_data_row:only-child .badge:contains(Suspended)",
        },
    ],
});
