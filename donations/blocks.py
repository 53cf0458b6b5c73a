"""The donate block of a MediaPage's body: visitors of a public media page give to the school
by M-Pesa. Shown only on live public pages of a school that has donations on."""

from wagtail import blocks


class DonateBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80, default="Support our students")
    text = blocks.TextBlock(
        required=False,
        max_length=300,
        help_text="A sentence or two on what donations pay for.",
    )

    class Meta:
        icon = "pick"
        label = "Donate (M-Pesa)"
        template = "blocks/donate_block.html"
