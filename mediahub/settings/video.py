"""Videos and recordings: posters and durations, delivery from Cloudinary, and browsers'
uploads straight to Cloudinary. Part of the base settings (base.py imports them all); every
variable is in `.env.example`."""

from .env import config

# Videos on local storage get a poster frame made by ffmpeg on the worker (media_library/
# posters.py), a JPEG at most this wide. On Cloudinary, video is delivered (f_auto, q_auto) at
# most CLOUDINARY_VIDEO_MAX_WIDTH wide, and as HLS too with CLOUDINARY_VIDEO_STREAMING_PROFILE
# (a streaming profile of the account, e.g. "hd"; empty: MP4 only).
MEDIA_POSTER_MAX_WIDTH = config("MEDIA_POSTER_MAX_WIDTH", default=960, cast=int)
CLOUDINARY_VIDEO_MAX_WIDTH = config("CLOUDINARY_VIDEO_MAX_WIDTH", default=1280, cast=int)
CLOUDINARY_VIDEO_STREAMING_PROFILE = config("CLOUDINARY_VIDEO_STREAMING_PROFILE", default="")
# With Cloudinary: browsers send videos and recordings straight to Cloudinary, in chunks of
# CLOUDINARY_CHUNK_MB (Cloudinary wants 5 MB or more but for the last), signed by the server
# for one upload that may take DIRECT_UPLOAD_TTL_SECONDS (at most 3600: Cloudinary refuses a
# signature older than an hour). Uploads never completed are destroyed by a sweep every
# DIRECT_UPLOAD_SWEEP_EVERY_SECONDS, DIRECT_UPLOAD_SWEEP_GRACE_SECONDS after they expired
# (media_library.direct_uploads).
CLOUDINARY_DIRECT_UPLOADS = config("CLOUDINARY_DIRECT_UPLOADS", default=True, cast=bool)
CLOUDINARY_CHUNK_MB = config("CLOUDINARY_CHUNK_MB", default=20, cast=float)
DIRECT_UPLOAD_TTL_SECONDS = min(config("DIRECT_UPLOAD_TTL_SECONDS", default=3000, cast=int), 3600)
DIRECT_UPLOAD_SWEEP_GRACE_SECONDS = config(
    "DIRECT_UPLOAD_SWEEP_GRACE_SECONDS", default=3600, cast=int
)
