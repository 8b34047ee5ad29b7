"""THL's Sotkanet indicator bank as a source: client, indicator package, normalisation, plugin."""
