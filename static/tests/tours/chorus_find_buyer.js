/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// An accountant invoices a town hall not yet known as a public buyer: finds it on Chorus Pro by name,
// and the invoice then asks for what that buyer requires.
registry.category("web_tour.tours").add("chorus_find_buyer", {
    steps: () => [
        {
            content: "The customer is not a public buyer yet: find it on Chorus Pro",
            trigger: "button[name=action_chorus_find_buyer]",
            run: "click",
        },
        {
            content: "Search by a word of its name",
            trigger: ".modal div[name=search_name] input",
            run: "edit toulouse",
        },
        {
            content: "Search",
            trigger: ".modal button[name=action_search]",
            run: "click",
        },
        {
            content: "Chorus Pro knows it, with its SIRET, city and what it requires",
            trigger: ".modal .o_data_row:contains(COMMUNE DE TOULOUSE):contains(21108638000105):contains(Engagement number)",
        },
        {
            content: "Choose it",
            trigger: ".modal .o_data_row:contains(COMMUNE DE TOULOUSE) button[name=action_choose]",
            run: "click",
        },
        {
            content: "The customer is now the public buyer, and the banner asks for its engagement number",
            trigger: ".alert[name=chorus_preflight_banner]:contains(COMMUNE DE TOULOUSE requires an engagement number)",
        },
        {
            content: "Enter the engagement number of its purchase order",
            trigger: "div[name=purchase_order_reference] input",
            run: "edit EJ-26100007 && press Tab",
        },
        {
            content: "Nothing is missing any more",
            trigger: ".o_form_view:not(:has(.alert[name=chorus_preflight_banner]:visible))",
        },
        ...stepUtils.saveForm(),
    ],
});
