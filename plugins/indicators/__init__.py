"""The built-in indicator-package panels, registered through the same hook as third-party panels."""
