"""The blocks of a MediaPage's body.

The donate block is a slot: the page declares where its school asks for support (a heading
and a sentence), and the donations app fills it. Its template loads `donation_tags`, whose
form appears only on live public pages of a school that has donations on. So MediaPage
needs nothing of donations, while donations (Donation.page) builds on MediaPage."""

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
