"""Moderation of families' feedback: the queue where moderators approve or hide answers, mark quotes
publishable and confirm themes; the theme dictionary that suggests themes from an answer's text; and the
warehouse source ``feedback`` that copies the operational answers into the tables the views read.

Public functions other parts may call (import them from their modules, which load lazily):

- :func:`perhekeskus.plugins.feedback.moderation.themes.load_themes` (the configured theme dictionary;
  ``.suggest(text, lang)``, ``.themes``, ``.theme(code)``);
- :func:`perhekeskus.plugins.feedback.moderation.suggest.suggest_for_new` (fill the suggested themes of
  answers that have none yet);
- :func:`perhekeskus.plugins.feedback.moderation.publish.publish_feedback` (run the ``feedback`` source
  now) and :func:`~perhekeskus.plugins.feedback.moderation.publish.request_publish` (the same in the
  background, coalesced).
"""
