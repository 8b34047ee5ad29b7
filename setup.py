"""Package layout: one top-level import name, ``perhekeskus``.

The design keeps etl/, warehouse/, dashboard/, plugins/ and expectations/ as top-level folders of the
repository; installed, they are ``perhekeskus.etl``, ``perhekeskus.warehouse`` and so on (the public plugin
API is ``perhekeskus`` itself, in perhekeskus/). Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

FOLDERS = ("etl", "warehouse", "dashboard", "plugins", "expectations")
# distributions of their own that live in the repository beside the built-in plugins (own pyproject.toml)
OWN_DISTRIBUTIONS = ("plugins.statfin", "plugins.statfin.*")

package_dir = {"perhekeskus": "perhekeskus"}
packages = ["perhekeskus", *(f"perhekeskus.{p}" for p in find_packages("perhekeskus"))]
for folder in FOLDERS:
    package_dir[f"perhekeskus.{folder}"] = folder
    packages.append(f"perhekeskus.{folder}")
    for sub in find_packages(folder, exclude=[p.removeprefix(f"{folder}.") for p in OWN_DISTRIBUTIONS]):
        if f"{folder}.{sub}".startswith(OWN_DISTRIBUTIONS[0]):
            continue
        packages.append(f"perhekeskus.{folder}.{sub}")

# their data files must not ride along in this wheel either (package-data globs are recursive)
exclude_package_data = {"perhekeskus.plugins": ["statfin/*", "statfin/**/*"]}

setup(packages=packages, package_dir=package_dir, exclude_package_data=exclude_package_data)
