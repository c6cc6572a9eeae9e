/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// An accountant sees what Chorus Pro still needs, fills it, and the banner goes away.
registry.category("web_tour.tours").add("chorus_preflight_banner", {
    steps: () => [
        {
            content: "The banner says the buyer requires an engagement number",
            trigger: ".alert[name=chorus_preflight_banner]:contains(requires an engagement number)",
        },
        {
            content: "Open the tab holding the Chorus Pro fields",
            trigger: ".o_notebook .nav-link[name=other_info]",
            run: "click",
        },
        {
            content: "The service of the buyer is proposed",
            trigger: "div[name=chorus_service_id] input",
            run: "edit FIN",
        },
        {
            content: "Choose it",
            trigger: ".o-autocomplete--dropdown-item:contains(FINANCES)",
            run: "click",
        },
        {
            content: "The service code follows the service",
            trigger: "div[name=buyer_reference] input:value(FINANCES)",
        },
        {
            content: "Enter the engagement number of the purchase order",
            trigger: "div[name=purchase_order_reference] input",
            run: "edit EJ-2026-0042 && press Tab",
        },
        {
            content: "Nothing is missing any more: the banner is gone",
            trigger: ".o_form_view:not(:has(.alert[name=chorus_preflight_banner]:visible))",
        },
        ...stepUtils.saveForm(),
    ],
});
