"""The guidance library, one Markdown file per guide: data, not code. Installed as
`coach.assets.knowledge`."""
