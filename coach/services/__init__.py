"""Use cases: one function per thing a user does. The CLI, the UI and the evals call these."""
