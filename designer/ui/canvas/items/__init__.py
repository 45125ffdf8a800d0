"""What the scene draws: steps (``steps``), transitions and handoff badges (``edges``), lanes (``lanes``)."""
