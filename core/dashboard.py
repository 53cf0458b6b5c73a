"""A panel of the Wagtail admin's dashboard (the `construct_homepage_panels` hook): each app
adds its own, with figures from its own selectors, so the dashboard imports none of them."""

from __future__ import annotations

from wagtail.admin.ui.components import Component


class DashboardPanel(Component):
    """A heading and a template, with its context already computed by the app's selectors."""

    def __init__(self, *, name: str, heading: str, template_name: str, context: dict, order: int):
        self.name = name
        self.heading = heading
        self.template_name = template_name
        self.order = order
        self._context = context

    def get_context_data(self, parent_context=None) -> dict:
        return {"panel_id": self.name, "heading": self.heading, **self._context}
