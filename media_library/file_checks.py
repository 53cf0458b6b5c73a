"""Checks of an uploaded file before it is stored: what it is, and a video's or recording's
tags removed. Every way a file is stored comes through media_file_check."""

from __future__ import annotations

import dataclasses

from .validation import UploadInfo, upload_inspect
from .validation.av_metadata import av_probe, av_strip_metadata


def media_file_check(*, file) -> UploadInfo:
    """What the upload `file` is (validation.upload_inspect), a video's or recording's tags
    removed (media_file_strip). Raises ValidationError for a refused file."""
    return media_file_strip(file=file, info=upload_inspect(file))


def media_file_strip(*, file, info: UploadInfo) -> UploadInfo:
    """For a video or recording, the content of the accepted upload `file` replaced by a copy
    without location, device or any other tags (ffmpeg, in a process of its own:
    validation/av_metadata.py), and its info with the new size; other kinds unchanged. Every
    way a video or recording is stored comes through here: the students' upload and edit
    pages, the Wagtail admin's media form (admin_forms). Raises ValidationError for a file
    ffmpeg cannot remux; nothing is stored then. (Photos are rewritten where they are
    stored, from a copy in memory: metadata.py.)"""
    if info.kind not in ("video", "audio"):
        return info
    size = av_strip_metadata(file, info.mime_type)
    probe = av_probe(file.file.name)  # the copy, a named temporary file
    return dataclasses.replace(info, size=size, duration=probe.duration if probe else None)
