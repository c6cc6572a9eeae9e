/** @odoo-module */

import { registry } from "@web/core/registry";

// The buyer suspended an invoice: the accountant completes it from Odoo with a comment.
registry.category("web_tour.tours").add("chorus_complete_invoice", {
    steps: () => [
        {
            content: "Complete it on Chorus Pro",
            trigger: "button[name=action_chorus_complete]",
            run: "click",
        },
        {
            content: "The wizard shows the buyer's reason",
            trigger: ".modal .alert-warning:contains(RIB manquant)",
        },
        {
            content: "Write the answer",
            trigger: ".modal div[name=comment] textarea",
            run: "edit RIB joint, merci.",
        },
        {
            content: "Complete",
            trigger: ".modal button[name=action_complete]",
            run: "click",
        },
        {
            content: "The chatter says what was sent",
            trigger: ".o-mail-Message:contains(Completed on Chorus Pro with this comment)",
        },
    ],
});
