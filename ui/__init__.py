"""The Promotion Coach web app (Gradio): one tab per step of the journey.

`ui.app.build_app()` builds the Blocks; `ui.app.serve()` runs it (what `coach ui` calls).
"""
