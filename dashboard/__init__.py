"""The Dash web app: app factory, page shell per leadership level, i18n, built-in panels."""
