"""Writing drafts to files people use elsewhere: Markdown, Word, email and calendar."""
