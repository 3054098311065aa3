"""Reading what the user points at outside the data home: git repositories, exported files
(pull requests, tickets, calendars) and career-framework files."""
