from django import template

register = template.Library()


@register.inclusion_tag("admin/dashboard/link.html", takes_context=True)
def dashboard_link(context):
    """The admin home's link to the dashboard, for those who may see it."""
    return {"shown": context["request"].user.has_perm("dashboard.view_dashboard")}
