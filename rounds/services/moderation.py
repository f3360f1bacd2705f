"""Moderation: hide a comment with a public reason, or restore it. Both are audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rounds.models import Comment
from rounds.services.audit import audit_record


@transaction.atomic
def comment_hide(*, comment: Comment, actor, reason: str) -> Comment:
    """Hide a comment; `reason` is shown publicly in its place.

    Raises ValidationError without a reason or when the comment is already hidden.
    """
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the public reason for hiding the comment.")})
    if comment.is_hidden:
        raise ValidationError(_("The comment is already hidden."))
    comment.is_hidden, comment.hidden_reason = True, reason
    comment.full_clean()
    comment.save(update_fields=["is_hidden", "hidden_reason"])
    audit_record(
        actor=actor, action="comment_hide", obj=comment, old={"hidden": False}, new={"reason": reason}
    )
    return comment


@transaction.atomic
def comment_restore(*, comment: Comment, actor) -> Comment:
    """Show a hidden comment again. Raises ValidationError when it is not hidden."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not comment.is_hidden:
        raise ValidationError(_("The comment is not hidden."))
    old_reason = comment.hidden_reason
    comment.is_hidden, comment.hidden_reason = False, ""
    comment.save(update_fields=["is_hidden", "hidden_reason"])
    audit_record(
        actor=actor, action="comment_restore", obj=comment, old={"reason": old_reason}, new={"hidden": False}
    )
    return comment
