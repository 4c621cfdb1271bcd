from django import template

from ..models import ReaderMessage

register = template.Library()


@register.inclusion_tag("admin/letters/inbox_summary.html", takes_context=True)
def inbox_summary(context):
    """The admin home's line on new readers' messages, for those who read them."""
    user = context["request"].user
    if not user.has_perm("letters.view_readermessage"):
        return {}
    new = ReaderMessage.objects.for_staff(user).filter(state=ReaderMessage.State.NEW)
    return {"new_messages": new.count()}
