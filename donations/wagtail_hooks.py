"""The donations report in the Wagtail admin (Reports > Donations): filters by status, date,
class and page, totals, and CSV / XLSX export (Wagtail's report export). School admins see
every donation, teachers those to their classes' pages; anyone else gets a 404."""

import datetime

import django_filters
from django.http import Http404
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from core.dashboard import DashboardPanel

from . import selectors
from .dashboard import donations_this_month
from .models import Donation, Status
from .permissions import can_view_donations


class DonationReportFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    created_at = django_filters.DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)
    classroom = django_filters.ModelChoiceFilter(
        label="Class",
        empty_label="Any class",
        queryset=lambda request: selectors.report_classrooms(user=request.user),
    )
    page = django_filters.ModelChoiceFilter(
        label="Page",
        empty_label="Any page",
        queryset=lambda request: selectors.report_pages(user=request.user),
    )

    class Meta:
        model = Donation
        fields = ["status", "created_at", "classroom", "page"]


class DonationReportView(ReportView):
    page_title = "Donations"
    header_icon = "pick"
    results_template_name = "donations/admin/report_results.html"
    filterset_class = DonationReportFilterSet
    index_url_name = "donations_report"
    index_results_url_name = "donations_report_results"
    model = Donation
    columns = [
        DateColumn("created_at", label="Date"),
        Column("amount", label="Amount (KES)"),
        Column("get_status_display", label="Status"),
        Column("page_title", label="Page"),
        Column("classroom", label="Class"),
        Column("donor_name", label="Donor"),
        Column("message", label="Message"),
        Column("masked_phone", label="Phone"),
        Column("mpesa_receipt", label="M-Pesa receipt"),
        Column("result_description", label="Result"),
    ]
    list_export = [
        "created_at",
        "amount",
        "status",
        "page_title",
        "classroom",
        "donor_name",
        "message",
        "masked_phone",
        "mpesa_receipt",
        "transaction_date",
        "result_code",
        "result_description",
        "checkout_request_id",
    ]
    export_headings = {
        "created_at": "Date",
        "amount": "Amount (KES)",
        "page_title": "Page",
        "classroom": "Class",
        "masked_phone": "Phone",
        "mpesa_receipt": "M-Pesa receipt",
        "result_description": "Result",
    }

    def dispatch(self, request, *args, **kwargs):
        # Not a 403: the report is simply not there for those who may not see it.
        if not can_view_donations(request.user):
            raise Http404("No such report")
        return super().dispatch(request, *args, **kwargs)

    @property
    def permission_policy(self):
        return None  # checked in dispatch; what is listed comes from selectors.donation_list

    def get_queryset(self):
        return selectors.donation_list(user=self.request.user)

    def get_filename(self):
        return f"donations-{datetime.date.today():%Y-%m-%d}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = selectors.donation_totals(self.object_list)
        return context


class DonationsReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_donations(request.user)


@hooks.register("register_reports_menu_item")
def register_donations_report_menu_item():
    return DonationsReportMenuItem(
        "Donations", reverse("donations_report"), name="donations", icon_name="pick", order=50
    )


@hooks.register("register_admin_urls")
def register_donations_report_urls():
    return [
        path("reports/donations/", DonationReportView.as_view(), name="donations_report"),
        path(
            "reports/donations/results/",
            DonationReportView.as_view(results_only=True),
            name="donations_report_results",
        ),
    ]


@hooks.register("construct_homepage_panels")
def donations_dashboard_panel(request, panels):
    """This month's donations, for whoever may open the report (its own scope)."""
    if can_view_donations(request.user):
        panels.append(
            DashboardPanel(
                name="donations-month",
                heading="Donations this month",
                template_name="donations/admin/dashboard_donations.html",
                context=donations_this_month(user=request.user),
                order=110,
            )
        )
