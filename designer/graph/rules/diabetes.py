"""The ``diabetes`` pack: the perioperative diabetes pathway (CPOC, JBDS)."""
