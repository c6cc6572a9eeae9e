/** @odoo-module */

import { registry } from "@web/core/registry";

// An accountant sends a ready invoice to Chorus Pro from its form and sees it sent.
registry.category("web_tour.tours").add("chorus_send_invoice", {
    steps: () => [
        {
            content: "The invoice is to be sent",
            trigger: "div[name=chorus_send_state] .badge:contains(To send)",
        },
        {
            content: "Send it to Chorus Pro",
            trigger: "button[name=action_chorus_send]",
            run: "click",
        },
        {
            content: "The wizard says it is ready",
            trigger: ".modal .o_data_row:contains(Ready for Chorus Pro)",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_send]",
            run: "click",
        },
        {
            content: "Chorus Pro took it",
            trigger: ".modal .alert-success:contains(Sent: 1.)",
        },
        {
            content: "Close the summary",
            trigger: ".modal .modal-footer button:contains(Close)",
            run: "click",
        },
        {
            content: "The invoice shows it was sent, with its deposit",
            trigger: "div[name=chorus_send_state] .badge:contains(Sent)",
        },
        {
            content: "The deposit is one click away",
            trigger: "button[name=action_chorus_open_fluxes]:contains(CPP001)",
        },
    ],
});
