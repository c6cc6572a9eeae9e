/** @odoo-module */

import { registry } from "@web/core/registry";

// An accountant selects three invoices in the list and sends them to Chorus Pro in one go.
registry.category("web_tour.tours").add("chorus_send_selection", {
    steps: () => [
        {
            content: "The three invoices are listed",
            trigger: ".o_list_view .o_data_row:nth-child(3)",
        },
        {
            content: "Select them all",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the Actions menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Send to Chorus Pro",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains(Send to Chorus Pro)",
            run: "click",
        },
        {
            content: "The wizard lists the three, ready",
            trigger: ".modal .o_data_row:nth-child(3):contains(Ready for Chorus Pro)",
        },
        {
            content: "Send",
            trigger: ".modal button[name=action_send]",
            run: "click",
        },
        {
            content: "Chorus Pro took the three",
            trigger: ".modal .alert-success:contains(Sent: 3.)",
        },
        {
            content: "Close the summary",
            trigger: ".modal .modal-footer button:contains(Close)",
            run: "click",
        },
        {
            content: "The list shows them sent",
            trigger: ".o_list_view .o_data_row:nth-child(3) .badge:contains(Sent)",
        },
    ],
});
