"""Competence and capacity coordination (osaamisen ja kapasiteetin koordinointi), a built-in plugin."""
