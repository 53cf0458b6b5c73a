"""The two JSON endpoints of a direct upload to Cloudinary (media_library.direct_uploads),
for the upload page's script (static/js/upload.js): signing one upload, and completing it
with Cloudinary's answer. Thin: the form parses, the service decides."""

from __future__ import annotations

import json
import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.ratelimit import ratelimit

from . import direct_uploads
from .consent_rules import visibilities_allowed
from .direct_upload_models import DirectUpload
from .forms import DirectUploadForm
from .views import MESSAGE_STORAGE_FAILED, _allow_public, _uploaded

logger = logging.getLogger(__name__)


def _errors(errors: dict, status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


@login_required
@require_POST
@ratelimit("media_upload", what=_("uploads"))
def direct_upload_sign(request):
    form = DirectUploadForm(
        request.POST,
        user=request.user,
        allow_public=_allow_public(request),
        consented=visibilities_allowed(request.user),
    )
    if not form.is_valid():
        return _errors(form.errors.get_json_data())
    try:
        signed = direct_uploads.direct_upload_sign(user=request.user, **form.sign_data())
    except ValidationError as error:
        form.add_service_errors(error)
        return _errors(form.errors.get_json_data())
    except PermissionDenied as error:
        return _errors({"classroom": [{"message": str(error)}]}, status=403)
    signed["complete_url"] = reverse("media_library:direct-upload-complete", args=[signed["id"]])
    return JsonResponse(signed, status=201)


@login_required
@require_POST
def direct_upload_complete(request, pk):
    try:
        response = json.loads(request.body or b"{}").get("response") or {}
    except (ValueError, AttributeError):
        response = {}
    if not isinstance(response, dict):
        response = {}
    try:
        page = direct_uploads.direct_upload_complete(
            user=request.user, upload_id=pk, response=response
        )
    except DirectUpload.DoesNotExist:
        raise Http404("No such upload") from None
    except (ValidationError, PermissionDenied) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        return _errors({"__all__": [{"message": message} for message in messages]})
    except OSError:
        logger.exception("Completing a direct upload failed")
        return _errors({"__all__": [{"message": MESSAGE_STORAGE_FAILED}]}, status=503)
    return _uploaded(request, page)
