"""Evidence drafted from the traces work leaves (git, pull requests, tickets, calendars, notes)."""
