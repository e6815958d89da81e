"""The Django project: users, sessions, CSRF, templates and the set pages."""
