"""Sign-in, roles, sessions, CSRF, throttling, scoping and the audit log.

Everything here is enforced on the server: a request's user and scope come from a server-side
session found through a signed cookie, never from values the browser sends.
"""
