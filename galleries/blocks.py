"""A gallery's blocks: one work with a caption, a grid of works, and rich text."""

from wagtail import blocks

from .views import media_chooser_viewset

MediaChooserBlock = media_chooser_viewset.get_block_class(
    name="MediaChooserBlock", module_path="galleries.blocks"
)


class MediaItemBlock(blocks.StructBlock):
    item = MediaChooserBlock(label="Work")
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        label = "Work"


class GridBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    columns = blocks.ChoiceBlock(
        choices=[("2", "2 across"), ("3", "3 across"), ("4", "4 across")], default="3"
    )
    items = blocks.ListBlock(MediaChooserBlock(label="Work"), min_num=1, label="Works")

    class Meta:
        icon = "table"
        label = "Grid of works"


GALLERY_BLOCKS = [
    ("media", MediaItemBlock()),
    ("grid", GridBlock()),
    ("text", blocks.RichTextBlock(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])),
]
