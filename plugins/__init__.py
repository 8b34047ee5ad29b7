"""The built-in plugins, each a package of its own: the Sotkanet source (``sotkanet``), the indicator
panels (``indicators``) and the governance registry (``governance``).

They register through exactly the same hooks and entry-point group (``perhekeskus``) as a third-party
package; there is no second, private path. The hook specifications and contracts are in ``perhekeskus``.
"""
