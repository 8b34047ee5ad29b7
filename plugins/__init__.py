"""The plugin API: pluggy hook specifications, the plugin registry, and the built-in plugins.

Built-in sources and panels register through exactly the same hooks and entry-point group
(``perhekeskus``) as a third-party package; there is no second, private path.
"""
